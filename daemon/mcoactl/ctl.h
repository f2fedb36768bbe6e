/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctl.h - shared state and helpers of mcoactl (the genetlink tool).
 * ctl.c: main, command table, batch mode; ctl_binding.c, ctl_flow.c,
 * ctl_dev.c: the commands; ctl_parse.c: argument parsing; ctl_json.c:
 * JSON writer.
 */
#ifndef MCOA_CTL_H
#define MCOA_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "kernel.h"

/* Exit codes a script can rely on. */
#define CTL_OK		0
#define CTL_ERR		1	/* the kernel or the system refused */
#define CTL_USAGE	2	/* bad command line */

struct ctl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;	/* one line per form, '\n' separated */
};

struct ctl_state {
	int json;
	bool pretty;		/* -p: indented JSON */
	bool timestamp;		/* -t: monitor events carry the time */
	bool force;		/* -force: a batch goes on after a failure */
	bool batch;		/* running lines of a -b file */
	const char *file;	/* batch file name, for "FILE:LINE:" */
	unsigned long line;
	struct mcoa_nl *nl;
	/* batch: the first failing line (0 if none) and its exit status */
	unsigned long fail_line;
	int fail_ret;
};

extern struct ctl_state ctl;

/* Messages: "mcoactl: ..." or, in batch mode, "FILE:LINE: ...". */
void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error for subcommand "what" (e.g. "binding add"): CTL_USAGE. */
int ctl_usage(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Kernel/runtime error from a kernel.h call: prints, returns CTL_ERR. */
int ctl_fail(const char *what, int ret, const char *err);
/* The genl handle, opened on first use; NULL (error printed) if absent. */
struct mcoa_nl *ctl_nl(void);
/* mcoa_ack_cb of pipelined batch lines: reports FILE:LINE, notes it. */
void ctl_pipe_ack(unsigned long line, int error, const char *msg, void *arg);
/* Batch: wait for pipelined lines before a non-pipelined command. */
int ctl_sync(void);
/* ctl_sync(), then the genl handle: CTL_OK with *nl set, or the error. */
int ctl_nl_ready(struct mcoa_nl **nl);
/* Help text of one top-level command. */
void ctl_help(FILE *f, const char *cmd);

/* ---- argument parsing (ctl_parse.c); every one returns 0 or CTL_USAGE,
 * naming the bad token in the message. ---- */
int ctl_parse_addr(const char *what, const char *key, const char *tok,
		   struct in6_addr *out);
int ctl_parse_prefix(const char *what, const char *key, const char *tok,
		     struct in6_addr *out, uint8_t *plen);
int ctl_parse_uint(const char *what, const char *key, const char *tok,
		   unsigned long min, unsigned long max, unsigned long *out);
int ctl_parse_range(const char *what, const char *key, const char *tok,
		    uint16_t *lo, uint16_t *hi);
int ctl_parse_dev(const char *what, const char *tok, int *ifindex);
int ctl_parse_link(const char *what, const char *tok, uint32_t *ifindex);
int ctl_parse_proto(const char *what, const char *tok, uint8_t *proto);
int ctl_parse_mode(const char *what, const char *tok, uint32_t *mode);
/* The keywords of one command line, for ctl_once(). */
#define CTL_MAX_KW 16
struct ctl_seen {
	unsigned int n;
	const char *kw[CTL_MAX_KW];
};

/* CTL_USAGE when keyword k was already given on this line. */
int ctl_once(const char *what, struct ctl_seen *s, const char *k);
/* Value after keyword argv[*i]: advances *i or reports a missing value. */
int ctl_next(const char *what, int argc, char **argv, int *i,
	     const char **val);

const char *ctl_ifname(int ifindex, char *buf);	/* buf: IF_NAMESIZE */
const char *ctl_proto_name(uint8_t proto);	/* NULL if unnamed */

/* ---- JSON writer (ctl_json.c): one compact document per call chain ---- */
struct jw {
	FILE *f;
	bool pretty;		/* newline and indent before every member */
	int depth;
	bool need_comma[16];
};

void jw_init(struct jw *w, FILE *f);
void jw_obj_open(struct jw *w, const char *key);	/* key NULL in arrays */
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w, const char *key);
void jw_arr_close(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *val); /* NULL: null */
void jw_uint(struct jw *w, const char *key, uint64_t val);
void jw_null(struct jw *w, const char *key);
void jw_bool(struct jw *w, const char *key, bool val);
void jw_addr(struct jw *w, const char *key, const struct in6_addr *a);
/* The key (and comma) only: the caller prints the value to w->f. */
void jw_key_raw(struct jw *w, const char *key);
/* A show command's output on stdout: a JSON array (one line) with -j. */
void ctl_list_begin(struct jw *w);
void ctl_list_end(struct jw *w);

/* ---- collected dumps (ctl_vec.c): sorted, printed only when whole ---- */
struct ctl_vec {
	char *buf;
	size_t n, cap, size;	/* size: bytes of one record */
};

void ctl_vec_init(struct ctl_vec *v, size_t size);
int ctl_vec_push(struct ctl_vec *v, const void *item);	/* 0 or -ENOMEM */
void *ctl_vec_at(const struct ctl_vec *v, size_t i);
void ctl_vec_sort(struct ctl_vec *v, int (*cmp)(const void *, const void *));
void ctl_vec_free(struct ctl_vec *v);
/* Listing order: ifindex, then HoA numerically; <0, 0, >0 as memcmp. */
int ctl_cmp_dev_hoa(int ifa, const struct in6_addr *a, int ifb,
		    const struct in6_addr *b);

/* ---- commands ---- */
int ctl_cmd_link(int argc, char **argv);
int ctl_cmd_binding(int argc, char **argv);
int ctl_cmd_flow(int argc, char **argv);
int ctl_cmd_policy(int argc, char **argv);
int ctl_cmd_hoa(int argc, char **argv);
int ctl_cmd_stats(int argc, char **argv);
int ctl_cmd_monitor(int argc, char **argv);
int ctl_cmd_prefix(int argc, char **argv);

/* Binding printing, shared by "binding show" and "monitor". */
void ctl_print_binding(const struct mcoa_binding *b);
void ctl_json_binding(struct jw *w, const char *key,
		      const struct mcoa_binding *b);
/* Prefix printing, shared by "prefix show" and "monitor". */
void ctl_print_prefix(const struct mcoa_prefix *p);
void ctl_json_prefix(struct jw *w, const char *key, const struct mcoa_prefix *p);
void ctl_json_stats(struct jw *w, const char *key,
		    const struct mcoa_stats *s, bool present);

/*
 * The mcoa devices a show command covers: just ifindex when given (> 0),
 * else every mcoa device of the netns (dev-get dump).
 */
struct ctl_devs {
	unsigned int n;
	int *ifindex;
};

int ctl_devs_get(struct mcoa_nl *nl, int ifindex, struct ctl_devs *d,
		 char *err);
void ctl_devs_free(struct ctl_devs *d);

#endif /* MCOA_CTL_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - mcoactl: show and edit what mcoa.ko holds, ip(8) style.
 * main(), the command table (wireguard-tools style) and batch mode.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_daemon.h"

struct ctl_state ctl;

static int ctl_cmd_daemon(int argc, char **argv)
{
	return ctl_daemon(argc, argv, ctl.json);
}

static int ctl_cmd_help(int argc, char **argv);

static const struct ctl_cmd commands[] = {
	{ "link", ctl_cmd_link,
	  "link add NAME mode ha|mn\n"
	  "link del NAME" },
	{ "binding", ctl_cmd_binding,
	  "binding add dev DEV hoa HOA bid BID coa COA|home [peer ADDR] [link IF]\n"
	  "            [lifetime SEC] [prio 0..127] [home] [legacy] [flags N]\n"
	  "            [verify]\n"
	  "binding set dev DEV hoa HOA bid BID [coa COA] [peer ADDR] [link IF]\n"
	  "            [lifetime SEC] [prio P] [home] [legacy] [flags N]\n"
	  "            [verify]\n"
	  "binding del dev DEV hoa HOA bid BID\n"
	  "binding flush dev DEV [hoa HOA]\n"
	  "binding show [dev DEV] [hoa HOA [bid BID]]" },
	{ "flow", ctl_cmd_flow,
	  "flow add dev DEV hoa HOA fid FID [pri N] [src PFX] [dst PFX]\n"
	  "         [proto tcp|udp|N] [sport P[-P]] [dport P[-P]]\n"
	  "         [tclass T[/MASK]] bids BID[,BID...]\n"
	  "flow del dev DEV hoa HOA fid FID\n"
	  "flow show [dev DEV] [hoa HOA]" },
	{ "policy", ctl_cmd_policy,
	  "policy set dev DEV hoa HOA [hash|recent] [seq N]" },
	{ "hoa", ctl_cmd_hoa,
	  "hoa show [dev DEV] [hoa HOA]\n"
	  "hoa del dev DEV hoa HOA" },
	{ "stats", ctl_cmd_stats,
	  "stats [dev DEV]" },
	{ "monitor", ctl_cmd_monitor,
	  "monitor" },
	{ "daemon", ctl_cmd_daemon,
	  "daemon ...  (talks to mcoad; see mcoactl daemon help)" },
	{ "help", ctl_cmd_help,
	  "help [COMMAND]" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/*
 * Print the forms of a help text whose words start with "match" (all when
 * NULL); indented lines continue the form above them.
 */
static int print_help_text(FILE *f, const char *text, const char *match,
			   bool first)
{
	const char *p = text;
	bool show = false;
	int n = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (*p != ' ')
			show = !match || (!strncmp(p, match, strlen(match)) &&
					  (p[strlen(match)] == ' ' ||
					   p[strlen(match)] == '\0'));
		if (show) {
			fprintf(f, "%s%s%.*s\n", first && !n ? "Usage: " : "       ",
				*p == ' ' ? "        " : "mcoactl ", len, p);
			n++;
		}
		p += len;
		if (*p)
			p++;
	}
	return n;
}

/* Help for "binding add" (its forms), "binding" or everything (NULL). */
void ctl_help(FILE *f, const char *what)
{
	char top[32];
	size_t i, n = what ? strcspn(what, " ") : 0;
	int printed = 0;

	if (n >= sizeof(top))
		n = sizeof(top) - 1;
	memcpy(top, what ? what : "", n);
	top[n] = '\0';
	for (i = 0; i < N_COMMANDS; i++) {
		if (what && strcmp(top, commands[i].name))
			continue;
		printed += print_help_text(f, commands[i].help,
					   what && what[n] ? what : NULL,
					   what && !printed);
	}
	/* "binding frob": no such form, show the whole command */
	if (what && !printed && what[n]) {
		for (i = 0; i < N_COMMANDS; i++)
			if (!strcmp(top, commands[i].name))
				print_help_text(f, commands[i].help, NULL, true);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mcoactl [-j] [-b FILE|-] COMMAND [ARGS...]\n"
		"  -j       JSON output (show, stats, monitor)\n"
		"  -b FILE  run one command per line of FILE (- for stdin);\n"
		"           binding add/set/del lines are pipelined; the first\n"
		"           failure is reported as FILE:LINE: message\n"
		"Commands:\n");
	ctl_help(f, NULL);
	fprintf(f,
		"Exit status: 0 success, 1 the kernel or system refused,\n"
		"             2 usage error.\n");
}

static int ctl_cmd_help(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "help"))
		ctl_help(stdout, argv[1]);
	else
		usage(stdout);
	return CTL_OK;
}

static void vmsg(const char *fmt, va_list ap)
{
	if (ctl.batch)
		fprintf(stderr, "%s:%lu: ", ctl.file, ctl.line);
	else
		fputs("mcoactl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int ctl_usage(const char *what, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	if (ctl.batch)
		fprintf(stderr, "%s:%lu: ", ctl.file, ctl.line);
	else
		fputs("mcoactl: ", stderr);
	fprintf(stderr, "%s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);

	ctl_help(stderr, what);
	return CTL_USAGE;
}

int ctl_fail(const char *what, int ret, const char *err)
{
	fflush(stdout);
	ctl_err("%s: %s", what, err && *err ? err : strerror(-ret));
	return CTL_ERR;
}

struct mcoa_nl *ctl_nl(void)
{
	char err[MCOA_NL_ERRLEN];

	if (!ctl.nl && mcoa_nl_open(&ctl.nl, err) < 0) {
		ctl_err("%s", err);
		return NULL;
	}
	return ctl.nl;
}

static int run(int argc, char **argv)
{
	size_t i;

	if (argc < 1)
		return ctl_cmd_help(0, NULL);
	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(argc, argv);
	ctl_err("unknown command \"%s\"; try \"mcoactl help\"", argv[0]);
	return CTL_USAGE;
}

/* ---- batch ------------------------------------------------------------- */

void ctl_pipe_ack(unsigned long line, int error, const char *msg, void *arg)
{
	(void)arg;
	if (ctl.pipe_err_line && ctl.pipe_err_line < line)
		return;
	ctl.pipe_err_line = line;
	ctl.pipe_err = error;
	snprintf(ctl.pipe_msg, sizeof(ctl.pipe_msg), "%s",
		 *msg ? msg : strerror(-error));
}

/* Collect every outstanding ack; report the first failed line. */
static int pipe_drain(void)
{
	char err[MCOA_NL_ERRLEN];
	int ret;

	if (!ctl.nl)
		return CTL_OK;
	ret = mcoa_nl_pipe_flush(ctl.nl, ctl_pipe_ack, NULL, err);
	if (ret < 0)
		return ctl_fail("batch", ret, err);
	if (ctl.pipe_err_line) {
		if (ctl.pipe_reported)
			return CTL_ERR;
		ctl.pipe_reported = true;
		fflush(stdout);
		fprintf(stderr, "%s:%lu: %s\n", ctl.file, ctl.pipe_err_line,
			ctl.pipe_msg);
		return CTL_ERR;
	}
	return CTL_OK;
}

/* Split a line into words; '#' starts a comment; "..." groups words. */
static int split(char *s, char **argv, int max)
{
	int argc = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			break;
		if (argc == max)
			return -1;
		if (*s == '"') {
			argv[argc++] = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			argv[argc++] = s;
			while (*s && *s != ' ' && *s != '\t' && *s != '\n' &&
			       *s != '\r')
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return argc;
}

static int batch(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *argv[64];
	size_t cap = 0;
	int ret = CTL_OK;

	if (!f) {
		fprintf(stderr, "mcoactl: cannot open %s: %s\n", file,
			strerror(errno));
		return CTL_ERR;
	}
	ctl.batch = true;
	ctl.file = file;
	while (getline(&line, &cap, f) >= 0) {
		int argc;

		ctl.line++;
		argc = split(line, argv, 64);
		if (argc < 0) {
			ctl_err("too many words");
			ret = CTL_USAGE;
			break;
		}
		if (!argc)
			continue;
		ret = run(argc, argv);
		/* a non-pipelined command: earlier lines must be done first */
		if (ret == CTL_OK && ctl.pipe_err_line)
			ret = CTL_ERR;
		if (ret != CTL_OK)
			break;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	/* report a kernel failure of an earlier, pipelined line first */
	if (pipe_drain() != CTL_OK)
		ret = CTL_ERR;
	fflush(stdout);
	return ret;
}

/*
 * Called by every command that is not pipelined before it talks to the
 * kernel, so that batch lines take effect in order.
 */
int ctl_sync(void)
{
	if (!ctl.batch)
		return CTL_OK;
	return pipe_drain();
}

int ctl_nl_ready(struct mcoa_nl **nl)
{
	int ret = ctl_sync();

	if (ret)
		return ret;
	*nl = ctl_nl();
	return *nl ? CTL_OK : CTL_ERR;
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	int opt, ret;

	while ((opt = getopt(argc, argv, "+jb:hV")) != -1) {
		switch (opt) {
		case 'j':
			ctl.json = 1;
			break;
		case 'b':
			file = optarg;
			break;
		case 'h':
			usage(stdout);
			return CTL_OK;
		case 'V':
			printf("mcoactl (mcoa genetlink family version %d)\n",
			       MCOA_FAMILY_VERSION);
			return CTL_OK;
		default:
			usage(stderr);
			return CTL_USAGE;
		}
	}
	if (file) {
		if (optind != argc) {
			fprintf(stderr, "mcoactl: -b takes no command arguments\n");
			return CTL_USAGE;
		}
		ret = batch(file);
	} else {
		ret = run(argc - optind, argv + optind);
	}
	if (fflush(stdout) && ret == CTL_OK)
		ret = CTL_ERR;
	mcoa_nl_close(ctl.nl);
	return ret;
}

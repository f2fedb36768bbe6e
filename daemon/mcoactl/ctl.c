// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - mcoactl: show and edit what mcoa.ko holds, ip(8) style.
 * main(), the command table (wireguard-tools style) and batch mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_daemon.h"
#include "version.h"

struct ctl_state ctl;

static int ctl_cmd_daemon(int argc, char **argv)
{
	return ctl_daemon(argc, argv, ctl.json);
}

static int ctl_cmd_help(int argc, char **argv);
static const struct ctl_cmd *find_cmd(const char *tok);
static bool expand_verb(const struct ctl_cmd *c, char **tok, int *ret);

static const struct ctl_cmd commands[] = {
	{ "link", ctl_cmd_link,
	  "link add NAME [mode ha|mn]\n"
	  "link del NAME          (mcoa devices only)\n"
	  "link show [[dev] NAME]" },
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
	{ "prefix", ctl_cmd_prefix,
	  "prefix add PREFIX/LEN dev DEV hoa HOA\n"
	  "prefix del PREFIX/LEN dev DEV [hoa HOA]\n"
	  "prefix show [dev DEV] [hoa HOA]" },
	{ "stats", ctl_cmd_stats,
	  "stats [dev DEV]" },
	{ "monitor", ctl_cmd_monitor,
	  "monitor [dev DEV] [hoa HOA]   (-t: timestamps)" },
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
		"Usage: mcoactl [-j] [-p] [-t] [-n NETNS] [-b FILE|-] [-force]\n"
		"               COMMAND [ARGS...]\n"
		"  -j       JSON output (show, stats, monitor); -jp pretty\n"
		"  -p       with -j: pretty (indented) JSON\n"
		"  -t       monitor: each event starts with its time\n"
		"           ([YYYY-MM-DDTHH:MM:SS.UUUUUU]; with -j \"timestamp\",\n"
		"           seconds since the epoch)\n"
		"  -n NETNS run in network namespace /run/netns/NETNS\n"
		"  -b FILE  run one command per line of FILE (- for stdin); stop\n"
		"           at the first line that fails, reported as\n"
		"           FILE:LINE: message. binding add/set/del lines are\n"
		"           pipelined: lines sent before the failure was known\n"
		"           (at most 255 after it) may have been applied\n"
		"  -force   with -b: run every line, report each failure, and\n"
		"           exit with the status of the first failing line\n"
		"  --help, --version\n"
		"Options may also end the command line (mcoactl b s -j).\n"
		"Commands and subcommands may be abbreviated to a unique\n"
		"prefix (mcoactl b s = binding show; s is show).\n"
		"Show commands list by device, then HoA, then BID (flow rules:\n"
		"in the order they are matched).\n"
		"Commands:\n");
	ctl_help(f, NULL);
	fprintf(f,
		"Exit status (stable): 0 success;\n"
		"  1 the kernel or the system refused (the kernel's message is\n"
		"    printed), a device or netns that does not exist, mcoad\n"
		"    unreachable;\n"
		"  2 usage error (the message names the bad word; nothing was\n"
		"    sent to the kernel).\n");
}

/* "help", "help binding", "help b add": an unknown command is an error. */
static int ctl_cmd_help(int argc, char **argv)
{
	const struct ctl_cmd *c;
	char what[48];
	int ret;

	if (argc < 2 || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CTL_OK;
	}
	c = find_cmd(argv[1]);
	if (!c)
		return CTL_USAGE;
	if (argc > 2) {
		if (!expand_verb(c, &argv[2], &ret))
			return ret ? ret : ctl_usage(c->name,
					"unknown subcommand \"%s\"", argv[2]);
		snprintf(what, sizeof(what), "%s %s", c->name, argv[2]);
		ctl_help(stdout, what);
	} else {
		ctl_help(stdout, c->name);
	}
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

/*
 * Unique-prefix matching, as ip(8) users expect ("b s" = "binding show").
 * An exact word always wins; a prefix of several words is a usage error,
 * except that "show" wins over the others (ip's "s" is show too).
 * Returns the word, NULL when nothing matches (*ambiguous false) or when
 * several do (*ambiguous true).
 */
static const char *match_prefix(const char *tok, const char *const *words,
				int n, bool *ambiguous)
{
	const char *found = NULL;
	size_t len = strlen(tok);
	int i, hits = 0;

	*ambiguous = false;
	if (!len)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!strcmp(tok, words[i]))
			return words[i];
		if (strncmp(tok, words[i], len))
			continue;
		if (!strcmp(words[i], "show")) {
			found = words[i];
			hits = 1;
			break;
		}
		found = words[i];
		hits++;
	}
	/* an exact match may come later in the list */
	for (; i < n; i++)
		if (!strcmp(tok, words[i]))
			return words[i];
	if (hits > 1) {
		*ambiguous = true;
		return NULL;
	}
	return found;
}

#define MAX_VERBS 8

/*
 * The verbs of a command, read from its help text (the second word of
 * each form, when it is a plain word), so the table stays the one list.
 */
static int cmd_verbs(const struct ctl_cmd *c, char verbs[][16])
{
	const char *p = c->help;
	size_t cl = strlen(c->name);
	int n = 0, i;

	for (; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *v = p + cl + 1;
		size_t len = strspn(v, "abcdefghijklmnopqrstuvwxyz");

		if (strncmp(p, c->name, cl) || p[cl] != ' ' || !len ||
		    len >= 16 || (v[len] != ' ' && v[len] != '\n' && v[len]))
			continue;
		for (i = 0; i < n; i++)
			if (strlen(verbs[i]) == len && !strncmp(verbs[i], v, len))
				break;
		if (i == n && n < MAX_VERBS) {
			memcpy(verbs[n], v, len);
			verbs[n++][len] = '\0';
		}
	}
	return n;
}

static const struct ctl_cmd *find_cmd(const char *tok)
{
	const char *names[N_COMMANDS];
	const char *name;
	bool amb;
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	name = match_prefix(tok, names, N_COMMANDS, &amb);
	if (!name) {
		ctl_err(amb ? "ambiguous command \"%s\"; try \"mcoactl help\"" :
			"unknown command \"%s\"; try \"mcoactl help\"", tok);
		return NULL;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (names[i] == name)
			break;
	return &commands[i];
}

/*
 * Expand an abbreviated verb in place. Returns true when *tok is (now)
 * one of the command's verbs; false leaves it to the command to report,
 * except for an ambiguous prefix, a usage error (*ret).
 */
static bool expand_verb(const struct ctl_cmd *c, char **tok, int *ret)
{
	/* static: *tok points into it until the next line of a batch */
	static char verbs[MAX_VERBS][16];
	const char *ptrs[MAX_VERBS + 1];
	int i, n = cmd_verbs(c, verbs);
	const char *v;
	bool amb;

	*ret = CTL_OK;
	if (!n)
		return false;
	for (i = 0; i < n; i++)
		ptrs[i] = verbs[i];
	ptrs[n] = "help";
	v = match_prefix(*tok, ptrs, n + 1, &amb);
	if (amb) {
		*ret = ctl_usage(c->name, "ambiguous subcommand \"%s\"", *tok);
		return false;
	}
	if (!v || !strcmp(v, "help"))
		return false;
	*tok = (char *)v;
	return true;
}

static int run(int argc, char **argv)
{
	const struct ctl_cmd *c;
	char what[48];
	int ret;

	if (argc < 1)
		return ctl_cmd_help(0, NULL);
	c = find_cmd(argv[0]);
	if (!c)
		return CTL_USAGE;
	argv[0] = (char *)c->name;
	if (c->fn == ctl_cmd_daemon || c->fn == ctl_cmd_help || argc < 2)
		return c->fn(argc, argv);
	if (!strcmp(argv[1], "help")) {
		ctl_help(stdout, c->name);
		return CTL_OK;
	}
	/* "binding add help", "link add help": help, never an argument */
	if (expand_verb(c, &argv[1], &ret) && argc > 2 &&
	    !strcmp(argv[2], "help")) {
		snprintf(what, sizeof(what), "%s %s", c->name, argv[1]);
		ctl_help(stdout, what);
		return CTL_OK;
	}
	if (ret)
		return ret;
	return c->fn(argc, argv);
}

/* ---- batch ------------------------------------------------------------- */

/* The first failing line decides the exit status, with -force too. */
static void batch_note(unsigned long line, int ret)
{
	if (!ctl.fail_line || line < ctl.fail_line) {
		ctl.fail_line = line;
		ctl.fail_ret = ret;
	}
}

/*
 * A pipelined line the kernel refused. Acks come back in line order, so
 * without -force the first one reported is the line the batch stops at;
 * later ones (sent before the failure was known) are not reported.
 */
void ctl_pipe_ack(unsigned long line, int error, const char *msg, void *arg)
{
	(void)arg;
	if (!ctl.force && ctl.fail_line && ctl.fail_line < line)
		return;
	fflush(stdout);
	fprintf(stderr, "%s:%lu: %s\n", ctl.file, line,
		*msg ? msg : strerror(-error));
	batch_note(line, CTL_ERR);
}

/* Send what is queued and collect every ack; CTL_ERR: transport failed. */
static int pipe_drain(void)
{
	char err[MCOA_NL_ERRLEN] = "";
	int ret;

	if (!ctl.nl)
		return CTL_OK;
	ret = mcoa_nl_pipe_flush(ctl.nl, ctl_pipe_ack, NULL, err);
	if (ret < 0)
		return ctl_fail("batch", ret, err);
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

/* One line: its status, CTL_OK for a blank or comment line. */
static int batch_line(char *line)
{
	char *argv[64];
	int argc = split(line, argv, 64);

	if (argc < 0) {
		ctl_err("too many words (at most 64)");
		return CTL_USAGE;
	}
	return argc ? run(argc, argv) : CTL_OK;
}

/*
 * ip -batch semantics: stop at the first failing line (-force: go on),
 * name it FILE:LINE, exit with its status. Queued pipelined lines that
 * follow a known failure are dropped unsent.
 */
static int batch(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	int ret;

	if (!f) {
		fprintf(stderr, "mcoactl: cannot open %s: %s\n", file,
			strerror(errno));
		return CTL_ERR;
	}
	ctl.batch = true;
	ctl.file = file;
	while (getline(&line, &cap, f) >= 0) {
		ctl.line++;
		ret = batch_line(line);
		if (ret != CTL_OK)
			batch_note(ctl.line, ret);
		if (ctl.fail_line && !ctl.force)
			break;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (ctl.nl && ctl.fail_line && !ctl.force)
		mcoa_nl_pipe_discard(ctl.nl);
	/* the last window of pipelined lines; a failure there is reported */
	if (pipe_drain() != CTL_OK)
		batch_note(ctl.line + 1, CTL_ERR);
	fflush(stdout);
	return ctl.fail_line ? ctl.fail_ret : CTL_OK;
}

/*
 * Called by every command that is not pipelined before it talks to the
 * kernel, so that batch lines take effect in order. Without -force a
 * command after a failed pipelined line is not run (CTL_ERR).
 */
int ctl_sync(void)
{
	int ret;

	if (!ctl.batch)
		return CTL_OK;
	ret = pipe_drain();
	if (ret)
		return ret;
	return ctl.fail_line && !ctl.force ? CTL_ERR : CTL_OK;
}

int ctl_nl_ready(struct mcoa_nl **nl)
{
	int ret = ctl_sync();

	if (ret)
		return ret;
	*nl = ctl_nl();
	return *nl ? CTL_OK : CTL_ERR;
}

/*
 * -n NETNS, like ip -n: enter /run/netns/NETNS before the first socket
 * is opened, so device names and the genl family are that netns's.
 */
static int enter_netns(const char *name)
{
	char path[128];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > 64) {
		fprintf(stderr, "mcoactl: invalid network namespace name \"%s\"\n",
			name);
		return CTL_USAGE;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "mcoactl: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CTL_ERR;
	}
	close(fd);
	return CTL_OK;
}

/* -j, -p, -t, -jpt...: true (flags set) when tok is only those letters. */
static bool json_flags(const char *tok)
{
	const char *p;

	if (!strcmp(tok, "--json") || !strcmp(tok, "--pretty")) {
		ctl.json = 1;
		ctl.pretty |= !strcmp(tok, "--pretty");
		return true;
	}
	if (!strcmp(tok, "--timestamp")) {
		ctl.timestamp = true;
		return true;
	}
	if (tok[0] != '-' || !tok[1] ||
	    strspn(tok + 1, "jpt") != strlen(tok + 1))
		return false;
	for (p = tok + 1; *p; p++) {
		if (*p == 'j')
			ctl.json = 1;
		else if (*p == 't')
			ctl.timestamp = true;
		else
			ctl.pretty = true;
	}
	return true;
}

/*
 * ip(8) spells it -force: one dash, a whole word. getopt would read
 * -f -o -r -c -e, so it is turned into --force before getopt runs.
 */
static void long_force(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-force"))
			argv[i] = "--force";
		else if (!strcmp(argv[i], "--"))
			break;
		else if (argv[i][1] && strchr("bn", argv[i][1]) && !argv[i][2])
			i++;	/* the value of -b or -n */
	}
}

/*
 * Options after the command ("mcoactl binding show -j -n ns1"): taken
 * from the end of the line only, where no keyword is waiting for its
 * value, so a value that starts with '-' is never mistaken for one.
 */
static int trailing_opts(int first, int *argc, char **argv,
			 const char **netns)
{
	while (*argc - first >= 2) {
		const char *t = argv[*argc - 1];

		if (*argc - first >= 3 && !strcmp(argv[*argc - 2], "-n")) {
			*netns = t;
			*argc -= 2;
		} else if (json_flags(t)) {
			*argc -= 1;
		} else {
			break;
		}
	}
	return CTL_OK;
}

static void version(void)
{
	printf("mcoactl %s (mcoa genetlink family version %d)\n",
	       MCOA_VERSION, MCOA_FAMILY_VERSION);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "netns", required_argument, NULL, 'n' },
		{ "timestamp", no_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *netns = NULL;
	int opt, ret;

	long_force(argc, argv);
	while ((opt = getopt_long(argc, argv, "+jptb:n:hV", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 't':
			ctl.timestamp = true;
			break;
		case 'f':
			ctl.force = true;
			break;
		case 'j':
			ctl.json = 1;
			break;
		case 'p':
			ctl.pretty = true;
			break;
		case 'b':
			file = optarg;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'h':
			usage(stdout);
			return CTL_OK;
		case 'V':
			version();
			return CTL_OK;
		default:
			usage(stderr);
			return CTL_USAGE;
		}
	}
	if (!file)
		trailing_opts(optind, &argc, argv, &netns);
	if (netns) {
		ret = enter_netns(netns);
		if (ret)
			return ret;
	}
	if (ctl.force && !file) {
		fprintf(stderr, "mcoactl: -force needs -b FILE\n");
		return CTL_USAGE;
	}
	if (file) {
		if (optind != argc) {
			fprintf(stderr, "mcoactl: -b takes no command arguments\n");
			return CTL_USAGE;
		}
		ret = batch(file);
	} else if (optind == argc) {
		/* no command is a usage error, as for ip(8) */
		usage(stderr);
		ret = CTL_USAGE;
	} else {
		ret = run(argc - optind, argv + optind);
	}
	if (fflush(stdout) && ret == CTL_OK)
		ret = CTL_ERR;
	mcoa_nl_close(ctl.nl);
	return ret;
}

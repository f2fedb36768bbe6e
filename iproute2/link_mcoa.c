// SPDX-License-Identifier: GPL-2.0
/*
 * link_mcoa.c - iproute2 plugin for the "mcoa" link kind, so that
 *
 *   ip link add mip0 type mcoa mode ha|mn
 *   ip -d link show mip0          (prints "mcoa mode ha")
 *
 * work with the distribution's unmodified ip(8). ip looks for an unknown
 * kind in $IP_LIB_DIR/link_<kind>.so (Debian: /usr/lib/x86_64-linux-gnu/ip)
 * and takes the symbol <kind>_link_util from it.
 *
 * We do not have ip's headers, so struct link_util is declared here with
 * the layout of iproute2 6.1 (ip/ip_common.h); only the fields up to
 * print_help are filled in and the rest stay NULL. Later iproute2 releases
 * added an int *netns_fd argument to parse_opt; an extra argument is
 * harmless to a callee that ignores it under the x86-64 calling
 * convention, which is the only target we build for.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/mcoa.h>
#include <linux/if_mcoa.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *xs);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/*
 * ip(8) builds the request in struct iplink_req { nlmsghdr; ifinfomsg;
 * char buf[1024]; } and does not pass its size to parse_opt.
 */
#define MCOA_IPLINK_REQ_SIZE \
	(sizeof(struct nlmsghdr) + sizeof(struct ifinfomsg) + 1024)

/*
 * ip's own printer, so that "ip -j -d link show" stays valid JSON: ip is
 * linked with -rdynamic and exports it. Its enum arguments are passed as
 * int; the values are those of iproute2 6.1 (json_print.h: PRINT_ANY = 4;
 * color.h: COLOR_NONE = 6), checked against the calls in Debian's
 * /usr/bin/ip. A weak reference keeps the plugin loadable by an ip that
 * does not export it; plain text is printed then.
 */
#define MCOA_IP_PRINT_ANY	4
#define MCOA_IP_COLOR_NONE	6
extern int print_color_string(int type, int color, const char *key,
			      const char *fmt, const char *value)
	__attribute__((weak));

static void mcoa_print_help(struct link_util *lu, int argc, char **argv,
			    FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	fprintf(f,
		"Usage: ... mcoa [ mode { ha | mn } ]\n"
		"\n"
		"Where: mode ha: home agent (default), encapsulates packets for a\n"
		"                home address towards one of its care-of addresses\n"
		"       mode mn: mobile node, sends packets from its home address\n"
		"                out of one of its care-of addresses\n");
}

static int mcoa_add_u32(struct nlmsghdr *n, unsigned short type, __u32 v)
{
	unsigned int len = RTA_LENGTH(sizeof(v));
	struct rtattr *rta;

	if (NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len) > MCOA_IPLINK_REQ_SIZE) {
		fprintf(stderr, "mcoa: netlink request too long\n");
		return -1;
	}
	rta = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = len;
	memcpy(RTA_DATA(rta), &v, sizeof(v));
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len);
	return 0;
}

static int mcoa_parse_opt(struct link_util *lu, int argc, char **argv,
			  struct nlmsghdr *n)
{
	bool have_mode = false;
	__u32 mode = 0;

	while (argc > 0) {
		if (!strcmp(*argv, "mode")) {
			if (have_mode) {
				fprintf(stderr, "mcoa: duplicate \"mode\"\n");
				return -1;
			}
			if (argc < 2) {
				fprintf(stderr, "mcoa: \"mode\" needs a value (ha or mn)\n");
				return -1;
			}
			argc--;
			argv++;
			if (!strcmp(*argv, "ha")) {
				mode = MCOA_MODE_HA;
			} else if (!strcmp(*argv, "mn")) {
				mode = MCOA_MODE_MN;
			} else {
				fprintf(stderr, "mcoa: invalid mode \"%s\" (expected ha or mn)\n",
					*argv);
				return -1;
			}
			have_mode = true;
		} else if (!strcmp(*argv, "help")) {
			mcoa_print_help(lu, 0, NULL, stderr);
			return -1;
		} else {
			fprintf(stderr, "mcoa: unknown option \"%s\"\n", *argv);
			mcoa_print_help(lu, 0, NULL, stderr);
			return -1;
		}
		argc--;
		argv++;
	}
	if (have_mode)
		return mcoa_add_u32(n, IFLA_MCOA_MODE, mode);
	return 0;
}

static void mcoa_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const char *name = "?";
	__u32 mode;

	(void)lu;
	if (!tb || !tb[IFLA_MCOA_MODE] ||
	    RTA_PAYLOAD(tb[IFLA_MCOA_MODE]) < sizeof(mode))
		return;
	memcpy(&mode, RTA_DATA(tb[IFLA_MCOA_MODE]), sizeof(mode));
	if (mode == MCOA_MODE_HA)
		name = "ha";
	else if (mode == MCOA_MODE_MN)
		name = "mn";

	if (print_color_string)
		print_color_string(MCOA_IP_PRINT_ANY, MCOA_IP_COLOR_NONE, "mode",
				   "mode %s ", name);
	else
		fprintf(f, "mode %s ", name);
}

struct link_util mcoa_link_util = {
	.id		= "mcoa",
	.maxattr	= IFLA_MCOA_MAX,
	.parse_opt	= mcoa_parse_opt,
	.print_opt	= mcoa_print_opt,
	.print_help	= mcoa_print_help,
};

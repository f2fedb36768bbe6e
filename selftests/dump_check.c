// SPDX-License-Identifier: GPL-2.0
/*
 * dump_check - dump the bindings of one mcoa device N times, without the
 * retry mcoactl and mcoad do, and say for each dump how many bindings of
 * a given HoA prefix it returned and whether the kernel flagged it torn
 * (NLM_F_DUMP_INTR).
 *
 *   dump_check IFNAME PREFIX/64 N
 *
 * Prints one line per dump: "COUNT INTR" (INTR 0 or 1). Exit 0, or 1 on a
 * netlink error, 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/mcoa.h>

struct tally {
	struct in6_addr prefix;		/* first 8 bytes compared */
	unsigned long count;
	int intr;
};

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[MCOA_A_MAX + 1], *bt[MCOA_A_BINDING_MAX + 1];
	struct tally *t = arg;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = 1;
	if (genlmsg_parse(nlh, 0, tb, MCOA_A_MAX, NULL) < 0 ||
	    !tb[MCOA_A_BINDING] ||
	    nla_parse_nested(bt, MCOA_A_BINDING_MAX, tb[MCOA_A_BINDING], NULL) < 0 ||
	    !bt[MCOA_A_BINDING_HOA] || nla_len(bt[MCOA_A_BINDING_HOA]) != 16)
		return NL_OK;
	if (!memcmp(nla_data(bt[MCOA_A_BINDING_HOA]), &t->prefix, 8))
		t->count++;
	return NL_OK;
}

/* libnl reports a flagged dump as -NLE_DUMP_INTR once it is drained. */
static int on_intr(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct tally *)arg)->intr = 1;
	return NL_OK;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	struct tally t;
	int family, ifindex, i, n, ret;
	char *slash;

	if (argc != 4)
		return fprintf(stderr, "usage: dump_check IFNAME PREFIX/64 N\n"), 2;
	ifindex = if_nametoindex(argv[1]);
	slash = strchr(argv[2], '/');
	if (slash)
		*slash = 0;
	memset(&t, 0, sizeof(t));
	if (!ifindex || inet_pton(AF_INET6, argv[2], &t.prefix) != 1)
		return fprintf(stderr, "dump_check: bad device or prefix\n"), 2;
	n = atoi(argv[3]);

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0)
		return fprintf(stderr, "dump_check: genl socket\n"), 1;
	nl_socket_enable_msg_peek(sk);
	family = genl_ctrl_resolve(sk, MCOA_FAMILY_NAME);
	if (family < 0)
		return fprintf(stderr, "dump_check: no mcoa family\n"), 1;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_msg, &t);
	nl_socket_modify_cb(sk, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, &t);
	for (i = 0; i < n; i++) {
		struct nl_msg *msg = nlmsg_alloc();

		t.count = 0;
		t.intr = 0;
		if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
					 NLM_F_DUMP, MCOA_CMD_BINDING_GET,
					 MCOA_FAMILY_VERSION) ||
		    nla_put_u32(msg, MCOA_A_IFINDEX, ifindex) < 0)
			return fprintf(stderr, "dump_check: message\n"), 1;
		ret = nl_send_auto(sk, msg);
		nlmsg_free(msg);
		if (ret >= 0)
			ret = nl_recvmsgs_default(sk);
		if (ret < 0 && ret != -NLE_DUMP_INTR)
			return fprintf(stderr, "dump_check: %s\n", nl_geterror(ret)), 1;
		printf("%lu %d\n", t.count, t.intr);
		fflush(stdout);
	}
	nl_socket_free(sk);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * genl_raw - send one hand-built "mcoa" genetlink request, including
 * malformed ones mcoactl refuses to build, and print the kernel's answer
 * (extack decoded by daemon/genl/kernel.c).
 *
 *   genl_raw [-d] CMD [ATTR...]
 *     -d          set NLM_F_DUMP
 *     CMD         binding-new, binding-set, binding-get, binding-del,
 *                 binding-flush, flow-new, flow-del, flow-get, hoa-set,
 *                 hoa-get, dev-get, or a number
 *     ATTR        KIND:NAME=VALUE, NAME is an attribute of the current
 *                 nest (top level: ifindex ifname mode binding flow hoa
 *                 stats) or a number
 *       u8: u16: u32: u64:  integer (0x.. allowed)
 *       addr:   IPv6 address (16 bytes)
 *       hex:    raw bytes, e.g. hex:hoa=00112233 (any length)
 *       str:    NUL-terminated string
 *       dev:    u32 ifindex of a device name (dev:ifindex=lo)
 *       nest:NAME  opens a nest, "end" closes it
 *
 * Prints "ok" and exits 0, or prints "error -ERRNO MESSAGE" and exits 1;
 * exit 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "kernel.h"

struct names {
	const char *name;
	int type;
	const struct names *nest;
};

static const struct names binding_names[] = {
	{ "hoa", MCOA_A_BINDING_HOA, NULL }, { "bid", MCOA_A_BINDING_BID, NULL },
	{ "coa", MCOA_A_BINDING_COA, NULL }, { "coa4", MCOA_A_BINDING_COA4, NULL },
	{ "peer", MCOA_A_BINDING_PEER, NULL }, { "link", MCOA_A_BINDING_LINK, NULL },
	{ "prio", MCOA_A_BINDING_PRIO, NULL }, { "flags", MCOA_A_BINDING_FLAGS, NULL },
	{ "lifetime", MCOA_A_BINDING_LIFETIME, NULL },
	{ "expires", MCOA_A_BINDING_EXPIRES, NULL },
	{ "verified", MCOA_A_BINDING_VERIFIED, NULL },
	{ "stats", MCOA_A_BINDING_STATS, NULL },
	{ "del-reason", MCOA_A_BINDING_DEL_REASON, NULL },
	{ NULL, 0, NULL },
};

static const struct names flow_names[] = {
	{ "hoa", MCOA_A_FLOW_HOA, NULL }, { "fid", MCOA_A_FLOW_FID, NULL },
	{ "pri", MCOA_A_FLOW_PRI, NULL }, { "src", MCOA_A_FLOW_SRC, NULL },
	{ "src-plen", MCOA_A_FLOW_SRC_PLEN, NULL }, { "dst", MCOA_A_FLOW_DST, NULL },
	{ "dst-plen", MCOA_A_FLOW_DST_PLEN, NULL },
	{ "proto", MCOA_A_FLOW_PROTO, NULL },
	{ "sport-min", MCOA_A_FLOW_SPORT_MIN, NULL },
	{ "sport-max", MCOA_A_FLOW_SPORT_MAX, NULL },
	{ "dport-min", MCOA_A_FLOW_DPORT_MIN, NULL },
	{ "dport-max", MCOA_A_FLOW_DPORT_MAX, NULL },
	{ "tclass", MCOA_A_FLOW_TCLASS, NULL },
	{ "tclass-mask", MCOA_A_FLOW_TCLASS_MASK, NULL },
	{ "bids", MCOA_A_FLOW_BIDS, NULL },
	{ NULL, 0, NULL },
};

static const struct names hoa_names[] = {
	{ "addr", MCOA_A_HOA_ADDR, NULL }, { "policy", MCOA_A_HOA_POLICY, NULL },
	{ "seq", MCOA_A_HOA_SEQ, NULL }, { NULL, 0, NULL },
};

static const struct names top_names[] = {
	{ "ifindex", MCOA_A_IFINDEX, NULL }, { "ifname", MCOA_A_IFNAME, NULL },
	{ "mode", MCOA_A_MODE, NULL }, { "binding", MCOA_A_BINDING, binding_names },
	{ "flow", MCOA_A_FLOW, flow_names }, { "hoa", MCOA_A_HOA, hoa_names },
	{ "stats", MCOA_A_STATS, NULL }, { NULL, 0, NULL },
};

static const struct {
	const char *name;
	int cmd;
} cmds[] = {
	{ "dev-get", MCOA_CMD_DEV_GET }, { "binding-new", MCOA_CMD_BINDING_NEW },
	{ "binding-set", MCOA_CMD_BINDING_SET },
	{ "binding-get", MCOA_CMD_BINDING_GET },
	{ "binding-del", MCOA_CMD_BINDING_DEL },
	{ "binding-flush", MCOA_CMD_BINDING_FLUSH },
	{ "flow-new", MCOA_CMD_FLOW_NEW }, { "flow-del", MCOA_CMD_FLOW_DEL },
	{ "flow-get", MCOA_CMD_FLOW_GET }, { "hoa-set", MCOA_CMD_HOA_SET },
	{ "hoa-get", MCOA_CMD_HOA_GET },
};

static unsigned char buf[8192] __attribute__((aligned(4)));
static size_t len;

static void die_usage(const char *msg, const char *tok)
{
	fprintf(stderr, "genl_raw: %s \"%s\"\n", msg, tok);
	exit(2);
}

static struct nlattr *put(int type, const void *data, size_t dlen)
{
	struct nlattr *a = (struct nlattr *)(buf + len);

	if (len + NLA_ALIGN(NLA_HDRLEN + dlen) > sizeof(buf))
		die_usage("request too long at", "");
	a->nla_type = (unsigned short)type;
	a->nla_len = (unsigned short)(NLA_HDRLEN + dlen);
	memset(buf + len + NLA_HDRLEN, 0, NLA_ALIGN(dlen));
	if (dlen)
		memcpy(buf + len + NLA_HDRLEN, data, dlen);
	len += NLA_ALIGN(NLA_HDRLEN + dlen);
	return a;
}

static int lookup(const struct names *n, const char *name,
		  const struct names **nest)
{
	char *end;
	long v;

	*nest = NULL;
	for (; n && n->name; n++) {
		if (!strcmp(n->name, name)) {
			*nest = n->nest;
			return n->type;
		}
	}
	v = strtol(name, &end, 0);
	if (!*name || *end || v < 0 || v > 0x7fff)
		die_usage("unknown attribute", name);
	return (int)v;
}

int main(int argc, char **argv)
{
	const struct names *stack_names[8] = { top_names };
	size_t stack_off[8];
	int depth = 0, i = 1, cmd = -1, ret;
	char err[MCOA_NL_ERRLEN];
	uint16_t flags = 0;
	struct mcoa_nl *nl;
	size_t c;

	if (i < argc && !strcmp(argv[i], "-d")) {
		flags = NLM_F_DUMP;
		i++;
	}
	if (i >= argc)
		die_usage("missing command", "");
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(cmds[c].name, argv[i]))
			cmd = cmds[c].cmd;
	if (cmd < 0) {
		char *end;

		cmd = (int)strtol(argv[i], &end, 0);
		if (*end || cmd < 0 || cmd > 255)
			die_usage("unknown command", argv[i]);
	}

	for (i++; i < argc; i++) {
		char *tok = argv[i], *kind, *name, *val;
		const struct names *nest;
		unsigned long long v;
		unsigned char bytes[512];
		size_t n = 0;
		int type;

		if (!strcmp(tok, "end")) {
			struct nlattr *a;

			if (!depth)
				die_usage("\"end\" without a nest", tok);
			depth--;
			a = (struct nlattr *)(buf + stack_off[depth]);
			a->nla_len = (unsigned short)(len - stack_off[depth]);
			continue;
		}
		kind = strtok(tok, ":");
		name = strtok(NULL, "=");
		val = strtok(NULL, "");
		if (!kind || !name)
			die_usage("expected KIND:NAME[=VALUE], got", argv[i]);
		type = lookup(stack_names[depth], name, &nest);
		if (!strcmp(kind, "nest")) {
			if (depth == 7)
				die_usage("nests too deep at", name);
			stack_off[depth] = len;
			put(type | NLA_F_NESTED, NULL, 0);
			stack_names[++depth] = nest;
			continue;
		}
		if (!val)
			die_usage("missing value for", name);
		if (!strcmp(kind, "addr")) {
			if (inet_pton(AF_INET6, val, bytes) != 1)
				die_usage("bad IPv6 address", val);
			put(type, bytes, 16);
		} else if (!strcmp(kind, "hex")) {
			for (n = 0; val[2 * n] && val[2 * n + 1] && n < sizeof(bytes); n++)
				if (sscanf(val + 2 * n, "%2hhx", &bytes[n]) != 1)
					die_usage("bad hex", val);
			put(type, bytes, n);
		} else if (!strcmp(kind, "str")) {
			put(type, val, strlen(val) + 1);
		} else if (!strcmp(kind, "dev")) {
			uint32_t idx = if_nametoindex(val);

			if (!idx)
				die_usage("no such device", val);
			put(type, &idx, 4);
		} else {
			char *end;

			errno = 0;
			v = strtoull(val, &end, 0);
			if (*end || errno)
				die_usage("bad number", val);
			if (!strcmp(kind, "u8")) {
				uint8_t x = (uint8_t)v;

				put(type, &x, 1);
			} else if (!strcmp(kind, "u16")) {
				uint16_t x = (uint16_t)v;

				put(type, &x, 2);
			} else if (!strcmp(kind, "u32")) {
				uint32_t x = (uint32_t)v;

				put(type, &x, 4);
			} else if (!strcmp(kind, "u64")) {
				uint64_t x = v;

				put(type, &x, 8);
			} else {
				die_usage("unknown kind", kind);
			}
		}
	}
	while (depth) {		/* close nests left open */
		struct nlattr *a = (struct nlattr *)(buf + stack_off[--depth]);

		a->nla_len = (unsigned short)(len - stack_off[depth]);
	}

	ret = mcoa_nl_open(&nl, err);
	if (ret) {
		printf("error %d %s\n", ret, err);
		return 1;
	}
	ret = mcoa_nl_raw_request(nl, (uint8_t)cmd, flags, buf, len, err);
	mcoa_nl_close(nl);
	if (ret) {
		printf("error %d %s\n", ret, err);
		return 1;
	}
	printf("ok\n");
	return 0;
}

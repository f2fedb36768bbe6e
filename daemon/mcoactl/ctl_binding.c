// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_binding.c - mcoactl binding add|set|del|flush|show.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* Keywords a binding subcommand accepts. */
enum {
	K_DEV	= 1u << 0,
	K_HOA	= 1u << 1,
	K_BID	= 1u << 2,
	K_COA	= 1u << 3,
	K_PEER	= 1u << 4,
	K_LINK	= 1u << 5,
	K_LIFE	= 1u << 6,
	K_PRIO	= 1u << 7,
	K_FLAGS	= 1u << 8,	/* home, legacy, flags N */
	K_VERIFY = 1u << 9,	/* signalling verified it (policy recent) */
	K_ALL	= 0x3ff,
};

struct bargs {
	unsigned int seen;	/* K_* given */
	const char *dev, *link;	/* looked up once every token has parsed */
	int ifindex;
	struct mcoa_binding b;
};

static int parse_bargs(const char *what, int argc, char **argv,
		       unsigned int allowed, unsigned int required,
		       struct bargs *a)
{
	unsigned long v;
	const char *val;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *k = argv[i];
		unsigned int key;

		if (!strcmp(k, "dev"))
			key = K_DEV;
		else if (!strcmp(k, "hoa"))
			key = K_HOA;
		else if (!strcmp(k, "bid"))
			key = K_BID;
		else if (!strcmp(k, "coa"))
			key = K_COA;
		else if (!strcmp(k, "peer"))
			key = K_PEER;
		else if (!strcmp(k, "link"))
			key = K_LINK;
		else if (!strcmp(k, "lifetime"))
			key = K_LIFE;
		else if (!strcmp(k, "prio"))
			key = K_PRIO;
		else if (!strcmp(k, "home") || !strcmp(k, "legacy") ||
			 !strcmp(k, "flags"))
			key = K_FLAGS;
		else if (!strcmp(k, "verify"))
			key = K_VERIFY;
		else
			key = 0;
		if (!(key & allowed))
			return ctl_usage(what, "unknown keyword \"%s\"", k);
		if ((a->seen & key) && key != K_FLAGS)
			return ctl_usage(what, "keyword \"%s\" given twice", k);
		a->seen |= key;

		if (key == K_VERIFY) {
			a->b.has |= MCOA_B_VERIFY;
			continue;
		}
		if (key == K_FLAGS) {
			a->b.has |= MCOA_B_FLAGS;
			if (!strcmp(k, "home")) {
				a->b.flags |= MCOA_BINDING_FLAGS_HOME;
			} else if (!strcmp(k, "legacy")) {
				a->b.flags |= MCOA_BINDING_FLAGS_LEGACY;
			} else {
				ret = ctl_next(what, argc, argv, &i, &val);
				if (!ret)
					ret = ctl_parse_uint(what, k, val, 0,
							     UINT32_MAX, &v);
				if (ret)
					return ret;
				a->b.flags |= (uint32_t)v;
			}
			continue;
		}
		ret = ctl_next(what, argc, argv, &i, &val);
		if (ret)
			return ret;
		switch (key) {
		case K_DEV:
			a->dev = val;
			break;
		case K_HOA:
			ret = ctl_parse_addr(what, k, val, &a->b.hoa);
			break;
		case K_BID:
			ret = ctl_parse_uint(what, k, val, 1, MCOA_BID_MAX, &v);
			a->b.bid = (uint16_t)v;
			break;
		case K_COA:
			ret = ctl_parse_addr(what, k, val, &a->b.coa);
			a->b.has |= MCOA_B_COA;
			break;
		case K_PEER:
			ret = ctl_parse_addr(what, k, val, &a->b.peer);
			a->b.has |= MCOA_B_PEER;
			break;
		case K_LINK:
			a->link = val;
			a->b.has |= MCOA_B_LINK;
			break;
		case K_LIFE:
			ret = ctl_parse_uint(what, k, val, 0, UINT32_MAX, &v);
			a->b.lifetime = (uint32_t)v;
			a->b.has |= MCOA_B_LIFETIME;
			break;
		case K_PRIO:
			ret = ctl_parse_uint(what, k, val, 0, MCOA_PRIO_MAX, &v);
			a->b.prio = (uint8_t)v;
			a->b.has |= MCOA_B_PRIO;
			break;
		}
		if (ret)
			return ret;
	}
	if (required & ~a->seen & K_DEV)
		return ctl_usage(what, "missing \"dev DEV\"");
	if (required & ~a->seen & K_HOA)
		return ctl_usage(what, "missing \"hoa HOA\"");
	if (required & ~a->seen & K_BID)
		return ctl_usage(what, "missing \"bid BID\"");
	/* a home binding's CoA is its HoA: the kernel fills it in */
	if ((required & ~a->seen & K_COA) &&
	    !(a->b.flags & MCOA_BINDING_FLAGS_HOME))
		return ctl_usage(what, "missing \"coa COA\" (or \"home\")");
	/* a bad address is a usage error whether the device exists or not */
	ret = a->dev ? ctl_parse_dev(what, a->dev, &a->ifindex) : 0;
	if (!ret && a->link)
		ret = ctl_parse_link(what, a->link, &a->b.link);
	return ret;
}

/* ---- printing ---------------------------------------------------------- */

static void print_ms(const char *key, uint64_t ms)
{
	printf(" %s %" PRIu64 ".%03" PRIu64 "s", key, ms / 1000, ms % 1000);
}

static void print_flags(uint32_t flags)
{
	const char *sep = "";

	if (!flags)
		return;
	printf(" flags ");
	if (flags & MCOA_BINDING_FLAGS_HOME) {
		printf("home");
		sep = ",";
	}
	if (flags & MCOA_BINDING_FLAGS_LEGACY) {
		printf("%slegacy", sep);
		sep = ",";
	}
	flags &= ~(MCOA_BINDING_FLAGS_HOME | MCOA_BINDING_FLAGS_LEGACY);
	if (flags)
		printf("%s0x%x", sep, flags);
}

void ctl_print_binding(const struct mcoa_binding *b)
{
	char a[INET6_ADDRSTRLEN], name[IF_NAMESIZE];
	const struct mcoa_stats *s = &b->stats;

	printf("dev %s hoa %s bid %u", ctl_ifname(b->ifindex, name),
	       inet_ntop(AF_INET6, &b->hoa, a, sizeof(a)), b->bid);
	if (b->has & MCOA_B_COA)
		printf(" coa %s", inet_ntop(AF_INET6, &b->coa, a, sizeof(a)));
	if (b->has & MCOA_B_PEER)
		printf(" peer %s", inet_ntop(AF_INET6, &b->peer, a, sizeof(a)));
	if ((b->has & MCOA_B_LINK) && b->link)
		printf(" link %s", ctl_ifname((int)b->link, name));
	if ((b->has & MCOA_B_PRIO) && b->prio)
		printf(" prio %u", b->prio);
	/* lifetime 0 reads as a de-registration in MIPv6: say what it is */
	if ((b->has & MCOA_B_LIFETIME) && !b->lifetime)
		printf(" forever");
	else if (b->has & MCOA_B_LIFETIME)
		printf(" lifetime %u", b->lifetime);
	if (b->has & MCOA_B_EXPIRES)
		print_ms("expires", b->expires_ms);
	if (b->has & MCOA_B_VERIFIED)
		print_ms("verified", b->verified_ms);
	if (b->has & MCOA_B_FLAGS)
		print_flags(b->flags);
	if (b->has & MCOA_B_NO_CARRIER)
		printf(" no-carrier");
	if (b->has & MCOA_B_DEL_REASON)
		printf(" reason %s", mcoa_del_reason_name(b->del_reason));
	if ((b->has & MCOA_B_STATS) && s->has)
		printf("\n    tx %" PRIu64 " pkts %" PRIu64 " bytes %" PRIu64
		       " dropped  rx %" PRIu64 " pkts %" PRIu64 " bytes %"
		       PRIu64 " dropped",
		       s->tx_packets, s->tx_bytes, s->tx_dropped,
		       s->rx_packets, s->rx_bytes, s->rx_dropped);
	putchar('\n');
}

static void json_stats(struct jw *w, const char *key,
		       const struct mcoa_stats *s, bool present)
{
	static const struct {
		const char *name;
		int attr;
		size_t off;
	} f[] = {
#define S(n, a) { #n, a, offsetof(struct mcoa_stats, n) }
		S(tx_packets, MCOA_A_STATS_TX_PACKETS),
		S(tx_bytes, MCOA_A_STATS_TX_BYTES),
		S(tx_dropped, MCOA_A_STATS_TX_DROPPED),
		S(rx_packets, MCOA_A_STATS_RX_PACKETS),
		S(rx_bytes, MCOA_A_STATS_RX_BYTES),
		S(rx_dropped, MCOA_A_STATS_RX_DROPPED),
		S(rx_spoofed, MCOA_A_STATS_RX_SPOOFED),
		S(tx_no_binding, MCOA_A_STATS_TX_NO_BINDING),
		S(tx_too_big, MCOA_A_STATS_TX_TOO_BIG),
		S(err_ignored, MCOA_A_STATS_ERR_IGNORED),
		S(rx_ecn_dropped, MCOA_A_STATS_RX_ECN_DROPPED),
		S(hoas, MCOA_A_STATS_HOAS),
		S(prefixes, MCOA_A_STATS_PREFIXES),
		S(gc_last_us, MCOA_A_STATS_GC_LAST_US),
		S(gc_max_us, MCOA_A_STATS_GC_MAX_US),
#undef S
	};
	size_t i;

	if (!present) {
		jw_null(w, key);
		return;
	}
	jw_obj_open(w, key);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (s->has & MCOA_STATS_HAS(f[i].attr))
			jw_uint(w, f[i].name,
				*(const uint64_t *)((const char *)s + f[i].off));
		else
			jw_null(w, f[i].name);
	}
	jw_obj_close(w);
}

void ctl_json_stats(struct jw *w, const char *key,
		    const struct mcoa_stats *s, bool present)
{
	json_stats(w, key, s, present);
}

/* Every key is always present (null when the kernel did not say). */
void ctl_json_binding(struct jw *w, const char *key,
		      const struct mcoa_binding *b)
{
	char name[IF_NAMESIZE];

	jw_obj_open(w, key);
	jw_str(w, "dev", ctl_ifname(b->ifindex, name));
	jw_uint(w, "ifindex", (uint64_t)b->ifindex);
	jw_addr(w, "hoa", &b->hoa);
	jw_uint(w, "bid", b->bid);
	jw_addr(w, "coa", b->has & MCOA_B_COA ? &b->coa : NULL);
	jw_addr(w, "peer", b->has & MCOA_B_PEER ? &b->peer : NULL);
	if (b->has & MCOA_B_LINK) {
		jw_uint(w, "link", b->link);
		jw_str(w, "link_dev", b->link ?
		       ctl_ifname((int)b->link, name) : NULL);
	} else {
		jw_null(w, "link");
		jw_null(w, "link_dev");
	}
#define OPT(bit, k, v) do { if (b->has & (bit)) jw_uint(w, k, v); \
			    else jw_null(w, k); } while (0)
	OPT(MCOA_B_PRIO, "prio", b->prio);
	OPT(MCOA_B_LIFETIME, "lifetime", b->lifetime);
	OPT(MCOA_B_EXPIRES, "expires_ms", b->expires_ms);
	OPT(MCOA_B_VERIFIED, "verified_ms", b->verified_ms);
	OPT(MCOA_B_FLAGS, "flags", b->flags);
#undef OPT
	/* "lifetime": 0 is the kernel's "never expires", not a de-registration */
	if (b->has & MCOA_B_LIFETIME)
		jw_bool(w, "permanent", !b->lifetime);
	else
		jw_null(w, "permanent");
	jw_bool(w, "home", b->flags & MCOA_BINDING_FLAGS_HOME);
	jw_bool(w, "no_carrier", b->has & MCOA_B_NO_CARRIER);
	jw_bool(w, "legacy", b->flags & MCOA_BINDING_FLAGS_LEGACY);
	json_stats(w, "stats", &b->stats, b->has & MCOA_B_STATS);
	jw_obj_close(w);
}

/* ---- commands ---------------------------------------------------------- */

static int binding_write(const char *what, uint8_t cmd, int argc,
			 char **argv)
{
	unsigned int allowed = K_ALL, required = K_DEV | K_HOA | K_BID;
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct bargs a;
	int ret;

	if (cmd == MCOA_CMD_BINDING_NEW)
		required |= K_COA;
	if (cmd == MCOA_CMD_BINDING_DEL)
		allowed = K_DEV | K_HOA | K_BID;
	ret = parse_bargs(what, argc, argv, allowed, required, &a);
	if (ret)
		return ret;
	nl = ctl_nl();
	if (!nl)
		return CTL_ERR;
	if (ctl.batch) {
		/* acks come back later; a failure is reported by line */
		ret = mcoa_nl_pipe_binding(nl, cmd, a.ifindex, &a.b, ctl.line,
					   ctl_pipe_ack, NULL, err);
		if (ret < 0)
			return ctl_fail(what, ret, err);
		return CTL_OK;
	}
	switch (cmd) {
	case MCOA_CMD_BINDING_NEW:
		ret = mcoa_nl_binding_new(nl, a.ifindex, &a.b, err);
		break;
	case MCOA_CMD_BINDING_SET:
		ret = mcoa_nl_binding_set(nl, a.ifindex, &a.b, err);
		break;
	default:
		ret = mcoa_nl_binding_del(nl, a.ifindex, &a.b.hoa, a.b.bid,
					  err);
		break;
	}
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

static int binding_flush(int argc, char **argv)
{
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct bargs a;
	int ret;

	ret = parse_bargs("binding flush", argc, argv, K_DEV | K_HOA, K_DEV,
			  &a);
	if (ret)
		return ret;
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = mcoa_nl_binding_flush(nl, a.ifindex,
				    a.seen & K_HOA ? &a.b.hoa : NULL, err);
	return ret ? ctl_fail("binding flush", ret, err) : CTL_OK;
}

static int collect_binding(const struct mcoa_binding *b, void *arg)
{
	return ctl_vec_push(arg, b);
}

/* Device, HoA, then BID: a HoA's bindings together, in BID order. */
static int cmp_binding(const void *pa, const void *pb)
{
	const struct mcoa_binding *a = pa, *b = pb;
	int c = ctl_cmp_dev_hoa(a->ifindex, &a->hoa, b->ifindex, &b->hoa);

	if (c)
		return c;
	return (a->bid > b->bid) - (a->bid < b->bid);
}

static void print_bindings(struct ctl_vec *v)
{
	struct jw w;
	size_t i;

	ctl_vec_sort(v, cmp_binding);
	ctl_list_begin(&w);
	for (i = 0; i < v->n; i++) {
		if (ctl.json)
			ctl_json_binding(&w, NULL, ctl_vec_at(v, i));
		else
			ctl_print_binding(ctl_vec_at(v, i));
	}
	ctl_list_end(&w);
}

/* Every binding asked for, into v; nothing is printed here. */
static int binding_collect(struct mcoa_nl *nl, const struct bargs *a,
			   struct ctl_vec *v, char *err)
{
	struct ctl_devs devs;
	unsigned int i;
	int ret;

	if (a->seen & K_BID) {
		struct mcoa_binding b;

		ret = mcoa_nl_binding_get(nl, a->ifindex, &a->b.hoa, a->b.bid,
					  &b, err);
		return ret ? ret : ctl_vec_push(v, &b);
	}
	ret = ctl_devs_get(nl, a->seen & K_DEV ? a->ifindex : 0, &devs, err);
	for (i = 0; !ret && i < devs.n; i++)
		ret = mcoa_nl_binding_dump(nl, devs.ifindex[i],
					   a->seen & K_HOA ? &a->b.hoa : NULL,
					   collect_binding, v, err);
	ctl_devs_free(&devs);
	return ret;
}

static int binding_show(int argc, char **argv)
{
	const char *what = "binding show";
	char err[MCOA_NL_ERRLEN] = "";
	struct mcoa_nl *nl;
	struct ctl_vec v;
	struct bargs a;
	int ret;

	ret = parse_bargs(what, argc, argv, K_DEV | K_HOA | K_BID, 0, &a);
	if (ret)
		return ret;
	if ((a.seen & K_BID) && (a.seen & (K_DEV | K_HOA)) != (K_DEV | K_HOA))
		return ctl_usage(what, "\"bid\" needs \"dev\" and \"hoa\"");
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ctl_vec_init(&v, sizeof(struct mcoa_binding));
	ret = binding_collect(nl, &a, &v, err);
	if (!ret)
		print_bindings(&v);
	ctl_vec_free(&v);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

int ctl_cmd_binding(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";
	int n = argc > 1 ? argc - 2 : 0;
	char **rest = argv + 2;

	if (!strcmp(sub, "add"))
		return binding_write("binding add", MCOA_CMD_BINDING_NEW, n, rest);
	if (!strcmp(sub, "set") || !strcmp(sub, "change"))
		return binding_write("binding set", MCOA_CMD_BINDING_SET, n, rest);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return binding_write("binding del", MCOA_CMD_BINDING_DEL, n, rest);
	if (!strcmp(sub, "flush"))
		return binding_flush(n, rest);
	if (!strcmp(sub, "show") || !strcmp(sub, "list") || !strcmp(sub, "get"))
		return binding_show(n, rest);
	if (!strcmp(sub, "help")) {
		ctl_help(stdout, "binding");
		return CTL_OK;
	}
	return ctl_usage("binding", "unknown subcommand \"%s\"", sub);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_flow.c - mcoactl flow add|del|show: flow rules (traffic selector ->
 * ordered BID list, RFC 6089).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static int parse_bids(const char *what, const char *tok, struct mcoa_flow *f)
{
	const char *p = tok;

	f->n_bids = 0;
	for (;;) {
		unsigned long v;
		char *end;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (end == p || errno || *p == '-' || v < 1 || v > MCOA_BID_MAX ||
		    (*end && *end != ','))
			goto bad;
		if (f->n_bids == MCOA_FLOW_BIDS_MAX)
			return ctl_usage(what, "too many bids in \"%s\" (at most %d)",
					 tok, MCOA_FLOW_BIDS_MAX);
		f->bids[f->n_bids++] = (uint16_t)v;
		if (!*end)
			break;
		p = end + 1;
	}
	f->has |= MCOA_F_BIDS;
	return 0;
bad:
	return ctl_usage(what, "invalid bids \"%s\" (expected BID[,BID...], 1..%d)",
			 tok, MCOA_BID_MAX);
}

static int parse_tclass(const char *what, const char *tok, struct mcoa_flow *f)
{
	unsigned long t, m = 0xff;
	char *end;

	errno = 0;
	t = strtoul(tok, &end, 0);
	if (end == tok || errno || t > 255 || *tok == '-')
		goto bad;
	if (*end == '/') {
		const char *s = end + 1;

		m = strtoul(s, &end, 0);
		if (end == s || errno || m > 255 || *s == '-')
			goto bad;
	}
	if (*end)
		goto bad;
	f->tclass = (uint8_t)t;
	f->tclass_mask = (uint8_t)m;
	f->has |= MCOA_F_TCLASS;
	return 0;
bad:
	return ctl_usage(what, "invalid tclass \"%s\" (expected T[/MASK], 0..255)",
			 tok);
}

struct fargs {
	bool dev, hoa, fid;
	int ifindex;
	struct mcoa_flow f;
};

/* show/del accept only dev, hoa (and fid for del). */
static int parse_fargs(const char *what, int argc, char **argv, bool full,
		       bool want_fid, struct fargs *a)
{
	struct mcoa_flow *f = &a->f;
	struct ctl_seen seen = { 0 };
	const char *val, *dev = NULL;
	unsigned long v;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (strcmp(k, "dev") && strcmp(k, "hoa") &&
		    !(want_fid && !strcmp(k, "fid")) &&
		    !(full && (!strcmp(k, "pri") || !strcmp(k, "src") ||
			       !strcmp(k, "dst") || !strcmp(k, "proto") ||
			       !strcmp(k, "sport") || !strcmp(k, "dport") ||
			       !strcmp(k, "tclass") || !strcmp(k, "bids"))))
			return ctl_usage(what, "unknown keyword \"%s\"", k);
		ret = ctl_once(what, &seen, k);
		if (!ret)
			ret = ctl_next(what, argc, argv, &i, &val);
		if (ret)
			return ret;
		if (!strcmp(k, "dev")) {
			dev = val;
			a->dev = true;
		} else if (!strcmp(k, "hoa")) {
			ret = ctl_parse_addr(what, k, val, &f->hoa);
			a->hoa = true;
		} else if (!strcmp(k, "fid")) {
			ret = ctl_parse_uint(what, k, val, 1, 65535, &v);
			f->fid = (uint16_t)v;
			a->fid = true;
		} else if (!strcmp(k, "pri")) {
			ret = ctl_parse_uint(what, k, val, 0, 65535, &v);
			f->pri = (uint16_t)v;
			f->has |= MCOA_F_PRI;
		} else if (!strcmp(k, "src")) {
			ret = ctl_parse_prefix(what, k, val, &f->src,
					       &f->src_plen);
			f->has |= MCOA_F_SRC;
		} else if (!strcmp(k, "dst")) {
			ret = ctl_parse_prefix(what, k, val, &f->dst,
					       &f->dst_plen);
			f->has |= MCOA_F_DST;
		} else if (!strcmp(k, "proto")) {
			ret = ctl_parse_proto(what, val, &f->proto);
			f->has |= MCOA_F_PROTO;
		} else if (!strcmp(k, "sport")) {
			ret = ctl_parse_range(what, k, val, &f->sport_min,
					      &f->sport_max);
			f->has |= MCOA_F_SPORT;
		} else if (!strcmp(k, "dport")) {
			ret = ctl_parse_range(what, k, val, &f->dport_min,
					      &f->dport_max);
			f->has |= MCOA_F_DPORT;
		} else if (!strcmp(k, "tclass")) {
			ret = parse_tclass(what, val, f);
		} else {
			ret = parse_bids(what, val, f);
		}
		if (ret)
			return ret;
	}
	/* every token checked first: a bad one is a usage error anyway */
	return dev ? ctl_parse_dev(what, dev, &a->ifindex) : 0;
}

static int flow_add(int argc, char **argv)
{
	const char *what = "flow add";
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct fargs a;
	int ret;

	ret = parse_fargs(what, argc, argv, true, true, &a);
	if (ret)
		return ret;
	if (!a.dev)
		return ctl_usage(what, "missing \"dev DEV\"");
	if (!a.hoa)
		return ctl_usage(what, "missing \"hoa HOA\"");
	if (!a.fid)
		return ctl_usage(what, "missing \"fid FID\"");
	if (!(a.f.has & MCOA_F_BIDS))
		return ctl_usage(what, "missing \"bids BID[,BID...]\"");
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = mcoa_nl_flow_new(nl, a.ifindex, &a.f, err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

static int flow_del(int argc, char **argv)
{
	const char *what = "flow del";
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct fargs a;
	int ret;

	ret = parse_fargs(what, argc, argv, false, true, &a);
	if (ret)
		return ret;
	if (!a.dev)
		return ctl_usage(what, "missing \"dev DEV\"");
	if (!a.hoa)
		return ctl_usage(what, "missing \"hoa HOA\"");
	if (!a.fid)
		return ctl_usage(what, "missing \"fid FID\"");
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = mcoa_nl_flow_del(nl, a.ifindex, &a.f.hoa, a.f.fid, err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

static void print_flow(const struct mcoa_flow *f)
{
	char a[INET6_ADDRSTRLEN], name[IF_NAMESIZE];
	unsigned int i;

	printf("dev %s hoa %s fid %u", ctl_ifname(f->ifindex, name),
	       inet_ntop(AF_INET6, &f->hoa, a, sizeof(a)), f->fid);
	if (f->has & MCOA_F_PRI)
		printf(" pri %u", f->pri);
	if (f->has & MCOA_F_SRC)
		printf(" src %s/%u", inet_ntop(AF_INET6, &f->src, a, sizeof(a)),
		       f->src_plen);
	if (f->has & MCOA_F_DST)
		printf(" dst %s/%u", inet_ntop(AF_INET6, &f->dst, a, sizeof(a)),
		       f->dst_plen);
	if (f->has & MCOA_F_PROTO) {
		const char *p = ctl_proto_name(f->proto);

		if (p)
			printf(" proto %s", p);
		else
			printf(" proto %u", f->proto);
	}
	if (f->has & MCOA_F_SPORT)
		printf(" sport %u-%u", f->sport_min, f->sport_max);
	if (f->has & MCOA_F_DPORT)
		printf(" dport %u-%u", f->dport_min, f->dport_max);
	if (f->has & MCOA_F_TCLASS)
		printf(" tclass 0x%02x/0x%02x", f->tclass, f->tclass_mask);
	printf(" bids ");
	for (i = 0; i < f->n_bids; i++)
		printf("%s%u", i ? "," : "", f->bids[i]);
	if (f->has & MCOA_F_PACKETS)
		printf(" packets %" PRIu64, f->packets);
	putchar('\n');
}

static void json_flow(struct jw *w, const struct mcoa_flow *f)
{
	char name[IF_NAMESIZE];
	unsigned int i;

	jw_obj_open(w, NULL);
	jw_str(w, "dev", ctl_ifname(f->ifindex, name));
	jw_uint(w, "ifindex", (uint64_t)f->ifindex);
	jw_addr(w, "hoa", &f->hoa);
	jw_uint(w, "fid", f->fid);
#define OPT(bit, k, v) do { if (f->has & (bit)) jw_uint(w, k, v); \
			    else jw_null(w, k); } while (0)
	OPT(MCOA_F_PRI, "pri", f->pri);
	jw_addr(w, "src", f->has & MCOA_F_SRC ? &f->src : NULL);
	OPT(MCOA_F_SRC, "src_plen", f->src_plen);
	jw_addr(w, "dst", f->has & MCOA_F_DST ? &f->dst : NULL);
	OPT(MCOA_F_DST, "dst_plen", f->dst_plen);
	OPT(MCOA_F_PROTO, "proto", f->proto);
	OPT(MCOA_F_SPORT, "sport_min", f->sport_min);
	OPT(MCOA_F_SPORT, "sport_max", f->sport_max);
	OPT(MCOA_F_DPORT, "dport_min", f->dport_min);
	OPT(MCOA_F_DPORT, "dport_max", f->dport_max);
	OPT(MCOA_F_TCLASS, "tclass", f->tclass);
	OPT(MCOA_F_TCLASS, "tclass_mask", f->tclass_mask);
	OPT(MCOA_F_PACKETS, "packets", f->packets);
#undef OPT
	jw_arr_open(w, "bids");
	for (i = 0; i < f->n_bids; i++)
		jw_uint(w, NULL, f->bids[i]);
	jw_arr_close(w);
	jw_obj_close(w);
}

/* A flow rule and where the kernel listed it among its HoA's rules. */
struct flow_item {
	struct mcoa_flow f;
	size_t seq;
};

static int collect_flow(const struct mcoa_flow *f, void *arg)
{
	struct ctl_vec *v = arg;
	struct flow_item it = { .f = *f, .seq = v->n };

	return ctl_vec_push(v, &it);
}

/*
 * Device, HoA, then the kernel's order: a HoA's rules come in the order
 * they are matched (priority, then age), which sorting by FID would hide.
 */
static int cmp_flow(const void *pa, const void *pb)
{
	const struct flow_item *a = pa, *b = pb;
	int c = ctl_cmp_dev_hoa(a->f.ifindex, &a->f.hoa, b->f.ifindex,
				&b->f.hoa);

	if (c)
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static void print_flows(struct ctl_vec *v)
{
	struct flow_item *it;
	struct jw w;
	size_t i;

	ctl_vec_sort(v, cmp_flow);
	ctl_list_begin(&w);
	for (i = 0; i < v->n; i++) {
		it = ctl_vec_at(v, i);
		if (ctl.json)
			json_flow(&w, &it->f);
		else
			print_flow(&it->f);
	}
	ctl_list_end(&w);
}

static int flow_show(int argc, char **argv)
{
	const char *what = "flow show";
	char err[MCOA_NL_ERRLEN] = "";
	struct ctl_devs devs;
	struct mcoa_nl *nl;
	struct ctl_vec v;
	struct fargs a;
	unsigned int i;
	int ret;

	ret = parse_fargs(what, argc, argv, false, false, &a);
	if (ret)
		return ret;
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ctl_vec_init(&v, sizeof(struct flow_item));
	ret = ctl_devs_get(nl, a.dev ? a.ifindex : 0, &devs, err);
	for (i = 0; !ret && i < devs.n; i++)
		ret = mcoa_nl_flow_dump(nl, devs.ifindex[i],
					a.hoa ? &a.f.hoa : NULL, collect_flow,
					&v, err);
	ctl_devs_free(&devs);
	if (!ret)
		print_flows(&v);
	ctl_vec_free(&v);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

int ctl_cmd_flow(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";
	int n = argc > 1 ? argc - 2 : 0;
	char **rest = argv + 2;

	if (!strcmp(sub, "add"))
		return flow_add(n, rest);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return flow_del(n, rest);
	if (!strcmp(sub, "show") || !strcmp(sub, "list"))
		return flow_show(n, rest);
	if (!strcmp(sub, "help")) {
		ctl_help(stdout, "flow");
		return CTL_OK;
	}
	return ctl_usage("flow", "unknown subcommand \"%s\"", sub);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_dev.c - mcoactl link, policy, hoa, stats and monitor: everything
 * that is about a device or a HoA rather than one binding or flow.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

/* ---- device list for show commands ------------------------------------ */

static int devs_add(const struct mcoa_dev_info *d, void *arg)
{
	struct ctl_devs *devs = arg;
	int *n = realloc(devs->ifindex, (devs->n + 1) * sizeof(int));

	if (!n)
		return -ENOMEM;
	devs->ifindex = n;
	devs->ifindex[devs->n++] = d->ifindex;
	return 0;
}

int ctl_devs_get(struct mcoa_nl *nl, int ifindex, struct ctl_devs *d,
		 char *err)
{
	d->n = 0;
	d->ifindex = NULL;
	if (ifindex > 0) {
		struct mcoa_dev_info one = { .ifindex = ifindex };

		return devs_add(&one, d);
	}
	return mcoa_nl_dev_dump(nl, devs_add, d, err);
}

void ctl_devs_free(struct ctl_devs *d)
{
	free(d->ifindex);
	d->ifindex = NULL;
	d->n = 0;
}

/* ---- link -------------------------------------------------------------- */

static int link_add(int argc, char **argv)
{
	const char *what = "link add";
	char err[MCOA_NL_ERRLEN] = "";
	uint32_t mode = MCOA_MODE_HA;
	struct ctl_seen seen = { 0 };
	const char *name;
	int i, ret;

	if (argc < 1)
		return ctl_usage(what, "missing device name");
	name = argv[0];
	if (strlen(name) >= IF_NAMESIZE || !*name)
		return ctl_usage(what, "invalid device name \"%s\"", name);
	for (i = 1; i < argc; i++) {
		const char *val;

		if (strcmp(argv[i], "mode"))
			return ctl_usage(what, "unknown keyword \"%s\"", argv[i]);
		ret = ctl_once(what, &seen, argv[i]);
		if (!ret)
			ret = ctl_next(what, argc, argv, &i, &val);
		if (!ret)
			ret = ctl_parse_mode(what, val, &mode);
		if (ret)
			return ret;
	}
	ret = ctl_sync();
	if (ret)
		return ret;
	ret = mcoa_link_add(name, mode, err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

static int link_del(int argc, char **argv)
{
	const char *what = "link del";
	char err[MCOA_NL_ERRLEN] = "";
	int ret;

	if (argc < 1)
		return ctl_usage(what, "missing device name");
	if (argc > 1)
		return ctl_usage(what, "unexpected argument \"%s\"", argv[1]);
	ret = ctl_sync();
	if (ret)
		return ret;
	/* refuses (exit 1) any device that is not of kind mcoa */
	ret = mcoa_link_del(argv[0], err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

/* An mcoa device as genl (mode, counts) and rtnetlink (state) see it. */
struct link_item {
	struct mcoa_dev_info d;
	struct mcoa_link l;
};

static const char *const oper_names[] = {
	"unknown", "notpresent", "down", "lowerlayerdown", "testing",
	"dormant", "up",
};

static const char *oper_name(uint8_t state)
{
	return state < sizeof(oper_names) / sizeof(oper_names[0]) ?
	       oper_names[state] : "unknown";
}

static void print_link(struct jw *w, const struct link_item *it)
{
	const struct mcoa_dev_info *d = &it->d;
	const struct mcoa_stats *s = &d->stats;
	bool has_hoas = s->has & MCOA_STATS_HAS(MCOA_A_STATS_HOAS);
	bool up = it->l.flags & IFF_UP;

	if (ctl.json) {
		jw_obj_open(w, NULL);
		jw_str(w, "dev", d->ifname);
		jw_uint(w, "ifindex", (uint64_t)d->ifindex);
		jw_str(w, "mode", d->has & MCOA_D_MODE ?
		       mcoa_mode_name(d->mode) : NULL);
		jw_bool(w, "up", up);
		jw_str(w, "state", oper_name(it->l.operstate));
		jw_uint(w, "mtu", it->l.mtu);
		if (d->has & MCOA_D_BINDINGS)
			jw_uint(w, "bindings", d->bindings);
		else
			jw_null(w, "bindings");
		if (has_hoas)
			jw_uint(w, "hoas", s->hoas);
		else
			jw_null(w, "hoas");
		jw_obj_close(w);
		return;
	}
	printf("%s: mode %s %s state %s mtu %u", d->ifname,
	       d->has & MCOA_D_MODE ? mcoa_mode_name(d->mode) : "?",
	       up ? "up" : "down", oper_name(it->l.operstate), it->l.mtu);
	if (d->has & MCOA_D_BINDINGS)
		printf(" bindings %u", d->bindings);
	if (has_hoas)
		printf(" hoas %" PRIu64, s->hoas);
	putchar('\n');
}

static int collect_dev(const struct mcoa_dev_info *d, void *arg)
{
	struct link_item it = { .d = *d };

	return ctl_vec_push(arg, &it);
}

static int cmp_dev(const void *pa, const void *pb)
{
	const struct link_item *a = pa, *b = pb;

	return (a->d.ifindex > b->d.ifindex) - (a->d.ifindex < b->d.ifindex);
}

/* The mcoa devices asked for (one, or all), sorted, into v. */
static int devs_collect(struct mcoa_nl *nl, int ifindex, struct ctl_vec *v,
			char *err)
{
	struct link_item it;
	int ret;

	if (!ifindex) {
		ret = mcoa_nl_dev_dump(nl, collect_dev, v, err);
	} else {
		memset(&it, 0, sizeof(it));
		ret = mcoa_nl_dev_get(nl, ifindex, &it.d, err);
		if (!ret)
			ret = ctl_vec_push(v, &it);
	}
	if (!ret)
		ctl_vec_sort(v, cmp_dev);
	return ret;
}

/* rtnetlink's view of each device; one gone since the dump is dropped. */
static int links_fill(struct ctl_vec *v, bool one, char *err)
{
	size_t i, kept = 0;
	int ret;

	for (i = 0; i < v->n; i++) {
		struct link_item *it = ctl_vec_at(v, i);

		ret = mcoa_link_get(it->d.ifname, &it->l, err);
		if (ret == -ENODEV && !one)
			continue;
		if (ret)
			return ret;
		if (kept != i)
			memcpy(ctl_vec_at(v, kept), it, sizeof(*it));
		kept++;
	}
	v->n = kept;
	return 0;
}

static int link_show(int argc, char **argv)
{
	const char *what = "link show";
	char err[MCOA_NL_ERRLEN] = "";
	const char *dev = NULL;
	struct mcoa_nl *nl;
	struct ctl_vec v;
	int i, ifindex = 0, ret;
	struct jw w;
	size_t k;

	/* "link show dev mip0" or, as in ip(8), "link show mip0" */
	for (i = 0; i < argc; i++) {
		if (dev)
			return ctl_usage(what, "unexpected argument \"%s\"",
					 argv[i]);
		if (!strcmp(argv[i], "dev")) {
			ret = ctl_next(what, argc, argv, &i, &dev);
			if (ret)
				return ret;
		} else {
			dev = argv[i];
		}
	}
	if (dev) {
		ret = ctl_parse_dev(what, dev, &ifindex);
		if (ret)
			return ret;
	}
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ctl_vec_init(&v, sizeof(struct link_item));
	ret = devs_collect(nl, ifindex, &v, err);
	if (!ret)
		ret = links_fill(&v, ifindex != 0, err);
	if (!ret) {
		ctl_list_begin(&w);
		for (k = 0; k < v.n; k++)
			print_link(&w, ctl_vec_at(&v, k));
		ctl_list_end(&w);
	}
	ctl_vec_free(&v);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

int ctl_cmd_link(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";
	int n = argc > 1 ? argc - 2 : 0;
	char **rest = argv + 2;

	if (!strcmp(sub, "add"))
		return link_add(n, rest);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return link_del(n, rest);
	if (!strcmp(sub, "show") || !strcmp(sub, "list"))
		return link_show(n, rest);
	if (!strcmp(sub, "help")) {
		ctl_help(stdout, "link");
		return CTL_OK;
	}
	return ctl_usage("link", "unknown subcommand \"%s\"", sub);
}

/* ---- policy / hoa ------------------------------------------------------ */

static int hoa_args(const char *what, int argc, char **argv, bool set,
		    int *ifindex, bool *have_hoa, struct mcoa_hoa *h)
{
	unsigned long v;
	struct ctl_seen seen = { 0 };
	const char *val, *dev = NULL;
	int i, ret;

	memset(h, 0, sizeof(*h));
	*have_hoa = false;
	*ifindex = 0;
	for (i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (set && (!strcmp(k, "hash") || !strcmp(k, "recent"))) {
			if (h->has & MCOA_H_POLICY)
				return ctl_usage(what, "policy given twice (\"%s\")", k);
			h->policy = !strcmp(k, "hash") ? MCOA_POLICY_HASH :
				    MCOA_POLICY_RECENT;
			h->has |= MCOA_H_POLICY;
			continue;
		}
		if (strcmp(k, "dev") && strcmp(k, "hoa") &&
		    !(set && (!strcmp(k, "seq") || !strcmp(k, "policy"))))
			return ctl_usage(what, "unknown keyword \"%s\"", k);
		ret = ctl_once(what, &seen, k);
		if (!ret)
			ret = ctl_next(what, argc, argv, &i, &val);
		if (ret)
			return ret;
		if (!strcmp(k, "dev")) {
			dev = val;
		} else if (!strcmp(k, "hoa")) {
			ret = ctl_parse_addr(what, k, val, &h->addr);
			*have_hoa = true;
		} else if (!strcmp(k, "seq")) {
			ret = ctl_parse_uint(what, k, val, 0, 65535, &v);
			h->seq = (uint16_t)v;
			h->has |= MCOA_H_SEQ;
		} else if (h->has & MCOA_H_POLICY) {	/* "hash policy recent" */
			ret = ctl_usage(what, "policy given twice (\"%s\")", val);
		} else {	/* policy hash|recent */
			if (!strcmp(val, "hash"))
				h->policy = MCOA_POLICY_HASH;
			else if (!strcmp(val, "recent"))
				h->policy = MCOA_POLICY_RECENT;
			else
				ret = ctl_usage(what, "invalid policy \"%s\" (expected hash or recent)",
						val);
			h->has |= MCOA_H_POLICY;
		}
		if (ret)
			return ret;
	}
	if (set && !dev)
		return ctl_usage(what, "missing \"dev DEV\"");
	if (set && !*have_hoa)
		return ctl_usage(what, "missing \"hoa HOA\"");
	if (set && !h->has)
		return ctl_usage(what, "nothing to set (hash, recent or seq N)");
	/* after every token: a bad address is a usage error either way */
	return dev ? ctl_parse_dev(what, dev, ifindex) : 0;
}

int ctl_cmd_policy(int argc, char **argv)
{
	const char *what = "policy set";
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct mcoa_hoa h;
	bool have_hoa;
	int ifindex, ret;

	if (argc < 2 || strcmp(argv[1], "set")) {
		if (argc > 1 && !strcmp(argv[1], "help")) {
			ctl_help(stdout, "policy");
			return CTL_OK;
		}
		if (argc > 1 && !strcmp(argv[1], "show"))
			return ctl_cmd_hoa(argc, argv);
		return ctl_usage("policy", argc > 1 ? "unknown subcommand \"%s\"" :
				 "missing subcommand%s", argc > 1 ? argv[1] : "");
	}
	ret = hoa_args(what, argc - 2, argv + 2, true, &ifindex, &have_hoa, &h);
	if (ret)
		return ret;
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = mcoa_nl_hoa_set(nl, ifindex, &h, err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

static void show_hoa(struct jw *w, const struct mcoa_hoa *h)
{
	char a[INET6_ADDRSTRLEN], name[IF_NAMESIZE];

	if (ctl.json) {
		jw_obj_open(w, NULL);
		jw_str(w, "dev", ctl_ifname(h->ifindex, name));
		jw_uint(w, "ifindex", (uint64_t)h->ifindex);
		jw_addr(w, "hoa", &h->addr);
		jw_str(w, "policy", h->has & MCOA_H_POLICY ?
		       mcoa_policy_name(h->policy) : NULL);
#define OPT(bit, k, v) do { if (h->has & (bit)) jw_uint(w, k, v); \
			    else jw_null(w, k); } while (0)
		OPT(MCOA_H_SEQ, "seq", h->seq);
		OPT(MCOA_H_BINDINGS, "bindings", h->bindings);
		OPT(MCOA_H_RECENT_BID, "recent_bid", h->recent_bid);
#undef OPT
		jw_obj_close(w);
		return;
	}
	printf("dev %s hoa %s", ctl_ifname(h->ifindex, name),
	       inet_ntop(AF_INET6, &h->addr, a, sizeof(a)));
	if (h->has & MCOA_H_POLICY)
		printf(" policy %s", mcoa_policy_name(h->policy));
	if (h->has & MCOA_H_SEQ)
		printf(" seq %u", h->seq);
	if (h->has & MCOA_H_BINDINGS)
		printf(" bindings %u", h->bindings);
	if ((h->has & MCOA_H_RECENT_BID) && h->recent_bid)
		printf(" recent-bid %u", h->recent_bid);
	putchar('\n');
}

static int collect_hoa(const struct mcoa_hoa *h, void *arg)
{
	return ctl_vec_push(arg, h);
}

static int cmp_hoa(const void *pa, const void *pb)
{
	const struct mcoa_hoa *a = pa, *b = pb;

	return ctl_cmp_dev_hoa(a->ifindex, &a->addr, b->ifindex, &b->addr);
}

static void print_hoas(struct ctl_vec *v)
{
	struct jw w;
	size_t i;

	ctl_vec_sort(v, cmp_hoa);
	ctl_list_begin(&w);
	for (i = 0; i < v->n; i++)
		show_hoa(&w, ctl_vec_at(v, i));
	ctl_list_end(&w);
}

/* hoa del: the HoA with its bindings, flow rules and parked state. */
static int hoa_del(int argc, char **argv)
{
	const char *what = "hoa del";
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct mcoa_hoa h;
	bool have_hoa;
	int ifindex, ret;

	ret = hoa_args(what, argc, argv, false, &ifindex, &have_hoa, &h);
	if (ret)
		return ret;
	if (!ifindex)
		return ctl_usage(what, "missing \"dev DEV\"");
	if (!have_hoa)
		return ctl_usage(what, "missing \"hoa HOA\"");
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = mcoa_nl_hoa_del(nl, ifindex, &h.addr, err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

int ctl_cmd_hoa(int argc, char **argv)
{
	const char *what = "hoa show";
	char err[MCOA_NL_ERRLEN];
	struct ctl_devs devs;
	struct mcoa_nl *nl;
	struct mcoa_hoa h;
	struct ctl_vec v;
	bool have_hoa;
	unsigned int i;
	int ifindex, ret;

	if (argc > 1 && !strcmp(argv[1], "help")) {
		ctl_help(stdout, "hoa");
		return CTL_OK;
	}
	if (argc > 1 && (!strcmp(argv[1], "del") || !strcmp(argv[1], "delete")))
		return hoa_del(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "show") && strcmp(argv[1], "list"))
		return ctl_usage("hoa", "unknown subcommand \"%s\"", argv[1]);
	ret = hoa_args(what, argc > 2 ? argc - 2 : 0, argv + 2, false,
		       &ifindex, &have_hoa, &h);
	if (ret)
		return ret;
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ctl_vec_init(&v, sizeof(struct mcoa_hoa));
	ret = ctl_devs_get(nl, ifindex, &devs, err);
	for (i = 0; !ret && i < devs.n; i++)
		ret = mcoa_nl_hoa_dump(nl, devs.ifindex[i],
				       have_hoa ? &h.addr : NULL, collect_hoa,
				       &v, err);
	ctl_devs_free(&devs);
	if (!ret)
		print_hoas(&v);
	ctl_vec_free(&v);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

/* ---- stats ------------------------------------------------------------- */

static void show_dev(struct jw *w, const struct mcoa_dev_info *d)
{
	const struct mcoa_stats *s = &d->stats;

	if (ctl.json) {
		jw_obj_open(w, NULL);
		jw_str(w, "dev", d->ifname);
		jw_uint(w, "ifindex", (uint64_t)d->ifindex);
		jw_str(w, "mode", d->has & MCOA_D_MODE ?
		       mcoa_mode_name(d->mode) : NULL);
		if (d->has & MCOA_D_BINDINGS)
			jw_uint(w, "bindings", d->bindings);
		else
			jw_null(w, "bindings");
		ctl_json_stats(w, "stats", s, d->has & MCOA_D_STATS);
		jw_obj_close(w);
		return;
	}
	printf("%s: mode %s", d->ifname,
	       d->has & MCOA_D_MODE ? mcoa_mode_name(d->mode) : "?");
	if (d->has & MCOA_D_BINDINGS)
		printf(" bindings %u", d->bindings);
	if (s->has & MCOA_STATS_HAS(MCOA_A_STATS_HOAS))
		printf(" hoas %" PRIu64, s->hoas);
	if (s->has & MCOA_STATS_HAS(MCOA_A_STATS_PREFIXES))
		printf(" prefixes %" PRIu64, s->prefixes);
	putchar('\n');
	if (d->has & MCOA_D_STATS) {
		printf("    tx: packets %" PRIu64 " bytes %" PRIu64 " dropped %"
		       PRIu64 " no-binding %" PRIu64 " too-big %" PRIu64 "\n",
		       s->tx_packets, s->tx_bytes, s->tx_dropped,
		       s->tx_no_binding, s->tx_too_big);
		printf("    rx: packets %" PRIu64 " bytes %" PRIu64 " dropped %"
		       PRIu64 " spoofed %" PRIu64 " ecn-dropped %" PRIu64 "\n",
		       s->rx_packets, s->rx_bytes, s->rx_dropped,
		       s->rx_spoofed, s->rx_ecn_dropped);
		printf("    icmp errors ignored %" PRIu64 "\n", s->err_ignored);
		if (s->has & MCOA_STATS_HAS(MCOA_A_STATS_GC_MAX_US))
			printf("    expiry run last %" PRIu64 " us longest %"
			       PRIu64 " us\n", s->gc_last_us, s->gc_max_us);
	}
}

int ctl_cmd_stats(int argc, char **argv)
{
	const char *what = "stats";
	char err[MCOA_NL_ERRLEN] = "";
	struct mcoa_nl *nl;
	struct ctl_vec v;
	int i, ifindex = 0, ret;
	struct jw w;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *val;

		if (!strcmp(argv[i], "help")) {
			ctl_help(stdout, "stats");
			return CTL_OK;
		}
		if (strcmp(argv[i], "dev"))
			return ctl_usage(what, "unknown keyword \"%s\"", argv[i]);
		if (ifindex)
			return ctl_usage(what, "keyword \"dev\" given twice");
		ret = ctl_next(what, argc, argv, &i, &val);
		if (!ret)
			ret = ctl_parse_dev(what, val, &ifindex);
		if (ret)
			return ret;
	}
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ctl_vec_init(&v, sizeof(struct link_item));
	ret = devs_collect(nl, ifindex, &v, err);
	if (!ret) {
		ctl_list_begin(&w);
		for (k = 0; k < v.n; k++) {
			struct link_item *it = ctl_vec_at(&v, k);

			show_dev(&w, &it->d);
		}
		ctl_list_end(&w);
	}
	ctl_vec_free(&v);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

/* ---- monitor ----------------------------------------------------------- */

/* What "monitor dev NAME hoa ADDR" lets through (0 / false: everything). */
struct mon_filter {
	int ifindex;
	bool has_hoa;
	struct in6_addr hoa;
};

/* -t: "[2026-12-01T23:14:47.123456] " (local time, as ip -ts). */
static void print_stamp(const struct timespec *ts)
{
	char buf[32];
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	printf("[%s.%06ld] ", buf, ts->tv_nsec / 1000);
}

static void print_event(uint8_t cmd, const struct mcoa_binding *b, void *arg)
{
	const struct mon_filter *f = arg;
	struct timespec ts;
	struct jw w;

	if ((f->ifindex && b->ifindex != f->ifindex) ||
	    (f->has_hoa && memcmp(&b->hoa, &f->hoa, sizeof(b->hoa))))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ctl.json) {
		jw_init(&w, stdout);
		jw_obj_open(&w, NULL);
		jw_str(&w, "event", mcoa_event_name(cmd));
		/* seconds since the epoch, to the microsecond */
		if (ctl.timestamp) {
			jw_key_raw(&w, "timestamp");
			fprintf(w.f, "%lld.%06ld", (long long)ts.tv_sec,
				ts.tv_nsec / 1000);
		}
		jw_str(&w, "reason", b->has & MCOA_B_DEL_REASON ?
		       mcoa_del_reason_name(b->del_reason) : NULL);
		ctl_json_binding(&w, "binding", b);
		jw_obj_close(&w);
		putchar('\n');
	} else {
		if (ctl.timestamp)
			print_stamp(&ts);
		printf("%s ", mcoa_event_name(cmd));
		ctl_print_binding(b);
	}
	/* a pipe reader (tests, the daemon) must see each event now */
	fflush(stdout);
}

static void print_prefix_event(uint8_t cmd, const struct mcoa_prefix *p,
			       void *arg)
{
	const struct mon_filter *f = arg;
	struct timespec ts;
	struct jw w;

	if ((f->ifindex && p->ifindex != f->ifindex) ||
	    (f->has_hoa && memcmp(&p->hoa, &f->hoa, sizeof(p->hoa))))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ctl.json) {
		jw_init(&w, stdout);
		jw_obj_open(&w, NULL);
		jw_str(&w, "event", mcoa_event_name(cmd));
		if (ctl.timestamp) {
			jw_key_raw(&w, "timestamp");
			fprintf(w.f, "%lld.%06ld", (long long)ts.tv_sec,
				ts.tv_nsec / 1000);
		}
		ctl_json_prefix(&w, "prefix", p);
		jw_obj_close(&w);
		putchar('\n');
	} else {
		if (ctl.timestamp)
			print_stamp(&ts);
		printf("%s ", mcoa_event_name(cmd));
		ctl_print_prefix(p);
	}
	fflush(stdout);
}

static int monitor_args(int argc, char **argv, struct mon_filter *f)
{
	const char *what = "monitor", *val, *dev = NULL;
	struct ctl_seen seen = { 0 };
	int i, ret;

	memset(f, 0, sizeof(*f));
	for (i = 1; i < argc; i++) {
		const char *k = argv[i];

		if (strcmp(k, "dev") && strcmp(k, "hoa"))
			return ctl_usage(what, "unknown keyword \"%s\"", k);
		ret = ctl_once(what, &seen, k);
		if (!ret)
			ret = ctl_next(what, argc, argv, &i, &val);
		if (ret)
			return ret;
		if (!strcmp(k, "dev")) {
			dev = val;
			continue;
		}
		ret = ctl_parse_addr(what, k, val, &f->hoa);
		if (ret)
			return ret;
		f->has_hoa = true;
	}
	return dev ? ctl_parse_dev(what, dev, &f->ifindex) : 0;
}

int ctl_cmd_monitor(int argc, char **argv)
{
	const char *what = "monitor";
	char err[MCOA_NL_ERRLEN] = "";
	struct mon_filter f;
	struct mcoa_nl *nl;
	struct pollfd pfd;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "help")) {
		ctl_help(stdout, "monitor");
		return CTL_OK;
	}
	ret = monitor_args(argc, argv, &f);
	if (ret)
		return ret;
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	/* "monitor dev eth0" would wait forever for nothing: refuse it now */
	if (f.ifindex) {
		struct mcoa_dev_info d;

		ret = mcoa_nl_dev_get(nl, f.ifindex, &d, err);
		if (ret)
			return ctl_fail(what, ret, err);
	}
	ret = mcoa_nl_event_subscribe(nl, err);
	if (ret)
		return ctl_fail(what, ret, err);
	mcoa_nl_event_prefixes(nl, print_prefix_event);
	pfd.fd = mcoa_nl_event_fd(nl);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			return ctl_fail(what, ret, strerror(errno));
		}
		ret = mcoa_nl_event_read(nl, print_event, &f, err);
		if (ret == -ENOBUFS) {
			/* say so in the stream: a consumer must resync */
			if (ctl.json)
				printf("{\"event\":\"overrun\"}\n");
			else
				printf("overrun: events were lost\n");
			fflush(stdout);
			continue;
		}
		if (ret < 0)
			return ctl_fail(what, ret, err);
	}
}

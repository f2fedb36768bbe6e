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

int ctl_cmd_link(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	char err[MCOA_NL_ERRLEN];
	uint32_t mode = MCOA_MODE_HA;
	struct ctl_seen seen = { 0 };
	const char *name;
	int i, ret;

	if (!strcmp(sub, "add")) {
		if (argc < 3)
			return ctl_usage("link add", "missing device name");
		name = argv[2];
		if (strlen(name) >= IF_NAMESIZE || !*name)
			return ctl_usage("link add", "invalid device name \"%s\"",
					 name);
		for (i = 3; i < argc; i++) {
			const char *val;

			if (strcmp(argv[i], "mode"))
				return ctl_usage("link add", "unknown keyword \"%s\"",
						 argv[i]);
			ret = ctl_once("link add", &seen, argv[i]);
			if (!ret)
				ret = ctl_next("link add", argc, argv, &i, &val);
			if (!ret)
				ret = ctl_parse_mode("link add", val, &mode);
			if (ret)
				return ret;
		}
		ret = ctl_sync();
		if (ret)
			return ret;
		ret = mcoa_link_add(name, mode, err);
		return ret ? ctl_fail("link add", ret, err) : CTL_OK;
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "delete")) {
		if (argc != 3)
			return ctl_usage("link del", argc < 3 ?
					 "missing device name" :
					 "unexpected argument \"%s\"", argv[3]);
		ret = ctl_sync();
		if (ret)
			return ret;
		ret = mcoa_link_del(argv[2], err);
		return ret ? ctl_fail("link del", ret, err) : CTL_OK;
	}
	if (!strcmp(sub, "help")) {
		ctl_help(stdout, "link");
		return CTL_OK;
	}
	return ctl_usage("link", argc > 1 ? "unknown subcommand \"%s\"" :
			 "missing subcommand%s", argc > 1 ? sub : "");
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

static int show_hoa(const struct mcoa_hoa *h, void *arg)
{
	char a[INET6_ADDRSTRLEN], name[IF_NAMESIZE];
	struct jw *w = arg;

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
		return 0;
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
	return 0;
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
	bool have_hoa;
	unsigned int i;
	int ifindex, ret;
	struct jw w;

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
	ctl_list_begin(&w);
	ret = ctl_devs_get(nl, ifindex, &devs, err);
	for (i = 0; !ret && i < devs.n; i++)
		ret = mcoa_nl_hoa_dump(nl, devs.ifindex[i],
				       have_hoa ? &h.addr : NULL, show_hoa,
				       &w, err);
	ctl_devs_free(&devs);
	ctl_list_end(&w);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

/* ---- stats ------------------------------------------------------------- */

static int show_dev(const struct mcoa_dev_info *d, void *arg)
{
	const struct mcoa_stats *s = &d->stats;
	struct jw *w = arg;

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
		return 0;
	}
	printf("%s: mode %s", d->ifname,
	       d->has & MCOA_D_MODE ? mcoa_mode_name(d->mode) : "?");
	if (d->has & MCOA_D_BINDINGS)
		printf(" bindings %u", d->bindings);
	if (s->has & MCOA_STATS_HAS(MCOA_A_STATS_HOAS))
		printf(" hoas %" PRIu64, s->hoas);
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
	}
	return 0;
}

int ctl_cmd_stats(int argc, char **argv)
{
	const char *what = "stats";
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	int i, ifindex = 0, ret;
	struct jw w;

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
	ctl_list_begin(&w);
	if (ifindex) {
		struct mcoa_dev_info d;

		ret = mcoa_nl_dev_get(nl, ifindex, &d, err);
		if (!ret)
			show_dev(&d, &w);
	} else {
		ret = mcoa_nl_dev_dump(nl, show_dev, &w, err);
	}
	ctl_list_end(&w);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

/* ---- monitor ----------------------------------------------------------- */

static void print_event(uint8_t cmd, const struct mcoa_binding *b, void *arg)
{
	struct jw w;

	(void)arg;
	if (ctl.json) {
		jw_init(&w, stdout);
		jw_obj_open(&w, NULL);
		jw_str(&w, "event", mcoa_event_name(cmd));
		jw_str(&w, "reason", b->has & MCOA_B_DEL_REASON ?
		       mcoa_del_reason_name(b->del_reason) : NULL);
		ctl_json_binding(&w, "binding", b);
		jw_obj_close(&w);
		putchar('\n');
	} else {
		printf("%s ", mcoa_event_name(cmd));
		ctl_print_binding(b);
	}
	/* a pipe reader (tests, the daemon) must see each event now */
	fflush(stdout);
}

int ctl_cmd_monitor(int argc, char **argv)
{
	const char *what = "monitor";
	char err[MCOA_NL_ERRLEN];
	struct mcoa_nl *nl;
	struct pollfd pfd;
	int ret;

	if (argc > 1) {
		if (!strcmp(argv[1], "help")) {
			ctl_help(stdout, "monitor");
			return CTL_OK;
		}
		return ctl_usage(what, "unknown keyword \"%s\"", argv[1]);
	}
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = mcoa_nl_event_subscribe(nl, err);
	if (ret)
		return ctl_fail(what, ret, err);
	pfd.fd = mcoa_nl_event_fd(nl);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			return ctl_fail(what, ret, strerror(errno));
		}
		ret = mcoa_nl_event_read(nl, print_event, NULL, err);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_prefix.c - "mcoactl prefix": the mobile network prefixes (RFC 3963)
 * delegated to mobile routers' HoAs, as ip(8) shows routes:
 *   prefix add PREFIX/LEN dev DEV hoa HOA
 *   prefix del PREFIX/LEN dev DEV [hoa HOA]
 *   prefix show [dev DEV] [hoa HOA]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

struct prefix_args {
	int ifindex;
	bool have_hoa, have_prefix;
	struct mcoa_prefix p;
};

/*
 * Keywords dev and hoa, and one bare PREFIX/LEN (@need_prefix: required,
 * else refused). Host bits past the length are the kernel's to refuse: its
 * extack message names the attribute.
 */
static int prefix_args(const char *what, int argc, char **argv,
		       bool need_prefix, struct prefix_args *a)
{
	struct ctl_seen seen = { 0 };
	const char *dev = NULL, *val;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *k = argv[i];

		if (strcmp(k, "dev") && strcmp(k, "hoa")) {
			if (!need_prefix)
				return ctl_usage(what, "unknown keyword \"%s\"", k);
			if (a->have_prefix)
				return ctl_usage(what, "prefix given twice (\"%s\")", k);
			if (!strchr(k, '/'))
				return ctl_usage(what, "invalid prefix \"%s\" (expected PREFIX/LEN)", k);
			ret = ctl_parse_prefix(what, "prefix", k, &a->p.addr,
					       &a->p.plen);
			if (ret)
				return ret;
			if (!a->p.plen)
				return ctl_usage(what, "invalid prefix \"%s\" (length 1..128)", k);
			a->have_prefix = true;
			continue;
		}
		ret = ctl_once(what, &seen, k);
		if (!ret)
			ret = ctl_next(what, argc, argv, &i, &val);
		if (ret)
			return ret;
		if (!strcmp(k, "dev")) {
			dev = val;
			continue;
		}
		ret = ctl_parse_addr(what, k, val, &a->p.hoa);
		if (ret)
			return ret;
		a->have_hoa = true;
	}
	if (need_prefix && !a->have_prefix)
		return ctl_usage(what, "missing PREFIX/LEN");
	if (need_prefix && !dev)
		return ctl_usage(what, "missing \"dev DEV\"");
	return dev ? ctl_parse_dev(what, dev, &a->ifindex) : 0;
}

static int prefix_write(const char *what, int argc, char **argv, bool add)
{
	char err[MCOA_NL_ERRLEN];
	struct prefix_args a;
	struct mcoa_nl *nl;
	int ret;

	ret = prefix_args(what, argc, argv, true, &a);
	if (ret)
		return ret;
	if (add && !a.have_hoa)
		return ctl_usage(what, "missing \"hoa HOA\"");
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ret = add ? mcoa_nl_prefix_new(nl, a.ifindex, &a.p, err) :
		    mcoa_nl_prefix_del(nl, a.ifindex, &a.p, err);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

/* "2001:db8:100::/48" */
static const char *prefix_str(const struct mcoa_prefix *p, char *buf,
			      size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", inet_ntop(AF_INET6, &p->addr, a, sizeof(a)),
		 p->plen);
	return buf;
}

void ctl_print_prefix(const struct mcoa_prefix *p)
{
	char pfx[INET6_ADDRSTRLEN + 5], h[INET6_ADDRSTRLEN], name[IF_NAMESIZE];

	printf("%s dev %s hoa %s\n", prefix_str(p, pfx, sizeof(pfx)),
	       ctl_ifname(p->ifindex, name),
	       inet_ntop(AF_INET6, &p->hoa, h, sizeof(h)));
}

void ctl_json_prefix(struct jw *w, const char *key, const struct mcoa_prefix *p)
{
	char pfx[INET6_ADDRSTRLEN + 5], name[IF_NAMESIZE];

	jw_obj_open(w, key);
	jw_str(w, "dev", ctl_ifname(p->ifindex, name));
	jw_uint(w, "ifindex", (uint64_t)p->ifindex);
	jw_str(w, "prefix", prefix_str(p, pfx, sizeof(pfx)));
	jw_addr(w, "addr", &p->addr);
	jw_uint(w, "plen", p->plen);
	jw_addr(w, "hoa", &p->hoa);
	jw_obj_close(w);
}

static int collect_prefix(const struct mcoa_prefix *p, void *arg)
{
	return ctl_vec_push(arg, p);
}

/* By device, HoA, then prefix (address, then length). */
static int cmp_prefix(const void *pa, const void *pb)
{
	const struct mcoa_prefix *a = pa, *b = pb;
	int c = ctl_cmp_dev_hoa(a->ifindex, &a->hoa, b->ifindex, &b->hoa);

	if (!c)
		c = memcmp(&a->addr, &b->addr, sizeof(a->addr));
	return c ? c : (int)a->plen - (int)b->plen;
}

static int prefix_show(int argc, char **argv)
{
	const char *what = "prefix show";
	char err[MCOA_NL_ERRLEN];
	struct prefix_args a;
	struct ctl_devs devs;
	struct mcoa_nl *nl;
	struct ctl_vec v;
	unsigned int i;
	struct jw w;
	size_t k;
	int ret;

	ret = prefix_args(what, argc, argv, false, &a);
	if (ret)
		return ret;
	ret = ctl_nl_ready(&nl);
	if (ret)
		return ret;
	ctl_vec_init(&v, sizeof(struct mcoa_prefix));
	ret = ctl_devs_get(nl, a.ifindex, &devs, err);
	for (i = 0; !ret && i < devs.n; i++)
		ret = mcoa_nl_prefix_dump(nl, devs.ifindex[i],
					  a.have_hoa ? &a.p.hoa : NULL,
					  collect_prefix, &v, err);
	ctl_devs_free(&devs);
	if (!ret) {
		ctl_vec_sort(&v, cmp_prefix);
		ctl_list_begin(&w);
		for (k = 0; k < v.n; k++) {
			if (ctl.json)
				ctl_json_prefix(&w, NULL, ctl_vec_at(&v, k));
			else
				ctl_print_prefix(ctl_vec_at(&v, k));
		}
		ctl_list_end(&w);
	}
	ctl_vec_free(&v);
	return ret ? ctl_fail(what, ret, err) : CTL_OK;
}

int ctl_cmd_prefix(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "show";

	if (!strcmp(sub, "help")) {
		ctl_help(stdout, "prefix");
		return CTL_OK;
	}
	if (!strcmp(sub, "add"))
		return prefix_write("prefix add", argc - 2, argv + 2, true);
	if (!strcmp(sub, "del") || !strcmp(sub, "delete"))
		return prefix_write("prefix del", argc - 2, argv + 2, false);
	if (!strcmp(sub, "show") || !strcmp(sub, "list"))
		return prefix_show(argc > 1 ? argc - 2 : 0, argv + 2);
	return ctl_usage("prefix", "unknown subcommand \"%s\"", sub);
}

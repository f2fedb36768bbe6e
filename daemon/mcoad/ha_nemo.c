// SPDX-License-Identifier: GPL-2.0
/*
 * The home agent's side of mobile routers (RFC 3963) that touches the
 * system: the table of mobile-router lines, the prefixes in mcoa.ko and
 * their routes into the mcoa device, their recovery at restart. The
 * decisions are in nemo.c and ha_bu.c.
 *
 * Routing: a delegated prefix gets `PREFIX dev DEVICE` in the main table,
 * so traffic to the mobile network that reaches the HA enters the tunnel
 * (the kernel picks the mobile router's bindings). No proxy ND: the
 * prefix is not on the home link; whoever routes it to the HA (a static
 * route, a routing daemon redistributing these routes) is the operator's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ha.h"
#include "log.h"
#include "nemo_nl.h"
#include "rtnl.h"

static struct nemo_table mrs;

const struct nemo_table *ha_nemo_start(struct mcoad *d)
{
	const struct mcoad_config *c = &d->cfg;
	struct nemo_mr *m;
	unsigned int i, j;
	int ret;

	_Static_assert(CONFIG_MAX_MNPS == NEMO_MAX_MNPS,
		       "mobile-router lines fit the table");
	memset(&mrs, 0, sizeof(mrs));
	if (!c->nmrs)
		return NULL;
	m = calloc(c->nmrs, sizeof(*m));
	if (!m) {
		log_err("mobile routers: out of memory: every R flag gets 140");
		return NULL;
	}
	for (i = 0; i < c->nmrs; i++) {
		m[i].hoa = c->mrs[i].hoa;
		m[i].nmnp = c->mrs[i].nmnp;
		for (j = 0; j < m[i].nmnp; j++) {
			m[i].mnp[j].addr = c->mrs[i].mnp[j].addr;
			m[i].mnp[j].plen = c->mrs[i].mnp[j].plen;
		}
	}
	ret = nemo_table_build(&mrs, m, c->nmrs);
	free(m);
	if (ret) {
		/* config.c refuses what the table would: not expected */
		log_err("mobile routers: %s: every R flag gets 140",
			strerror(-ret));
		return NULL;
	}
	log_info("%u mobile router(s) may register prefixes", mrs.n);
	return &mrs;
}

void ha_nemo_stop(void)
{
	nemo_table_free(&mrs);
}

int ha_nemo_prefix(struct mcoad *d, const struct kop *op)
{
	char err[MCOA_NL_ERRLEN], h[INET6_ADDRSTRLEN], ps[NEMO_PFXSTRLEN];
	const struct nemo_prefix *p = &op->pfx;
	int ret;

	inet_ntop(AF_INET6, &op->hoa, h, sizeof(h));
	nemo_pfx_str(&p->addr, p->plen, ps);
	if (op->type == KOP_PREFIX_DEL) {
		/* the kernel keeps a HoA's prefixes until told (or hoa-del) */
		ret = nemo_nl_withdraw(d, &op->hoa, &p->addr, p->plen, err);
		if (ret)
			log_err("kernel prefix del %s of %s: %s", ps, h, err);
		ret = rtnl_route(d->rtnl, d->ifindex, &p->addr,
				 p->plen, NULL, 0, false);
		if (ret)
			log_warn("route del %s: %s", ps, strerror(-ret));
		log_info("%s: prefix %s withdrawn", h, ps);
		return 0;
	}
	ret = nemo_nl_delegate(d, &op->hoa, &p->addr, p->plen, err);
	if (ret) {
		log_err("kernel prefix %s for %s: %s", ps, h, err);
		return ret;
	}
	ret = rtnl_route(d->rtnl, d->ifindex, &p->addr, p->plen,
			 NULL, 0, true);
	if (ret) {
		log_err("route %s dev %s: %s", ps, d->cfg.device,
			strerror(-ret));
		return ret;
	}
	log_info("%s: prefix %s delegated, route via %s", h, ps,
		 d->cfg.device);
	return 0;
}

/* A restart: the kernel's prefixes, adopted like the bindings. */
#define RESTORE_LOG_MAX	32

struct restore {
	struct mcoad *d;
	struct ha_state *st;
	unsigned int adopted, left;
};

static int restore_cb(const struct mcoa_prefix *kp, void *arg)
{
	char h[INET6_ADDRSTRLEN], ps[NEMO_PFXSTRLEN];
	struct nemo_prefix p = { .addr = kp->addr, .plen = kp->plen };
	struct restore *r = arg;
	int ret;

	inet_ntop(AF_INET6, &kp->hoa, h, sizeof(h));
	nemo_pfx_str(&p.addr, p.plen, ps);
	if (!ha_restore_prefix(r->st, &kp->hoa, &p)) {
		/* as for bindings: never delete what the policy cannot place */
		if (r->left++ < RESTORE_LOG_MAX)
			log_notice("left alone in the kernel: prefix %s of %s (no binding adopted, or not a prefix of its mobile-router line)",
				   ps, h);
		return 0;
	}
	r->adopted++;
	ret = rtnl_route(r->d->rtnl, r->d->ifindex, &p.addr, p.plen, NULL, 0,
			 true);
	if (ret)
		log_err("route %s dev %s: %s", ps, r->d->cfg.device,
			strerror(-ret));
	log_notice("recovered prefix %s of %s", ps, h);
	return 0;
}

void ha_nemo_restore(struct mcoad *d, struct ha_state *st)
{
	struct restore r = { .d = d, .st = st };
	char err[MCOA_NL_ERRLEN];

	if (!d->nl)
		return;
	if (mcoa_nl_prefix_dump(d->nl, d->ifindex, NULL, restore_cb, &r,
				err) < 0)
		log_warn("prefix dump: %s", err);
	if (r.adopted || r.left)
		log_notice("recovered %u prefix(es) from the kernel, left %u alone",
			   r.adopted, r.left);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Mobile router (RFC 3963) in the mobile node role: see mn_nemo.h.
 *
 * Who owns what: the operator puts the mobile network on a LAN interface
 * (addresses, router advertisements) and keeps the router's own default
 * route; mcoad owns, per mobile-network line, the delegation in mcoa.ko
 * and the source-specific route "::/0 from PREFIX dev DEVICE" (main
 * table, CONFIG_IPV6_SUBTREES), so that LAN traffic enters the tunnel
 * whatever the host's own default route is, and more specific routes
 * (the LAN itself, the uplinks) still win. Both stay when mcoad exits, as
 * the bindings do: a restart does not cut the network.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "log.h"
#include "mh.h"
#include "mip6.h"
#include "mn_nemo.h"
#include "nemo.h"
#include "nemo_nl.h"
#include "rtnl.h"

/* The home agent serves the network (the prefixes are in place) */
static bool served;
/* Something was said about the HA's answer (logged once per change) */
static bool told;

/* Delegate (or withdraw) every mobile-network prefix; log each failure */
static void set_prefixes(struct mcoad *d, bool on)
{
	const struct mcoad_config *c = &d->cfg;
	char err[MCOA_NL_ERRLEN], ps[NEMO_PFXSTRLEN];
	static const struct in6_addr any = IN6ADDR_ANY_INIT;
	unsigned int i;
	int ret;

	for (i = 0; i < c->nmnps; i++) {
		const struct config_prefix *p = &c->mnps[i];

		nemo_pfx_str(&p->addr, p->plen, ps);
		ret = on ? nemo_nl_delegate(d, &c->hoa, &p->addr, p->plen, err) :
			   nemo_nl_withdraw(d, &c->hoa, &p->addr, p->plen, err);
		if (ret)
			log_err("mobile-network %s: kernel: %s", ps, err);
		ret = rtnl_route(d->rtnl, d->ifindex, &any, 0, &p->addr,
				 p->plen, on);
		if (ret)
			log_err("mobile-network %s: route ::/0 from %s dev %s: %s",
				ps, ps, c->device, strerror(-ret));
		else if (on)
			log_info("mobile-network %s: delegated to %s, source route via %s",
				 ps, inet_ntop(AF_INET6, &c->hoa, err,
					       INET6_ADDRSTRLEN),
				 c->device);
		else
			log_info("mobile-network %s: withdrawn", ps);
	}
	served = on;
}

void mn_nemo_start(struct mcoad *d)
{
	const struct mcoad_config *c = &d->cfg;
	unsigned int i;

	if (!c->mobile_router)
		return;
	/* a router: forward, yet take router advertisements on the uplinks */
	if (sysctl_ipv6_conf("all", "forwarding", "1"))
		log_warn("cannot enable IPv6 forwarding: the mobile network is cut off");
	for (i = 0; i < c->nlinks; i++)
		if (sysctl_ipv6_conf(c->links[i].ifname, "accept_ra", "2"))
			log_dbg("accept_ra on %s: not set (no such link yet?)",
				c->links[i].ifname);
	log_notice("mobile router (RFC 3963, %s mode): %u mobile network prefix(es)",
		   c->nemo_mode == NEMO_EXPLICIT ? "explicit" : "implicit",
		   c->nmnps);
	served = false;
	told = false;
	set_prefixes(d, true);
}

void mn_nemo_bu(const struct mcoad *d, struct mh_bu *bu)
{
	const struct mcoad_config *c = &d->cfg;
	unsigned int i;

	if (!c->mobile_router)
		return;
	bu->flags |= MH_BU_F_R;
	/* a de-registration claims nothing: the prefixes go with it */
	if (c->nemo_mode != NEMO_EXPLICIT || !bu->lifetime)
		return;
	for (i = 0; i < c->nmnps && i < MH_MAX_MNPS; i++) {
		bu->opts.mnps[i].plen = c->mnps[i].plen;
		bu->opts.mnps[i].prefix = c->mnps[i].addr;
	}
	bu->opts.nmnps = i;
}

void mn_nemo_ba(struct mcoad *d, const struct mh_ba *ba)
{
	enum nemo_ba_verdict v = nemo_ba_verdict(ba->status,
						 ba->flags & MH_BA_F_R);

	if (!d->cfg.mobile_router || v == NEMO_BA_OTHER)
		return;
	/* said once per change: a refused router retries every 32 s */
	if (v == NEMO_BA_SERVED) {
		if (!served || !told)
			log_notice("home agent accepted the mobile router (R): the mobile network is served over the care-of addresses");
	} else if (served || !told) {
		if (v == NEMO_BA_REFUSED)
			log_err("home agent refuses the mobile router: BA status %u (%s); the mobile network prefixes are not used",
				ba->status, mh_ba_status_str(ba->status));
		else
			log_err("BA without the R flag: the home agent does not support mobile routers (RFC 3963); the mobile network prefixes are not used");
	}
	told = true;
	if (served != (v == NEMO_BA_SERVED))
		set_prefixes(d, v == NEMO_BA_SERVED);
}

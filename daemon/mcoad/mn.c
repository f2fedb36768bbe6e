// SPDX-License-Identifier: GPL-2.0
/*
 * Mobile node role: rtnetlink news and Mobility Header in, decisions by
 * mn_bul.c, BUs out on the wire and accepted bindings into mcoa.ko.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ipsec.h"
#include "log.h"
#include "mh.h"
#include "mn.h"
#include "mn_nemo.h"
#include "mn_live.h"
#include "ndisc.h"
#include "rtnl.h"

static struct mn_state mn;
static int home_ifindex;	/* the home-link interface, 0 until seen */

static const char *a6s(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/*
 * Away: from a CoA, with a Home Address option. At home: from the HoA on
 * the home link, without one (RFC 6275 s.11.5.5), so the HA answers the
 * HoA directly.
 */
static void bu_addrs(struct mcoad *d, const struct mn_bu *t,
		     struct mh_addrs *a)
{
	memset(a, 0, sizeof(*a));
	a->dst = d->cfg.ha_addr;
	if (t->home) {
		a->src = d->cfg.hoa;
		a->ifindex = home_ifindex;
		return;
	}
	a->src = t->src;
	a->has_hao = true;
	a->hao = d->cfg.hoa;
	a->ifindex = mn.links[t->src_link].ifindex;
}

static void send_bu(struct mcoad *d, const struct mn_bu *t)
{
	char s[INET6_ADDRSTRLEN];
	uint8_t buf[MH_MAX_LEN];
	struct mh_addrs a;
	struct mh_bu bu;
	unsigned int i;
	int len, ret;

	bu_addrs(d, t, &a);
	memset(&bu, 0, sizeof(bu));
	bu.seq = t->seq;
	bu.flags = MH_BU_F_A | MH_BU_F_H | (t->overwrite ? MH_BU_F_O : 0);
	bu.lifetime = t->lifetime;
	mn_nemo_bu(d, &bu);
	bu.opts.nbids = t->nbid;
	/*
	 * Plain RFC 6275 under ESP: the CoA goes in an Alternate CoA option,
	 * which ESP covers (RFC 4877 s.4); with BID options it is theirs.
	 */
	if (d->cfg.ipsec && t->legacy && t->lifetime) {
		bu.opts.has_altcoa = true;
		bu.opts.altcoa = a.src;
	}
	for (i = 0; i < t->nbid; i++) {
		struct mh_bid *o = &bu.opts.bids[i];
		const struct mn_link *l = mn_link_by_bid(&mn, t->bid[i].bid);

		o->bid = t->bid[i].bid;
		o->pri = l ? l->prio : 0;
		if (t->bid[i].with_coa) {
			o->coa_family = AF_INET6;
			o->coa6 = t->bid[i].coa;
		}
	}
	len = mh_build_bu(buf, sizeof(buf), &bu);
	if (len < 0) {
		log_err("build BU: %s", strerror(-len));
		return;
	}
	ret = mhsock_send(&d->mh, buf, len, &a);
	log_info("BU seq %u from %s (%s)%s lifetime %us, %u BID option(s)%s%s",
		 t->seq, a6s(&a.src, s),
		 t->home ? d->cfg.home_link : mn.links[t->src_link].ifname,
		 t->overwrite ? " O" : "", mh_lifetime_sec(t->lifetime),
		 t->nbid, t->home ? ", at home: de-register all" : "",
		 ret ? ": send failed" : "");
	if (ret)
		log_warn("send BU: %s", strerror(-ret));
}

static void apply(struct mcoad *d, const struct mn_out *out)
{
	char err[MCOA_NL_ERRLEN], c[INET6_ADDRSTRLEN];
	unsigned int i;
	int ret;

	for (i = 0; i < out->nops && d->nl; i++) {
		const struct mn_kop *op = &out->ops[i];
		const struct mn_link *l = mn_link_by_bid(&mn, op->bid);
		struct mcoa_binding b = {
			/* an accepted BA verifies it (policy recent) */
			.has = MCOA_B_COA | MCOA_B_PEER | MCOA_B_LINK |
			       MCOA_B_LIFETIME | MCOA_B_FLAGS | MCOA_B_PRIO |
			       MCOA_B_VERIFY,
			.hoa = d->cfg.hoa,
			.bid = op->bid,
			.coa = op->coa,
			.peer = d->cfg.ha_addr,
			.link = op->link,
			.lifetime = op->lifetime,
			.flags = op->legacy ? MCOA_BINDING_FLAGS_LEGACY : 0,
			.prio = l ? l->prio : 0,
		};

		switch (op->type) {
		case MN_KOP_NEW:
		case MN_KOP_SET:
			ret = op->type == MN_KOP_NEW ?
			      mcoa_nl_binding_new(d->nl, d->ifindex, &b, err) :
			      mcoa_nl_binding_set(d->nl, d->ifindex, &b, err);
			if (ret == -EEXIST)
				ret = mcoa_nl_binding_set(d->nl, d->ifindex,
							  &b, err);
			else if (ret == -ENOENT)
				ret = mcoa_nl_binding_new(d->nl, d->ifindex,
							  &b, err);
			if (ret)
				log_err("kernel binding bid %u: %s", op->bid,
					err);
			else
				log_info("bid %u bound: %s via %s, lifetime %us%s",
					 op->bid, a6s(&op->coa, c),
					 l ? l->ifname : "?", op->lifetime,
					 op->legacy ? " (legacy)" : "");
			break;
		case MN_KOP_DEL:
			ret = mcoa_nl_binding_del(d->nl, d->ifindex,
						  &d->cfg.hoa, op->bid, err);
			if (ret && ret != -ENOENT)
				log_err("kernel binding del bid %u: %s",
					op->bid, err);
			log_info("bid %u removed from the data plane", op->bid);
			break;
		case MN_KOP_SEQ: {
			struct mcoa_hoa h = {
				.has = MCOA_H_SEQ, .addr = d->cfg.hoa,
				.seq = op->seq,
			};

			ret = mcoa_nl_hoa_set(d->nl, d->ifindex, &h, err);
			if (ret)
				log_dbg("park seq: %s", err);
			break;
		}
		}
	}
	if (out->send)
		send_bu(d, &out->bu);
}

/*
 * Back on the home link: the HoA belongs there now. nodad, because the HA
 * still defends it by proxy until it acknowledges the de-registration.
 */
static void hoa_to_home_link(struct mcoad *d)
{
	struct mcoad_config *c = &d->cfg;
	int ret;

	log_notice("home link %s up: returning home", c->home_link);
	ret = rtnl_addr_add(d->rtnl, home_ifindex, &c->hoa, c->home_plen);
	if (ret)
		log_err("home address on %s: %s", c->home_link,
			strerror(-ret));
	ret = rtnl_addr_del(d->rtnl, d->ifindex, &c->hoa, 128);
	if (ret)
		log_warn("home address off %s: %s", c->device, strerror(-ret));
}

/* Away again: the HoA goes back behind the tunnels, as at start. */
static void hoa_to_device(struct mcoad *d)
{
	struct mcoad_config *c = &d->cfg;
	int ret;

	log_notice("home link %s down: registering care-of addresses again",
		   c->home_link);
	ret = rtnl_hoa_add(d->rtnl, d->ifindex, &c->hoa);
	if (ret)
		log_err("home address on %s: %s", c->device, strerror(-ret));
	ret = rtnl_addr_del(d->rtnl, home_ifindex, &c->hoa, c->home_plen);
	if (ret)
		log_warn("home address off %s: %s", c->home_link,
			 strerror(-ret));
}

static void home_link_event(struct mcoad *d, const struct rtnl_event *ev)
{
	bool up = ev->up && !ev->del;

	if (!ev->del)
		home_ifindex = ev->ifindex;
	if (mn_home_event(&mn, up)) {
		if (up)
			hoa_to_home_link(d);
		else
			hoa_to_device(d);
	}
	if (ev->del)
		home_ifindex = 0;
}

static void rtnl_event(const struct rtnl_event *ev, void *arg)
{
	struct mcoad *d = arg;
	struct mn_out out;
	char a[INET6_ADDRSTRLEN];

	if (ev->kind == RTNL_EV_LINK && d->cfg.home_link[0] &&
	    !strcmp(ev->ifname, d->cfg.home_link)) {
		home_link_event(d, ev);
		return;
	}
	if (ev->kind == RTNL_EV_LINK) {
		struct mn_link *l = NULL;
		bool was_up = false;
		unsigned int i;

		for (i = 0; i < mn.nlinks; i++)
			if (!strcmp(mn.links[i].ifname, ev->ifname))
				l = &mn.links[i];
		if (l)
			was_up = l->up;
		mn_link_event(&mn, ev->ifindex, ev->ifname, ev->up, ev->del,
			      &out);
		if (l && was_up != l->up)
			log_notice("link %s (bid %u) %s", l->ifname, l->bid,
				   l->up ? "up" : "down");
	} else {
		if (ev->scope != 0 /* RT_SCOPE_UNIVERSE */)
			return;
		mn_addr_event(&mn, ev->ifindex, &ev->addr, ev->del, &out);
		if (mn_link_by_ifindex(&mn, ev->ifindex))
			log_dbg("address %s %s on ifindex %d",
				a6s(&ev->addr, a), ev->del ? "gone" : "new",
				ev->ifindex);
	}
	apply(d, &out);
}

void mn_on_rtnl(struct mcoad *d)
{
	if (rtnl_watch_read(d->watch_fd, rtnl_event, d) == -ENOBUFS) {
		/* lost news: rebuild the picture from a dump */
		log_warn("rtnetlink overrun, re-reading links and addresses");
		rtnl_dump_all(rtnl_event, d);
	}
}

uint64_t mn_timer(struct mcoad *d)
{
	struct mn_out out;
	uint64_t next, live;

	uint64_t t;

	/* first: a CoA found dead now is de-registered by this mn_step() */
	live = mn_live_tick(d, &mn, now_ms(), &out);
	apply(d, &out);
	next = mn_step(&mn, now_ms(), &out);
	apply(d, &out);
	t = ipsec_tick(d, now_ms());
	if (live < next)
		next = live;
	return t < next ? t : next;
}

void mn_on_probe(struct mcoad *d)
{
	struct mn_out out;

	mn_live_input(d, &mn, now_ms(), &out);
	apply(d, &out);
}

/*
 * The HA no longer proxies the HoA: claim it on the home link so that
 * neighbours stop sending to the HA (RFC 6275 s.11.5.5).
 */
static void arrived_home(struct mcoad *d)
{
	int ret;

	log_notice("at home on %s: every binding de-registered, no tunnel",
		   d->cfg.home_link);
	ret = ndisc_unsol_na(d->cfg.home_link, home_ifindex, &d->cfg.hoa);
	if (ret)
		log_warn("unsolicited NA on %s: %s", d->cfg.home_link,
			 strerror(-ret));
}

/* Report the verdict of a BA: what changed for the whole session. */
static void ba_notices(struct mcoad *d, const struct mh_ba *b, bool home_ba,
		       const struct mn_out *out)
{
	if (home_ba) {
		if (mn.at_home)
			arrived_home(d);
		return;
	}
	/* once, when it changes: every later BA is plain RFC 6275 anyway */
	if (out->mcoa_fallback)
		log_notice("home agent does not do MCoA: plain RFC 6275 registration from now on");
	if (b->status == BA_ST_MCOA_BULK_PROHIBITED)
		log_notice("home agent refuses bulk registration: one BU per binding from now on");
}

static void handle_ba(struct mcoad *d, const struct mh_ba *b)
{
	/* the BU in flight, before the BA settles it */
	bool home_ba = mn.tx_active && mn.tx.home;
	struct mn_ba ba = {
		.status = b->status,
		.seq = b->seq,
		.lifetime = b->lifetime,
		.has_refresh = b->opts.has_bra,
		.refresh = b->opts.refresh,
	};
	struct mn_out out;
	unsigned int i;

	for (i = 0; i < b->opts.nbids && i < MCOA_MAX_BU_BIDS; i++) {
		ba.bid[i].bid = b->opts.bids[i].bid;
		ba.bid[i].status = b->opts.bids[i].status;
	}
	ba.nbid = i;
	log_info("BA seq %u status %u (%s) lifetime %us, %u BID option(s)",
		 b->seq, b->status, mh_ba_status_str(b->status),
		 mh_lifetime_sec(b->lifetime), b->opts.nbids);
	for (i = 0; i < ba.nbid; i++)
		if (ba.bid[i].status)
			log_info("  bid %u status %u (%s)",
				 ba.bid[i].bid, ba.bid[i].status,
				 mh_ba_status_str(ba.bid[i].status));
	if (!mn_process_ba(&mn, &ba, now_ms(), &out)) {
		log_dbg("BA seq %u does not match the BU in flight", b->seq);
		return;
	}
	mn_nemo_ba(d, b);
	apply(d, &out);
	ba_notices(d, b, home_ba, &out);
}

void mn_on_mh(struct mcoad *d, void *buf, size_t len,
	      const struct mh_addrs *a)
{
	char s[INET6_ADDRSTRLEN];
	struct mh_msg m;
	enum mh_verdict v;
	unsigned int i;

	v = mh_parse(buf, len, &m);
	if (v == MH_PARSE_DROP) {
		d->mh_drops[m.drop & 31]++;
		log_dbg("dropped MH (%s)", mh_drop_str(m.drop));
		return;
	}
	if (v != MH_PARSE_OK)
		return;
	/* only our home agent speaks to us */
	if (!in6_eq(&a->src, &d->cfg.ha_addr)) {
		log_dbg("MH %s from %s ignored", mh_type_str(m.type),
			a6s(&a->src, s));
		return;
	}
	if (m.type == MH_TYPE_BA) {
		handle_ba(d, &m.u.ba);
	} else if (m.type == MH_TYPE_BRR) {
		uint16_t bids[MCOA_MAX_BU_BIDS];
		unsigned int n = 0;

		for (i = 0; i < m.u.brr.opts.nbids && n < MCOA_MAX_BU_BIDS; i++)
			bids[n++] = m.u.brr.opts.bids[i].bid;
		log_info("BRR for %u BID(s)", n);
		mn_process_brr(&mn, bids, n);
	} else if (m.type == MH_TYPE_BE) {
		log_warn("Binding Error status %u from the home agent",
			 m.u.be.status);
	}
	mn_timer(d);
}

void mn_on_kernel_event(struct mcoad *d, uint8_t cmd,
			const struct mcoa_binding *b)
{
	struct mn_link *l;

	(void)d;
	if (cmd != MCOA_CMD_BINDING_DEL_NTF || !in6_eq(&b->hoa, &d->cfg.hoa) ||
	    !(b->has & MCOA_B_DEL_REASON) ||
	    b->del_reason == MCOA_DEL_REASON_USER)
		return;
	l = mn_link_by_bid(&mn, b->bid);
	if (!l || !l->kernel)
		return;
	/* the kernel expired it: the HA did too; register again */
	log_notice("kernel dropped bid %u (%s)", b->bid,
		   mcoa_del_reason_name(b->del_reason));
	l->kernel = false;
	l->bound = false;
	mn.dirty = true;
}

struct restore_ctx {
	struct mcoad *d;
	bool have_seq;
	uint16_t seq;
};

static int restore_binding(const struct mcoa_binding *b, void *arg)
{
	struct restore_ctx *r = arg;
	uint64_t left = b->has & MCOA_B_EXPIRES ? b->expires_ms : 0;

	if (!in6_eq(&b->hoa, &r->d->cfg.hoa) || !mn_link_by_bid(&mn, b->bid))
		return 0;
	if (!left)
		left = (uint64_t)r->d->cfg.lifetime * 1000;
	mn_restore_binding(&mn, b->bid, &b->coa, left,
			   b->flags & MCOA_BINDING_FLAGS_LEGACY, now_ms());
	log_notice("recovered bid %u from the kernel (%llus left)", b->bid,
		   (unsigned long long)left / 1000);
	return 0;
}

static int restore_seq(const struct mcoa_hoa *h, void *arg)
{
	struct restore_ctx *r = arg;

	if (in6_eq(&h->addr, &r->d->cfg.hoa) && (h->has & MCOA_H_SEQ)) {
		r->have_seq = true;
		r->seq = h->seq;
	}
	return 0;
}

int mn_start(struct mcoad *d)
{
	struct mcoad_config *c = &d->cfg;
	struct mn_params p = {
		.hoa = c->hoa,
		.ha = c->ha_addr,
		.lifetime = c->lifetime,
		.use_mcoa = c->use_mcoa,
		.use_bulk = c->use_bulk,
		.first_individual = c->first_individual,
		.first_reg_timeout_ms = c->first_reg_timeout_ms,
		.esp = c->ipsec,
		.probe = c->probe,
	};
	struct restore_ctx r = { .d = d };
	struct in6_addr any = IN6ADDR_ANY_INIT;
	char err[MCOA_NL_ERRLEN];
	unsigned int i;
	uint16_t seq;
	int ret;

	if (mcoad_device_open(d, MCOA_MODE_MN))
		return -1;
	ret = rtnl_hoa_add(d->rtnl, d->ifindex, &c->hoa);
	if (ret)
		log_warn("home address on %s: %s", c->device, strerror(-ret));
	mn_nemo_start(d);
	/*
	 * Accept a RH2 for our HoA on MH messages from the HA. The policy
	 * is of SUB type: with IPsec the MAIN policy requiring ESP for the
	 * same flow (ipsec_start()'s, or strongSwan's) still applies.
	 */
	ret = mcoa_xfrm_mn_allow(&d->xfrm, &c->hoa, &any, &c->ha_addr);
	if (ret)
		log_warn("xfrm RH2 state: %s", strerror(-ret));

	if (d->nl)
		mcoa_nl_hoa_dump(d->nl, d->ifindex, &c->hoa, restore_seq, &r,
				 err);
	if (r.have_seq)
		seq = r.seq;
	else if (getrandom(&seq, sizeof(seq), 0) != sizeof(seq))
		seq = 0;
	mn_state_init(&mn, &p, seq);
	home_ifindex = 0;
	for (i = 0; i < c->nlinks; i++)
		mn_add_link(&mn, c->links[i].ifname, c->links[i].bid,
			    c->links[i].prio);
	if (mn_live_open(d, &mn))
		return -1;

	d->watch_fd = rtnl_watch_open();
	if (d->watch_fd < 0) {
		log_err("rtnetlink watch: %s", strerror(-d->watch_fd));
		return -1;
	}
	ret = rtnl_dump_all(rtnl_event, d);
	if (ret)
		log_warn("rtnetlink dump: %s", strerror(-ret));
	if (d->nl)
		mcoa_nl_binding_dump(d->nl, d->ifindex, &c->hoa,
				     restore_binding, &r, err);
	return 0;
}

void mn_stop(struct mcoad *d)
{
	mn_live_close(d);
}

void mn_show(struct mcoad *d, FILE *f, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		mn_dump(&mn, now_ms(), f, json);
		return;
	}
	mn_dump(&mn, now_ms(), m, json);
	fclose(m);
	ipsec_append_show(d, f, json, buf, len);
	free(buf);
}

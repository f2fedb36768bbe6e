// SPDX-License-Identifier: GPL-2.0
/*
 * Home agent role: Mobility Header in, decisions by ha_bu.c, results out
 * to the wire (BA, BRR) and to mcoa.ko (bindings, parked sequence number),
 * proxy ND and the host route for each HoA.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ha.h"
#include "ha_bu.h"
#include "ipsec.h"
#include "log.h"
#include "mcoad.h"
#include "mh.h"
#include "ndisc.h"
#include "nemo_nl.h"
#include "rtnl.h"

static struct ha_state ha;
static int home_ifindex;

/*
 * BUs held while duplicate address detection runs for their HoA (RFC 6275
 * s.10.3.1). A retransmission replaces the held BU; when every slot is
 * taken the BU is refused with 130. Each check lasts HA_DAD_WAIT_MS, so
 * the slots bound how many new home addresses a second the HA takes in:
 * 512 (about 0.5 MB held BUs, scanned linearly, which costs less than the
 * syscalls of one BU).
 */
#define DAD_SLOTS	512

struct dad_wait {
	bool used, dup;
	struct in6_addr hoa;
	uint64_t until;
	struct mh_msg m;
	struct mh_addrs a;
	enum mh_verdict v;
};

static struct dad_wait dad[DAD_SLOTS];

static const char *a6s(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static void kernel_binding(struct mcoad *d, const struct kop *op, bool set)
{
	char err[MCOA_NL_ERRLEN], h[INET6_ADDRSTRLEN];
	struct mcoa_binding b = {
		/* an accepted BU verifies the binding (policy recent) */
		.has = MCOA_B_COA | MCOA_B_PEER | MCOA_B_FLAGS |
		       MCOA_B_LIFETIME | MCOA_B_VERIFY,
		.hoa = op->hoa,
		.bid = op->bid,
		.coa = op->coa,
		.peer = d->cfg.ha_addr,
		.flags = (op->legacy ? MCOA_BINDING_FLAGS_LEGACY : 0) |
			 (op->home ? MCOA_BINDING_FLAGS_HOME : 0),
		.lifetime = op->lifetime,
	};
	int ret;

	if (!d->nl)
		return;
	ret = set ? mcoa_nl_binding_set(d->nl, d->ifindex, &b, err) :
		    mcoa_nl_binding_new(d->nl, d->ifindex, &b, err);
	/* our view and the kernel's may differ after a crash: converge */
	if (ret == -EEXIST && !set)
		ret = mcoa_nl_binding_set(d->nl, d->ifindex, &b, err);
	else if (ret == -ENOENT && set)
		ret = mcoa_nl_binding_new(d->nl, d->ifindex, &b, err);
	if (ret)
		log_err("kernel binding %s bid %u: %s", a6s(&op->hoa, h),
			op->bid, err);
}

/*
 * RFC 6275 s.10.4.1: neighbours on the home link may still hold the MN's
 * own link-layer address (it was at home): point them at us at once.
 */
static void announce_proxy(struct mcoad *d, const struct in6_addr *hoa)
{
	char h[INET6_ADDRSTRLEN];
	int ret;

	ret = ndisc_unsol_na(d->cfg.home_link, home_ifindex, hoa);
	if (ret)
		log_warn("unsolicited NA for %s on %s: %s", a6s(hoa, h),
			 d->cfg.home_link, strerror(-ret));
}

/* fe80::/64 with the interface identifier of @hoa (the L flag) */
static struct in6_addr hoa_linklocal(const struct in6_addr *hoa)
{
	struct in6_addr ll = { .s6_addr = { 0xfe, 0x80 } };

	memcpy(ll.s6_addr + 8, hoa->s6_addr + 8, 8);
	return ll;
}

static void proxy_linklocal(struct mcoad *d, const struct kop *op, bool on)
{
	struct in6_addr ll = hoa_linklocal(&op->hoa);
	char h[INET6_ADDRSTRLEN];
	int ret;

	if (!op->linklocal)
		return;
	ret = rtnl_proxy_neigh(d->rtnl, home_ifindex, &ll, on);
	if (ret && on)
		log_err("proxy ND for %s: %s", a6s(&ll, h), strerror(-ret));
	else if (on)
		log_info("%s: proxy ND on %s (L flag)", a6s(&ll, h),
			 d->cfg.home_link);
}

/* Returns how many prefixes could not be set up (RFC 3963: 143). */
static unsigned int apply_ops(struct mcoad *d, const struct kop *ops,
			      unsigned int n)
{
	char err[MCOA_NL_ERRLEN], h[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	unsigned int i, failed = 0;
	int ret;

	for (i = 0; i < n; i++) {
		const struct kop *op = &ops[i];

		switch (op->type) {
		case KOP_PROXY_ADD:
			ret = rtnl_proxy_neigh(d->rtnl, home_ifindex,
					       &op->hoa, true);
			if (!ret)
				ret = rtnl_host_route(d->rtnl, d->ifindex,
						      &op->hoa, true);
			if (ret) {
				log_err("proxy ND/route for %s: %s",
					a6s(&op->hoa, h), strerror(-ret));
				break;
			}
			log_info("%s: proxy ND on %s, route via %s",
				 a6s(&op->hoa, h), d->cfg.home_link,
				 d->cfg.device);
			announce_proxy(d, &op->hoa);
			proxy_linklocal(d, op, true);
			break;
		case KOP_PROXY_DEL:
			rtnl_proxy_neigh(d->rtnl, home_ifindex, &op->hoa,
					 false);
			rtnl_host_route(d->rtnl, d->ifindex, &op->hoa, false);
			proxy_linklocal(d, op, false);
			log_info("%s: no binding left, proxy ND and route removed",
				 a6s(&op->hoa, h));
			break;
		case KOP_BINDING_NEW:
		case KOP_BINDING_SET:
			kernel_binding(d, op, op->type == KOP_BINDING_SET);
			log_info("%s bid %u -> %s lifetime %us%s",
				 a6s(&op->hoa, h), op->bid, a6s(&op->coa, c),
				 op->lifetime, op->legacy ? " (legacy)" : "");
			break;
		case KOP_BINDING_DEL:
			ret = !d->nl ? 0 : mcoa_nl_binding_del(d->nl, d->ifindex, &op->hoa,
						  op->bid, err);
			if (ret && ret != -ENOENT)
				log_err("kernel binding del %s bid %u: %s",
					a6s(&op->hoa, h), op->bid, err);
			log_info("%s bid %u removed", a6s(&op->hoa, h),
				 op->bid);
			break;
		case KOP_HOA_SEQ: {
			struct mcoa_hoa hs = {
				.has = MCOA_H_SEQ, .addr = op->hoa,
				.seq = op->seq,
			};

			ret = !d->nl ? 0 :
			      mcoa_nl_hoa_set(d->nl, d->ifindex, &hs, err);
			if (ret)
				log_warn("park seq for %s: %s",
					 a6s(&op->hoa, h), err);
			break;
		}
		case KOP_PREFIX_ADD:
		case KOP_PREFIX_DEL:
			failed += !!ha_nemo_prefix(d, op);
			break;
		}
	}
	return failed;
}

static void send_ba(struct mcoad *d, const struct mh_addrs *in,
		    const struct in6_addr *hoa, struct mh_ba *ba)
{
	uint8_t buf[MH_MAX_LEN];
	struct mh_addrs out = {
		.src = in->dst,
		.dst = in->src,
	};
	char h[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	int len, ret;

	/* BU from a CoA: answer the CoA, through a RH2 naming the HoA */
	if (in->has_hao) {
		out.has_rh2 = true;
		out.rh2 = *hoa;
	}
	len = mh_build_ba(buf, sizeof(buf), ba);
	if (len < 0) {
		log_err("build BA: %s", strerror(-len));
		return;
	}
	ret = mhsock_send(&d->mh, buf, len, &out);
	if (ret)
		log_warn("send BA to %s: %s", a6s(&out.dst, c), strerror(-ret));
	else
		log_info("BA to %s (hoa %s) seq %u status %u (%s) lifetime %us, %u BID option(s)%s",
			 a6s(&out.dst, c), a6s(hoa, h), ba->seq, ba->status,
			 mh_ba_status_str(ba->status),
			 mh_lifetime_sec(ba->lifetime), ba->opts.nbids,
			 ba->flags & MH_BA_F_R ? ", R" : "");
}

/* Is @a configured on any interface of this host (the HA's namespace)? */
static bool addr_is_local(const struct in6_addr *a)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		const struct sockaddr_in6 *sin6 =
			(const struct sockaddr_in6 *)i->ifa_addr;

		if (sin6 && sin6->sin6_family == AF_INET6 &&
		    in6_eq(&sin6->sin6_addr, a))
			found = true;
	}
	freeifaddrs(ifa);
	return found;
}

/* The wire BU as ha_process_bu() wants it. */
static void bu_from_wire(const struct mcoad *d, struct bu_req *bu,
			 const struct mh_msg *m, const struct mh_addrs *a,
			 enum mh_verdict v)
{
	const struct mh_bu *mb = &m->u.bu;
	unsigned int i;

	memset(bu, 0, sizeof(*bu));
	bu->hoa = a->has_hao ? a->hao : a->src;
	bu->src = a->src;
	bu->has_hao = a->has_hao;
	bu->hoa_local = in6_eq(&bu->hoa, &d->cfg.ha_addr) ||
			addr_is_local(&bu->hoa);
	bu->esp = ipsec_hoa_keyed(d, &bu->hoa);
	bu->has_altcoa = mb->opts.has_altcoa;
	bu->altcoa = mb->opts.altcoa;
	bu->seq = mb->seq;
	bu->ack = mb->flags & MH_BU_F_A;
	bu->home_reg = mb->flags & MH_BU_F_H;
	bu->overwrite = mb->flags & MH_BU_F_O;
	bu->linklocal = mb->flags & MH_BU_F_L;
	bu->lifetime = mb->lifetime;
	if (v == MH_PARSE_REPLY)
		bu->reject = m->status;
	bu->mr = mb->flags & MH_BU_F_R;
	bu->nmnp = mb->opts.nmnps;
	for (i = 0; i < bu->nmnp; i++) {
		bu->mnp[i].addr = mb->opts.mnps[i].prefix;
		bu->mnp[i].plen = mb->opts.mnps[i].plen;
	}
	bu->nbid = mb->opts.nbids;
	if (bu->nbid > MCOA_MAX_BU_BIDS) {
		/* more than we hold: answered 130 after the RFC 6275 checks */
		bu->nbid = MCOA_MAX_BU_BIDS;
		if (!bu->reject)
			bu->reject = BA_ST_INSUFFICIENT;
	}
	for (i = 0; i < bu->nbid; i++) {
		const struct mh_bid *o = &mb->opts.bids[i];

		bu->bid[i].bid = o->bid;
		bu->bid[i].home = o->h;
		bu->bid[i].pri = o->pri;
		bu->bid[i].len = o->coa_family == AF_INET6 ? MH_BID_LEN_V6 :
				 o->coa_family == AF_INET ? MH_BID_LEN_V4 :
				 MH_BID_LEN_NOCOA;
		bu->bid[i].coa = o->coa6;
	}
}

static struct dad_wait *dad_find(const struct in6_addr *hoa)
{
	unsigned int i;

	for (i = 0; i < DAD_SLOTS; i++)
		if (dad[i].used && in6_eq(&dad[i].hoa, hoa))
			return &dad[i];
	return NULL;
}

/*
 * Hold the BU until DAD for @hoa is over: a Neighbor Solicitation for it
 * on the home link, HA_DAD_WAIT_MS for an answer. False when it cannot be
 * held (no slot, no solicitation sent): then it is decided at once, with
 * 130 for lack of a slot.
 */
static bool dad_hold(struct mcoad *d, const struct mh_msg *m,
		     const struct mh_addrs *a, enum mh_verdict v,
		     const struct in6_addr *hoa, bool *full)
{
	char h[INET6_ADDRSTRLEN];
	struct dad_wait *w = dad_find(hoa);
	unsigned int i;
	int ret;

	*full = false;
	for (i = 0; !w && i < DAD_SLOTS; i++)
		if (!dad[i].used)
			w = &dad[i];
	if (!w) {
		*full = true;
		return false;
	}
	if (!w->used) {
		ret = ndisc_probe_ns(d->cfg.home_link, home_ifindex, hoa);
		if (ret) {
			log_warn("DAD for %s: %s", a6s(hoa, h), strerror(-ret));
			return false;
		}
		w->used = true;
		w->dup = false;
		w->hoa = *hoa;
		w->until = now_ms() + HA_DAD_WAIT_MS;
		log_info("%s: duplicate address detection on %s",
			 a6s(hoa, h), d->cfg.home_link);
	}
	/* a retransmission replaces the BU held, the deadline stays */
	w->m = *m;
	w->a = *a;
	w->v = v;
	return true;
}

static void decide_bu(struct mcoad *d, const struct mh_msg *m,
		      const struct mh_addrs *a, enum mh_verdict v, bool dup,
		      bool full);

static void handle_bu(struct mcoad *d, struct mh_msg *m,
		      const struct mh_addrs *a, enum mh_verdict v)
{
	const struct mh_bu *mb = &m->u.bu;
	char h[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	struct bu_req bu;
	bool full = false;

	bu_from_wire(d, &bu, m, a, v);
	/*
	 * RFC 6275 s.9.5.1: a BU that needed IPsec and came without it is
	 * silently dropped. For a keyed HoA the kernel has done that; here
	 * are those for HoAs nobody gave keys for. First, so that forged
	 * BUs do not use up the rate budget of the CoA they spoof.
	 */
	if (d->cfg.ipsec && !bu.esp) {
		ipsec_unprotected(d, &bu.hoa, &a->src);
		return;
	}
	/* max-bu-rate: dropped unanswered, see ha_bu_rate_ok() for why */
	if (!ha_bu_rate_ok(&ha, &a->src, now_ms())) {
		log_dbg("BU from %s over max-bu-rate: dropped",
			a6s(&a->src, s));
		return;
	}
	log_info("BU from %s hoa %s seq %u flags %#06x lifetime %us, %u BID option(s)%s",
		 a6s(&a->src, s), a6s(&bu.hoa, h), mb->seq, mb->flags,
		 mh_lifetime_sec(mb->lifetime), mb->opts.nbids,
		 bu.esp ? ", ESP" : "");
	if (d->cfg.dad && d->nd_fd >= 0 && ha_needs_dad(&ha, &bu, now_ms()) &&
	    dad_hold(d, m, a, v, &bu.hoa, &full))
		return;
	decide_bu(d, m, a, v, false, full);
}

static int count_binding(const struct mcoa_binding *b, void *arg)
{
	(void)b;
	++*(unsigned int *)arg;
	return 0;
}

/*
 * Does the kernel hold bindings of @bu's HoA that this HA did not make?
 * Asked only when the HoA has none here: one dump of that HoA per first
 * registration, so that no BU overwrites an operator's static binding
 * (or one left alone at a restart, see ha_adopt_binding()).
 */
static bool hoa_held(struct mcoad *d, const struct bu_req *bu)
{
	char err[MCOA_NL_ERRLEN], h[INET6_ADDRSTRLEN];
	const struct ha_mn *mn = ha_find_mn(&ha, &bu->hoa);
	unsigned int n = 0;

	if (!d->nl || !bu->lifetime || (mn && mn->n))
		return false;
	if (mcoa_nl_binding_dump(d->nl, d->ifindex, &bu->hoa, count_binding,
				 &n, err) < 0) {
		log_warn("binding dump of %s: %s", a6s(&bu->hoa, h), err);
		return false;
	}
	if (n)
		log_notice("%s: the kernel holds %u binding(s) of it that this home agent did not make: 129",
			   a6s(&bu->hoa, h), n);
	return n;
}

static void decide_bu(struct mcoad *d, const struct mh_msg *m,
		      const struct mh_addrs *a, enum mh_verdict v, bool dup,
		      bool full)
{
	char s[INET6_ADDRSTRLEN];
	struct ha_tick_out undo;
	struct ha_result res;
	struct bu_req bu;
	struct mh_ba ba;

	bu_from_wire(d, &bu, m, a, v);
	bu.hoa_dup = dup;
	bu.hoa_held = hoa_held(d, &bu);
	if (full && !bu.reject)
		bu.reject = BA_ST_INSUFFICIENT;
	ha_process_bu(&ha, &bu, now_ms(), &res);
	if (apply_ops(d, res.ops, res.nops)) {
		/* RFC 3963 s.6.2: the mobile network cannot be served */
		log_notice("%s: forwarding for its mobile network failed: 143, its bindings removed",
			   a6s(&bu.hoa, s));
		ha_nemo_setup_failed(&ha, &bu.hoa, now_ms(), &res, &undo);
		apply_ops(d, undo.ops, undo.nops);
	}
	if (!res.send_ba) {
		if (!a->has_hao)
			log_info("registration without Home Address option from %s dropped",
				 a6s(&a->src, s));
		return;
	}
	ha_fill_ba(&res, &ba);
	send_ba(d, a, &bu.hoa, &ba);
}

/* RFC 6275 s.9.3.3: to the offending packet's source, rate limited */
static void send_be(struct mcoad *d, const struct mh_addrs *in, uint8_t st)
{
	char s[INET6_ADDRSTRLEN];
	uint8_t buf[MH_MAX_LEN];
	struct mh_addrs out = { .src = in->dst, .dst = in->src };
	struct mh_be be = { .status = st };
	int len;

	if (IN6_IS_ADDR_MULTICAST(&in->src) || !ha_be_allowed(&ha, now_ms()))
		return;
	log_info("Binding Error status %u to %s", st, a6s(&in->src, s));
	if (in->has_hao)
		be.hoa = in->hao;
	len = mh_build_be(buf, sizeof(buf), &be);
	if (len > 0)
		mhsock_send(&d->mh, buf, len, &out);
}

void ha_on_mh(struct mcoad *d, void *buf, size_t len,
	      const struct mh_addrs *a)
{
	struct mh_msg m;
	enum mh_verdict v;

	v = mh_parse(buf, len, &m);
	if (v == MH_PARSE_DROP) {
		d->mh_drops[m.drop & 31]++;
		log_dbg("dropped MH (%s)", mh_drop_str(m.drop));
		return;
	}
	/*
	 * RFC 6275 s.9.3.1: a Home Address option is only good with a
	 * binding from that CoA (a BU is how one gets there).
	 */
	if (a->has_hao && m.type != MH_TYPE_BU &&
	    !ha_hao_bound(&ha, &a->hao, &a->src)) {
		send_be(d, a, MH_BE_UNKNOWN_HAO);
		return;
	}
	switch (v) {
	case MH_PARSE_BE:
		send_be(d, a, m.status);
		return;
	default:
		break;
	}
	if (m.type == MH_TYPE_BU) {
		handle_bu(d, &m, a, v);
		return;
	}
	log_dbg("ignored MH %s", mh_type_str(m.type));
}

static void send_brr(struct mcoad *d, const struct ha_brr *r)
{
	char h[INET6_ADDRSTRLEN];
	uint8_t buf[MH_MAX_LEN];
	struct mh_brr brr;
	struct mh_addrs out = {
		.src = d->cfg.ha_addr,
		.dst = r->coa,
		.has_rh2 = true,
		.rh2 = r->hoa,
	};
	unsigned int i;
	int len, ret;

	memset(&brr, 0, sizeof(brr));
	brr.opts.nbids = r->nbid;
	for (i = 0; i < r->nbid; i++)
		brr.opts.bids[i].bid = r->bid[i];
	len = mh_build_brr(buf, sizeof(buf), &brr);
	if (len < 0)
		return;
	ret = mhsock_send(&d->mh, buf, len, &out);
	log_info("BRR to %s for %u BID(s)%s", a6s(&r->hoa, h), r->nbid,
		 ret ? " failed" : "");
}

/* DAD is over for @w: decide its BU, free the slot. */
static void dad_done(struct mcoad *d, struct dad_wait *w)
{
	char h[INET6_ADDRSTRLEN];

	if (w->dup)
		log_notice("%s is in use on %s: BU refused (134)",
			   a6s(&w->hoa, h), d->cfg.home_link);
	w->used = false;
	decide_bu(d, &w->m, &w->a, w->v, w->dup, false);
}

uint64_t ha_timer(struct mcoad *d)
{
	struct ha_tick_out out;
	uint64_t next, now = now_ms();
	unsigned int i;

	for (i = 0; i < DAD_SLOTS; i++)
		if (dad[i].used && dad[i].until <= now)
			dad_done(d, &dad[i]);
	next = ha_tick(&ha, now, &out);
	apply_ops(d, out.ops, out.nops);
	for (i = 0; i < out.nbrr; i++)
		send_brr(d, &out.brr[i]);
	for (i = 0; i < DAD_SLOTS; i++)
		if (dad[i].used && dad[i].until < next)
			next = dad[i].until;
	now = ipsec_tick(d, now);
	return now < next ? now : next;
}

/* An NA on the home link: somebody holds an address we are checking. */
void ha_on_ndisc(struct mcoad *d)
{
	struct in6_addr target;
	struct dad_wait *w;
	int ret;

	while ((ret = ndisc_na_read(d->nd_fd, &target)) >= 0) {
		if (!ret)
			continue;
		w = dad_find(&target);
		if (w) {
			w->dup = true;
			dad_done(d, w);
		}
	}
}

void ha_on_kernel_event(struct mcoad *d, uint8_t cmd,
			const struct mcoa_binding *b)
{
	struct ha_tick_out out;
	char h[INET6_ADDRSTRLEN];

	if (cmd != MCOA_CMD_BINDING_DEL_NTF ||
	    !(b->has & MCOA_B_DEL_REASON) ||
	    b->del_reason == MCOA_DEL_REASON_USER)
		return;
	/* expired or device gone in the kernel: forget it here too */
	if (!ha_find_binding(ha_find_mn(&ha, &b->hoa), b->bid))
		return;
	log_info("kernel dropped %s bid %u (%s)", a6s(&b->hoa, h), b->bid,
		 mcoa_del_reason_name(b->del_reason));
	ha_forget_binding(&ha, &b->hoa, b->bid, now_ms(), &out);
	apply_ops(d, out.ops, out.nops);
}

/* Someone removed a router's prefix in the kernel: not ours any more. */
static void prefix_event(uint8_t cmd, const struct mcoa_prefix *p, void *arg)
{
	struct nemo_prefix np = { .addr = p->addr, .plen = p->plen };
	struct mcoad *d = arg;
	char h[INET6_ADDRSTRLEN];

	if (cmd != MCOA_CMD_PREFIX_DEL_NTF || p->ifindex != d->ifindex ||
	    !ha_has_prefix(&ha, &p->hoa, &np))
		return;
	/* the news of our own withdrawal, after we delegated it again */
	if (nemo_nl_holds(d, &p->hoa, &np.addr, np.plen))
		return;
	ha_forget_prefix(&ha, &p->hoa, &np);
	rtnl_route(d->rtnl, d->ifindex, &np.addr, np.plen, NULL, 0, false);
	log_notice("%s: a prefix of it was removed in the kernel: delegated again at its next registration",
		   a6s(&p->hoa, h));
}

/*
 * Restart: what the kernel holds goes through the daemon's policy
 * (ha_adopt_binding()). The adopted bindings are logged per HoA, those
 * left alone one line each up to RESTORE_LOG_MAX (an operator may hold a
 * million static bindings), then only counted.
 */
#define RESTORE_LOG_MAX	32

struct restore_cap {
	struct in6_addr hoa;
	uint16_t bid;
	uint32_t lifetime;
};

struct restore_ctx {
	unsigned int left[HA_LEFT_FULL + 1];
	unsigned int nleft, ncapped;
	struct in6_addr ha_addr;	/* ha-address: the bindings' peer */
	/* bindings to cut in the kernel, once the dump is over */
	struct restore_cap *cap;
	unsigned int ncap, capsize;
};

static void restore_note_cap(struct restore_ctx *c, const struct in6_addr *hoa,
			     uint16_t bid, uint32_t lifetime)
{
	struct restore_cap *n;

	if (c->ncap == c->capsize) {
		n = realloc(c->cap, (c->capsize * 2 + 16) * sizeof(*n));
		if (!n) {
			log_warn("no memory to cap a binding's lifetime: the kernel keeps its own");
			return;
		}
		c->cap = n;
		c->capsize = c->capsize * 2 + 16;
	}
	c->cap[c->ncap].hoa = *hoa;
	c->cap[c->ncap].bid = bid;
	c->cap[c->ncap++].lifetime = lifetime;
}

static int restore_binding(const struct mcoa_binding *b, void *arg)
{
	char h[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	struct restore_ctx *ctx = arg;
	struct ha_kbinding kb = {
		.hoa = b->hoa,
		.coa = b->coa,
		.bid = b->bid,
		.legacy = b->flags & MCOA_BINDING_FLAGS_LEGACY,
		.home = b->flags & MCOA_BINDING_FLAGS_HOME,
		/* the kernel sends no expiry for a binding without lifetime */
		.permanent = b->has & MCOA_B_LIFETIME ? !b->lifetime :
			     !(b->has & MCOA_B_EXPIRES),
		.expires_in_ms = b->has & MCOA_B_EXPIRES ? b->expires_ms : 0,
		.other_peer = !(b->has & MCOA_B_PEER) ||
			      !in6_eq(&b->peer, &ctx->ha_addr),
	};
	enum ha_adopt v;
	uint32_t lt;

	v = ha_adopt_binding(&ha, &kb, now_ms(), &lt);
	switch (v) {
	case HA_ADOPTED:
		break;
	case HA_ADOPTED_CAPPED:
		ctx->ncapped++;
		log_notice("%s bid %u: %llu s left, capped to max-lifetime (%u s)",
			   a6s(&b->hoa, h), b->bid,
			   (unsigned long long)(kb.expires_in_ms / 1000), lt);
		restore_note_cap(ctx, &b->hoa, b->bid, lt);
		break;
	default:
		ctx->left[v]++;
		if (ctx->nleft++ < RESTORE_LOG_MAX)
			log_notice("left alone in the kernel: %s bid %u coa %s (%s)",
				   a6s(&b->hoa, h), b->bid, a6s(&b->coa, c),
				   ha_adopt_str(v));
		break;
	}
	return 0;
}

/* The kernel's expiry follows the capped lifetime (it restarts from now). */
static void restore_apply_caps(struct mcoad *d, struct restore_ctx *c)
{
	char err[MCOA_NL_ERRLEN], h[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < c->ncap; i++) {
		/* only the lifetime: CoA, verification and the rest stay */
		struct mcoa_binding b = {
			.has = MCOA_B_LIFETIME,
			.hoa = c->cap[i].hoa,
			.bid = c->cap[i].bid,
			.lifetime = c->cap[i].lifetime,
		};

		if (mcoa_nl_binding_set(d->nl, d->ifindex, &b, err))
			log_err("cap lifetime of %s bid %u: %s",
				a6s(&b.hoa, h), b.bid, err);
	}
	free(c->cap);
	c->cap = NULL;
}

/* One line for what was left alone, by reason. */
static void restore_summary(const struct restore_ctx *c)
{
	if (!c->nleft)
		return;
	log_notice("left %u binding(s) alone in the kernel (not adopted, not deleted): %u permanent, %u HoA outside home-prefix, %u bad CoA, %u home or BID 0, %u other tunnel address, %u no room%s",
		   c->nleft, c->left[HA_LEFT_PERMANENT], c->left[HA_LEFT_PREFIX],
		   c->left[HA_LEFT_COA], c->left[HA_LEFT_KIND],
		   c->left[HA_LEFT_PEER], c->left[HA_LEFT_FULL],
		   c->nleft > RESTORE_LOG_MAX ? " (only the first ones logged)" : "");
}

static int restore_seq(const struct mcoa_hoa *h, void *arg)
{
	(void)arg;
	if (h->has & MCOA_H_SEQ)
		ha_restore_seq(&ha, &h->addr, h->seq);
	return 0;
}

/* A restarted daemon takes over what the kernel kept (nothing is lost). */
static void restore(struct mcoad *d)
{
	char err[MCOA_NL_ERRLEN], h[INET6_ADDRSTRLEN];
	struct restore_ctx ctx = { .ha_addr = d->cfg.ha_addr };
	unsigned int n = 0;
	struct ha_mn *mn;
	int ret;

	if (!d->nl)
		return;
	ret = mcoa_nl_binding_dump(d->nl, d->ifindex, NULL, restore_binding,
				   &ctx, err);
	if (ret < 0)
		log_warn("binding dump: %s", err);
	restore_apply_caps(d, &ctx);
	ret = mcoa_nl_hoa_dump(d->nl, d->ifindex, NULL, restore_seq, NULL,
			       err);
	if (ret < 0)
		log_warn("hoa dump: %s", err);
	ha_nemo_restore(d, &ha);
	for (mn = ha.mns; mn; mn = mn->next) {
		struct kop op = { .type = KOP_PROXY_ADD, .hoa = mn->hoa };

		n += mn->n;
		apply_ops(d, &op, 1);
		log_notice("recovered %s: %u binding(s), seq %u",
			   a6s(&mn->hoa, h), mn->n, mn->last_seq);
	}
	if (n)
		log_notice("recovered %u binding(s) from the kernel (%u capped to max-lifetime)",
			   n, ctx.ncapped);
	restore_summary(&ctx);
}

int ha_start(struct mcoad *d)
{
	struct mcoad_config *c = &d->cfg;
	struct ha_policy pol = {
		.prefix = c->home_prefix,
		.plen = c->home_plen,
		.max_lifetime = c->max_lifetime,
		.brr_lead = c->brr_lead,
		.allow_mcoa = c->allow_mcoa,
		.allow_bulk = c->allow_bulk,
		.max_bindings_per_hoa = c->max_bindings_per_hoa,
		.max_hoas_per_source = c->max_hoas_per_source,
		.max_hoas = c->max_hoas,
		.max_bu_rate = c->max_bu_rate,
		.mrs = ha_nemo_start(d),
	};
	struct in6_addr any = IN6ADDR_ANY_INIT;
	char err[MCOA_NL_ERRLEN];
	int ret;

	_Static_assert(CONFIG_MAX_BINDINGS_PER_HOA == HA_MAX_BINDINGS,
		       "max-bindings-per-hoa range is the cache entry's size");
	ha_state_init(&ha, &pol);
	/* without it, the rate table still works, only guessably hashed */
	if (getrandom(&ha.rate_seed, sizeof(ha.rate_seed), GRND_NONBLOCK) < 0)
		ha.rate_seed = (uint32_t)now_ms();
	if (mcoad_device_open(d, MCOA_MODE_HA))
		return -1;
	if (d->nl)
		mcoa_nl_event_prefixes(d->nl, prefix_event);
	home_ifindex = mcoa_ifindex(c->home_link, err);
	if (home_ifindex < 0) {
		log_err("home-link: %s", err);
		return -1;
	}
	d->nd_fd = ndisc_na_socket(c->home_link);
	if (d->nd_fd < 0)
		log_warn("no duplicate address detection on %s: %s",
			 c->home_link, strerror(-d->nd_fd));
	if (sysctl_ipv6_conf(c->home_link, "proxy_ndp", "1"))
		log_warn("cannot enable proxy_ndp on %s", c->home_link);
	if (sysctl_ipv6_conf("all", "forwarding", "1"))
		log_warn("cannot enable IPv6 forwarding");
	/* accept a HAO on BUs from any CoA for any HoA sent to us */
	ret = mcoa_xfrm_ha_allow(&d->xfrm, &c->ha_addr, &any, &any);
	if (ret)
		log_warn("xfrm HAO state: %s", strerror(-ret));
	restore(d);
	return 0;
}

void ha_stop(struct mcoad *d)
{
	(void)d;
	ha_state_free(&ha);
	ha_nemo_stop();
}

/* ha_dump()'s view with the IPsec counters as one more member */
void ha_show(struct mcoad *d, FILE *f, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		ha_dump(&ha, now_ms(), f, json);
		return;
	}
	ha_dump(&ha, now_ms(), m, json);
	fclose(m);
	ipsec_append_show(d, f, json, buf, len);
	free(buf);
}

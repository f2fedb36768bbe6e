// SPDX-License-Identifier: GPL-2.0
/*
 * Mobile node side of RFC 5648: what to register, when, and what to do with
 * each answer. See mn_bul.h for the model.
 */
#include <arpa/inet.h>
#include <string.h>

#include "jsonesc.h"
#include "mn_bul.h"

void mn_state_init(struct mn_state *st, const struct mn_params *p,
		   uint16_t seq)
{
	memset(st, 0, sizeof(*st));
	st->p = *p;
	st->seq = seq;
	st->mcoa_off = !p->use_mcoa;
	st->bulk_off = !p->use_bulk;
	st->dirty = true;
	st->sig_link = -1;
}

int mn_add_link(struct mn_state *st, const char *ifname, uint16_t bid,
		uint8_t prio)
{
	struct mn_link *l;

	if (st->nlinks == MN_MAX_LINKS)
		return -1;
	l = &st->links[st->nlinks];
	memset(l, 0, sizeof(*l));
	snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
	l->bid = bid;
	l->prio = prio;
	/* one Echo identifier per CoA, apart from the others' */
	live_init(&l->live, (uint16_t)(st->seq * 0x9e37u + st->nlinks + 1));
	return st->nlinks++;
}

struct mn_link *mn_link_by_ifindex(struct mn_state *st, int ifindex)
{
	unsigned int i;

	for (i = 0; i < st->nlinks; i++)
		if (st->links[i].ifindex == ifindex && ifindex)
			return &st->links[i];
	return NULL;
}

struct mn_link *mn_link_by_bid(struct mn_state *st, uint16_t bid)
{
	unsigned int i;

	for (i = 0; i < st->nlinks; i++)
		if (st->links[i].bid == bid)
			return &st->links[i];
	return NULL;
}

bool mn_link_probeable(const struct mn_link *l)
{
	return l->ifindex && l->up && l->have_coa;
}

/* Carries traffic and signalling: up, addressed, and not found dead. */
static bool usable(const struct mn_link *l)
{
	return mn_link_probeable(l) && !l->suspended;
}

static struct mn_kop *kop(struct mn_out *out, enum mn_kop_type t,
			  const struct mn_link *l)
{
	struct mn_kop *op;

	if (out->nops >= MN_MAX_OPS)
		return NULL;
	op = &out->ops[out->nops++];
	memset(op, 0, sizeof(*op));
	op->type = t;
	if (l) {
		op->bid = l->bid;
		op->coa = l->bound_coa;
		op->link = l->ifindex;
		op->lifetime = l->granted;
		op->legacy = l->legacy;
	}
	return op;
}

/* The data plane must stop using a CoA that is gone, before signalling. */
static void kernel_drop(struct mn_link *l, struct mn_out *out)
{
	if (!l->kernel)
		return;
	kop(out, MN_KOP_DEL, l);
	l->kernel = false;
}

void mn_link_event(struct mn_state *st, int ifindex, const char *ifname,
		   bool up, bool del, struct mn_out *out)
{
	struct mn_link *l = NULL;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < st->nlinks; i++)
		if (!strcmp(st->links[i].ifname, ifname))
			l = &st->links[i];
	if (!l)
		return;
	if (del) {
		up = false;
		l->have_coa = false;
	}
	if (l->ifindex != ifindex) {
		/* renumbered (re-created) interface: the old CoA is gone */
		l->have_coa = false;
		l->ifindex = ifindex;
		st->dirty = true;
	}
	if (l->up == up)
		return;
	l->up = up;
	st->dirty = true;
	if (!up)
		kernel_drop(l, out);
}

void mn_addr_event(struct mn_state *st, int ifindex,
		   const struct in6_addr *addr, bool del, struct mn_out *out)
{
	struct mn_link *l = mn_link_by_ifindex(st, ifindex);

	memset(out, 0, sizeof(*out));
	if (!l || !mip6_addr_routable(addr) || in6_eq(addr, &st->p.hoa))
		return;
	if (del) {
		if (!l->have_coa || !in6_eq(&l->coa, addr))
			return;
		l->have_coa = false;
		kernel_drop(l, out);
		st->dirty = true;
		return;
	}
	if (l->have_coa && in6_eq(&l->coa, addr))
		return;
	if (!l->have_coa || !in6_eq(&l->coa, addr)) {
		/* the first global address of a link is its CoA */
		if (l->have_coa && l->kernel &&
		    in6_eq(&l->bound_coa, &l->coa))
			return;
		l->coa = *addr;
		l->have_coa = true;
		st->dirty = true;
	}
}

bool mn_home_event(struct mn_state *st, bool up)
{
	if (st->home_up == up)
		return false;
	st->home_up = up;
	st->home_hold_until = 0;
	st->dirty = true;
	if (!up) {
		/*
		 * The HA forgot us (or may have, if the BA was lost): start
		 * over with O=1 and every live CoA, like a reboot.
		 */
		st->at_home = false;
		st->bootstrapped = false;
	}
	return true;
}

void mn_live_sync(struct mn_state *st, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < st->nlinks; i++) {
		struct mn_link *l = &st->links[i];

		if (mn_link_probeable(l))
			live_start(&l->live, &st->p.probe, now);
		else if (l->live.state != LIVE_IDLE)
			live_stop(&l->live, now);
	}
}

/* Probed, not dead, and it has answered once: this path surely works. */
static bool proven_alive(const struct mn_link *l)
{
	return mn_link_probeable(l) && l->live.state == LIVE_ALIVE &&
	       l->live.st.answered;
}

/*
 * A dead CoA leaves service only while another CoA is proven alive. When
 * none is, the failure is more likely the home agent's (or a filter that
 * drops Echo) than every uplink's at once; taking every binding down
 * would gain nothing and lose what may still get through.
 */
bool mn_liveness(struct mn_state *st, struct mn_out *out)
{
	bool changed = false;
	unsigned int i, j;

	for (i = 0; i < st->nlinks; i++) {
		struct mn_link *l = &st->links[i];
		bool other = false, want;

		for (j = 0; j < st->nlinks && !other; j++)
			other = j != i && proven_alive(&st->links[j]);
		want = mn_link_probeable(l) && l->live.state == LIVE_DEAD &&
		       other;
		if (want == l->suspended)
			continue;
		l->suspended = want;
		st->dirty = true;
		changed = true;
		/* flows leave it now, before any signalling */
		if (want)
			kernel_drop(l, out);
	}
	return changed;
}

static void unbind(struct mn_link *l, struct mn_out *out);

static void tx_add(struct mn_bu *bu, const struct mn_link *l, bool with_coa)
{
	struct mn_tx_bid *b;

	if (bu->nbid >= MCOA_MAX_BU_BIDS)
		return;
	b = &bu->bid[bu->nbid++];
	b->bid = l->bid;
	b->with_coa = with_coa;
	b->coa = l->coa;
}

/*
 * Where the next BU leaves: the link whose last BU was answered, while it
 * is usable, else the first usable one in configuration order.
 */
static int primary_link(const struct mn_state *st)
{
	unsigned int i;

	if (st->sig_link >= 0 && (unsigned int)st->sig_link < st->nlinks &&
	    usable(&st->links[st->sig_link]))
		return st->sig_link;
	for (i = 0; i < st->nlinks; i++)
		if (usable(&st->links[i]))
			return i;
	return -1;
}

/*
 * A retransmission leaves by the next usable link: an uplink that is up
 * but loses everything must not take every binding down with it.
 */
static void rotate_src(struct mn_state *st)
{
	unsigned int i, n = st->nlinks;

	if (st->tx.legacy || st->tx.home || !n)
		return;
	for (i = 1; i <= n; i++) {
		unsigned int k = (st->tx.src_link + i) % n;

		if (usable(&st->links[k])) {
			st->tx.src_link = k;
			st->tx.src = st->links[k].coa;
			return;
		}
	}
}

static bool needs_reg(const struct mn_link *l, uint64_t now)
{
	if (!usable(l) || l->hold_until > now)
		return false;
	return !l->bound || !l->kernel || !in6_eq(&l->bound_coa, &l->coa) ||
	       l->need_coa || l->brr || now >= l->refresh_at;
}

/* Refreshes due soon ride along, so bindings stay in one bulk BU. */
static bool refresh_soon(const struct mn_link *l, uint64_t now)
{
	return usable(l) && l->bound && !l->legacy &&
	       l->refresh_at <= now + (uint64_t)l->granted * 250;
}

/*
 * At home: one plain de-registration of everything (RFC 6275 s.11.5.5,
 * RFC 5648 s.5.5 case 1), sent even if nothing is bound here, since the HA
 * may hold bindings from before a restart. Nothing once it is acked.
 */
static bool plan_home(struct mn_state *st, uint64_t now, struct mn_bu *bu)
{
	if (st->at_home || st->home_hold_until > now)
		return false;
	bu->home = true;
	bu->legacy = true;
	bu->lifetime = 0;
	bu->src = st->p.hoa;
	return true;
}

/* Plan the next BU; false when nothing has to be said. */
static bool plan(struct mn_state *st, uint64_t now, struct mn_bu *bu,
		 struct mn_out *out)
{
	int src = primary_link(st);
	unsigned int i, with_coa = 0;
	struct mn_link *l;

	memset(bu, 0, sizeof(*bu));
	if (st->home_up)
		return plan_home(st, now, bu);
	if (src < 0)
		return false;
	bu->src_link = src;
	bu->src = st->links[src].coa;

	/* 1. bindings whose link is gone: selective de-registration */
	for (i = 0; i < st->nlinks && !st->mcoa_off; i++) {
		l = &st->links[i];
		if (l->bound && !l->legacy && !usable(l))
			tx_add(bu, l, false);
		if (st->bulk_off && bu->nbid)
			break;
	}
	if (bu->nbid)
		return true;

	/* 2. legacy RFC 6275 registration of one CoA */
	if (st->mcoa_off) {
		l = &st->links[src];
		/* plain RFC 6275 binds one CoA: the others leave the kernel */
		for (i = 0; i < st->nlinks; i++)
			if ((int)i != src && (st->links[i].bound ||
					      st->links[i].kernel))
				unbind(&st->links[i], out);
		if (!needs_reg(l, now))
			return false;
		bu->legacy = true;
		bu->lifetime = st->p.lifetime / 4;
		return true;
	}

	/* 3. registrations and refreshes */
	bu->lifetime = st->p.lifetime / 4;
	bu->overwrite = !st->bootstrapped || st->force_overwrite;
	for (i = 0; i < st->nlinks; i++) {
		bool coa;

		l = &st->links[i];
		if (!bu->overwrite && !needs_reg(l, now) &&
		    !(bu->nbid && refresh_soon(l, now)))
			continue;
		if (!usable(l) || l->hold_until > now)
			continue;
		/* O=1 replaces everything: name every CoA with its address */
		coa = bu->overwrite || !l->bound || l->need_coa ||
		      !in6_eq(&l->bound_coa, &l->coa);
		if (coa && with_coa && st->p.first_individual &&
		    !bu->overwrite)
			continue;
		tx_add(bu, l, coa || st->p.esp);
		with_coa += coa;
		if (st->bulk_off)
			break;
	}
	/* riders added before the first real need are fine: all are due */
	return bu->nbid > 0;
}

static void transmit(struct mn_state *st, uint64_t now, struct mn_out *out)
{
	st->tx.seq = ++st->seq;
	st->st.bu_tx++;
	out->send = true;
	out->bu = st->tx;
	st->tx_next = now + st->tx_timeout;
	st->tx_last_sent = now;
	st->sent_at[st->nsent++ % MAX_UPDATE_RATE] = now;
}

/*
 * RFC 6275 s.11.8: no more than MAX_UPDATE_RATE BUs a second to the HA,
 * however fast addresses flap. Returns 0 when one may leave at @now, else
 * the time it may.
 */
static uint64_t rate_wait(const struct mn_state *st, uint64_t now)
{
	uint64_t oldest;

	if (st->nsent < MAX_UPDATE_RATE)
		return 0;
	oldest = st->sent_at[st->nsent % MAX_UPDATE_RATE];
	return oldest + 1000 > now ? oldest + 1000 : 0;
}

static uint32_t first_timeout(const struct mn_state *st)
{
	/* the longer first timeout is for a new registration */
	if (st->bootstrapped || st->tx.home)
		return INITIAL_BINDACK_TIMEOUT_MS;
	return st->p.first_reg_timeout_ms ? st->p.first_reg_timeout_ms :
					    INITIAL_BINDACK_TIMEOUT_FIRSTREG_MS;
}

uint64_t mn_step(struct mn_state *st, uint64_t now, struct mn_out *out)
{
	uint64_t next = UINT64_MAX;
	struct mn_bu bu;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	/* expiry without refresh: the HA and the kernel forget it too */
	for (i = 0; i < st->nlinks; i++) {
		struct mn_link *l = &st->links[i];

		if (l->bound && l->expires <= now) {
			l->bound = false;
			kernel_drop(l, out);
			st->dirty = true;
		}
	}
	if (st->tx_active && st->dirty)
		st->tx_active = false;
	if (st->tx_active) {
		if (now >= st->tx_next) {
			uint64_t wait = rate_wait(st, now);

			if (wait)
				return wait;
			if (st->tx_resync) {
				st->tx_resync = false;
			} else {
				st->tx_timeout *= 2;
				if (st->tx_timeout > MAX_BINDACK_TIMEOUT_MS)
					st->tx_timeout = MAX_BINDACK_TIMEOUT_MS;
				st->st.retrans++;
				rotate_src(st);
			}
			transmit(st, now, out);
		}
		return st->tx_next;
	}
	if (plan(st, now, &bu, out)) {
		uint64_t wait = rate_wait(st, now);

		/* stay dirty: plan again when a BU may leave */
		if (wait) {
			st->dirty = true;
			return wait;
		}
		st->dirty = false;
		st->tx = bu;
		st->tx_active = true;
		st->tx_resync = false;
		st->tx_first_seq = st->seq + 1;
		st->tx_timeout = first_timeout(st);
		st->tx_first_sent = now;
		transmit(st, now, out);
		return st->tx_next;
	}
	st->dirty = false;
	for (i = 0; i < st->nlinks; i++) {
		const struct mn_link *l = &st->links[i];

		if (l->bound && l->refresh_at < next)
			next = l->refresh_at;
		if (l->bound && l->expires < next)
			next = l->expires;
		if (l->hold_until > now && l->hold_until < next)
			next = l->hold_until;
	}
	if (st->home_hold_until > now && st->home_hold_until < next)
		next = st->home_hold_until;
	return next;
}

/*
 * RFC 6275 s.11.7.3: the granted lifetime runs from when the BU was sent,
 * not from when its BA arrived, and is never longer than what was asked.
 */
static uint64_t ba_base_time(const struct mn_state *st, const struct mn_ba *ba)
{
	return ba->seq == st->tx.seq ? st->tx_last_sent : st->tx_first_sent;
}

static void accept_link(struct mn_state *st, struct mn_link *l,
			const struct mn_tx_bid *b, const struct mn_ba *ba,
			uint64_t now, bool legacy, struct mn_out *out)
{
	uint16_t units = ba->lifetime < st->tx.lifetime ? ba->lifetime :
							  st->tx.lifetime;
	uint32_t refresh;

	now = ba_base_time(st, ba);
	if (b)
		l->bound_coa = b->with_coa ? b->coa : l->bound_coa;
	else
		l->bound_coa = l->coa;
	l->bound = true;
	l->legacy = legacy;
	l->granted = (uint32_t)units * 4;
	l->expires = now + (uint64_t)l->granted * 1000;
	/* refresh at 80 % of the lifetime, or earlier if the HA advises */
	refresh = l->granted * 800;
	if (ba->has_refresh && ba->refresh &&
	    (uint32_t)ba->refresh * 4000 < refresh)
		refresh = (uint32_t)ba->refresh * 4000;
	l->refresh_at = now + refresh;
	l->need_coa = false;
	l->brr = false;
	l->hold_until = 0;
	kop(out, l->kernel ? MN_KOP_SET : MN_KOP_NEW, l);
	l->kernel = true;
}

static void unbind(struct mn_link *l, struct mn_out *out)
{
	l->bound = false;
	l->legacy = false;
	kernel_drop(l, out);
}

static bool seq_in_tx(const struct mn_state *st, uint16_t seq)
{
	return !mip6_seq_gt(st->tx_first_seq, seq) &&
	       !mip6_seq_gt(seq, st->tx.seq);
}

static uint8_t bid_status(const struct mn_ba *ba, uint16_t bid)
{
	unsigned int i;

	for (i = 0; i < ba->nbid; i++)
		if (ba->bid[i].bid == bid)
			return ba->bid[i].status ? ba->bid[i].status :
						    ba->status;
	return ba->status;
}

/* The status in @bid's own option of @ba, 0 if none. */
static uint8_t bid_own_status(const struct mn_ba *ba, uint16_t bid)
{
	unsigned int i;

	for (i = 0; i < ba->nbid; i++)
		if (ba->bid[i].bid == bid)
			return ba->bid[i].status;
	return 0;
}

/* Does any BID option of @ba carry its own status? */
static bool ba_names_bids(const struct mn_ba *ba)
{
	unsigned int i;

	for (i = 0; i < ba->nbid; i++)
		if (ba->bid[i].status)
			return true;
	return false;
}

/*
 * RFC 5648 s.5.7: the HA does not do MCoA. Every binding but the one of
 * link @keep (the plain RFC 6275 one, -1 for none yet) leaves the kernel,
 * and the caller hears of it once.
 */
static void mcoa_fallback(struct mn_state *st, int keep, struct mn_out *out)
{
	unsigned int i;

	if (!st->mcoa_off)
		out->mcoa_fallback = true;
	st->mcoa_off = true;
	for (i = 0; i < st->nlinks; i++)
		if ((int)i != keep)
			unbind(&st->links[i], out);
}

/* Whole BU refused (>= 128): RFC 5648 s.5.7 reactions. */
static void refused(struct mn_state *st, const struct mn_ba *ba,
		    uint64_t now, struct mn_out *out)
{
	unsigned int i;

	switch (ba->status) {
	case BA_ST_MCOA_PROHIBITED:
		/*
		 * MUST stop registering multiple bindings with this HA; the
		 * plain registration that follows binds one CoA, so the
		 * others leave the data plane now.
		 */
		mcoa_fallback(st, -1, out);
		break;
	case BA_ST_MCOA_BULK_PROHIBITED:
		/* none of the bulk registrations happened */
		st->bulk_off = true;
		break;
	case BA_ST_MCOA_NON_MCOA_BINDING:
		st->force_overwrite = true;
		break;
	case BA_ST_MCOA_UNKNOWN_COA:
		for (i = 0; i < st->tx.nbid; i++) {
			struct mn_link *l = mn_link_by_bid(st,
							   st->tx.bid[i].bid);

			if (l && st->tx.lifetime)
				l->need_coa = true;
			else if (l)
				unbind(l, out);
		}
		break;
	case BA_ST_NOT_HA_FOR_MN:
		/*
		 * De-registering something the HA does not have: done. When
		 * the BA names the unknown BIDs (133 in their option), the
		 * HA deleted nothing: the others are de-registered again.
		 */
		if (!st->tx.lifetime)
			for (i = 0; i < st->tx.nbid; i++) {
				struct mn_link *l =
					mn_link_by_bid(st, st->tx.bid[i].bid);

				if (l && (!ba_names_bids(ba) ||
					  bid_own_status(ba, l->bid) ==
					  BA_ST_NOT_HA_FOR_MN))
					unbind(l, out);
			}
		break;
	default:
		/* a policy refusal: do not hammer the HA */
		for (i = 0; i < st->tx.nbid; i++) {
			struct mn_link *l = mn_link_by_bid(st,
							   st->tx.bid[i].bid);

			if (l)
				l->hold_until = now + MAX_BINDACK_TIMEOUT_MS;
		}
		if (st->tx.legacy)
			st->links[st->tx.src_link].hold_until =
				now + MAX_BINDACK_TIMEOUT_MS;
		break;
	}
}

/*
 * BA to the de-registration sent from home. 133: the HA holds nothing for
 * us, which is the state we asked for. Either way the data plane stops
 * tunnelling: every binding leaves the kernel.
 */
static void home_ba(struct mn_state *st, const struct mn_ba *ba,
		    uint64_t now, struct mn_out *out)
{
	unsigned int i;

	if (ba->status >= 128 && ba->status != BA_ST_NOT_HA_FOR_MN) {
		st->home_hold_until = now + MAX_BINDACK_TIMEOUT_MS;
		return;
	}
	for (i = 0; i < st->nlinks; i++)
		unbind(&st->links[i], out);
	st->at_home = true;
}

bool mn_process_ba(struct mn_state *st, const struct mn_ba *ba, uint64_t now,
		   struct mn_out *out)
{
	unsigned int i, j;
	bool any = false;

	memset(out, 0, sizeof(*out));
	st->st.ba_rx++;
	st->st.status[ba->status]++;
	if (!st->tx_active) {
		st->st.ba_ignored++;
		return false;
	}
	if (ba->status == BA_ST_SEQ_OUT_OF_WINDOW) {
		/* resync to the HA's last accepted number and go again */
		st->seq = ba->seq;
		st->tx_first_seq = ba->seq + 1;
		st->tx_next = now;
		/*
		 * The BA came back by this uplink: it works. Not a loss, so
		 * no backoff and no move to another link.
		 */
		st->tx_resync = true;
		return true;
	}
	if (!seq_in_tx(st, ba->seq)) {
		st->st.ba_ignored++;
		return false;
	}
	st->tx_active = false;
	st->dirty = true;
	/* this uplink carries signalling: start there next time */
	if (!st->tx.home)
		st->sig_link = st->tx.src_link;
	if (st->tx.home) {
		home_ba(st, ba, now, out);
		goto seq;
	}
	if (ba->status >= 128) {
		refused(st, ba, now, out);
		return true;
	}

	if (st->tx.legacy || (!ba->nbid && st->tx.nbid && st->tx.lifetime)) {
		/*
		 * No BID option in the BA: the HA ignored them (RFC 6275 only)
		 * and bound the source CoA alone. Fall back for good.
		 */
		struct mn_link *src = &st->links[st->tx.src_link];

		if (!st->tx.legacy)
			mcoa_fallback(st, st->tx.src_link, out);
		for (i = 0; i < st->nlinks; i++)
			if (&st->links[i] != src)
				unbind(&st->links[i], out);
		if (src->kernel && !src->legacy) {
			kernel_drop(src, out);
		}
		accept_link(st, src, NULL, ba, now, true, out);
		st->bootstrapped = true;
		goto seq;
	}

	for (i = 0; i < st->tx.nbid; i++) {
		const struct mn_tx_bid *b = &st->tx.bid[i];
		struct mn_link *l = mn_link_by_bid(st, b->bid);
		uint8_t s = bid_status(ba, b->bid);

		if (!l)
			continue;
		l->last_status = s;
		if (!st->tx.lifetime) {
			/* de-registered (or the HA did not have it) */
			unbind(l, out);
			continue;
		}
		if (s == BA_ST_MCOA_NOTCOMPLETE)
			s = BA_ST_ACCEPTED;
		if (s < 128) {
			if (l->kernel && l->legacy)
				kernel_drop(l, out);
			accept_link(st, l, b, ba, now, false, out);
			any = true;
		} else if (s == BA_ST_MCOA_UNKNOWN_COA) {
			l->need_coa = true;
			l->bound = false;
		} else {
			l->bound = false;
			l->hold_until = now + MAX_BINDACK_TIMEOUT_MS;
		}
	}
	if (st->tx.overwrite && any) {
		/* the HA dropped every binding this BU did not name */
		for (i = 0; i < st->nlinks; i++) {
			bool named = false;

			for (j = 0; j < st->tx.nbid; j++)
				if (st->tx.bid[j].bid == st->links[i].bid)
					named = true;
			if (!named && st->links[i].bound)
				unbind(&st->links[i], out);
		}
		st->bootstrapped = true;
		st->force_overwrite = false;
	}
seq:
	{
		struct mn_kop *op = kop(out, MN_KOP_SEQ, NULL);

		if (op)
			op->seq = st->seq;
	}
	return true;
}

void mn_process_brr(struct mn_state *st, const uint16_t *bids,
		    unsigned int nbid)
{
	unsigned int i;

	st->st.brr_rx++;
	for (i = 0; i < st->nlinks; i++) {
		struct mn_link *l = &st->links[i];
		unsigned int j;
		bool asked = !nbid;

		for (j = 0; j < nbid; j++)
			if (bids[j] == l->bid)
				asked = true;
		if (asked && l->bound)
			l->brr = true;
	}
	st->dirty = true;
}

void mn_restore_binding(struct mn_state *st, uint16_t bid,
			const struct in6_addr *coa, uint64_t expires_in_ms,
			bool legacy, uint64_t now)
{
	struct mn_link *l = mn_link_by_bid(st, bid);

	if (!l)
		return;
	l->bound = true;
	l->kernel = true;
	l->legacy = legacy;
	l->bound_coa = *coa;
	l->granted = expires_in_ms / 1000;
	l->expires = now + expires_in_ms;
	l->refresh_at = now + expires_in_ms * 4 / 5;
	/* the HA may have lost us meanwhile: bootstrap again with O=1 */
}

/* away, returning-home (de-registration not acked yet) or at-home */
static const char *where(const struct mn_state *st)
{
	if (!st->home_up)
		return "away";
	return st->at_home ? "at-home" : "returning-home";
}

void mn_dump(const struct mn_state *st, uint64_t now, FILE *f, bool json)
{
	char hoa[INET6_ADDRSTRLEN], coa[INET6_ADDRSTRLEN];
	unsigned int i;

	inet_ntop(AF_INET6, &st->p.hoa, hoa, sizeof(hoa));
	if (json)
		fprintf(f, "{\"role\":\"mn\",\"hoa\":\"%s\",\"seq\":%u,\"mcoa\":%s,\"bulk\":%s,\"bootstrapped\":%s,\"home\":\"%s\",\"bul\":[",
			hoa, st->seq, st->mcoa_off ? "false" : "true",
			st->bulk_off ? "false" : "true",
			st->bootstrapped ? "true" : "false", where(st));
	else
		fprintf(f, "role mn hoa %s seq %u%s%s%s%s%s\n", hoa, st->seq,
			st->mcoa_off ? " mcoa-off" : "",
			st->bulk_off ? " bulk-off" : "",
			st->home_up ? " " : "", st->home_up ? where(st) : "",
			st->tx_active ? " bu-in-flight" : "");
	for (i = 0; i < st->nlinks; i++) {
		const struct mn_link *l = &st->links[i];
		long left = l->bound && l->expires > now ?
			    (long)((l->expires - now) / 1000) : 0;
		/* at home a live CoA is deliberately left unregistered */
		const char *state = l->suspended ? "dead" :
				    l->bound ? "bound" :
				    !usable(l) ? "down" :
				    st->home_up ? "home" :
				    st->mcoa_off ? "unused" : "pending";

		if (l->have_coa)
			inet_ntop(AF_INET6, &l->coa, coa, sizeof(coa));
		else
			strcpy(coa, "");
		if (json) {
			/* the name comes from outside: escaped, never raw */
			fprintf(f, "%s{\"bid\":%u,\"ifname\":", i ? "," : "",
				l->bid);
			json_escape(f, l->ifname);
			fprintf(f, ",\"up\":%s,\"coa\":\"%s\",\"state\":\"%s\",\"legacy\":%s,\"lifetime\":%u,\"expires\":%ld,\"kernel\":%s,\"status\":%u,",
				l->up ? "true" : "false", coa, state,
				l->legacy ? "true" : "false", l->granted, left,
				l->kernel ? "true" : "false", l->last_status);
			live_dump(&l->live, &st->p.probe, now, f, true);
			fputc('}', f);
		} else {
			fprintf(f, "  bid %u dev %s coa %s %s%s lifetime %u expires %lds%s status %u",
				l->bid, l->ifname, *coa ? coa : "-", state,
				l->legacy ? " legacy" : "", l->granted, left,
				l->kernel ? " kernel" : "", l->last_status);
			live_dump(&l->live, &st->p.probe, now, f, false);
			fputc('\n', f);
		}
	}
	if (json)
		fprintf(f, "],\"stats\":{\"bu_tx\":%llu,\"retrans\":%llu,\"ba_rx\":%llu,\"ba_ignored\":%llu,\"brr_rx\":%llu,\"probe_unmatched\":%llu}}\n",
			(unsigned long long)st->st.bu_tx,
			(unsigned long long)st->st.retrans,
			(unsigned long long)st->st.ba_rx,
			(unsigned long long)st->st.ba_ignored,
			(unsigned long long)st->st.brr_rx,
			(unsigned long long)st->st.probe_unmatched);
	else
		fprintf(f, "stats bu-tx %llu retrans %llu ba-rx %llu ba-ignored %llu brr-rx %llu probe-unmatched %llu\n",
			(unsigned long long)st->st.bu_tx,
			(unsigned long long)st->st.retrans,
			(unsigned long long)st->st.ba_rx,
			(unsigned long long)st->st.ba_ignored,
			(unsigned long long)st->st.brr_rx,
			(unsigned long long)st->st.probe_unmatched);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5648 s.6.2 as a pure function over the home agent's binding cache.
 * Every accepted BU is turned into a new set of bindings for its HoA; the
 * kernel operations are the difference between the old and the new set, so
 * a refresh is a binding-set and unchanged bindings are not touched.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ha_bu.h"
#include "mh.h"

void ha_state_init(struct ha_state *st, const struct ha_policy *pol)
{
	memset(st, 0, sizeof(*st));
	st->pol = *pol;
	hidx_init(&st->idx);
}

void ha_state_free(struct ha_state *st)
{
	struct ha_mn *mn, *next;

	for (mn = st->mns; mn; mn = next) {
		next = mn->next;
		free(mn);
	}
	st->mns = NULL;
	hidx_free(&st->idx);
	free(st->rate);
	st->rate = NULL;
}

struct ha_mn *ha_find_mn(struct ha_state *st, const struct in6_addr *hoa)
{
	return hidx_find(&st->idx, hoa);
}

struct ha_binding *ha_find_binding(struct ha_mn *mn, uint16_t bid)
{
	unsigned int i;

	if (!mn)
		return NULL;
	for (i = 0; i < mn->n; i++)
		if (mn->b[i].bid == bid)
			return &mn->b[i];
	return NULL;
}

static struct ha_mn *mn_new(struct ha_state *st, const struct in6_addr *hoa)
{
	struct ha_mn *mn = calloc(1, sizeof(*mn));

	if (!mn)
		return NULL;
	mn->hoa = *hoa;
	if (hidx_add(&st->idx, mn)) {
		free(mn);
		return NULL;
	}
	mn->next = st->mns;
	if (st->mns)
		st->mns->prev = mn;
	st->mns = mn;
	return mn;
}

static void mn_unlink(struct ha_state *st, struct ha_mn *mn)
{
	hidx_del(&st->idx, mn);
	if (mn->prev)
		mn->prev->next = mn->next;
	else
		st->mns = mn->next;
	if (mn->next)
		mn->next->prev = mn->prev;
	free(mn);
}

/* When the HA asks for a refresh: never before half of the lifetime */
static uint64_t brr_at(const struct ha_state *st, const struct ha_binding *b)
{
	uint64_t lead = (uint64_t)st->pol.brr_lead * 1000;
	uint64_t half = b->lifetime * 500ull;

	return b->expires - (lead < half ? lead : half);
}

/*
 * After any change to @mn's bindings, tombstone or source: its deadline
 * (the earliest expiry, BRR due or tombstone end) and counts in the index.
 */
static void mn_sync(struct ha_state *st, struct ha_mn *mn)
{
	uint64_t due = UINT64_MAX;
	unsigned int i;

	if (!mn)
		return;
	if (!mn->n)
		due = mn->tomb_until;
	for (i = 0; i < mn->n; i++) {
		const struct ha_binding *b = &mn->b[i];

		if (b->expires < due)
			due = b->expires;
		if (!b->brr_sent && brr_at(st, b) < due)
			due = brr_at(st, b);
	}
	hidx_sync(&st->idx, mn, due, mn->n > 0, &mn->src);
}

static bool mn_has_legacy(const struct ha_mn *mn)
{
	unsigned int i;

	for (i = 0; mn && i < mn->n; i++)
		if (mn->b[i].legacy)
			return true;
	return false;
}

static struct kop *op_add(struct kop *ops, unsigned int *n, enum kop_type t,
			  const struct in6_addr *hoa)
{
	struct kop *op;

	if (*n >= HA_MAX_OPS)
		return NULL;
	op = &ops[(*n)++];
	memset(op, 0, sizeof(*op));
	op->type = t;
	op->hoa = *hoa;
	return op;
}

static void op_binding(struct kop *ops, unsigned int *n, enum kop_type t,
		       const struct in6_addr *hoa, const struct ha_binding *b)
{
	struct kop *op = op_add(ops, n, t, hoa);

	if (!op)
		return;
	op->bid = b->bid;
	op->coa = b->coa;
	op->lifetime = b->lifetime;
	op->legacy = b->legacy;
	op->home = b->home;
}

static void op_prefix(struct kop *ops, unsigned int *n, enum kop_type t,
		      const struct in6_addr *hoa, const struct nemo_prefix *p)
{
	struct kop *op = op_add(ops, n, t, hoa);

	if (op)
		op->pfx = *p;
}

/*
 * The prefixes delegated to @mn become @want[0..nwant): the kernel
 * operations are the difference, so a refresh touches nothing.
 */
static void mn_set_prefixes(struct ha_mn *mn, const struct nemo_prefix *want,
			    unsigned int nwant, struct kop *ops,
			    unsigned int *nops)
{
	unsigned int i, j;

	for (i = 0; i < mn->nmnp; i++) {
		for (j = 0; j < nwant; j++)
			if (nemo_prefix_eq(&mn->mnp[i], &want[j]))
				break;
		if (j == nwant)
			op_prefix(ops, nops, KOP_PREFIX_DEL, &mn->hoa,
				  &mn->mnp[i]);
	}
	for (j = 0; j < nwant; j++) {
		for (i = 0; i < mn->nmnp; i++)
			if (nemo_prefix_eq(&mn->mnp[i], &want[j]))
				break;
		if (i == mn->nmnp)
			op_prefix(ops, nops, KOP_PREFIX_ADD, &mn->hoa,
				  &want[j]);
	}
	memcpy(mn->mnp, want, nwant * sizeof(*want));
	mn->nmnp = nwant;
}

/* The last binding of @mn is going: its prefixes go with it. */
static void mn_prefixes_gone(struct ha_mn *mn, struct kop *ops,
			     unsigned int *nops)
{
	mn_set_prefixes(mn, NULL, 0, ops, nops);
	mn->mr = false;
}

static bool binding_same_kind(const struct ha_binding *a,
			      const struct ha_binding *b)
{
	return a->legacy == b->legacy && a->home == b->home;
}

/*
 * Replace the bindings of @hoa (@mn may be NULL) by @nb[0..nn) and emit the
 * kernel operations. Frees @mn when the new set is empty.
 */
static void commit(struct ha_state *st, struct ha_mn *mn,
		   const struct in6_addr *hoa, struct ha_binding *nb,
		   unsigned int nn, uint16_t seq, uint64_t now,
		   struct kop *ops, unsigned int *nops)
{
	struct ha_binding *old;
	struct kop *op;
	unsigned int i;
	bool fresh = !mn || !mn->n;

	if (nn && !mn) {
		mn = mn_new(st, hoa);
		if (!mn)
			return;
	}
	if (nn && fresh)
		op_add(ops, nops, KOP_PROXY_ADD, hoa);

	/* deletions first so a replaced legacy binding frees its slot */
	for (i = 0; mn && i < mn->n; i++) {
		unsigned int j;
		bool kept = false;

		for (j = 0; j < nn; j++)
			if (nb[j].bid == mn->b[i].bid &&
			    binding_same_kind(&nb[j], &mn->b[i]))
				kept = true;
		if (!kept)
			op_binding(ops, nops, KOP_BINDING_DEL, hoa, &mn->b[i]);
	}
	for (i = 0; i < nn; i++) {
		old = ha_find_binding(mn, nb[i].bid);
		if (old && binding_same_kind(old, &nb[i])) {
			/* bindings the BU did not name stay as they are */
			if (old->expires == nb[i].expires &&
			    in6_eq(&old->coa, &nb[i].coa))
				continue;
			op_binding(ops, nops, KOP_BINDING_SET, hoa, &nb[i]);
		} else
			op_binding(ops, nops, KOP_BINDING_NEW, hoa, &nb[i]);
	}
	if (!nn) {
		if (mn && !fresh) {
			mn_prefixes_gone(mn, ops, nops);
			op = op_add(ops, nops, KOP_PROXY_DEL, hoa);
			if (op)
				op->linklocal = mn->linklocal;
			mn->n = 0;
			mn->last_seq = seq;
			mn->tomb_until = now + MAX_DELETE_BCE_TIMEOUT_MS;
		}
		return;
	}
	memcpy(mn->b, nb, nn * sizeof(*nb));
	mn->n = nn;
	mn->last_seq = seq;
	op = op_add(ops, nops, KOP_HOA_SEQ, hoa);
	if (op)
		op->seq = seq;
}

static uint32_t grant_lifetime(const struct ha_state *st, uint16_t units)
{
	uint32_t req = (uint32_t)units * 4;

	if (req > st->pol.max_lifetime)
		req = st->pol.max_lifetime & ~3u;
	return req;
}

static void set_binding(struct ha_binding *b, uint16_t bid,
			const struct in6_addr *coa, uint32_t lifetime,
			uint64_t now)
{
	memset(b, 0, sizeof(*b));
	b->bid = bid;
	b->coa = *coa;
	b->lifetime = lifetime;
	b->expires = now + (uint64_t)lifetime * 1000;
}

/* BU without BID option: RFC 6275 home registration, one binding. */
static void process_legacy(struct ha_state *st, struct ha_mn *mn,
			   const struct bu_req *bu, uint64_t now,
			   struct ha_result *res)
{
	const struct in6_addr *coa = bu->has_altcoa ? &bu->altcoa : &bu->src;
	struct ha_binding nb;
	uint32_t lt;

	/* CoA == HoA is a de-registration too (RFC 6275 s.9.5.1) */
	if (!bu->lifetime || in6_eq(coa, &bu->hoa)) {
		if (!mn || !mn->n) {
			res->status = BA_ST_NOT_HA_FOR_MN;
			return;
		}
		commit(st, mn, &bu->hoa, NULL, 0, bu->seq, now, res->ops,
		       &res->nops);
		res->status = BA_ST_ACCEPTED;
		res->lifetime = 0;
		return;
	}
	if (!mip6_addr_routable(coa)) {
		res->status = BA_ST_UNSPECIFIED;
		return;
	}
	lt = grant_lifetime(st, bu->lifetime);
	set_binding(&nb, HA_LEGACY_BID, coa, lt, now);
	nb.legacy = true;
	commit(st, mn, &bu->hoa, &nb, 1, bu->seq, now, res->ops, &res->nops);
	res->status = BA_ST_ACCEPTED;
	res->lifetime = lt / 4;
}

/* Sanity checks that reject the whole BU (s.6.2 first steps). */
static uint8_t check_bid_options(const struct ha_state *st,
				 const struct bu_req *bu)
{
	unsigned int i, j;

	if (!st->pol.allow_mcoa)
		return BA_ST_MCOA_PROHIBITED;
	for (i = 0; i < bu->nbid; i++) {
		const struct bu_bid *o = &bu->bid[i];

		if (o->len != 4 && o->len != 8 && o->len != 20)
			return BA_ST_MCOA_MALFORMED;
		/* one BU naming a BID twice is ambiguous */
		for (j = 0; j < i; j++)
			if (bu->bid[j].bid == o->bid)
				return BA_ST_MCOA_MALFORMED;
	}
	if (bu->nbid > 1 && !st->pol.allow_bulk)
		return BA_ST_MCOA_BULK_PROHIBITED;
	return BA_ST_ACCEPTED;
}

/*
 * Final BA status from per-BID results (RFC 5648 s.6.2/6.3): all accepted
 * -> 0; one BID -> its status in the BA; several, some failed -> 4 with
 * per-BID statuses; several, all failed alike -> that status in the BA;
 * several, all failed differently -> the first one in the BA (nothing was
 * committed, so 4 "partially accepted" would be a lie) and each BID's own
 * status in its option.
 */
static void finish_status(struct ha_result *res, unsigned int ok)
{
	unsigned int i;
	bool same = true;

	if (ok == res->nbid) {
		res->status = BA_ST_ACCEPTED;
		return;
	}
	for (i = 1; i < res->nbid; i++)
		if (res->bid[i].status != res->bid[0].status)
			same = false;
	if (res->nbid == 1 || (!ok && same)) {
		res->status = res->bid[0].status;
		for (i = 0; i < res->nbid; i++)
			res->bid[i].status = 0;
		res->lifetime = 0;
		return;
	}
	if (!ok) {
		res->status = res->bid[0].status;
		res->lifetime = 0;
		return;
	}
	res->status = BA_ST_MCOA_NOTCOMPLETE;
}

/*
 * Selective de-registration (RFC 5648 s.6.2): all or nothing. A BID the
 * HA does not hold rejects the whole BU with 133 and nothing is deleted;
 * in a BU naming several BIDs the unknown ones carry 133 in their option
 * so the MN knows which of them are gone. BID 0 is reserved: 164.
 */
static void process_dereg(struct ha_state *st, struct ha_mn *mn,
			  const struct bu_req *bu, uint64_t now,
			  struct ha_result *res)
{
	struct ha_binding nb[HA_MAX_BINDINGS];
	unsigned int i, j, nn = 0, unknown = 0;

	for (i = 0; i < res->nbid; i++) {
		if (!res->bid[i].bid) {
			res->status = BA_ST_MCOA_MALFORMED;
			return;
		}
	}
	for (i = 0; i < res->nbid; i++) {
		if (ha_find_binding(mn, res->bid[i].bid))
			continue;
		unknown++;
		if (res->nbid > 1)
			res->bid[i].status = BA_ST_NOT_HA_FOR_MN;
	}
	if (unknown) {
		res->status = BA_ST_NOT_HA_FOR_MN;
		return;
	}
	for (j = 0; j < mn->n; j++) {
		bool gone = false;

		for (i = 0; i < res->nbid; i++)
			if (res->bid[i].bid == mn->b[j].bid)
				gone = true;
		if (!gone)
			nb[nn++] = mn->b[j];
	}
	commit(st, mn, &bu->hoa, nb, nn, bu->seq, now, res->ops, &res->nops);
	res->status = BA_ST_ACCEPTED;
	res->lifetime = 0;
}

/* max-bindings-per-hoa, never beyond what a cache entry holds */
static unsigned int max_bindings(const struct ha_state *st)
{
	uint32_t m = st->pol.max_bindings_per_hoa;

	return m && m < HA_MAX_BINDINGS ? m : HA_MAX_BINDINGS;
}

static void process_reg(struct ha_state *st, struct ha_mn *mn,
			const struct bu_req *bu, uint64_t now,
			struct ha_result *res)
{
	struct ha_binding nb[HA_MAX_BINDINGS], *old;
	unsigned int i, j, nn = 0, ok = 0, max = max_bindings(st);
	uint32_t lt = grant_lifetime(st, bu->lifetime);

	if (mn_has_legacy(mn) && !bu->overwrite) {
		res->status = BA_ST_MCOA_NON_MCOA_BINDING;
		return;
	}
	/* O=1 starts from an empty set, else from the current one */
	if (!bu->overwrite && mn) {
		memcpy(nb, mn->b, mn->n * sizeof(*nb));
		nn = mn->n;
	}
	for (i = 0; i < bu->nbid; i++) {
		const struct bu_bid *o = &bu->bid[i];
		struct ba_bid *r = &res->bid[i];
		const struct in6_addr *coa;

		if (!o->bid) {
			/* reserved (RFC 5648 s.4.3): refuse this option only */
			r->status = BA_ST_MCOA_MALFORMED;
			continue;
		}
		/*
		 * A home binding (RFC 5648 s.5.6) needs delivery on the home
		 * link while proxy ND stays on, which this HA does not do:
		 * accepting it would blackhole the HoA's traffic.
		 */
		if (o->home) {
			r->status = BA_ST_MCOA_SIMUL_HOME_FOREIGN;
			continue;
		}
		if (o->len == 8) {
			/* IPv4 CoAs (RFC 5648 s.8) are not supported yet */
			r->status = BA_ST_UNSPECIFIED;
			continue;
		}
		if (o->len == 20) {
			coa = &o->coa;
			if (!mip6_addr_routable(coa) ||
			    in6_eq(coa, &bu->hoa) != o->home) {
				r->status = BA_ST_MCOA_MALFORMED;
				continue;
			}
		} else if (bu->esp) {
			/* the unprotected source cannot stand for the CoA */
			r->status = BA_ST_MCOA_MALFORMED;
			continue;
		} else {
			old = ha_find_binding(mn, o->bid);
			if (!old || old->legacy) {
				r->status = BA_ST_MCOA_UNKNOWN_COA;
				continue;
			}
			/* a refresh cannot turn a foreign binding into a home one */
			if (old->home != o->home) {
				r->status = BA_ST_REG_TYPE_CHANGE;
				continue;
			}
			coa = &old->coa;
		}
		for (j = 0; j < nn; j++)
			if (nb[j].bid == o->bid)
				break;
		/*
		 * Only a BID the set does not hold yet counts against the
		 * limit: a refresh or a CoA change of a binding the HoA has
		 * is never refused, even when the limit was lowered since
		 * (or the binding was adopted at a restart). A bulk BU keeps
		 * the BIDs that fit, in its order; the others get 130 in
		 * their option (BA status 4).
		 */
		if (j == nn) {
			if (nn >= max) {
				r->status = BA_ST_INSUFFICIENT;
				st->st.refused_bindings_per_hoa++;
				continue;
			}
			nn++;
		}
		set_binding(&nb[j], o->bid, coa, lt, now);
		nb[j].home = o->home;
		ok++;
	}
	if (ok)
		commit(st, mn, &bu->hoa, nb, nn, bu->seq, now, res->ops,
		       &res->nops);
	res->lifetime = lt / 4;
	finish_status(res, ok);
}

/*
 * RFC 6275 s.9.5.1/10.3.1: a registration must name the HoA in a Home
 * Address option. Without one the HoA would be the source address, and
 * any host could register itself (or its neighbour) into the tunnel.
 * Only de-registrations come from the HoA itself, at home.
 */
static bool registration_without_hao(const struct bu_req *bu)
{
	if (bu->has_hao || !bu->lifetime)
		return false;
	return bu->nbid || (bu->has_altcoa && !in6_eq(&bu->altcoa, &bu->hoa));
}

/* A live binding cache entry, or a tombstone still holding its sequence. */
static bool mn_remembered(const struct ha_mn *mn, uint64_t now)
{
	return mn && (mn->n || mn->tomb_until > now);
}

/*
 * RFC 6275 s.9.5.1 and s.10.3.1 checks that come before anything RFC 5648
 * adds, in the RFC's order: registration type, home subnet, addresses that
 * are in use, sequence number. Returns 0 when the BU may go on.
 */
static uint8_t check_home_reg(struct ha_state *st, struct ha_mn *mn,
			      const struct bu_req *bu, uint64_t now,
			      struct ha_result *res)
{
	if (!bu->home_reg)
		/* no route optimisation here: H=0 only changes the type */
		return mn && mn->n ? BA_ST_REG_TYPE_CHANGE :
				     BA_ST_HOME_REG_NOT_SUPPORTED;
	if (!mip6_prefix_match(&bu->hoa, &st->pol.prefix, st->pol.plen))
		return BA_ST_NOT_HOME_SUBNET;
	/* our own address: DAD for it would fail, we defend it */
	if (bu->hoa_local || bu->hoa_dup)
		return BA_ST_DAD_FAILED;
	if (ha_addr_reserved_anycast(&bu->hoa, &st->pol.prefix, st->pol.plen) ||
	    bu->hoa_held)
		return BA_ST_ADMIN_PROHIBITED;
	if (mn_remembered(mn, now) && !mip6_seq_gt(bu->seq, mn->last_seq)) {
		res->seq = mn->last_seq;
		return BA_ST_SEQ_OUT_OF_WINDOW;
	}
	return 0;
}

/* Would @bu create or refresh bindings (not only delete some)? */
static bool bu_registers(const struct bu_req *bu)
{
	if (!bu->lifetime)
		return false;
	return bu->nbid ||
	       !in6_eq(bu->has_altcoa ? &bu->altcoa : &bu->src, &bu->hoa);
}

enum hoa_limit {
	LIMIT_NONE = 0,
	LIMIT_HOAS,
	LIMIT_HOAS_PER_SOURCE,
};

/*
 * max-hoas and max-hoas-per-source, for a registration of @bu. A HoA
 * counts while it has bindings (a tombstone holds none and goes after
 * MAX_DELETE_BCE_TIMEOUT). A HoA is charged to the source of its last
 * accepted registration: a new HoA, or a HoA whose BUs now come from
 * another source, is refused when that source already has its share; a
 * registration from the HoA's own source never is, so a refresh or an
 * MN that moves among its own CoAs always gets through.
 */
static enum hoa_limit hoa_limit(const struct ha_state *st,
				const struct ha_mn *mn,
				const struct bu_req *bu)
{
	uint32_t max_hoas = st->pol.max_hoas;
	uint32_t per_src = st->pol.max_hoas_per_source;
	bool fresh = !mn || !mn->n;
	uint32_t hoas, from_src;

	if (!bu_registers(bu))
		return LIMIT_NONE;
	if (!fresh && in6_eq(&mn->src, &bu->src))
		return LIMIT_NONE;
	if (!(fresh && max_hoas) && !per_src)
		return LIMIT_NONE;
	/* the other live nodes (ha_index.c counts them) */
	hoas = hidx_live(&st->idx);
	from_src = hidx_from_src(&st->idx, &bu->src);
	if (mn && mn->ix.live) {
		hoas--;
		if (mn->ix.src_counted && in6_eq(&mn->ix.src, &bu->src))
			from_src--;
	}
	if (fresh && max_hoas && hoas >= max_hoas)
		return LIMIT_HOAS;
	if (per_src && from_src >= per_src)
		return LIMIT_HOAS_PER_SOURCE;
	return LIMIT_NONE;
}

/*
 * RFC 3963 s.6.2, before anything is committed: R from a HoA that is no
 * mobile router here is 140; a registration's prefixes must be
 * well-formed (141) and its own (142), and are then @claim. A
 * de-registration claims nothing: its prefixes go with its last binding.
 */
static uint8_t mr_check(const struct ha_state *st, const struct bu_req *bu,
			struct nemo_prefix *claim, unsigned int *nclaim)
{
	*nclaim = 0;
	if (!bu->mr)
		return 0;
	if (!nemo_find(st->pol.mrs, &bu->hoa))
		return BA_ST_MR_NOT_PERMITTED;
	if (!bu_registers(bu))
		return 0;
	return nemo_claim(st->pol.mrs, &bu->hoa, bu->mnp, bu->nmnp, claim,
			  nclaim);
}

bool ha_needs_dad(struct ha_state *st, const struct bu_req *bu, uint64_t now)
{
	struct nemo_prefix claim[NEMO_MAX_MNPS];
	struct ha_mn *mn = ha_find_mn(st, &bu->hoa);
	struct ha_result res;
	unsigned int nclaim;

	if (!bu->lifetime || bu->reject || bu->hoa_dup ||
	    registration_without_hao(bu) || (mn && mn->n))
		return false;
	/* a BU that would be refused anyway is answered at once */
	if (check_home_reg(st, mn, bu, now, &res) || hoa_limit(st, mn, bu) ||
	    mr_check(st, bu, claim, &nclaim))
		return false;
	if (!bu->nbid)
		return !in6_eq(bu->has_altcoa ? &bu->altcoa : &bu->src,
			       &bu->hoa);
	return true;
}

/*
 * RFC 6275 s.10.3.1: with L set, the HA defends the link-local address
 * made of the HoA's interface identifier as well, for as long as it
 * proxies the HoA.
 */
static void note_linklocal(struct ha_state *st, const struct bu_req *bu,
			   struct ha_result *res)
{
	struct ha_mn *mn;
	unsigned int i;

	for (i = 0; i < res->nops; i++) {
		if (res->ops[i].type != KOP_PROXY_ADD)
			continue;
		res->ops[i].linklocal = bu->linklocal;
		mn = ha_find_mn(st, &bu->hoa);
		if (mn)
			mn->linklocal = bu->linklocal;
	}
}

static void account(struct ha_state *st, const struct ha_result *res)
{
	if (res->status >= 128)
		st->st.rejected++;
	else
		st->st.accepted++;
	st->st.status[res->status]++;
	if (res->send_ba)
		st->st.ba_tx++;
}

int ha_process_bu(struct ha_state *st, const struct bu_req *bu, uint64_t now,
		  struct ha_result *res)
{
	struct nemo_prefix claim[NEMO_MAX_MNPS];
	unsigned int i, nclaim = 0;
	struct ha_mn *mn;
	uint8_t status;

	memset(res, 0, sizeof(*res));
	st->st.bu_rx++;
	if (registration_without_hao(bu)) {
		/* dropped, not answered: the source may be anyone's */
		st->st.dropped_no_hao++;
		return 0;
	}
	/* RFC 6275 s.10.3.1: a home registration is always acknowledged */
	res->send_ba = bu->ack || bu->home_reg;
	res->seq = bu->seq;
	res->nbid = bu->nbid < MCOA_MAX_BU_BIDS ? bu->nbid : MCOA_MAX_BU_BIDS;
	for (i = 0; i < res->nbid; i++) {
		res->bid[i].bid = bu->bid[i].bid;
		res->bid[i].home = bu->bid[i].home;
		res->bid[i].pri = bu->bid[i].pri;
	}

	mn = ha_find_mn(st, &bu->hoa);
	res->status = check_home_reg(st, mn, bu, now, res);
	if (!res->status && bu->reject)
		res->status = bu->reject;
	if (res->status)
		goto out;
	if (bu->nbid) {
		status = check_bid_options(st, bu);
		if (status) {
			res->status = status;
			goto out;
		}
	}
	/*
	 * A limit on HoAs refuses the whole BU (BA status 130, BID options
	 * 0): it is about the mobile node, not about one of its bindings.
	 */
	switch (hoa_limit(st, mn, bu)) {
	case LIMIT_NONE:
		break;
	case LIMIT_HOAS:
		st->st.refused_hoas++;
		res->status = BA_ST_INSUFFICIENT;
		goto out;
	case LIMIT_HOAS_PER_SOURCE:
		st->st.refused_hoas_per_source++;
		res->status = BA_ST_INSUFFICIENT;
		goto out;
	}
	status = mr_check(st, bu, claim, &nclaim);
	if (status) {
		res->status = status;
		goto out;
	}
	if (!bu->nbid)
		process_legacy(st, mn, bu, now, res);
	else if (!bu->lifetime)
		process_dereg(st, mn, bu, now, res);
	else
		process_reg(st, mn, bu, now, res);
	mn = ha_find_mn(st, &bu->hoa);
	if (res->status < 128 && bu_registers(bu) && mn && mn->n) {
		mn->src = bu->src;
		/* the prefix set follows the last registration; no R: none */
		mn_set_prefixes(mn, claim, nclaim, res->ops, &res->nops);
		mn->mr = bu->mr;
	}
	mn_sync(st, mn);
out:
	/* R: the HA does mobile routers, for this HoA (RFC 3963 s.4.2) */
	res->ba_r = bu->mr && res->status != BA_ST_MR_NOT_PERMITTED;
	if (res->status >= 128)
		res->lifetime = 0;
	note_linklocal(st, bu, res);
	account(st, res);
	return 0;
}

bool ha_hao_bound(struct ha_state *st, const struct in6_addr *hoa,
		  const struct in6_addr *coa)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	unsigned int i;

	for (i = 0; mn && i < mn->n; i++)
		if (in6_eq(&mn->b[i].coa, coa))
			return true;
	return false;
}

bool ha_be_allowed(struct ha_state *st, uint64_t now)
{
	uint64_t add;

	if (!st->be_started || now < st->be_refill) {
		st->be_started = true;
		st->be_tokens = HA_BE_BURST;
		st->be_refill = now;
	}
	add = (now - st->be_refill) / HA_BE_INTERVAL_MS;
	if (add) {
		st->be_tokens = st->be_tokens + add > HA_BE_BURST ?
				HA_BE_BURST : st->be_tokens + add;
		st->be_refill += add * HA_BE_INTERVAL_MS;
	}
	if (!st->be_tokens) {
		st->st.be_limited++;
		return false;
	}
	st->be_tokens--;
	st->st.be_tx++;
	return true;
}

static uint32_t rate_hash(const struct ha_state *st, const struct in6_addr *a)
{
	uint32_t h = 2166136261u ^ st->rate_seed;	/* FNV-1a */
	unsigned int i;

	for (i = 0; i < sizeof(a->s6_addr); i++)
		h = (h ^ a->s6_addr[i]) * 16777619u;
	return h;
}

/*
 * A BU over max-bu-rate is dropped, not answered (and not counted in
 * rejected or status): every answer goes to the BU's source, which
 * nothing has authenticated, one BA (with its RH2 about as big as the BU)
 * per BU, so answering a flood would make the HA reflect it at whoever
 * the source names; and a 130 would still cost the processing and a log
 * line per BU. A real mobile node sends at most MAX_UPDATE_RATE (3) BUs a
 * second and retransmits an unanswered one with backoff (RFC 6275
 * s.11.8), so to it a dropped BU is one more lost packet. A flood that
 * spoofs a mobile node's CoA uses up that CoA's window: the node's BUs
 * from it are lost while the flood lasts (as they would be in the flood
 * itself); its other CoAs are not affected. The window is a fixed second
 * per source: at worst 2 * max-bu-rate pass across a window boundary.
 */
bool ha_bu_rate_ok(struct ha_state *st, const struct in6_addr *src,
		   uint64_t now)
{
	struct ha_rate_slot *s = NULL, *c;
	uint32_t h;
	unsigned int i;

	if (!st->pol.max_bu_rate)
		return true;
	if (!st->rate) {
		st->rate = calloc(HA_RATE_SLOTS, sizeof(*st->rate));
		if (!st->rate)
			return true;	/* no memory: limit nothing, refuse nothing */
	}
	h = rate_hash(st, src);
	for (i = 0; i < HA_RATE_PROBE; i++) {
		c = &st->rate[(h + i) % HA_RATE_SLOTS];
		if (c->used && in6_eq(&c->src, src)) {
			s = c;
			break;
		}
		/* else a free slot, else the oldest window of the probe run */
		if (!s || (s->used && (!c->used || c->start < s->start)))
			s = c;
	}
	if (!s->used || !in6_eq(&s->src, src)) {
		s->used = true;
		s->src = *src;
		s->start = now;
		s->count = 0;
	}
	/* a new window once a second has passed (or the clock went back) */
	if (now < s->start || now - s->start >= HA_RATE_WINDOW_MS) {
		s->start = now;
		s->count = 0;
	}
	if (s->count >= st->pol.max_bu_rate) {
		st->st.bu_rx++;
		st->st.dropped_bu_rate++;
		return false;
	}
	s->count++;
	return true;
}

bool ha_addr_reserved_anycast(const struct in6_addr *a,
			      const struct in6_addr *prefix, unsigned int plen)
{
	static const uint8_t eui64_anycast[8] = {
		0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80
	};
	unsigned int bit;

	if (plen >= 128 || !mip6_prefix_match(a, prefix, plen))
		return false;
	/* subnet-router anycast (RFC 4291 s.2.6.1): interface ID all zero */
	for (bit = plen; bit < 128; bit++)
		if (a->s6_addr[bit / 8] & (0x80 >> (bit % 8)))
			break;
	if (bit == 128)
		return true;
	/* RFC 2526: the 128 highest interface IDs, with u=0 on /64 */
	if (plen == 64)
		return !memcmp(a->s6_addr + 8, eui64_anycast, 7) &&
		       a->s6_addr[15] >= 0x80;
	if (plen > 120)
		return false;
	for (bit = plen; bit < 121; bit++)
		if (!(a->s6_addr[bit / 8] & (0x80 >> (bit % 8))))
			return false;
	return true;
}

/*
 * RFC 5648 s.4.3: outside a BU the BID option has no CoA field, so the BA
 * echoes each BID with its status (and H, BID-PRI) at Length 4.
 */
void ha_fill_ba(const struct ha_result *res, struct mh_ba *ba)
{
	unsigned int i;

	memset(ba, 0, sizeof(*ba));
	ba->status = res->status;
	ba->flags = res->ba_r ? MH_BA_F_R : 0;
	ba->seq = res->seq;
	ba->lifetime = res->lifetime;
	ba->opts.nbids = res->nbid;
	for (i = 0; i < res->nbid; i++) {
		ba->opts.bids[i].bid = res->bid[i].bid;
		ba->opts.bids[i].status = res->bid[i].status;
		ba->opts.bids[i].h = res->bid[i].home;
		ba->opts.bids[i].pri = res->bid[i].pri;
	}
}

static void brr_add(struct ha_tick_out *out, const struct ha_mn *mn,
		    const struct ha_binding *b)
{
	struct ha_brr *r = NULL;
	unsigned int i;

	for (i = 0; i < out->nbrr; i++)
		if (in6_eq(&out->brr[i].hoa, &mn->hoa))
			r = &out->brr[i];
	if (!r) {
		if (out->nbrr == HA_MAX_BRR)
			return;
		r = &out->brr[out->nbrr++];
		memset(r, 0, sizeof(*r));
		r->hoa = mn->hoa;
		r->coa = b->coa;
	}
	if (r->nbid < MCOA_MAX_BU_BIDS && !b->legacy)
		r->bid[r->nbid++] = b->bid;
}

/* Room in @out for everything one more node can need */
static bool tick_room(const struct ha_tick_out *out, const struct ha_mn *mn)
{
	if (!out->nops && !out->nbrr)
		return true;	/* (a node with more CoAs than HA_MAX_BRR) */
	return out->nops + mn->n + mn->nmnp + 1 <= HA_MAX_OPS &&
	       out->nbrr + mn->n <= HA_MAX_BRR;
}

/*
 * Only the nodes whose deadline has come, earliest first (ha_index.c's
 * heap): the cost is in the number of due nodes, not of nodes. When @out
 * is full, returns @now: the caller applies it and comes back at once.
 */
uint64_t ha_tick(struct ha_state *st, uint64_t now, struct ha_tick_out *out)
{
	struct ha_mn *mn;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	while ((mn = hidx_first(&st->idx)) && mn->ix.due <= now) {
		if (!mn->n) {
			/* tombstone: forget the sequence number once it is old */
			mn_unlink(st, mn);
			continue;
		}
		if (!tick_room(out, mn))
			return now;
		for (i = 0; i < mn->n;) {
			struct ha_binding *b = &mn->b[i];

			if (b->expires <= now) {
				st->st.expired++;
				op_binding(out->ops, &out->nops,
					   KOP_BINDING_DEL, &mn->hoa, b);
				mn->b[i] = mn->b[--mn->n];
				continue;
			}
			if (!b->brr_sent && brr_at(st, b) <= now) {
				b->brr_sent = true;
				brr_add(out, mn, b);
				st->st.brr_tx++;
			}
			i++;
		}
		if (!mn->n) {
			struct kop *op;

			mn_prefixes_gone(mn, out->ops, &out->nops);
			op = op_add(out->ops, &out->nops, KOP_PROXY_DEL,
				    &mn->hoa);
			if (op)
				op->linklocal = mn->linklocal;
			mn->tomb_until = now + MAX_DELETE_BCE_TIMEOUT_MS;
		}
		mn_sync(st, mn);
	}
	/* a BRR for a legacy binding carries no BID option; send it to the CoA */
	return mn ? mn->ix.due : UINT64_MAX;
}

void ha_forget_binding(struct ha_state *st, const struct in6_addr *hoa,
		       uint16_t bid, uint64_t now, struct ha_tick_out *out)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (!mn || !mn->n)
		return;
	for (i = 0; i < mn->n; i++) {
		if (mn->b[i].bid == bid) {
			mn->b[i] = mn->b[--mn->n];
			break;
		}
	}
	if (!mn->n) {
		struct kop *op;

		mn_prefixes_gone(mn, out->ops, &out->nops);
		op = op_add(out->ops, &out->nops, KOP_PROXY_DEL, hoa);
		if (op)
			op->linklocal = mn->linklocal;
		mn->tomb_until = now + MAX_DELETE_BCE_TIMEOUT_MS;
	}
	mn_sync(st, mn);
}

void ha_nemo_setup_failed(struct ha_state *st, const struct in6_addr *hoa,
			  uint64_t now, struct ha_result *res,
			  struct ha_tick_out *out)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	unsigned int i;

	memset(out, 0, sizeof(*out));
	/* the BU was counted as accepted: it is a refusal after all */
	if (res->status < 128) {
		st->st.accepted--;
		st->st.rejected++;
	}
	st->st.status[res->status]--;
	st->st.status[BA_ST_FORWARDING_FAILED]++;
	res->status = BA_ST_FORWARDING_FAILED;
	res->lifetime = 0;
	for (i = 0; i < res->nbid; i++)
		res->bid[i].status = 0;
	if (!mn || !mn->n)
		return;
	/*
	 * Every binding, prefix, the proxy; the sequence number stays, so a
	 * replay of this BU is still old.
	 */
	commit(st, mn, hoa, NULL, 0, mn->last_seq, now, out->ops, &out->nops);
	mn_sync(st, mn);
}

bool ha_has_prefix(struct ha_state *st, const struct in6_addr *hoa,
		   const struct nemo_prefix *p)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	unsigned int i;

	for (i = 0; mn && i < mn->nmnp; i++)
		if (nemo_prefix_eq(&mn->mnp[i], p))
			return true;
	return false;
}

bool ha_forget_prefix(struct ha_state *st, const struct in6_addr *hoa,
		      const struct nemo_prefix *p)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	unsigned int i;

	for (i = 0; mn && i < mn->nmnp; i++) {
		if (!nemo_prefix_eq(&mn->mnp[i], p))
			continue;
		memmove(&mn->mnp[i], &mn->mnp[i + 1],
			(mn->nmnp - i - 1) * sizeof(*p));
		mn->nmnp--;
		return true;
	}
	return false;
}

bool ha_restore_prefix(struct ha_state *st, const struct in6_addr *hoa,
		       const struct nemo_prefix *p)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	unsigned int i;

	if (!mn || !mn->n || !nemo_authorized(st->pol.mrs, hoa, p))
		return false;
	for (i = 0; i < mn->nmnp; i++)
		if (nemo_prefix_eq(&mn->mnp[i], p))
			return true;
	if (mn->nmnp == NEMO_MAX_MNPS)
		return false;
	mn->mnp[mn->nmnp++] = *p;
	mn->mr = true;
	return true;
}

int ha_restore_binding(struct ha_state *st, const struct in6_addr *hoa,
		       uint16_t bid, const struct in6_addr *coa, bool legacy,
		       bool home, uint64_t expires_in_ms, uint64_t now)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);
	struct ha_binding *b;

	if (!mn) {
		mn = mn_new(st, hoa);
		if (!mn)
			return -1;
	}
	b = ha_find_binding(mn, bid);
	if (!b) {
		if (mn->n == HA_MAX_BINDINGS)
			return -1;
		b = &mn->b[mn->n++];
	}
	memset(b, 0, sizeof(*b));
	b->bid = bid;
	b->coa = *coa;
	b->legacy = legacy;
	b->home = home;
	b->lifetime = (expires_in_ms + 999) / 1000;
	b->expires = now + expires_in_ms;
	mn_sync(st, mn);
	return 0;
}

void ha_restore_seq(struct ha_state *st, const struct in6_addr *hoa,
		    uint16_t seq)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);

	if (mn)
		mn->last_seq = seq;
}

/*
 * The rules BU processing applies to what a BU may register, applied to a
 * binding found in the kernel at start (see enum ha_adopt).
 */
enum ha_adopt ha_adopt_binding(struct ha_state *st,
			       const struct ha_kbinding *kb, uint64_t now,
			       uint32_t *lifetime)
{
	uint64_t left = kb->expires_in_ms;
	uint64_t cap = (uint64_t)(st->pol.max_lifetime & ~3u) * 1000;
	enum ha_adopt v = HA_ADOPTED;
	struct ha_mn *mn;

	*lifetime = 0;
	/* the daemon never asks for a binding without lifetime */
	if (kb->permanent)
		return HA_LEFT_PERMANENT;
	if (!mip6_prefix_match(&kb->hoa, &st->pol.prefix, st->pol.plen) ||
	    ha_addr_reserved_anycast(&kb->hoa, &st->pol.prefix, st->pol.plen))
		return HA_LEFT_PREFIX;
	/* 169 for home bindings, 164 for BID 0 */
	if (kb->home || (!kb->legacy && !kb->bid))
		return HA_LEFT_KIND;
	/* 164 (or a de-registration, for a CoA equal to the HoA) */
	if (!mip6_addr_routable(&kb->coa) || in6_eq(&kb->coa, &kb->hoa))
		return HA_LEFT_COA;
	if (kb->other_peer)
		return HA_LEFT_PEER;
	if (cap && left > cap) {
		left = cap;
		v = HA_ADOPTED_CAPPED;
	}
	if (ha_restore_binding(st, &kb->hoa, kb->bid, &kb->coa, kb->legacy,
			       false, left, now))
		return HA_LEFT_FULL;
	mn = ha_find_mn(st, &kb->hoa);
	/* the BUs of a MN come from one of its CoAs */
	if (IN6_IS_ADDR_UNSPECIFIED(&mn->src)) {
		mn->src = kb->coa;
		mn_sync(st, mn);
	}
	*lifetime = ha_find_binding(mn, kb->bid)->lifetime;
	return v;
}

const char *ha_adopt_str(enum ha_adopt v)
{
	switch (v) {
	case HA_ADOPTED: return "adopted";
	case HA_ADOPTED_CAPPED: return "adopted, lifetime capped to max-lifetime";
	case HA_LEFT_PERMANENT: return "permanent (static, no lifetime)";
	case HA_LEFT_PREFIX: return "HoA outside home-prefix or reserved";
	case HA_LEFT_COA: return "CoA not a routable care-of address";
	case HA_LEFT_KIND: return "home binding or BID 0";
	case HA_LEFT_PEER: return "tunnel not from this HA's address";
	case HA_LEFT_FULL: return "no room in the cache entry";
	}
	return "?";
}

const char *ba_status_str(uint8_t status)
{
	switch (status) {
	case BA_ST_ACCEPTED: return "accepted";
	case BA_ST_MCOA_NOTCOMPLETE: return "MCOA NOTCOMPLETE";
	case BA_ST_MCOA_RETURNHOME_WO_NDP: return "MCOA RETURNHOME WO/NDP";
	case BA_ST_UNSPECIFIED: return "reason unspecified";
	case BA_ST_ADMIN_PROHIBITED: return "administratively prohibited";
	case BA_ST_INSUFFICIENT: return "insufficient resources";
	case BA_ST_HOME_REG_NOT_SUPPORTED: return "home registration not supported";
	case BA_ST_NOT_HOME_SUBNET: return "not home subnet";
	case BA_ST_NOT_HA_FOR_MN: return "not home agent for this mobile node";
	case BA_ST_SEQ_OUT_OF_WINDOW: return "sequence number out of window";
	case BA_ST_REG_TYPE_CHANGE: return "registration type change disallowed";
	case BA_ST_MR_NOT_PERMITTED: return "mobile router operation not permitted";
	case BA_ST_INVALID_PREFIX: return "invalid prefix";
	case BA_ST_PREFIX_NOT_AUTHORIZED: return "not authorized for prefix";
	case BA_ST_FORWARDING_FAILED: return "forwarding setup failed";
	case BA_ST_MCOA_MALFORMED: return "MCOA MALFORMED";
	case BA_ST_MCOA_NON_MCOA_BINDING: return "MCOA NON-MCOA BINDING EXISTS";
	case BA_ST_MCOA_PROHIBITED: return "MCOA PROHIBITED";
	case BA_ST_MCOA_UNKNOWN_COA: return "MCOA UNKNOWN COA";
	case BA_ST_MCOA_BULK_PROHIBITED: return "MCOA BULK REGISTRATION PROHIBITED";
	case BA_ST_MCOA_SIMUL_HOME_FOREIGN: return "MCOA SIMULTANEOUS HOME AND FOREIGN PROHIBITED";
	}
	return status < 128 ? "accepted (other)" : "rejected (other)";
}

/*
 * The limits and what each refused. JSON: four counters at the end of
 * "stats" (this closes it) and the configured values in "limits", 0 =
 * unlimited; text: one line, a limit with its count.
 */
static void dump_limits(const struct ha_state *st, FILE *f, bool json)
{
	const struct ha_policy *p = &st->pol;
	char v[4][16];
	uint32_t lim[4] = {
		max_bindings(st), p->max_hoas_per_source, p->max_hoas,
		p->max_bu_rate,
	};
	unsigned int i;

	if (json) {
		fprintf(f, ",\"refused_bindings_per_hoa\":%llu,\"refused_hoas_per_source\":%llu,\"refused_hoas\":%llu,\"dropped_bu_rate\":%llu},\"limits\":{\"max_bindings_per_hoa\":%u,\"max_hoas_per_source\":%u,\"max_hoas\":%u,\"max_bu_rate\":%u}",
			(unsigned long long)st->st.refused_bindings_per_hoa,
			(unsigned long long)st->st.refused_hoas_per_source,
			(unsigned long long)st->st.refused_hoas,
			(unsigned long long)st->st.dropped_bu_rate,
			lim[0], lim[1], lim[2], lim[3]);
		return;
	}
	for (i = 0; i < 4; i++) {
		if (lim[i])
			snprintf(v[i], sizeof(v[i]), "%u", lim[i]);
		else
			strcpy(v[i], "unlimited");
	}
	fprintf(f, "limits bindings-per-hoa %s refused %llu hoas-per-source %s refused %llu hoas %s refused %llu bu-rate %s%s dropped %llu\n",
		v[0], (unsigned long long)st->st.refused_bindings_per_hoa,
		v[1], (unsigned long long)st->st.refused_hoas_per_source,
		v[2], (unsigned long long)st->st.refused_hoas,
		v[3], lim[3] ? "/s" : "",
		(unsigned long long)st->st.dropped_bu_rate);
}

/*
 * A mobile router's delegated prefixes: JSON "mr" and "prefixes" in its
 * cache entry (after "bindings", which this closes), text one line. Only
 * for mobile routers, so a plain mobile node's view is as before.
 */
static void dump_prefixes(const struct ha_mn *mn, FILE *f, bool json)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int i;

	if (!mn->mr && !mn->nmnp)
		return;
	fprintf(f, json ? "],\"mr\":true,\"prefixes\":[" : "  mobile router, prefixes");
	for (i = 0; i < mn->nmnp; i++) {
		inet_ntop(AF_INET6, &mn->mnp[i].addr, a, sizeof(a));
		if (json)
			fprintf(f, "%s\"%s/%u\"", i ? "," : "", a,
				mn->mnp[i].plen);
		else
			fprintf(f, " %s/%u", a, mn->mnp[i].plen);
	}
	if (!json)
		fprintf(f, "%s\n", mn->nmnp ? "" : " none");
}

void ha_dump(const struct ha_state *st, uint64_t now, FILE *f, bool json)
{
	const struct ha_mn *mn;
	char hoa[INET6_ADDRSTRLEN], coa[INET6_ADDRSTRLEN];
	unsigned int i;
	bool first_mn = true;

	if (json)
		fprintf(f, "{\"role\":\"ha\",\"cache\":[");
	else
		fprintf(f, "role ha\n");
	for (mn = st->mns; mn; mn = mn->next) {
		if (!mn->n)
			continue;	/* tombstones are not bindings */
		inet_ntop(AF_INET6, &mn->hoa, hoa, sizeof(hoa));
		if (json)
			fprintf(f, "%s{\"hoa\":\"%s\",\"seq\":%u,\"bindings\":[",
				first_mn ? "" : ",", hoa, mn->last_seq);
		else
			fprintf(f, "hoa %s seq %u bindings %u\n", hoa,
				mn->last_seq, mn->n);
		first_mn = false;
		for (i = 0; i < mn->n; i++) {
			const struct ha_binding *b = &mn->b[i];
			long left = b->expires > now ?
				    (long)((b->expires - now) / 1000) : 0;

			inet_ntop(AF_INET6, &b->coa, coa, sizeof(coa));
			if (json)
				fprintf(f, "%s{\"bid\":%u,\"coa\":\"%s\",\"lifetime\":%u,\"expires\":%ld,\"legacy\":%s,\"home\":%s}",
					i ? "," : "", b->bid, coa, b->lifetime,
					left, b->legacy ? "true" : "false",
					b->home ? "true" : "false");
			else
				fprintf(f, "  bid %u coa %s lifetime %u expires %lds%s%s\n",
					b->bid, coa, b->lifetime, left,
					b->legacy ? " legacy" : "",
					b->home ? " home" : "");
		}
		dump_prefixes(mn, f, json);
		if (json)
			fprintf(f, "]}");
	}
	if (json) {
		fprintf(f, "],\"stats\":{\"bu_rx\":%llu,\"ba_tx\":%llu,\"brr_tx\":%llu,\"accepted\":%llu,\"rejected\":%llu,\"expired\":%llu,\"dropped_no_hao\":%llu,\"be_tx\":%llu,\"be_limited\":%llu,\"status\":{",
			(unsigned long long)st->st.bu_rx,
			(unsigned long long)st->st.ba_tx,
			(unsigned long long)st->st.brr_tx,
			(unsigned long long)st->st.accepted,
			(unsigned long long)st->st.rejected,
			(unsigned long long)st->st.expired,
			(unsigned long long)st->st.dropped_no_hao,
			(unsigned long long)st->st.be_tx,
			(unsigned long long)st->st.be_limited);
		first_mn = true;
		for (i = 0; i < 256; i++) {
			if (!st->st.status[i])
				continue;
			fprintf(f, "%s\"%u\":%llu", first_mn ? "" : ",", i,
				(unsigned long long)st->st.status[i]);
			first_mn = false;
		}
		fprintf(f, "}");
		dump_limits(st, f, true);
		fprintf(f, "}\n");
		return;
	}
	fprintf(f, "stats bu-rx %llu ba-tx %llu brr-tx %llu accepted %llu rejected %llu expired %llu dropped-no-hao %llu be-tx %llu be-limited %llu\n",
		(unsigned long long)st->st.bu_rx,
		(unsigned long long)st->st.ba_tx,
		(unsigned long long)st->st.brr_tx,
		(unsigned long long)st->st.accepted,
		(unsigned long long)st->st.rejected,
		(unsigned long long)st->st.expired,
		(unsigned long long)st->st.dropped_no_hao,
		(unsigned long long)st->st.be_tx,
		(unsigned long long)st->st.be_limited);
	dump_limits(st, f, false);
	for (i = 0; i < 256; i++)
		if (st->st.status[i])
			fprintf(f, "  status %u (%s): %llu\n", i,
				ba_status_str(i),
				(unsigned long long)st->st.status[i]);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * BU/BA protection with SAs from IKEv2 (strongSwan's charon, mode
 * transport_proxy): see xfrm.h for what is installed and why.
 *
 * What charon installs for a CHILD_SA whose traffic selectors are HoA and
 * HA, proto 135 (strongSwan 5.9, kernel-netlink): two ESP transport SAs
 * between the HoA and the HA, whatever CoA carries the IKE SA (the MIPv6
 * transport proxy mode, RFC 4877 s.4.4), each with the TS as selector;
 * MAIN policies for the TS at priority ~375000. It never moves these SAs
 * when MOBIKE moves the IKE SA to another CoA, which is what MCoA wants.
 *
 * Three things would go wrong with those alone, so mcoad adds:
 *  1. Any direction without a CHILD_SA (charon not running, no IKE SA
 *     yet) would pass our SUB route-optimisation policies alone: a BU in
 *     the clear would reach the HA's daemon for a HoA it believes
 *     protected. Our own MAIN policies for BUs (HA) and BAs (MN) require
 *     ESP with any reqid (charon picks it), so the kernel fails closed;
 *     their selectors name the MH type, so they never replace charon's
 *     (same addresses, any type) and win the lookup by priority. Which
 *     SA is acceptable is the SA's selector's business: the kernel drops
 *     a BU whose SA's selector names another HoA (XfrmInStateMismatch),
 *     and charon's selector is what the HA's swanctl conn allowed.
 *  2. The MN sends a BU from a CoA (the HAO is ancillary data, mhsock.c),
 *     so its flow never matches charon's outbound SA (source HoA). mcoad
 *     therefore re-installs that SA with the same SPI, keys and sequence
 *     numbers but any source and our reqid, used by our OUT policy "MH
 *     any -> HA". charon keeps managing it by SPI (usage, expiry, rekey,
 *     delete); a rekeyed SA is taken over on the next ipsec_tick().
 *  3. When MOBIKE moves the IKE SA, strongSwan 5.9 (child_sa.c update())
 *     moves the CHILD_SA's SAs, their selectors, reqid and policies to
 *     the IKE addresses too, transport_proxy or not, while it keeps the
 *     HoA and HA as the SAs' addresses for its own later calls (usage,
 *     rekey, delete: left alone, it loses them and, after its path
 *     probings fail, the IKE SA). Every ipsec_tick() mcoad puts the SAs
 *     of a known SPI back between HoA and HA (same key material,
 *     sequence numbers and replay window), and on the HA keeps its OUT
 *     policies for BAs and BRRs on the CHILD_SA's current reqid.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "mh.h"
#include "xfrm_nl.h"

static const struct in6_addr any6;

static void esp_any_tmpl(struct xfrm_user_tmpl *t, uint32_t reqid)
{
	memset(t, 0, sizeof(*t));
	t->id.proto = IPPROTO_ESP;
	t->family = AF_INET6;
	t->reqid = reqid;		/* 0: any (IN only) */
	t->mode = XFRM_MODE_TRANSPORT;
	t->aalgos = t->ealgos = t->calgos = ~0u;
}

/*
 * Our policies for one HoA, by role. The MH type in the selector keeps
 * them apart from charon's (same addresses, any type); the BRR ones keep
 * a BRR from going out, or being taken, in the clear.
 */
static const struct {
	bool ha;
	uint8_t dir;
	int mh_type;			/* -1: any */
} pols[] = {
	{ true,  XFRM_POLICY_IN,  MH_TYPE_BU },
	{ true,  XFRM_POLICY_OUT, MH_TYPE_BA },
	{ true,  XFRM_POLICY_OUT, MH_TYPE_BRR },
	{ false, XFRM_POLICY_IN,  MH_TYPE_BA },
	{ false, XFRM_POLICY_IN,  MH_TYPE_BRR },
	{ false, XFRM_POLICY_OUT, -1 },
};

bool mcoa_xfrm_ike_sel(const struct mcoa_esp *e, unsigned int i, bool *ha,
		       uint8_t *dir, struct xfrm_selector *sel)
{
	const struct in6_addr *src, *dst;

	if (i >= sizeof(pols) / sizeof(pols[0]))
		return false;
	*ha = pols[i].ha;
	*dir = pols[i].dir;
	if (pols[i].dir == XFRM_POLICY_IN) {
		src = pols[i].ha ? &e->hoa : &e->ha;
		dst = pols[i].ha ? &e->ha : &e->hoa;
	} else {
		/* MN: from a CoA away, from the HoA at home */
		src = pols[i].ha ? &e->ha : &any6;
		dst = pols[i].ha ? &e->hoa : &e->ha;
	}
	xnl_selector(sel, src, dst, pols[i].mh_type);
	return true;
}

/*
 * Install the policies of role @ha in direction @dir, template reqid
 * @reqid (0 = any: IN only).
 */
static int set_pols(struct mcoa_xfrm *x, const struct mcoa_esp *e, bool ha,
		    uint8_t dir, uint32_t reqid)
{
	struct xfrm_selector sel;
	struct xfrm_user_tmpl t[2];
	unsigned int i, n = 1;
	uint8_t d;
	bool h;
	int err;

	esp_any_tmpl(&t[0], reqid);
	/*
	 * IN: the optional HAO/RH2 template too, as the manual keys' policy
	 * has it: redundant with the SUB route-optimisation policy, needed
	 * where the kernel has no SUB policies (xfrm.c falls back to MAIN).
	 */
	if (dir == XFRM_POLICY_IN) {
		if (ha)
			mcoa_xfrm_ro_tmpl(&t[1], IPPROTO_DSTOPTS, &e->ha, &any6);
		else
			mcoa_xfrm_ro_tmpl(&t[1], IPPROTO_ROUTING, &e->hoa, &e->ha);
		n = 2;
	}
	for (i = 0; mcoa_xfrm_ike_sel(e, i, &h, &d, &sel); i++) {
		if (h != ha || d != dir)
			continue;
		err = xnl_policy_set(x, &sel, d, XFRM_POLICY_TYPE_MAIN,
				     MCOA_XFRM_PRIO_ESP, t, n);
		if (err)
			return err;
	}
	return 0;
}

int mcoa_xfrm_ike_ha(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what)
{
	/* OUT: once the CHILD_SA's reqid is known (ha_out_policies) */
	*what = "IN policy";
	return set_pols(x, e, true, XFRM_POLICY_IN, 0);
}

int mcoa_xfrm_ike_mn(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what)
{
	int err;

	*what = "IN policy";
	err = set_pols(x, e, false, XFRM_POLICY_IN, 0);
	if (err)
		return err;
	*what = "OUT policy";
	return set_pols(x, e, false, XFRM_POLICY_OUT, e->reqid);
}

/*
 * The SPIs of a HoA's CHILD_SAs seen in their transport-proxy shape, and
 * their direction seen from here: once charon has moved an SA to a CoA
 * (below) neither its addresses nor, possibly, its selector tell.
 */
struct known {
	struct in6_addr hoa;
	uint32_t spi;			/* network order */
	bool out;
	uint64_t packets;		/* inbound: at the last sync */
};

/*
 * The SAs one HoA may have at once: a CHILD_SA's two, twice over while it
 * is rekeyed, a stale one until charon deletes it, with room to spare.
 * Every table below holds every HoA the config can name (CONFIG_MAX_IKE):
 * one sized for less would mix up or forget HoAs past its end.
 */
#define IKE_SAS_PER_HOA		16

static struct known known[CONFIG_MAX_IKE * IKE_SAS_PER_HOA];
static unsigned int nknown;

/*
 * By SPI alone: charon's update changes addresses, selector and even the
 * reqid (it allocates one for the rewritten traffic selectors).
 */
static const struct known *known_find(const struct in6_addr *hoa,
				      uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < nknown; i++)
		if (known[i].spi == spi && !memcmp(&known[i].hoa, hoa, 16))
			return &known[i];
	return NULL;
}

/* One CHILD_SA direction found by a dump, as the kernel sent it */
struct found {
	uint8_t msg[2048];
	bool out;
};

struct sync {
	const struct mcoa_esp *e;
	bool ha;
	struct found sa[IKE_SAS_PER_HOA];
	unsigned int n;
	struct known seen[IKE_SAS_PER_HOA];
	unsigned int nseen;
};

static bool a6_eq(const xfrm_address_t *x, const struct in6_addr *a)
{
	return !memcmp(x->a6, a, 16);
}

/* This side's and the peer's transport-proxy address */
static const struct in6_addr *local_addr(const struct sync *s)
{
	return s->ha ? &s->e->ha : &s->e->hoa;
}

static const struct in6_addr *peer_addr(const struct sync *s)
{
	return s->ha ? &s->e->hoa : &s->e->ha;
}

static void collect(const struct nlmsghdr *h, void *arg)
{
	const struct xfrm_usersa_info *sa = NLMSG_DATA(h);
	struct sync *s = arg;
	const struct known *k;
	bool out;

	if (h->nlmsg_type != XFRM_MSG_NEWSA || sa->family != AF_INET6 ||
	    sa->id.proto != IPPROTO_ESP || sa->mode != XFRM_MODE_TRANSPORT ||
	    h->nlmsg_len > sizeof(s->sa[0].msg))
		return;
	k = known_find(&s->e->hoa, sa->id.spi);
	if (k) {
		out = k->out;
	} else if (!s->ha && sa->reqid == s->e->reqid &&
		   a6_eq(&sa->id.daddr, &s->e->ha)) {
		out = true;	/* taken over before this mcoad started */
	} else if ((sa->reqid & MCOA_REQID_MASK) == MCOA_REQID_BASE) {
		return;		/* manual keys, or ours of a HoA not kept */
	} else if (a6_eq(&sa->saddr, local_addr(s)) &&
		   a6_eq(&sa->id.daddr, peer_addr(s))) {
		out = true;	/* as charon installed it */
	} else if (a6_eq(&sa->saddr, peer_addr(s)) &&
		   a6_eq(&sa->id.daddr, local_addr(s))) {
		out = false;
	} else {
		return;		/* another CHILD_SA */
	}
	if (s->nseen < sizeof(s->seen) / sizeof(s->seen[0])) {
		s->seen[s->nseen].hoa = s->e->hoa;
		s->seen[s->nseen].spi = sa->id.spi;
		s->seen[s->nseen].packets = sa->curlft.packets;
		s->seen[s->nseen++].out = out;
	}
	if (s->n == sizeof(s->sa) / sizeof(s->sa[0]))
		return;
	memcpy(s->sa[s->n].msg, h, h->nlmsg_len);
	s->sa[s->n++].out = out;
}

/* What NEWSA needs to rebuild the SA: keys, replay state, marks */
static bool copied_attr(int type)
{
	switch (type) {
	case XFRMA_ALG_AEAD:
	case XFRMA_ALG_CRYPT:
	case XFRMA_ALG_AUTH_TRUNC:
	case XFRMA_ALG_COMP:
	case XFRMA_ENCAP:
	case XFRMA_REPLAY_VAL:
	case XFRMA_REPLAY_ESN_VAL:
	case XFRMA_SA_EXTRA_FLAGS:
	case XFRMA_MARK:
	case XFRMA_IF_ID:
	case XFRMA_TFCPAD:
		return true;
	}
	return false;
}

/* The SA @old as it should be: false if it already is */
static bool want(const struct sync *s, const struct found *f,
		 struct xfrm_usersa_info *sa)
{
	const struct xfrm_usersa_info *old = NLMSG_DATA((const void *)f->msg);

	*sa = *old;
	memset(&sa->curlft, 0, sizeof(sa->curlft));
	memset(&sa->stats, 0, sizeof(sa->stats));
	if (f->out) {
		xnl_addr(&sa->id.daddr, peer_addr(s));
		/* MN: a BU leaves from any CoA (or the HoA), as our OUT policy */
		xnl_addr(&sa->saddr, s->ha ? local_addr(s) : &any6);
		xnl_selector(&sa->sel, s->ha ? local_addr(s) : &any6,
			     peer_addr(s), -1);
		/*
		 * MN: our reqid, for our OUT policy; charon's own (source
		 * HoA) is never used, ours wins every MH to the HA. The HA
		 * keeps charon's, which its OUT policies learn.
		 */
		if (!s->ha)
			sa->reqid = s->e->reqid;
	} else {
		xnl_addr(&sa->id.daddr, local_addr(s));
		xnl_addr(&sa->saddr, peer_addr(s));
		xnl_selector(&sa->sel, peer_addr(s), local_addr(s), -1);
	}
	/* no proto in the selector, as charon: ICMP errors may use the SA */
	sa->sel.proto = 0;
	return memcmp(&sa->id.daddr, &old->id.daddr, sizeof(sa->id.daddr)) ||
	       memcmp(&sa->saddr, &old->saddr, sizeof(sa->saddr)) ||
	       memcmp(&sa->sel, &old->sel, sizeof(sa->sel)) ||
	       sa->reqid != old->reqid;
}

static int reshape(struct mcoa_xfrm *x, const struct sync *s,
		   const struct found *f)
{
	const struct nlmsghdr *h = (const void *)f->msg;
	const struct xfrm_usersa_info *old = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*old));
	struct xfrm_usersa_info *sa;
	struct xfrm_usersa_id *id;
	struct nlreq r, d;
	int err;

	xnl_start(x, &r, XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL);
	sa = xnl_put(&r, sizeof(*sa));
	if (!want(s, f, sa))
		return 0;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		const struct nlattr *a = (const void *)((const uint8_t *)h + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			return -EINVAL;
		if (copied_attr(a->nla_type & NLA_TYPE_MASK)) {
			if (NLMSG_ALIGN(r.nh.nlmsg_len) + NLA_ALIGN(a->nla_len) >
			    sizeof(r))
				return -E2BIG;
			xnl_attr(&r, a->nla_type & NLA_TYPE_MASK,
				 (const uint8_t *)a + NLA_HDRLEN,
				 a->nla_len - NLA_HDRLEN);
		}
		off += NLA_ALIGN(a->nla_len);
	}
	/* (daddr, SPI, proto) is an SA's key: one of the two at a time */
	xnl_start(x, &d, XFRM_MSG_DELSA, 0);
	id = xnl_put(&d, sizeof(*id));
	id->daddr = old->id.daddr;
	id->spi = old->id.spi;
	id->family = AF_INET6;
	id->proto = IPPROTO_ESP;
	err = xnl_talk(x, &d);
	if (err)
		return err == -ESRCH || err == -ENOENT ? 0 : err;
	err = xnl_talk(x, &r);
	return err ? err : 1;
}

/*
 * HA: BAs and BRRs to the HoA under the CHILD_SA's outbound SA (charon's
 * reqid), whatever charon's policies say after MOBIKE (they follow the
 * CoA). Installed when the reqid is first seen or changes.
 */
static int ha_out_policies(struct mcoa_xfrm *x, const struct mcoa_esp *e,
			   uint32_t reqid)
{
	static struct {
		struct in6_addr hoa;
		uint32_t reqid;
	} done[CONFIG_MAX_IKE];
	static unsigned int ndone;
	unsigned int i;
	int err;

	for (i = 0; i < ndone; i++)
		if (!memcmp(&done[i].hoa, &e->hoa, 16))
			break;
	if (i < ndone && done[i].reqid == reqid)
		return 0;
	err = set_pols(x, e, true, XFRM_POLICY_OUT, reqid);
	if (err)
		return err;
	if (i == ndone && ndone < sizeof(done) / sizeof(done[0]))
		done[ndone++].hoa = e->hoa;
	if (i < ndone)
		done[i].reqid = reqid;
	return 0;
}

/*
 * HA: which of a HoA's CHILD_SAs answers. Normally there is one, but an
 * IKE SA the MN gave up (its IKE_AUTH timed out there, not here; a node
 * that rebooted) leaves a second one until the HA's charon deletes it
 * (swanctl "unique = replace", DPD). The MN sends its BUs under the SA it
 * kept, so the BAs go back under the CHILD_SA whose inbound SA carried
 * the last packets: the one whose count rose since the last sync (the
 * newest of those), else the one chosen before, else the newest.
 */
static const struct found *ha_current(const struct sync *s,
				      uint32_t *prev_spi)
{
	const struct found *pick = NULL, *kept = NULL, *newest = NULL;
	const struct xfrm_usersa_info *sa, *p;
	const struct known *k;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		if (s->sa[i].out)
			continue;
		sa = NLMSG_DATA((const void *)s->sa[i].msg);
		k = known_find(&s->e->hoa, sa->id.spi);
		if (sa->id.spi == *prev_spi)
			kept = &s->sa[i];
		p = newest ? NLMSG_DATA((const void *)newest->msg) : NULL;
		if (!p || sa->curlft.add_time > p->curlft.add_time)
			newest = &s->sa[i];
		if (sa->curlft.packets > (k ? k->packets : 0)) {
			p = pick ? NLMSG_DATA((const void *)pick->msg) : NULL;
			if (!p || sa->curlft.add_time > p->curlft.add_time)
				pick = &s->sa[i];
		}
	}
	if (!pick)
		pick = kept ? kept : newest;
	if (pick)
		*prev_spi = ((const struct xfrm_usersa_info *)
			     NLMSG_DATA((const void *)pick->msg))->id.spi;
	return pick;
}

/* The inbound SPI ha_current() chose last, per HoA */
static uint32_t *ha_chosen(const struct in6_addr *hoa)
{
	static struct {
		struct in6_addr hoa;
		uint32_t spi;
	} c[CONFIG_MAX_IKE];
	static unsigned int nc;
	unsigned int i;

	for (i = 0; i < nc; i++)
		if (!memcmp(&c[i].hoa, hoa, 16))
			return &c[i].spi;
	if (nc == sizeof(c) / sizeof(c[0]))
		return &c[0].spi;	/* (cannot happen: the config's limit) */
	c[nc].hoa = *hoa;
	return &c[nc++].spi;
}

int mcoa_xfrm_ike_sync(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		       bool ha, uint32_t *spi)
{
	static struct sync s;
	const struct found *cur = NULL;
	unsigned int i, j;
	int err, n = 0;

	memset(&s, 0, sizeof(s));
	s.e = e;
	s.ha = ha;
	err = xnl_dump(x, XFRM_MSG_GETSA, collect, &s);
	if (err)
		return err;
	/* (before the known SPIs' packet counts are replaced below) */
	if (ha)
		cur = ha_current(&s, ha_chosen(&e->hoa));
	/* forget this HoA's SPIs that are gone, learn the new ones */
	for (i = j = 0; i < nknown; i++)
		if (memcmp(&known[i].hoa, &e->hoa, 16))
			known[j++] = known[i];
	nknown = j;
	for (i = 0; i < s.nseen && nknown < sizeof(known) / sizeof(known[0]); i++)
		known[nknown++] = s.seen[i];
	for (i = 0; i < s.n; i++) {
		const struct xfrm_usersa_info *sa = NLMSG_DATA((const void *)s.sa[i].msg);

		err = reshape(x, &s, &s.sa[i]);
		if (err < 0)
			return err;
		/* the outbound SPI: the one just reshaped, else any in shape */
		if (s.sa[i].out && (err || !*spi))
			*spi = ntohl(sa->id.spi);
		n += err;
	}
	/* a CHILD_SA's two SAs share charon's reqid; reshape keeps it here */
	if (cur) {
		const struct xfrm_usersa_info *sa = NLMSG_DATA((const void *)cur->msg);

		err = ha_out_policies(x, e, sa->reqid);
		if (err)
			return err;
	}
	return n;
}

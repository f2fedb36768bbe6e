// SPDX-License-Identifier: GPL-2.0
/*
 * ESP transport mode SAs and policies protecting BU/BA: see xfrm.h for
 * what each side installs and why it looks the way it does.
 *
 * How the kernel (6.1, 6.12) handles a protected BU at the HA, which the
 * template order and the selectors below follow:
 *   IPv6(CoA -> HA) | DstOpt(HAO) | ESP | MH
 *   1. ipv6_dest_hao(): the RO state accepts the HAO, joins the sec_path
 *      and the source becomes the HoA;
 *   2. xfrm6_rcv(): the ESP SA is found by (HA, SPI) alone, decrypts,
 *      joins the sec_path;
 *   3. the raw socket's policy check (src HoA): every state's selector
 *      must match the flow (XfrmInStateMismatch: another MN's SA), and the
 *      templates, last first, must consume the sec_path in order: the
 *      optional RO template takes the HAO state, then the ESP template
 *      (required, matched by reqid) the ESP SA (XfrmInTmplMismatch: no or
 *      the wrong ESP).
 * Manual keys: no anti-replay window (RFC 4303 s.3.3.3, the counter
 * cannot survive a restart); the BU sequence number protects against
 * replay (RFC 6275 s.9.5.1).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "xfrm_nl.h"

static const struct in6_addr any6;

static void put_alg(struct nlreq *r, int type, const struct sa_alg *a,
		    bool aead)
{
	uint8_t buf[sizeof(struct xfrm_algo_aead) + SA_KEY_MAX];
	size_t len;

	memset(buf, 0, sizeof(buf));
	if (aead) {
		struct xfrm_algo_aead *x = (struct xfrm_algo_aead *)buf;

		memcpy(x->alg_name, a->name, sizeof(x->alg_name));
		x->alg_key_len = a->key_len * 8;
		x->alg_icv_len = a->bits;
		memcpy(x->alg_key, a->key, a->key_len);
		len = sizeof(*x) + a->key_len;
	} else if (type == XFRMA_ALG_AUTH_TRUNC) {
		struct xfrm_algo_auth *x = (struct xfrm_algo_auth *)buf;

		memcpy(x->alg_name, a->name, sizeof(x->alg_name));
		x->alg_key_len = a->key_len * 8;
		x->alg_trunc_len = a->bits;
		memcpy(x->alg_key, a->key, a->key_len);
		len = sizeof(*x) + a->key_len;
	} else {
		struct xfrm_algo *x = (struct xfrm_algo *)buf;

		memcpy(x->alg_name, a->name, sizeof(x->alg_name));
		x->alg_key_len = a->key_len * 8;
		memcpy(x->alg_key, a->key, a->key_len);
		len = sizeof(*x) + a->key_len;
	}
	xnl_attr(r, type, buf, len);
}

static int sa_del(struct mcoa_xfrm *x, const struct in6_addr *daddr,
		  uint32_t spi)
{
	struct xfrm_usersa_id *id;
	struct nlreq r;
	int err;

	xnl_start(x, &r, XFRM_MSG_DELSA, 0);
	id = xnl_put(&r, sizeof(*id));
	xnl_addr(&id->daddr, daddr);
	id->spi = htonl(spi);
	id->family = AF_INET6;
	id->proto = IPPROTO_ESP;
	err = xnl_talk(x, &r);
	return err == -ESRCH || err == -ENOENT ? 0 : err;
}

/*
 * SA to @daddr (from @saddr, :: = any source), selector @sel. Replaced as
 * a whole: UPDSA keeps the old keys.
 */
static int sa_set(struct mcoa_xfrm *x, const struct config_sa *c,
		  const struct in6_addr *daddr, const struct in6_addr *saddr,
		  const struct xfrm_selector *sel, uint32_t reqid)
{
	struct xfrm_usersa_info *sa;
	struct nlreq r;
	int err;

	err = sa_del(x, daddr, c->spi);
	if (err)
		return err;
	xnl_start(x, &r, XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL);
	sa = xnl_put(&r, sizeof(*sa));
	sa->sel = *sel;
	xnl_addr(&sa->id.daddr, daddr);
	sa->id.spi = htonl(c->spi);
	sa->id.proto = IPPROTO_ESP;
	xnl_addr(&sa->saddr, saddr);
	xnl_lft_inf(&sa->lft);
	sa->reqid = reqid;
	sa->family = AF_INET6;
	sa->mode = XFRM_MODE_TRANSPORT;
	sa->replay_window = 0;
	if (c->aead) {
		put_alg(&r, XFRMA_ALG_AEAD, &c->a, true);
	} else {
		put_alg(&r, XFRMA_ALG_CRYPT, &c->a, false);
		put_alg(&r, XFRMA_ALG_AUTH_TRUNC, &c->auth, false);
	}
	return xnl_talk(x, &r);
}

static void esp_tmpl(struct xfrm_user_tmpl *t, uint32_t reqid)
{
	memset(t, 0, sizeof(*t));
	t->id.proto = IPPROTO_ESP;
	t->family = AF_INET6;
	t->reqid = reqid;
	t->mode = XFRM_MODE_TRANSPORT;
	t->aalgos = t->ealgos = t->calgos = ~0u;
}

/* The IN policy: ESP required, then the optional RO state (HAO or RH2) */
static int in_policy(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		     uint32_t reqid, uint8_t ro_proto,
		     const struct in6_addr *ro_daddr,
		     const struct in6_addr *ro_saddr)
{
	struct xfrm_user_tmpl t[2];

	esp_tmpl(&t[0], reqid);
	mcoa_xfrm_ro_tmpl(&t[1], ro_proto, ro_daddr, ro_saddr);
	return xnl_policy_set(x, sel, XFRM_POLICY_IN, XFRM_POLICY_TYPE_MAIN,
			      MCOA_XFRM_PRIO_ESP, t, 2);
}

static int out_policy(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		      uint32_t reqid)
{
	struct xfrm_user_tmpl t;

	esp_tmpl(&t, reqid);
	return xnl_policy_set(x, sel, XFRM_POLICY_OUT, XFRM_POLICY_TYPE_MAIN,
			      MCOA_XFRM_PRIO_ESP, &t, 1);
}

/* The four selectors of one MN's protection, as each side uses them */
static void ha_sels(const struct mcoa_esp *e, struct xfrm_selector *in,
		    struct xfrm_selector *out)
{
	xnl_selector(in, &e->hoa, &e->ha, -1);
	xnl_selector(out, &e->ha, &e->hoa, -1);
}

static void mn_sels(const struct mcoa_esp *e, struct xfrm_selector *in,
		    struct xfrm_selector *out)
{
	xnl_selector(in, &e->ha, &e->hoa, -1);
	/* from a CoA away, from the HoA at home */
	xnl_selector(out, &any6, &e->ha, -1);
}

int mcoa_xfrm_esp_ha(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what)
{
	struct xfrm_selector in, out;
	int err;

	ha_sels(e, &in, &out);
	/* in: to us from any CoA; the selector ties it to this HoA */
	*what = "mn-to-ha SA";
	err = sa_set(x, e->mn_to_ha, &e->ha, &any6, &in, e->reqid);
	if (err)
		return err;
	*what = "ha-to-mn SA";
	err = sa_set(x, e->ha_to_mn, &e->hoa, &e->ha, &out, e->reqid);
	if (err)
		return err;
	*what = "IN policy";
	err = in_policy(x, &in, e->reqid, IPPROTO_DSTOPTS, &e->ha, &any6);
	if (err)
		return err;
	*what = "OUT policy";
	return out_policy(x, &out, e->reqid);
}

int mcoa_xfrm_esp_mn(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what)
{
	struct xfrm_selector in, out;
	int err;

	mn_sels(e, &in, &out);
	*what = "mn-to-ha SA";
	err = sa_set(x, e->mn_to_ha, &e->ha, &any6, &out, e->reqid);
	if (err)
		return err;
	*what = "ha-to-mn SA";
	err = sa_set(x, e->ha_to_mn, &e->hoa, &e->ha, &in, e->reqid);
	if (err)
		return err;
	*what = "IN policy";
	err = in_policy(x, &in, e->reqid, IPPROTO_ROUTING, &e->hoa, &e->ha);
	if (err)
		return err;
	*what = "OUT policy";
	return out_policy(x, &out, e->reqid);
}

/* What a dump found that is ours and not kept */
struct prune {
	const struct mcoa_esp *keep;
	unsigned int nkeep;
	struct {
		struct in6_addr daddr;
		uint32_t spi;
	} sa[256];
	unsigned int nsa;
	struct {
		struct xfrm_selector sel;
		uint8_t dir;
	} pol[256];
	unsigned int npol;
};

static bool sa_kept(const struct prune *p, const struct in6_addr *daddr,
		    uint32_t spi, uint32_t reqid)
{
	unsigned int i;

	for (i = 0; i < p->nkeep; i++) {
		const struct mcoa_esp *e = &p->keep[i];

		/* charon's SPI, taken over by mcoa_xfrm_ike_sync() */
		if (e->ike) {
			if (reqid == e->reqid)
				return true;
			continue;
		}
		if ((spi == e->mn_to_ha->spi &&
		     !memcmp(daddr, &e->ha, sizeof(*daddr))) ||
		    (spi == e->ha_to_mn->spi &&
		     !memcmp(daddr, &e->hoa, sizeof(*daddr))))
			return true;
	}
	return false;
}

static bool sel_eq(const struct xfrm_selector *a,
		   const struct xfrm_selector *b)
{
	return !memcmp(&a->saddr, &b->saddr, sizeof(a->saddr)) &&
	       !memcmp(&a->daddr, &b->daddr, sizeof(a->daddr)) &&
	       a->prefixlen_s == b->prefixlen_s &&
	       a->prefixlen_d == b->prefixlen_d && a->proto == b->proto &&
	       a->sport == b->sport && a->sport_mask == b->sport_mask;
}

static bool pol_kept(const struct prune *p, const struct xfrm_selector *sel,
		     uint8_t dir)
{
	struct xfrm_selector in, out;
	unsigned int i;

	for (i = 0; i < p->nkeep; i++) {
		const struct mcoa_esp *e = &p->keep[i];
		struct xfrm_selector s;
		unsigned int j;
		uint8_t d;
		bool ha;

		for (j = 0; e->ike && mcoa_xfrm_ike_sel(e, j, &ha, &d, &s); j++)
			if (d == dir && sel_eq(sel, &s))
				return true;
		if (e->ike)
			continue;
		/* an HA never has its own address as a HoA: no mix-up */
		ha_sels(e, &in, &out);
		if (sel_eq(sel, dir == XFRM_POLICY_IN ? &in : &out))
			return true;
		mn_sels(e, &in, &out);
		if (sel_eq(sel, dir == XFRM_POLICY_IN ? &in : &out))
			return true;
	}
	return false;
}

static void collect_sa(const struct nlmsghdr *h, void *arg)
{
	const struct xfrm_usersa_info *sa = NLMSG_DATA(h);
	struct prune *p = arg;
	struct in6_addr d;

	if (h->nlmsg_type != XFRM_MSG_NEWSA || sa->family != AF_INET6 ||
	    sa->id.proto != IPPROTO_ESP ||
	    (sa->reqid & MCOA_REQID_MASK) != MCOA_REQID_BASE)
		return;
	memcpy(&d, sa->id.daddr.a6, sizeof(d));
	if (sa_kept(p, &d, ntohl(sa->id.spi), sa->reqid) ||
	    p->nsa == sizeof(p->sa) / sizeof(p->sa[0]))
		return;
	p->sa[p->nsa].daddr = d;
	p->sa[p->nsa++].spi = ntohl(sa->id.spi);
}

static void collect_pol(const struct nlmsghdr *h, void *arg)
{
	const struct xfrm_userpolicy_info *pi = NLMSG_DATA(h);
	struct prune *p = arg;

	if (h->nlmsg_type != XFRM_MSG_NEWPOLICY ||
	    xnl_policy_type(h) != XFRM_POLICY_TYPE_MAIN ||
	    pi->priority != MCOA_XFRM_PRIO_ESP ||
	    pi->sel.proto != IPPROTO_MH ||
	    pol_kept(p, &pi->sel, pi->dir) ||
	    p->npol == sizeof(p->pol) / sizeof(p->pol[0]))
		return;
	p->pol[p->npol].sel = pi->sel;
	p->pol[p->npol++].dir = pi->dir;
}

int mcoa_xfrm_esp_prune(struct mcoa_xfrm *x, const struct mcoa_esp *keep,
			unsigned int n)
{
	static struct prune p;
	unsigned int i;
	int err;

	memset(&p, 0, sizeof(p));
	p.keep = keep;
	p.nkeep = n;
	err = xnl_dump(x, XFRM_MSG_GETPOLICY, collect_pol, &p);
	if (!err)
		err = xnl_dump(x, XFRM_MSG_GETSA, collect_sa, &p);
	if (err)
		return err;
	/* policies first: an SA without policy is harmless, not the reverse */
	for (i = 0; i < p.npol; i++) {
		err = xnl_policy_del(x, &p.pol[i].sel, p.pol[i].dir,
				     XFRM_POLICY_TYPE_MAIN);
		if (err)
			return err;
	}
	for (i = 0; i < p.nsa; i++) {
		err = sa_del(x, &p.sa[i].daddr, p.sa[i].spi);
		if (err)
			return err;
	}
	return p.npol + p.nsa;
}

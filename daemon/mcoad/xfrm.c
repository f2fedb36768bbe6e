// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM route-optimisation states and IN policies so that Linux (with
 * CONFIG_IPV6_MIP6) lets a Home Address option reach the HA's MH socket
 * and a type 2 routing header reach the MN's. Raw NETLINK_XFRM: the
 * messages are small and fixed, no library needed.
 *
 * Why each piece (net/ipv6/exthdrs.c, xfrm6_input.c, mip6.c, 6.1):
 *  - ipv6_dest_hao() / ipv6_rthdr_rcv() call xfrm6_input_addr(), which
 *    drops the packet unless a state (daddr, saddr, proto 60 resp. 43)
 *    exists; lookups with a wildcard saddr/daddr need XFRM_STATE_WILDRECV.
 *    The state's coaddr (:: = any) must equal the wire source (HAO) or
 *    wire destination (RH2).
 *  - The found state lands in the skb's sec_path. It is not a transport
 *    mode state, so the IN policy check rejects the packet unless a
 *    policy matches it with a template naming the same state. The
 *    template is optional, so MH without HAO/RH2 passes too.
 *  - The policy is of SUB type: __xfrm_policy_check() looks up the SUB
 *    policy, then the MAIN one for the same flow, and checks the sorted
 *    union of their templates (xfrm_tmpl_sort). An ESP requirement in a
 *    MAIN policy, ours (manual keys) or strongSwan's (IKEv2, priority
 *    ~375000, which a MAIN catch-all here at MCOA_XFRM_PRIO would beat),
 *    therefore still holds for MH carrying a HAO or RH2.
 *  - Every limit of a state/policy lifetime must be XFRM_INF, 0 expires.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "mh.h"
#include "xfrm_nl.h"


/* RO state (daddr, saddr, proto) accepting wire address coaddr (:: any) */
static int state_add(struct mcoa_xfrm *x, uint8_t proto,
		     const struct in6_addr *daddr, const struct in6_addr *saddr,
		     const struct in6_addr *coaddr)
{
	struct xfrm_usersa_info *sa;
	xfrm_address_t co;
	struct nlreq r;
	int err;

	xnl_start(x, &r, XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL);
	sa = xnl_put(&r, sizeof(*sa));
	xnl_addr(&sa->id.daddr, daddr);
	xnl_addr(&sa->saddr, saddr);
	sa->id.proto = proto;
	sa->family = AF_INET6;
	sa->sel.family = AF_INET6;
	sa->mode = XFRM_MODE_ROUTEOPTIMIZATION;
	sa->flags = XFRM_STATE_WILDRECV;
	sa->replay_window = 0;
	xnl_lft_inf(&sa->lft);
	xnl_addr(&co, coaddr);
	xnl_attr(&r, XFRMA_COADDR, &co, sizeof(co));
	err = xnl_talk(x, &r);
	if (err == -EEXIST) {
		/* same key: replace, so coaddr follows the caller */
		r.nh.nlmsg_type = XFRM_MSG_UPDSA;
		r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		r.nh.nlmsg_seq = ++x->seq;
		err = xnl_talk(x, &r);
	}
	return err;
}

static int state_del(struct mcoa_xfrm *x, uint8_t proto,
		     const struct in6_addr *daddr, const struct in6_addr *saddr)
{
	struct xfrm_usersa_id *id;
	xfrm_address_t s;
	struct nlreq r;
	int err;

	xnl_start(x, &r, XFRM_MSG_DELSA, 0);
	id = xnl_put(&r, sizeof(*id));
	xnl_addr(&id->daddr, daddr);
	id->family = AF_INET6;
	id->proto = proto;
	xnl_addr(&s, saddr);
	xnl_attr(&r, XFRMA_SRCADDR, &s, sizeof(s));
	err = xnl_talk(x, &r);
	return err == -ESRCH || err == -ENOENT ? 0 : err;
}


void mcoa_xfrm_ro_tmpl(struct xfrm_user_tmpl *t, uint8_t proto,
		       const struct in6_addr *tdaddr,
		       const struct in6_addr *tsaddr)
{
	memset(t, 0, sizeof(*t));
	xnl_addr(&t->id.daddr, tdaddr);
	t->id.proto = proto;
	t->family = AF_INET6;
	xnl_addr(&t->saddr, tsaddr);
	t->mode = XFRM_MODE_ROUTEOPTIMIZATION;
	t->optional = 1;
	t->aalgos = t->ealgos = t->calgos = ~0u;
}

static int policy_flush(struct mcoa_xfrm *x, uint8_t type);

/*
 * IN policy: MH matching sel may carry the RO state (tdaddr, tsaddr).
 * A SUB policy, so that it adds its template to whatever MAIN policy
 * (ours for manual keys, strongSwan's for IKE) requires ESP for the same
 * flow, instead of winning the MAIN lookup and letting MH in without ESP.
 * mcoad before SUB policies installed these as MAIN: those go once the
 * SUB one is in (MH with a HAO/RH2 is never without a policy).
 */
static int policy_set(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		      uint8_t proto, const struct in6_addr *tdaddr,
		      const struct in6_addr *tsaddr)
{
	struct xfrm_user_tmpl t;
	int err;

	mcoa_xfrm_ro_tmpl(&t, proto, tdaddr, tsaddr);
	err = xnl_policy_set(x, sel, XFRM_POLICY_IN, XFRM_POLICY_TYPE_SUB,
			     MCOA_XFRM_PRIO, &t, 1);
	/*
	 * Without CONFIG_XFRM_SUB_POLICY (not Debian's) the kernel says
	 * EINVAL: MAIN it is, and the ESP policies, ours for manual and
	 * for IKE keys, carry the RO template themselves and win by
	 * priority (charon's alone would not).
	 */
	if (err == -EINVAL)
		return xnl_policy_set(x, sel, XFRM_POLICY_IN,
				      XFRM_POLICY_TYPE_MAIN, MCOA_XFRM_PRIO,
				      &t, 1);
	if (err)
		return err;
	return policy_flush(x, XFRM_POLICY_TYPE_MAIN);
}

/* Our RO policy for @sel, whichever type policy_set() could give it */
static int policy_del(struct mcoa_xfrm *x, const struct xfrm_selector *sel)
{
	int err = xnl_policy_del(x, sel, XFRM_POLICY_IN, XFRM_POLICY_TYPE_SUB);

	return err == -EINVAL ? xnl_policy_del(x, sel, XFRM_POLICY_IN,
					       XFRM_POLICY_TYPE_MAIN) : err;
}

int mcoa_xfrm_ha_allow(struct mcoa_xfrm *x, const struct in6_addr *ha,
		       const struct in6_addr *hoa, const struct in6_addr *coa)
{
	struct xfrm_selector sel;
	int err;

	/* ipv6_dest_hao() looks up (wire dst = HA, wire src = CoA) */
	err = state_add(x, IPPROTO_DSTOPTS, ha, coa, coa);
	if (err)
		return err;
	/*
	 * The policy sees the swapped header: src = HoA. Any MH type: a
	 * non-BU message with HAO must reach the daemon, which answers a
	 * HoA without binding with Binding Error status 1 (RFC 6275 s.9.3.1).
	 */
	xnl_selector(&sel, hoa, ha, -1);
	return policy_set(x, &sel, IPPROTO_DSTOPTS, ha, coa);
}

int mcoa_xfrm_ha_remove(struct mcoa_xfrm *x, const struct in6_addr *ha,
			const struct in6_addr *hoa, const struct in6_addr *coa)
{
	struct xfrm_selector sel;
	int err;

	xnl_selector(&sel, hoa, ha, -1);
	err = policy_del(x, &sel);
	if (err || xnl_is_any(coa))
		return err;
	return state_del(x, IPPROTO_DSTOPTS, ha, coa);
}

int mcoa_xfrm_mn_rh2(struct mcoa_xfrm *x, const struct in6_addr *hoa,
		     const struct in6_addr *coa, const struct in6_addr *ha)
{
	/* ipv6_rthdr_rcv() looks up (RH2 address = HoA, wire src = HA) */
	return state_add(x, IPPROTO_ROUTING, hoa, ha, coa);
}

int mcoa_xfrm_mn_allow(struct mcoa_xfrm *x, const struct in6_addr *hoa,
		       const struct in6_addr *coa, const struct in6_addr *ha)
{
	struct xfrm_selector sel;
	int err;

	err = mcoa_xfrm_mn_rh2(x, hoa, coa, ha);
	if (err)
		return err;
	/* any MH type: BA, and BRR/BE if the HA sends them with a RH2 */
	xnl_selector(&sel, ha, hoa, -1);
	return policy_set(x, &sel, IPPROTO_ROUTING, hoa, ha);
}

int mcoa_xfrm_mn_remove(struct mcoa_xfrm *x, const struct in6_addr *hoa,
			const struct in6_addr *coa, const struct in6_addr *ha)
{
	struct xfrm_selector sel;
	int err;

	(void)coa;
	xnl_selector(&sel, ha, hoa, -1);
	err = policy_del(x, &sel);
	if (err)
		return err;
	return state_del(x, IPPROTO_ROUTING, hoa, ha);
}

struct sel_list {
	uint8_t type;
	struct xfrm_selector sel[64];
	unsigned int n;
};

static void collect_ro(const struct nlmsghdr *h, void *arg)
{
	const struct xfrm_userpolicy_info *p = NLMSG_DATA(h);
	struct sel_list *l = arg;

	if (h->nlmsg_type == XFRM_MSG_NEWPOLICY &&
	    p->dir == XFRM_POLICY_IN && p->priority == MCOA_XFRM_PRIO &&
	    p->sel.proto == IPPROTO_MH && xnl_policy_type(h) == l->type &&
	    l->n < sizeof(l->sel) / sizeof(l->sel[0]))
		l->sel[l->n++] = p->sel;
}

/* Delete every IN policy of ours (priority MCOA_XFRM_PRIO, proto MH) */
static int policy_flush(struct mcoa_xfrm *x, uint8_t type)
{
	struct sel_list l = { .type = type, .n = 0 };
	unsigned int i;
	int err;

	err = xnl_dump(x, XFRM_MSG_GETPOLICY, collect_ro, &l);
	for (i = 0; !err && i < l.n; i++)
		err = xnl_policy_del(x, &l.sel[i], XFRM_POLICY_IN, type);
	return err;
}

int mcoa_xfrm_flush(struct mcoa_xfrm *x)
{
	static const uint8_t protos[] = { IPPROTO_DSTOPTS, IPPROTO_ROUTING };
	struct xfrm_usersa_flush *f;
	struct nlreq r;
	unsigned int i;
	int err;

	err = policy_flush(x, XFRM_POLICY_TYPE_SUB);
	if (!err)
		err = policy_flush(x, XFRM_POLICY_TYPE_MAIN);
	if (err)
		return err;
	/* RO states are used by Mobile IPv6 only */
	for (i = 0; i < sizeof(protos); i++) {
		xnl_start(x, &r, XFRM_MSG_FLUSHSA, 0);
		f = xnl_put(&r, sizeof(*f));
		f->proto = protos[i];
		err = xnl_talk(x, &r);
		if (err && err != -ESRCH)
			return err;
	}
	return 0;
}

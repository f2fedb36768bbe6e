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
#include "xfrm.h"

/* Our policies, told apart from IPsec ones by priority on flush */
#define MCOA_XFRM_PRIO	0x7f00

struct nlreq {
	struct nlmsghdr nh;
	uint8_t buf[1024];
};

static const struct in6_addr any6;

static bool is_any(const struct in6_addr *a)
{
	return !a || !memcmp(a, &any6, sizeof(*a));
}

static void addr(xfrm_address_t *x, const struct in6_addr *a)
{
	memset(x, 0, sizeof(*x));
	if (a)
		memcpy(x->a6, a, 16);
}

static void *nl_put(struct nlreq *r, size_t len)
{
	void *p = (uint8_t *)&r->nh + NLMSG_ALIGN(r->nh.nlmsg_len);

	memset(p, 0, NLMSG_ALIGN(len));
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + len;
	return p;
}

static void nl_attr(struct nlreq *r, int type, const void *data, size_t len)
{
	struct nlattr *a = nl_put(r, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
}

static void nl_start(struct mcoa_xfrm *x, struct nlreq *r, int type, int flags)
{
	memset(&r->nh, 0, sizeof(r->nh));
	r->nh.nlmsg_len = NLMSG_HDRLEN;
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nh.nlmsg_seq = ++x->seq;
}

/* Send and wait for the ack: 0 or -errno from the kernel */
static int nl_talk(struct mcoa_xfrm *x, struct nlreq *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint8_t buf[4096];
	ssize_t n;

	if (sendto(x->fd, &r->nh, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(x->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->nh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
		}
	}
}

int mcoa_xfrm_open(struct mcoa_xfrm *x)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	x->seq = 0;
	x->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
	if (x->fd < 0)
		return -errno;
	if (bind(x->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(x->fd);
		x->fd = -1;
		return err;
	}
	return 0;
}

void mcoa_xfrm_close(struct mcoa_xfrm *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

static void lft_inf(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = XFRM_INF;
	l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = XFRM_INF;
	l->hard_packet_limit = XFRM_INF;
}

/* RO state (daddr, saddr, proto) accepting wire address coaddr (:: any) */
static int state_add(struct mcoa_xfrm *x, uint8_t proto,
		     const struct in6_addr *daddr, const struct in6_addr *saddr,
		     const struct in6_addr *coaddr)
{
	struct xfrm_usersa_info *sa;
	xfrm_address_t co;
	struct nlreq r;
	int err;

	nl_start(x, &r, XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL);
	sa = nl_put(&r, sizeof(*sa));
	addr(&sa->id.daddr, daddr);
	addr(&sa->saddr, saddr);
	sa->id.proto = proto;
	sa->family = AF_INET6;
	sa->sel.family = AF_INET6;
	sa->mode = XFRM_MODE_ROUTEOPTIMIZATION;
	sa->flags = XFRM_STATE_WILDRECV;
	sa->replay_window = 0;
	lft_inf(&sa->lft);
	addr(&co, coaddr);
	nl_attr(&r, XFRMA_COADDR, &co, sizeof(co));
	err = nl_talk(x, &r);
	if (err == -EEXIST) {
		/* same key: replace, so coaddr follows the caller */
		r.nh.nlmsg_type = XFRM_MSG_UPDSA;
		r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		r.nh.nlmsg_seq = ++x->seq;
		err = nl_talk(x, &r);
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

	nl_start(x, &r, XFRM_MSG_DELSA, 0);
	id = nl_put(&r, sizeof(*id));
	addr(&id->daddr, daddr);
	id->family = AF_INET6;
	id->proto = proto;
	addr(&s, saddr);
	nl_attr(&r, XFRMA_SRCADDR, &s, sizeof(s));
	err = nl_talk(x, &r);
	return err == -ESRCH || err == -ENOENT ? 0 : err;
}

static void selector(struct xfrm_selector *sel, const struct in6_addr *src,
		     const struct in6_addr *dst, int mh_type)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = AF_INET6;
	addr(&sel->saddr, src);
	addr(&sel->daddr, dst);
	sel->prefixlen_s = is_any(src) ? 0 : 128;
	sel->prefixlen_d = is_any(dst) ? 0 : 128;
	sel->proto = IPPROTO_MH;
	/* Linux keeps the MH type in sport (xfrm_flowi_sport) */
	if (mh_type >= 0) {
		sel->sport = htons(mh_type);
		sel->sport_mask = 0xffff;
	}
}

/* IN policy: MH matching sel may carry the RO state (tdaddr, tsaddr) */
static int policy_set(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		      uint8_t proto, const struct in6_addr *tdaddr,
		      const struct in6_addr *tsaddr)
{
	struct xfrm_userpolicy_info *p;
	struct xfrm_user_tmpl t;
	struct nlreq r;

	/* UPDPOLICY creates or replaces: idempotent */
	nl_start(x, &r, XFRM_MSG_UPDPOLICY, 0);
	p = nl_put(&r, sizeof(*p));
	p->sel = *sel;
	lft_inf(&p->lft);
	p->priority = MCOA_XFRM_PRIO;
	p->dir = XFRM_POLICY_IN;
	p->action = XFRM_POLICY_ALLOW;
	p->share = XFRM_SHARE_ANY;

	memset(&t, 0, sizeof(t));
	addr(&t.id.daddr, tdaddr);
	t.id.proto = proto;
	t.family = AF_INET6;
	addr(&t.saddr, tsaddr);
	t.mode = XFRM_MODE_ROUTEOPTIMIZATION;
	t.optional = 1;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	nl_attr(&r, XFRMA_TMPL, &t, sizeof(t));
	return nl_talk(x, &r);
}

static int policy_del(struct mcoa_xfrm *x, const struct xfrm_selector *sel)
{
	struct xfrm_userpolicy_id *id;
	struct nlreq r;
	int err;

	nl_start(x, &r, XFRM_MSG_DELPOLICY, 0);
	id = nl_put(&r, sizeof(*id));
	id->sel = *sel;
	id->dir = XFRM_POLICY_IN;
	err = nl_talk(x, &r);
	return err == -ENOENT || err == -ESRCH ? 0 : err;
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
	selector(&sel, hoa, ha, -1);
	return policy_set(x, &sel, IPPROTO_DSTOPTS, ha, coa);
}

int mcoa_xfrm_ha_remove(struct mcoa_xfrm *x, const struct in6_addr *ha,
			const struct in6_addr *hoa, const struct in6_addr *coa)
{
	struct xfrm_selector sel;
	int err;

	selector(&sel, hoa, ha, -1);
	err = policy_del(x, &sel);
	if (err || is_any(coa))
		return err;
	return state_del(x, IPPROTO_DSTOPTS, ha, coa);
}

int mcoa_xfrm_mn_allow(struct mcoa_xfrm *x, const struct in6_addr *hoa,
		       const struct in6_addr *coa, const struct in6_addr *ha)
{
	struct xfrm_selector sel;
	int err;

	/* ipv6_rthdr_rcv() looks up (RH2 address = HoA, wire src = HA) */
	err = state_add(x, IPPROTO_ROUTING, hoa, ha, coa);
	if (err)
		return err;
	/* any MH type: BA, and BRR/BE if the HA sends them with a RH2 */
	selector(&sel, ha, hoa, -1);
	return policy_set(x, &sel, IPPROTO_ROUTING, hoa, ha);
}

int mcoa_xfrm_mn_remove(struct mcoa_xfrm *x, const struct in6_addr *hoa,
			const struct in6_addr *coa, const struct in6_addr *ha)
{
	struct xfrm_selector sel;
	int err;

	(void)coa;
	selector(&sel, ha, hoa, -1);
	err = policy_del(x, &sel);
	if (err)
		return err;
	return state_del(x, IPPROTO_ROUTING, hoa, ha);
}

/* Delete every IN policy of ours (priority MCOA_XFRM_PRIO, proto MH) */
static int policy_flush(struct mcoa_xfrm *x)
{
	struct xfrm_selector sels[64];
	unsigned int nsel = 0, i;
	struct nlreq r;
	uint8_t buf[16384];
	bool done = false;
	int err = 0;

	nl_start(x, &r, XFRM_MSG_GETPOLICY, NLM_F_DUMP);
	r.nh.nlmsg_flags &= ~NLM_F_ACK;
	nl_put(&r, sizeof(struct xfrm_userpolicy_id));
	if (send(x->fd, &r.nh, r.nh.nlmsg_len, 0) < 0)
		return -errno;
	while (!done) {
		ssize_t n = recv(x->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct xfrm_userpolicy_info *p = NLMSG_DATA(h);

			if (h->nlmsg_seq != r.nh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = true;
				break;
			}
			if (h->nlmsg_type != XFRM_MSG_NEWPOLICY ||
			    p->dir != XFRM_POLICY_IN ||
			    p->priority != MCOA_XFRM_PRIO ||
			    p->sel.proto != IPPROTO_MH ||
			    nsel == sizeof(sels) / sizeof(sels[0]))
				continue;
			sels[nsel++] = p->sel;
		}
	}
	for (i = 0; !err && i < nsel; i++)
		err = policy_del(x, &sels[i]);
	return err;
}

int mcoa_xfrm_flush(struct mcoa_xfrm *x)
{
	static const uint8_t protos[] = { IPPROTO_DSTOPTS, IPPROTO_ROUTING };
	struct xfrm_usersa_flush *f;
	struct nlreq r;
	unsigned int i;
	int err;

	err = policy_flush(x);
	if (err)
		return err;
	/* RO states are used by Mobile IPv6 only */
	for (i = 0; i < sizeof(protos); i++) {
		nl_start(x, &r, XFRM_MSG_FLUSHSA, 0);
		f = nl_put(&r, sizeof(*f));
		f->proto = protos[i];
		err = nl_talk(x, &r);
		if (err && err != -ESRCH)
			return err;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* NETLINK_XFRM requests and acks: see xfrm_nl.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "xfrm_nl.h"

static const struct in6_addr any6;

bool xnl_is_any(const struct in6_addr *a)
{
	return !a || !memcmp(a, &any6, sizeof(*a));
}

void xnl_addr(xfrm_address_t *x, const struct in6_addr *a)
{
	memset(x, 0, sizeof(*x));
	if (a)
		memcpy(x->a6, a, 16);
}

void *xnl_put(struct nlreq *r, size_t len)
{
	void *p = (uint8_t *)&r->nh + NLMSG_ALIGN(r->nh.nlmsg_len);

	memset(p, 0, NLMSG_ALIGN(len));
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + len;
	return p;
}

void xnl_attr(struct nlreq *r, int type, const void *data, size_t len)
{
	struct nlattr *a = xnl_put(r, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
}

void xnl_start(struct mcoa_xfrm *x, struct nlreq *r, int type, int flags)
{
	memset(&r->nh, 0, sizeof(r->nh));
	r->nh.nlmsg_len = NLMSG_HDRLEN;
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nh.nlmsg_seq = ++x->seq;
}

int xnl_talk(struct mcoa_xfrm *x, struct nlreq *r)
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

void xnl_lft_inf(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = XFRM_INF;
	l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = XFRM_INF;
	l->hard_packet_limit = XFRM_INF;
}

void xnl_selector(struct xfrm_selector *sel, const struct in6_addr *src,
		  const struct in6_addr *dst, int mh_type)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = AF_INET6;
	xnl_addr(&sel->saddr, src);
	xnl_addr(&sel->daddr, dst);
	sel->prefixlen_s = xnl_is_any(src) ? 0 : 128;
	sel->prefixlen_d = xnl_is_any(dst) ? 0 : 128;
	sel->proto = IPPROTO_MH;
	/* Linux keeps the MH type in sport (xfrm_flowi_sport) */
	if (mh_type >= 0) {
		sel->sport = htons(mh_type);
		sel->sport_mask = 0xffff;
	}
}


/* Without the attribute the kernel means MAIN: say it only for SUB */
static void put_type(struct nlreq *r, uint8_t type)
{
	struct xfrm_userpolicy_type t = { .type = type };

	if (type != XFRM_POLICY_TYPE_MAIN)
		xnl_attr(r, XFRMA_POLICY_TYPE, &t, sizeof(t));
}

int xnl_policy_set(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		   uint8_t dir, uint8_t type, uint32_t prio,
		   const struct xfrm_user_tmpl *t, unsigned int n)
{
	struct xfrm_userpolicy_info *p;
	struct nlreq r;

	/* UPDPOLICY creates or replaces: idempotent */
	xnl_start(x, &r, XFRM_MSG_UPDPOLICY, 0);
	p = xnl_put(&r, sizeof(*p));
	p->sel = *sel;
	xnl_lft_inf(&p->lft);
	p->priority = prio;
	p->dir = dir;
	p->action = XFRM_POLICY_ALLOW;
	p->share = XFRM_SHARE_ANY;
	if (n)
		xnl_attr(&r, XFRMA_TMPL, t, n * sizeof(*t));
	put_type(&r, type);
	return xnl_talk(x, &r);
}

int xnl_policy_del(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		   uint8_t dir, uint8_t type)
{
	struct xfrm_userpolicy_id *id;
	struct nlreq r;
	int err;

	xnl_start(x, &r, XFRM_MSG_DELPOLICY, 0);
	id = xnl_put(&r, sizeof(*id));
	id->sel = *sel;
	id->dir = dir;
	put_type(&r, type);
	err = xnl_talk(x, &r);
	return err == -ENOENT || err == -ESRCH ? 0 : err;
}

uint8_t xnl_policy_type(const struct nlmsghdr *h)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct xfrm_userpolicy_info));

	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		const struct nlattr *a = (const void *)((const uint8_t *)h + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == XFRMA_POLICY_TYPE &&
		    a->nla_len >= NLA_HDRLEN + sizeof(struct xfrm_userpolicy_type))
			return ((const struct xfrm_userpolicy_type *)
				((const uint8_t *)a + NLA_HDRLEN))->type;
		off += NLA_ALIGN(a->nla_len);
	}
	return XFRM_POLICY_TYPE_MAIN;
}

int xnl_dump(struct mcoa_xfrm *x, int type,
	     void (*cb)(const struct nlmsghdr *h, void *arg), void *arg)
{
	static uint8_t buf[65536];
	struct nlreq r;
	bool done = false;
	int err = 0;

	xnl_start(x, &r, type, NLM_F_DUMP);
	r.nh.nlmsg_flags &= ~NLM_F_ACK;
	/*
	 * An SA dump reads attributes (filters) right after the header:
	 * any payload there is "bytes leftover" in the kernel log, at every
	 * ipsec_tick() with IKE. A policy dump reads nothing.
	 */
	if (type != XFRM_MSG_GETSA)
		xnl_put(&r, sizeof(struct xfrm_userpolicy_id));
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
			cb(h, arg);
		}
	}
	return err;
}

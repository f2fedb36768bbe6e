/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NETLINK_XFRM plumbing shared by xfrm.c (route-optimisation states for
 * HAO/RH2) and xfrm_esp.c (ESP SAs for BU/BA): building one request,
 * sending it and reading its ack, selectors and policies for MH. Raw
 * netlink: the messages are small and fixed, no library needed.
 */
#ifndef MCOAD_XFRM_NL_H
#define MCOAD_XFRM_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "xfrm.h"

/*
 * Our policies, told apart from anyone else's (strongSwan, ip xfrm) by
 * priority: lower wins, so a per-HoA policy requiring ESP beats the
 * catch-all one that lets a HAO in.
 */
#define MCOA_XFRM_PRIO		0x7f00	/* RO: HAO/RH2 allowed */
#define MCOA_XFRM_PRIO_ESP	0x7e00	/* BU/BA of one HoA: ESP required */

struct nlreq {
	struct nlmsghdr nh;
	uint8_t buf[2048];
};

bool xnl_is_any(const struct in6_addr *a);
void xnl_addr(xfrm_address_t *x, const struct in6_addr *a);
void *xnl_put(struct nlreq *r, size_t len);
void xnl_attr(struct nlreq *r, int type, const void *data, size_t len);
void xnl_start(struct mcoa_xfrm *x, struct nlreq *r, int type, int flags);
/* Send and wait for the ack: 0 or -errno from the kernel */
int xnl_talk(struct mcoa_xfrm *x, struct nlreq *r);
void xnl_lft_inf(struct xfrm_lifetime_cfg *l);

/* MH from @src to @dst (:: = any), MH type @mh_type or -1 for any */
void xnl_selector(struct xfrm_selector *sel, const struct in6_addr *src,
		  const struct in6_addr *dst, int mh_type);
/*
 * Create or replace (idempotent) a policy with @n templates, outer last.
 * @type is XFRM_POLICY_TYPE_MAIN or _SUB: a policy is identified by
 * selector, direction and type, so a SUB policy never replaces a MAIN
 * one (strongSwan's) with the same selector, and vice versa.
 */
int xnl_policy_set(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		   uint8_t dir, uint8_t type, uint32_t prio,
		   const struct xfrm_user_tmpl *t, unsigned int n);
/* 0 also when there was none */
int xnl_policy_del(struct mcoa_xfrm *x, const struct xfrm_selector *sel,
		   uint8_t dir, uint8_t type);
/* The type (MAIN or SUB) of a policy a dump returned */
uint8_t xnl_policy_type(const struct nlmsghdr *h);
/* The optional route-optimisation template (xfrm.c) for HAO / RH2 */
void mcoa_xfrm_ro_tmpl(struct xfrm_user_tmpl *t, uint8_t proto,
		       const struct in6_addr *tdaddr,
		       const struct in6_addr *tsaddr);

/*
 * Dump @type (XFRM_MSG_GETPOLICY or XFRM_MSG_GETSA) and call @cb on each
 * entry's payload. 0 or -errno.
 */
int xnl_dump(struct mcoa_xfrm *x, int type,
	     void (*cb)(const struct nlmsghdr *h, void *arg), void *arg);

#endif

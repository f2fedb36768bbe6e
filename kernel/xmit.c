// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: pick a binding for the inner packet and encapsulate it in an
 * outer IPv6 header (RFC 2473).
 *   HA mode: inner dst is the HoA; outer src = binding peer (the HA's
 *            address, or routing's choice), outer dst = CoA.
 *   MN mode: inner src is the HoA; outer src = CoA, outer dst = peer (the
 *            HA), leaving by the binding's link when one is set.
 * The inner hop limit was already decremented by the forwarding path that
 * routed the packet into this device (RFC 2473 s.3.1); it is not touched
 * again here, as in ip6_tunnel.
 *
 * Outer route cache. Each binding caches the route (and source address)
 * of its outer header in b->dst, a small slot, as ip6_tunnel does with its
 * dst_cache but one slot per binding rather than one per CPU: an HA holds
 * a million bindings, and 32 bytes times the CPUs each would be most of
 * the cache's memory. The slot is replaced whole (xchg) by whichever CPU
 * finds it missing or stale, and freed with kfree_rcu; the slot owns one
 * reference on its dst, dropped when the slot is retired (dst_release
 * frees a dst after a grace period, so a reader that loaded the slot
 * under RCU can still try dst_hold_safe()). A route is checked against the
 * cookie of its lookup (dst_check), so a routing or XFRM change makes the
 * next packet look up again. Packets with a mark bypass the cache, since
 * the mark takes part in the lookup. A new CoA or peer is a new binding
 * (bcache.c): it starts with no slot; a new link resets the slot.
 */

#include <linux/icmpv6.h>
#include <linux/netdevice.h>
#include <net/dsfield.h>
#include <net/dst.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ip6_tunnel.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include <linux/mcoa.h>

#include "bcache.h"
#include "compat.h"
#include "device.h"
#include "prefix.h"
#include "select.h"
#include "xmit.h"

#define MCOA_OUTER_HOPLIMIT	64

struct mcoa_dst_slot {
	struct dst_entry *dst;		/* one reference, the slot's */
	struct in6_addr saddr;		/* the outer source routing chose */
	u32 cookie;
	struct rcu_head rcu;
};

static void mcoa_dst_slot_retire(struct mcoa_dst_slot *s)
{
	if (!s)
		return;
	dst_release(s->dst);
	kfree_rcu(s, rcu);
}

void mcoa_dst_reset(struct mcoa_binding *b)
{
	mcoa_dst_slot_retire(unrcu_pointer(xchg(&b->dst, NULL)));
}

void mcoa_dst_destroy(struct mcoa_binding *b)
{
	/* After @b's grace period: no reader can still see the slot. */
	struct mcoa_dst_slot *s = rcu_dereference_protected(b->dst, 1);

	if (s) {
		dst_release(s->dst);
		kfree(s);
	}
}

/* The cached route with a reference for the caller, or NULL. RCU held. */
static struct dst_entry *mcoa_dst_get(struct mcoa_binding *b,
				      struct in6_addr *saddr)
{
	struct mcoa_dst_slot *s = rcu_dereference(b->dst);
	struct dst_entry *dst;

	if (!s || !dst_hold_safe(s->dst))
		return NULL;
	dst = dst_check(s->dst, s->cookie);
	if (!dst) {
		dst_release(s->dst);
		/* stale: retire it, unless another CPU already has */
		if (cmpxchg(&b->dst, RCU_INITIALIZER(s), NULL) ==
		    RCU_INITIALIZER(s))
			mcoa_dst_slot_retire(s);
		return NULL;
	}
	*saddr = s->saddr;
	return dst;
}

static void mcoa_dst_set(struct mcoa_binding *b, struct dst_entry *dst,
			 const struct in6_addr *saddr)
{
	struct mcoa_dst_slot *s = kmalloc(sizeof(*s), GFP_ATOMIC);

	if (!s)
		return;		/* the next packet looks up again */
	dst_hold(dst);
	s->dst = dst;
	s->saddr = *saddr;
	s->cookie = rt6_get_cookie((struct rt6_info *)dst);
	mcoa_dst_slot_retire(unrcu_pointer(xchg(&b->dst, RCU_INITIALIZER(s))));
}

static void mcoa_flow_init(const struct mcoa_dev *mdev,
			   const struct mcoa_binding *b,
			   const struct sk_buff *skb, struct flowi6 *fl6)
{
	memset(fl6, 0, sizeof(*fl6));
	if (mdev->mode == MCOA_MODE_HA) {
		fl6->saddr = b->peer;
		fl6->daddr = b->coa;
	} else {
		fl6->saddr = b->coa;
		fl6->daddr = b->peer;
	}
	/* A link-local CoA always has one (bcache.c refuses it without). */
	fl6->flowi6_oif = READ_ONCE(b->link);
	fl6->flowi6_proto = IPPROTO_IPV6;
	fl6->flowi6_mark = skb->mark;
	fl6->flowi6_uid = sock_net_uid(dev_net(mdev->dev), NULL);
}

/* Outer route for @fl6, or NULL (counted) when there is none usable. */
static struct dst_entry *mcoa_route(struct mcoa_dev *mdev, struct flowi6 *fl6)
{
	struct net *net = dev_net(mdev->dev);
	struct dst_entry *dst;

	if (ip6_dst_lookup(net, NULL, &dst, fl6))
		return NULL;
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(fl6), NULL, 0);
	if (IS_ERR(dst))
		return NULL;
	if (dst->dev == mdev->dev) {
		net_dbg_ratelimited("%s: routing loop to %pI6c\n",
				    mdev->dev->name, &fl6->daddr);
		dst_release(dst);
		return NULL;
	}
	return dst;
}

/*
 * The inner packet must fit the path MTU less our header; the IPv6
 * minimum MTU is always accepted (the outer packet is then fragmented).
 * Returns false, after telling the sender, when it does not fit.
 */
static bool mcoa_mtu_ok(struct mcoa_dev *mdev, struct sk_buff *skb,
			struct dst_entry *dst)
{
	int mtu = dst_mtu(dst) - sizeof(struct ipv6hdr);

	if (mtu < (int)mdev->dev->mtu && mtu >= IPV6_MIN_MTU &&
	    skb_dst(skb))
		skb_dst_update_pmtu_no_confirm(skb, mtu);
	if (mtu < IPV6_MIN_MTU) {
		mtu = IPV6_MIN_MTU;
		skb->ignore_df = 1;
	}
	if (skb_is_gso(skb) ? skb_gso_validate_network_len(skb, mtu) :
			      skb->len <= mtu)
		return true;
	icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	mcoa_count(mdev, tx_too_big);
	return false;
}

static void mcoa_push_outer(struct sk_buff *skb, const struct flowi6 *fl6,
			    u8 dsfield, __be32 label)
{
	struct ipv6hdr *ip6h;

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, INET_ECN_encapsulate(dsfield, dsfield), label);
	ip6h->nexthdr = IPPROTO_IPV6;
	ip6h->hop_limit = MCOA_OUTER_HOPLIMIT;
	ip6h->saddr = fl6->saddr;
	ip6h->daddr = fl6->daddr;
	skb->protocol = htons(ETH_P_IPV6);
}

static int mcoa_encap(struct mcoa_dev *mdev, struct mcoa_binding *b,
		      struct sk_buff *skb)
{
	struct net *net = dev_net(mdev->dev);
	struct dst_entry *dst;
	unsigned int len;
	struct flowi6 fl6;
	bool ignore_df;
	__be32 label;
	u8 dsfield;

	mcoa_flow_init(mdev, b, skb, &fl6);
	dst = skb->mark ? NULL : mcoa_dst_get(b, &fl6.saddr);
	if (!dst) {
		dst = mcoa_route(mdev, &fl6);
		if (!dst)
			return -EHOSTUNREACH;
		if (!skb->mark)
			mcoa_dst_set(b, dst, &fl6.saddr);
	}
	if (!mcoa_mtu_ok(mdev, skb, dst)) {
		dst_release(dst);
		return -EMSGSIZE;
	}
	ignore_df = skb->ignore_df;
	dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
	label = ip6_make_flowlabel(net, skb, 0, true, &fl6);
	len = skb->len;

	skb_scrub_packet(skb, false);
	skb->ignore_df = ignore_df;
	skb_dst_set(skb, dst);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + dst->header_len +
			 sizeof(struct ipv6hdr)) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_IPXIP6))
		return -ENOMEM;
	skb_set_inner_ipproto(skb, IPPROTO_IPV6);
	mcoa_push_outer(skb, &fl6, dsfield, label);

	atomic64_inc(&b->stats.tx_packets);
	atomic64_add(len, &b->stats.tx_bytes);
	ip6tunnel_xmit(NULL, skb, mdev->dev);
	return 0;
}

netdev_tx_t mcoa_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mcoa_dev *mdev = netdev_priv(dev);
	const struct in6_addr *addr;
	struct mcoa_binding *b;
	struct mcoa_hoa *hoa;

	if (skb->protocol != htons(ETH_P_IPV6) ||
	    !pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
		goto drop;
	addr = mdev->mode == MCOA_MODE_HA ? &ipv6_hdr(skb)->daddr :
					    &ipv6_hdr(skb)->saddr;
	/*
	 * The core holds rcu_read_lock_bh here; the cache's readers are
	 * plain RCU readers (rcu_dereference), so say so.
	 */
	rcu_read_lock();
	hoa = mcoa_hoa_for_addr(mdev, addr);
	b = hoa ? mcoa_select(hoa, skb) : NULL;
	if (!b) {
		rcu_read_unlock();
		mcoa_count(mdev, tx_no_binding);
		goto drop;
	}
	if (!mcoa_encap(mdev, b, skb)) {
		rcu_read_unlock();
		return NETDEV_TX_OK;
	}
	atomic64_inc(&b->stats.tx_dropped);
	rcu_read_unlock();
drop:
	mcoa_count(mdev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: IPv6-in-IPv6 packets reach us through the tunnel6 handler chain
 * (before ip6_tunnel, which keeps working beside us: what is not ours is
 * handed on). A packet is ours when an mcoa device of the netns knows its
 * HoA, and is accepted only if
 *   HA mode: the inner source is a HoA with a binding whose CoA is the
 *            outer source;
 *   MN mode: the inner destination is a HoA with a binding whose peer (the
 *            HA) is the outer source.
 * The binding that accepted it becomes the HoA's most recently verified.
 * Everything else that is ours is dropped and counted as spoofed.
 */

#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <linux/rculist.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <net/xfrm.h>

#include <linux/mcoa.h>

#include "device.h"
#include "rcv.h"

/* Before ip6_tunnel (1) and xfrm6_tunnel (3): we hand on what is not ours. */
#define MCOA_TUNNEL6_PRIORITY	0

enum mcoa_verdict {
	MCOA_NOT_OURS,
	MCOA_ACCEPT,
	MCOA_SPOOFED,
};

/*
 * MN mode: the outer source must be the HA of one of the HoA's bindings.
 * The packet is counted on (and verifies) the binding of the CoA it was
 * sent to; any binding with that HA if none has the outer destination.
 */
static struct mcoa_binding *mcoa_mn_match(struct mcoa_hoa *hoa,
					  const struct ipv6hdr *outer)
{
	struct mcoa_binding *b, *any = NULL;

	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list) {
		if (!ipv6_addr_equal(&b->peer, &outer->saddr) ||
		    !mcoa_binding_live(b))
			continue;
		if (ipv6_addr_equal(&b->coa, &outer->daddr))
			return b;
		if (!any)
			any = b;
	}
	return any;
}

static enum mcoa_verdict mcoa_classify(struct mcoa_dev *mdev,
				       const struct ipv6hdr *outer,
				       const struct ipv6hdr *inner,
				       struct mcoa_binding **bp)
{
	struct mcoa_binding *b = NULL;
	struct mcoa_hoa *hoa;

	if (mdev->mode == MCOA_MODE_HA) {
		b = mcoa_coa_match(mdev, &outer->saddr, &inner->saddr);
		if (b && !mcoa_binding_live(b))
			b = NULL;
		hoa = b ? b->hoa : mcoa_hoa_lookup(mdev, &inner->saddr);
	} else {
		hoa = mcoa_hoa_lookup(mdev, &inner->daddr);
		if (hoa)
			b = mcoa_mn_match(hoa, outer);
	}
	*bp = b;
	if (b)
		return MCOA_ACCEPT;
	return hoa ? MCOA_SPOOFED : MCOA_NOT_OURS;
}

static struct mcoa_dev *mcoa_find_dev(struct net *net,
				      const struct ipv6hdr *outer,
				      const struct ipv6hdr *inner,
				      struct mcoa_binding **bp,
				      enum mcoa_verdict *verdict)
{
	struct mcoa_dev *mdev;

	list_for_each_entry_rcu(mdev, mcoa_net_devs(net), list) {
		*verdict = mcoa_classify(mdev, outer, inner, bp);
		if (*verdict != MCOA_NOT_OURS)
			return mdev;
	}
	return NULL;
}

static void mcoa_deliver(struct mcoa_dev *mdev, struct mcoa_binding *b,
			 struct sk_buff *skb, u8 outer_dsfield)
{
	unsigned int len;

	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	memset(skb->cb, 0, sizeof(struct inet6_skb_parm));
	skb->dev = mdev->dev;
	skb->pkt_type = PACKET_HOST;
	if (INET_ECN_is_ce(outer_dsfield))
		IP6_ECN_set_ce(skb, ipv6_hdr(skb));
	len = skb->len;
	atomic64_inc(&b->stats.rx_packets);
	atomic64_add(len, &b->stats.rx_bytes);
	mcoa_binding_verified(b);
	dev_sw_netstats_rx_add(mdev->dev, len);
	gro_cells_receive(&mdev->gro, skb);
}

static int mcoa_rcv(struct sk_buff *skb)
{
	const struct ipv6hdr *outer = ipv6_hdr(skb);
	struct mcoa_binding *b = NULL;
	enum mcoa_verdict verdict;
	struct mcoa_dev *mdev;
	u8 dsfield;

	/* tunnel6 pulled the inner header: skb->data points at it. */
	rcu_read_lock();
	mdev = mcoa_find_dev(dev_net(skb->dev), outer,
			     (const struct ipv6hdr *)skb->data, &b, &verdict);
	if (!mdev) {
		rcu_read_unlock();
		return -EINVAL;		/* not ours: next handler */
	}
	if (verdict == MCOA_SPOOFED) {
		net_dbg_ratelimited("%s: spoofed tunnel packet from %pI6c\n",
				    mdev->dev->name, &outer->saddr);
		mcoa_count(mdev, rx_spoofed);
		goto drop;
	}
	if (!xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb))
		goto drop;
	dsfield = ipv6_get_dsfield(outer);
	if (iptunnel_pull_header(skb, 0, htons(ETH_P_IPV6), false))
		goto drop;
	mcoa_deliver(mdev, b, skb, dsfield);
	rcu_read_unlock();
	return 0;

drop:
	mcoa_count(mdev, rx_dropped);
	rcu_read_unlock();
	kfree_skb(skb);
	return 0;
}

/*
 * ICMPv6 errors about our outer packets: learn the path MTU towards the
 * CoA (or HA) so the next packets get the right Packet Too Big. Always
 * hand the error on so that ip6_tunnel sees its own.
 */
static int mcoa_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
		    u8 type, u8 code, int offset, __be32 info)
{
	struct net *net = dev_net(skb->dev);

	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
	return -ENOENT;
}

static struct xfrm6_tunnel mcoa_tunnel6 __read_mostly = {
	.handler	= mcoa_rcv,
	.err_handler	= mcoa_err,
	.priority	= MCOA_TUNNEL6_PRIORITY,
};

int mcoa_rcv_init(void)
{
	int ret = xfrm6_tunnel_register(&mcoa_tunnel6, AF_INET6);

	if (ret)
		pr_err("cannot register the IPv6-in-IPv6 handler: %d\n", ret);
	return ret;
}

void mcoa_rcv_uninit(void)
{
	xfrm6_tunnel_deregister(&mcoa_tunnel6, AF_INET6);
}

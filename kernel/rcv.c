// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: IPv6-in-IPv6 packets reach us through the tunnel6 handler chain
 * (before ip6_tunnel, which keeps working beside us: what is not ours is
 * handed on). A packet is ours when an mcoa device of the netns knows its
 * HoA, and is accepted only if a live binding of that HoA vouches for both
 * outer addresses:
 *   HA mode: the inner source is the HoA, the outer source its CoA, and
 *            the outer destination the binding's peer (the HA address it
 *            was registered with; any local address when unset);
 *   MN mode: the inner destination is the HoA, the outer source the
 *            binding's peer (the HA) and the outer destination its CoA.
 * An address inside a mobile network prefix (prefix.c) counts as its
 * mobile router's HoA. On a home agent, a packet through a registered CoA
 * whose inner source is no HoA or prefix of ours is ours too (spoofed).
 * Everything else that is ours is dropped and counted as spoofed. Data
 * packets never mark a binding verified: their outer source is not
 * authenticated, so only signalling does (MCOA_A_BINDING_VERIFY).
 * Decapsulation follows RFC 6040: a CE outer header on a Not-ECT inner
 * packet drops it.
 *
 * ICMPv6 errors quoting one of our outer packets (Packet Too Big,
 * Redirect) are applied only when the quoted headers match a binding the
 * same way, as ip6_tunnel does with its tunnel lookup; anything else could
 * be forged to shrink the path MTU towards any destination.
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
#include "prefix.h"
#include "rcv.h"

/* Before ip6_tunnel (1) and xfrm6_tunnel (3): we hand on what is not ours. */
#define MCOA_TUNNEL6_PRIORITY	0

enum mcoa_verdict {
	MCOA_NOT_OURS,
	MCOA_ACCEPT,
	MCOA_SPOOFED,
};

/*
 * HA mode: the binding of @hoa with this CoA (@coa), registered with this
 * HA address (@local) or with none. The walk is over the HoA's own
 * bindings, so it costs the same however many HoAs share the CoA.
 */
static struct mcoa_binding *mcoa_ha_match(struct mcoa_hoa *hoa,
					  const struct in6_addr *coa,
					  const struct in6_addr *local)
{
	struct mcoa_binding *b;

	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list) {
		if (!ipv6_addr_equal(&b->coa, coa) || READ_ONCE(b->dead))
			continue;
		if (ipv6_addr_any(&b->peer) || ipv6_addr_equal(&b->peer, local))
			return b;
	}
	return NULL;
}

/* MN mode: the binding of @hoa with this HA (@ha) and this CoA (@coa). */
static struct mcoa_binding *mcoa_mn_match(struct mcoa_hoa *hoa,
					  const struct in6_addr *ha,
					  const struct in6_addr *coa)
{
	struct mcoa_binding *b;

	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list)
		if (ipv6_addr_equal(&b->peer, ha) &&
		    ipv6_addr_equal(&b->coa, coa) && !READ_ONCE(b->dead))
			return b;
	return NULL;
}

/*
 * The binding behind a tunnel packet whose outer header @outer was sent
 * between @local (us) and @remote (the other end), with inner header
 * @inner, and whether its HoA is ours at all.
 */
static enum mcoa_verdict mcoa_classify(struct mcoa_dev *mdev,
				       const struct in6_addr *local,
				       const struct in6_addr *remote,
				       const struct ipv6hdr *inner,
				       bool to_us, struct mcoa_binding **bp)
{
	const struct in6_addr *addr;
	struct mcoa_binding *b;
	struct mcoa_hoa *hoa;

	/* Received, the inner source is the HA's HoA; sent, its destination. */
	if (mdev->mode == MCOA_MODE_HA)
		addr = to_us ? &inner->saddr : &inner->daddr;
	else
		addr = to_us ? &inner->daddr : &inner->saddr;
	/* a HoA, or an address in a prefix delegated to one (a mobile router) */
	hoa = mcoa_hoa_for_addr(mdev, addr);
	if (!hoa) {
		/*
		 * Through a registered CoA with an inner source that is
		 * neither its HoA nor in a prefix delegated to it: a mobile
		 * router's network sending from outside its prefixes, or
		 * spoofing. Ours to drop, not ip6_tunnel's to take.
		 */
		if (mdev->mode == MCOA_MODE_HA && to_us &&
		    mcoa_coa_known(mdev, remote, local))
			return MCOA_SPOOFED;
		return MCOA_NOT_OURS;
	}
	if (mdev->mode == MCOA_MODE_HA)
		b = mcoa_ha_match(hoa, remote, local);
	else
		b = mcoa_mn_match(hoa, remote, local);
	*bp = b;
	return b ? MCOA_ACCEPT : MCOA_SPOOFED;
}

/*
 * The mcoa device of @net that a tunnel packet belongs to. @to_us: the
 * packet was received (@outer's source is the remote end), else it is one
 * we sent, quoted in an ICMPv6 error.
 */
static struct mcoa_dev *mcoa_find_dev(struct net *net,
				      const struct ipv6hdr *outer,
				      const struct ipv6hdr *inner, bool to_us,
				      struct mcoa_binding **bp,
				      enum mcoa_verdict *verdict)
{
	const struct in6_addr *local = to_us ? &outer->daddr : &outer->saddr;
	const struct in6_addr *remote = to_us ? &outer->saddr : &outer->daddr;
	struct mcoa_dev *mdev;

	list_for_each_entry_rcu(mdev, mcoa_net_devs(net), list) {
		*verdict = mcoa_classify(mdev, local, remote, inner, to_us, bp);
		if (*verdict != MCOA_NOT_OURS)
			return mdev;
	}
	return NULL;
}

static void mcoa_deliver(struct mcoa_dev *mdev, struct mcoa_binding *b,
			 struct sk_buff *skb)
{
	unsigned int len;

	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	memset(skb->cb, 0, sizeof(struct inet6_skb_parm));
	skb->dev = mdev->dev;
	skb->pkt_type = PACKET_HOST;
	len = skb->len;
	atomic64_inc(&b->stats.rx_packets);
	atomic64_add(len, &b->stats.rx_bytes);
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
			     (const struct ipv6hdr *)skb->data, true, &b,
			     &verdict);
	if (!mdev) {
		rcu_read_unlock();
		return -EINVAL;		/* not ours: next handler */
	}
	if (verdict == MCOA_SPOOFED || !mcoa_binding_live(b)) {
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
	skb_reset_network_header(skb);
	/* RFC 6040 s.4.2; also marks CE on an ECT inner packet. */
	if (INET_ECN_decapsulate(skb, dsfield,
				 ipv6_get_dsfield(ipv6_hdr(skb))) > 1) {
		net_dbg_ratelimited("%s: CE on a Not-ECT packet from %pI6c\n",
				    mdev->dev->name, &outer->saddr);
		mcoa_count(mdev, rx_ecn_dropped);
		goto drop;
	}
	mcoa_deliver(mdev, b, skb);
	rcu_read_unlock();
	return 0;

drop:
	mcoa_count(mdev, rx_dropped);
	rcu_read_unlock();
	kfree_skb(skb);
	return 0;
}

/*
 * ICMPv6 errors about our outer packets: skb->data is the quoted outer
 * header, @offset our inner header behind it. Learn the path MTU towards
 * the CoA (or HA), or follow a redirect, only for a packet a binding of
 * ours could have sent. Always hand the error on so that ip6_tunnel sees
 * its own.
 */
static int mcoa_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
		    u8 type, u8 code, int offset, __be32 info)
{
	struct net *net = dev_net(skb->dev);
	const struct ipv6hdr *outer, *inner;
	enum mcoa_verdict verdict;
	struct mcoa_binding *b;
	struct mcoa_dev *mdev;

	if (type != ICMPV6_PKT_TOOBIG && type != NDISC_REDIRECT)
		return -ENOENT;
	if (!pskb_may_pull(skb, offset + sizeof(struct ipv6hdr)))
		return -ENOENT;
	outer = (const struct ipv6hdr *)skb->data;
	inner = (const struct ipv6hdr *)(skb->data + offset);

	rcu_read_lock();
	mdev = mcoa_find_dev(net, outer, inner, false, &b, &verdict);
	if (!mdev)
		goto out;
	if (verdict != MCOA_ACCEPT) {
		net_dbg_ratelimited("%s: ICMPv6 type %u quoting no binding, to %pI6c\n",
				    mdev->dev->name, type, &outer->daddr);
		mcoa_count(mdev, err_ignored);
		goto out;
	}
	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
out:
	rcu_read_unlock();
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

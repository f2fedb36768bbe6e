// SPDX-License-Identifier: GPL-2.0
/*
 * The "mcoa" generic netlink family (uapi/linux/mcoa.h, uapi/mcoa.yaml).
 *
 * Every op has its own strict policy (resv_start_op covers them all), needs
 * CAP_NET_ADMIN in the user namespace that owns the netns (as does joining
 * the multicast group: it shows every HoA and CoA) and runs without
 * genl_mutex (parallel_ops): the binding cache has its own lock. pre_doit
 * resolves MCOA_A_IFINDEX to an mcoa device and holds it, with a tracked
 * reference, until post_doit. Every rejection names the attribute in the
 * extack.
 */

#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include <linux/mcoa.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "nl_dump.h"
#include "prefix.h"

static struct genl_family mcoa_family;

enum { MCOA_MCGRP_BINDINGS_ID };

static const struct genl_multicast_group mcoa_mcgrps[] = {
	[MCOA_MCGRP_BINDINGS_ID] = { .name = MCOA_MCGRP_BINDINGS,
				     .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* ---- policies --------------------------------------------------------- */

#define MCOA_REPLY_ONLY { .type = NLA_REJECT, \
			  .reject_message = "attribute is only sent by the kernel" }

/* NLA_POLICY_MAX takes an s16 on 6.1: a u32 bound needs a range object
 * (not const there).
 */
static struct netlink_range_validation mcoa_lifetime_range __ro_after_init = {
	.max = MCOA_LIFETIME_MAX,
};

static const struct nla_policy mcoa_binding_nl_policy[MCOA_A_BINDING_MAX + 1] = {
	[MCOA_A_BINDING_HOA]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_BINDING_BID]		= NLA_POLICY_MIN(NLA_U16, 1)	/* max is U16_MAX: 6.1's s16 range check WARNs on 65535 */,
	[MCOA_A_BINDING_COA]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_BINDING_COA4]		= { .type = NLA_U32 },
	[MCOA_A_BINDING_PEER]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_BINDING_LINK]		= { .type = NLA_U32 },
	[MCOA_A_BINDING_PRIO]		= NLA_POLICY_MAX(NLA_U8, MCOA_PRIO_MAX),
	[MCOA_A_BINDING_FLAGS]		= NLA_POLICY_MASK(NLA_U32,
							  MCOA_BINDING_FLAGS_HOME |
							  MCOA_BINDING_FLAGS_LEGACY),
	[MCOA_A_BINDING_LIFETIME]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&mcoa_lifetime_range),
	[MCOA_A_BINDING_EXPIRES]	= MCOA_REPLY_ONLY,
	[MCOA_A_BINDING_VERIFIED]	= MCOA_REPLY_ONLY,
	[MCOA_A_BINDING_STATS]		= MCOA_REPLY_ONLY,
	[MCOA_A_BINDING_DEL_REASON]	= MCOA_REPLY_ONLY,
	[MCOA_A_BINDING_VERIFY]		= { .type = NLA_FLAG },
	[MCOA_A_BINDING_NO_CARRIER]	= MCOA_REPLY_ONLY,
};

static const struct nla_policy mcoa_flow_nl_policy[MCOA_A_FLOW_MAX + 1] = {
	[MCOA_A_FLOW_HOA]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_FLOW_FID]		= NLA_POLICY_MIN(NLA_U16, 1),
	[MCOA_A_FLOW_PRI]		= { .type = NLA_U16 },
	[MCOA_A_FLOW_SRC]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_FLOW_SRC_PLEN]		= NLA_POLICY_MAX(NLA_U8, 128),
	[MCOA_A_FLOW_DST]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_FLOW_DST_PLEN]		= NLA_POLICY_MAX(NLA_U8, 128),
	[MCOA_A_FLOW_PROTO]		= { .type = NLA_U8 },
	[MCOA_A_FLOW_SPORT_MIN]		= { .type = NLA_U16 },
	[MCOA_A_FLOW_SPORT_MAX]		= { .type = NLA_U16 },
	[MCOA_A_FLOW_DPORT_MIN]		= { .type = NLA_U16 },
	[MCOA_A_FLOW_DPORT_MAX]		= { .type = NLA_U16 },
	[MCOA_A_FLOW_TCLASS]		= { .type = NLA_U8 },
	[MCOA_A_FLOW_TCLASS_MASK]	= { .type = NLA_U8 },
	[MCOA_A_FLOW_BIDS]		= { .type = NLA_BINARY,
					    .len = MCOA_FLOW_BIDS_MAX * sizeof(u16) },
	[MCOA_A_FLOW_PACKETS]		= MCOA_REPLY_ONLY,
};

static const struct nla_policy mcoa_hoa_nl_policy[MCOA_A_HOA_MAX + 1] = {
	[MCOA_A_HOA_ADDR]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_HOA_POLICY]		= NLA_POLICY_RANGE(NLA_U32, MCOA_POLICY_HASH,
							   MCOA_POLICY_RECENT),
	[MCOA_A_HOA_SEQ]		= { .type = NLA_U16 },
	[MCOA_A_HOA_BINDINGS]		= MCOA_REPLY_ONLY,
	[MCOA_A_HOA_RECENT_BID]		= MCOA_REPLY_ONLY,
};

static const struct nla_policy mcoa_prefix_nl_policy[MCOA_A_PREFIX_MAX + 1] = {
	[MCOA_A_PREFIX_HOA]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_PREFIX_ADDR]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[MCOA_A_PREFIX_PLEN]		= NLA_POLICY_RANGE(NLA_U8, 1, 128),
};

/* Per-op top-level policies: an attribute an op does not take is refused. */
static const struct nla_policy mcoa_dev_nl_policy[MCOA_A_MAX + 1] = {
	[MCOA_A_IFINDEX]	= { .type = NLA_U32 },
};

static const struct nla_policy mcoa_bind_op_policy[MCOA_A_MAX + 1] = {
	[MCOA_A_IFINDEX]	= { .type = NLA_U32 },
	[MCOA_A_BINDING]	= NLA_POLICY_NESTED(mcoa_binding_nl_policy),
};

static const struct nla_policy mcoa_flow_op_policy[MCOA_A_MAX + 1] = {
	[MCOA_A_IFINDEX]	= { .type = NLA_U32 },
	[MCOA_A_FLOW]		= NLA_POLICY_NESTED(mcoa_flow_nl_policy),
};

static const struct nla_policy mcoa_hoa_op_policy[MCOA_A_MAX + 1] = {
	[MCOA_A_IFINDEX]	= { .type = NLA_U32 },
	[MCOA_A_HOA]		= NLA_POLICY_NESTED(mcoa_hoa_nl_policy),
};

static const struct nla_policy mcoa_prefix_op_policy[MCOA_A_MAX + 1] = {
	[MCOA_A_IFINDEX]	= { .type = NLA_U32 },
	[MCOA_A_PREFIX]		= NLA_POLICY_NESTED(mcoa_prefix_nl_policy),
};

/* ---- helpers ---------------------------------------------------------- */

#define MCOA_NLF_NEED_DEV	BIT(0)

/* Missing attribute: point at it and say which one. */
#define mcoa_require(info, nest, tb, type, name) ({			\
	bool __miss = NL_REQ_ATTR_CHECK((info)->extack, nest, tb, type);\
	if (__miss)							\
		NL_SET_ERR_MSG((info)->extack, "missing attribute " name); \
	__miss;								\
})

static struct mcoa_dev *mcoa_info_dev(struct genl_info *info)
{
	return info->user_ptr[0];
}

/* The reference tracker of the held device lives in user_ptr[1]. */
static netdevice_tracker *mcoa_info_tracker(struct genl_info *info)
{
	BUILD_BUG_ON(sizeof(netdevice_tracker) > sizeof(info->user_ptr[1]));
	return (netdevice_tracker *)&info->user_ptr[1];
}

static int mcoa_pre_doit(const struct mcoa_genl_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	struct nlattr *attr = info->attrs[MCOA_A_IFINDEX];
	struct net_device *dev;
	int ret = 0;

	if (!(ops->internal_flags & MCOA_NLF_NEED_DEV))
		return 0;
	if (mcoa_require(info, NULL, info->attrs, MCOA_A_IFINDEX, "ifindex"))
		return -EINVAL;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(genl_info_net(info), nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		ret = -ENODEV;
	} else if (!mcoa_is_mcoa_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "not an mcoa device");
		ret = -EOPNOTSUPP;
	} else {
		netdev_hold(dev, mcoa_info_tracker(info), GFP_ATOMIC);
		info->user_ptr[0] = netdev_priv(dev);
	}
	rcu_read_unlock();
	return ret;
}

static void mcoa_post_doit(const struct mcoa_genl_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	struct mcoa_dev *mdev = info->user_ptr[0];

	if (mdev)
		netdev_put(mdev->dev, mcoa_info_tracker(info));
}

static bool mcoa_addr_unicast(const struct in6_addr *a)
{
	int type = ipv6_addr_type(a);

	return !(type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK |
			 IPV6_ADDR_MAPPED)) && type != IPV6_ADDR_ANY;
}

/* An address attribute that must be a unicast address. */
static int mcoa_get_addr(struct genl_info *info, struct nlattr *attr,
			 struct in6_addr *out)
{
	*out = nla_get_in6_addr(attr);
	if (mcoa_addr_unicast(out))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "address must be a global or link-local unicast");
	return -EINVAL;
}

/* Parse the nest @type, which the op requires; @name for the message. */
#define mcoa_parse_nest(info, type, maxtype, policy, tb, name) ({	\
	struct nlattr *__nest = (info)->attrs[type];			\
	int __ret;							\
									\
	if (mcoa_require(info, NULL, (info)->attrs, type, name))	\
		__ret = -EINVAL;					\
	else								\
		__ret = nla_parse_nested(tb, maxtype, __nest, policy,	\
					 (info)->extack);		\
	__ret;								\
})

/* ---- message filling -------------------------------------------------- */

struct mcoa_stats_vals {
	u64 v[MCOA_A_STATS_MAX + 1];
};

static int mcoa_put_stats(struct sk_buff *skb, int type,
			  const struct mcoa_stats_vals *s, u32 mask)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= MCOA_A_STATS_MAX; i++) {
		if (!(mask & BIT(i)))
			continue;
		if (nla_put_u64_64bit(skb, i, s->v[i], MCOA_A_STATS_PAD))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int mcoa_put_binding_stats(struct sk_buff *skb,
				  const struct mcoa_binding *b)
{
	struct mcoa_stats_vals s;

	s.v[MCOA_A_STATS_TX_PACKETS] = atomic64_read(&b->stats.tx_packets);
	s.v[MCOA_A_STATS_TX_BYTES] = atomic64_read(&b->stats.tx_bytes);
	s.v[MCOA_A_STATS_TX_DROPPED] = atomic64_read(&b->stats.tx_dropped);
	s.v[MCOA_A_STATS_RX_PACKETS] = atomic64_read(&b->stats.rx_packets);
	s.v[MCOA_A_STATS_RX_BYTES] = atomic64_read(&b->stats.rx_bytes);
	return mcoa_put_stats(skb, MCOA_A_BINDING_STATS, &s,
			      BIT(MCOA_A_STATS_TX_PACKETS) |
			      BIT(MCOA_A_STATS_TX_BYTES) |
			      BIT(MCOA_A_STATS_TX_DROPPED) |
			      BIT(MCOA_A_STATS_RX_PACKETS) |
			      BIT(MCOA_A_STATS_RX_BYTES));
}

static int mcoa_put_times(struct sk_buff *skb, const struct mcoa_binding *b)
{
	u32 expires = READ_ONCE(b->expires);
	u32 verified = READ_ONCE(b->verified);
	u32 now = (u32)jiffies;
	u64 ms;

	if (expires) {
		ms = time_after32(expires, now) ?
		     jiffies_to_msecs(expires - now) : 0;
		if (nla_put_u64_64bit(skb, MCOA_A_BINDING_EXPIRES, ms,
				      MCOA_A_BINDING_PAD))
			return -EMSGSIZE;
	}
	if (verified &&
	    nla_put_u64_64bit(skb, MCOA_A_BINDING_VERIFIED,
			      jiffies_to_msecs(now - verified),
			      MCOA_A_BINDING_PAD))
		return -EMSGSIZE;
	return 0;
}

static int mcoa_put_binding(struct sk_buff *skb, const struct mcoa_binding *b,
			    u32 reason)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, MCOA_A_BINDING);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, MCOA_A_BINDING_HOA, &b->hoa->addr) ||
	    nla_put_u16(skb, MCOA_A_BINDING_BID, b->bid) ||
	    nla_put_in6_addr(skb, MCOA_A_BINDING_COA, &b->coa) ||
	    (!ipv6_addr_any(&b->peer) &&
	     nla_put_in6_addr(skb, MCOA_A_BINDING_PEER, &b->peer)) ||
	    (b->link && nla_put_u32(skb, MCOA_A_BINDING_LINK, b->link)) ||
	    nla_put_u8(skb, MCOA_A_BINDING_PRIO, READ_ONCE(b->prio)) ||
	    nla_put_u32(skb, MCOA_A_BINDING_FLAGS, READ_ONCE(b->flags)) ||
	    nla_put_u32(skb, MCOA_A_BINDING_LIFETIME, READ_ONCE(b->lifetime)) ||
	    (READ_ONCE(b->no_carrier) &&
	     nla_put_flag(skb, MCOA_A_BINDING_NO_CARRIER)) ||
	    mcoa_put_times(skb, b) || mcoa_put_binding_stats(skb, b) ||
	    (reason && nla_put_u32(skb, MCOA_A_BINDING_DEL_REASON, reason)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int mcoa_nl_binding_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			u8 cmd, struct mcoa_dev *mdev,
			const struct mcoa_binding *b, u32 reason)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mcoa_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MCOA_A_IFINDEX, mdev->dev->ifindex) ||
	    mcoa_put_binding(skb, b, reason)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int mcoa_nl_flow_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     struct mcoa_dev *mdev, const struct mcoa_hoa *hoa,
		     const struct mcoa_flow *f)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mcoa_family, flags,
			  MCOA_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MCOA_A_IFINDEX, mdev->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, MCOA_A_FLOW);
	if (!nest ||
	    nla_put_in6_addr(skb, MCOA_A_FLOW_HOA, &hoa->addr) ||
	    nla_put_u16(skb, MCOA_A_FLOW_FID, f->fid) ||
	    nla_put_u16(skb, MCOA_A_FLOW_PRI, f->pri) ||
	    (f->src_plen &&
	     (nla_put_in6_addr(skb, MCOA_A_FLOW_SRC, &f->src) ||
	      nla_put_u8(skb, MCOA_A_FLOW_SRC_PLEN, f->src_plen))) ||
	    (f->dst_plen &&
	     (nla_put_in6_addr(skb, MCOA_A_FLOW_DST, &f->dst) ||
	      nla_put_u8(skb, MCOA_A_FLOW_DST_PLEN, f->dst_plen))) ||
	    (f->proto && nla_put_u8(skb, MCOA_A_FLOW_PROTO, f->proto)) ||
	    nla_put_u16(skb, MCOA_A_FLOW_SPORT_MIN, f->sport_min) ||
	    nla_put_u16(skb, MCOA_A_FLOW_SPORT_MAX, f->sport_max) ||
	    nla_put_u16(skb, MCOA_A_FLOW_DPORT_MIN, f->dport_min) ||
	    nla_put_u16(skb, MCOA_A_FLOW_DPORT_MAX, f->dport_max) ||
	    (f->tclass_mask &&
	     (nla_put_u8(skb, MCOA_A_FLOW_TCLASS, f->tclass) ||
	      nla_put_u8(skb, MCOA_A_FLOW_TCLASS_MASK, f->tclass_mask))) ||
	    nla_put(skb, MCOA_A_FLOW_BIDS, f->nbids * sizeof(u16), f->bids) ||
	    nla_put_u64_64bit(skb, MCOA_A_FLOW_PACKETS,
			      mcoa_flow_packets(f), MCOA_A_FLOW_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int mcoa_nl_hoa_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		    struct mcoa_dev *mdev, const struct mcoa_hoa *hoa)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mcoa_family, flags,
			  MCOA_CMD_HOA_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MCOA_A_IFINDEX, mdev->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, MCOA_A_HOA);
	if (!nest ||
	    nla_put_in6_addr(skb, MCOA_A_HOA_ADDR, &hoa->addr) ||
	    nla_put_u32(skb, MCOA_A_HOA_POLICY, READ_ONCE(hoa->policy)) ||
	    (hoa->seq_set && nla_put_u16(skb, MCOA_A_HOA_SEQ, hoa->seq)) ||
	    nla_put_u32(skb, MCOA_A_HOA_BINDINGS, READ_ONCE(hoa->nbindings)) ||
	    (READ_ONCE(hoa->recent_bid) &&
	     nla_put_u16(skb, MCOA_A_HOA_RECENT_BID,
			 READ_ONCE(hoa->recent_bid))))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int mcoa_nl_prefix_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		       u8 cmd, struct mcoa_dev *mdev,
		       const struct mcoa_prefix *p)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mcoa_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MCOA_A_IFINDEX, mdev->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, MCOA_A_PREFIX);
	if (!nest ||
	    nla_put_in6_addr(skb, MCOA_A_PREFIX_HOA, &p->hoa->addr) ||
	    nla_put_in6_addr(skb, MCOA_A_PREFIX_ADDR, &p->key.addr) ||
	    nla_put_u8(skb, MCOA_A_PREFIX_PLEN, p->key.plen))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static void mcoa_dev_stats(struct mcoa_dev *mdev, struct mcoa_stats_vals *s)
{
	struct rtnl_link_stats64 st = {};

	dev_fetch_sw_netstats(&st, mdev->dev->tstats);
	s->v[MCOA_A_STATS_TX_PACKETS] = st.tx_packets;
	s->v[MCOA_A_STATS_TX_BYTES] = st.tx_bytes;
	s->v[MCOA_A_STATS_RX_PACKETS] = st.rx_packets;
	s->v[MCOA_A_STATS_RX_BYTES] = st.rx_bytes;
	s->v[MCOA_A_STATS_TX_DROPPED] = atomic64_read(&mdev->errs.tx_dropped);
	s->v[MCOA_A_STATS_RX_DROPPED] = atomic64_read(&mdev->errs.rx_dropped);
	s->v[MCOA_A_STATS_RX_SPOOFED] = atomic64_read(&mdev->errs.rx_spoofed);
	s->v[MCOA_A_STATS_TX_NO_BINDING] =
		atomic64_read(&mdev->errs.tx_no_binding);
	s->v[MCOA_A_STATS_TX_TOO_BIG] = atomic64_read(&mdev->errs.tx_too_big);
	s->v[MCOA_A_STATS_HOAS] = READ_ONCE(mdev->bc.nhoas);
	s->v[MCOA_A_STATS_PREFIXES] = READ_ONCE(mdev->bc.nprefixes);
	s->v[MCOA_A_STATS_GC_LAST_US] = READ_ONCE(mdev->bc.gc_last_us);
	s->v[MCOA_A_STATS_GC_MAX_US] = READ_ONCE(mdev->bc.gc_max_us);
	s->v[MCOA_A_STATS_ERR_IGNORED] = atomic64_read(&mdev->errs.err_ignored);
	s->v[MCOA_A_STATS_RX_ECN_DROPPED] =
		atomic64_read(&mdev->errs.rx_ecn_dropped);
}

/* Every counter a device reports: all of the stats nest but its pad. */
#define MCOA_DEV_STATS_MASK \
	(GENMASK(MCOA_A_STATS_MAX, MCOA_A_STATS_TX_PACKETS) & \
	 ~BIT(MCOA_A_STATS_PAD))

int mcoa_nl_dev_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		    struct mcoa_dev *mdev)
{
	struct mcoa_stats_vals s;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mcoa_family, flags,
			  MCOA_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	mcoa_dev_stats(mdev, &s);
	if (nla_put_u32(skb, MCOA_A_IFINDEX, mdev->dev->ifindex) ||
	    nla_put_string(skb, MCOA_A_IFNAME, mdev->dev->name) ||
	    nla_put_u32(skb, MCOA_A_MODE, mdev->mode) ||
	    mcoa_put_stats(skb, MCOA_A_STATS, &s, MCOA_DEV_STATS_MASK))
		goto cancel;
	/* Device-wide sizes: the hoa nest with the total binding count. */
	nest = nla_nest_start(skb, MCOA_A_HOA);
	if (!nest ||
	    nla_put_u32(skb, MCOA_A_HOA_BINDINGS, READ_ONCE(mdev->bc.count)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* ---- notifications ---------------------------------------------------- */

/* A binding message with every attribute is about 300 bytes. */
#define MCOA_BINDING_MSG_SIZE	512

void mcoa_nl_notify(struct mcoa_dev *mdev, const struct mcoa_binding *b,
		    u8 cmd, u32 reason)
{
	struct net *net = dev_net(mdev->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&mcoa_family, net, MCOA_MCGRP_BINDINGS_ID))
		return;
	/* Callers may sit in an RCU section (cache walks): no sleeping. */
	msg = genlmsg_new(MCOA_BINDING_MSG_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (mcoa_nl_binding_msg(msg, 0, 0, 0, cmd, mdev, b, reason)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&mcoa_family, net, msg, 0,
				MCOA_MCGRP_BINDINGS_ID, GFP_ATOMIC);
}

void mcoa_nl_prefix_notify(struct mcoa_dev *mdev, const struct mcoa_prefix *p,
			   u8 cmd)
{
	struct net *net = dev_net(mdev->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&mcoa_family, net, MCOA_MCGRP_BINDINGS_ID))
		return;
	/* As above: HoA removal runs inside cache walks. */
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	if (mcoa_nl_prefix_msg(msg, 0, 0, 0, cmd, mdev, p)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&mcoa_family, net, msg, 0,
				MCOA_MCGRP_BINDINGS_ID, GFP_ATOMIC);
}

/* ---- bindings --------------------------------------------------------- */

static int mcoa_parse_key(struct genl_info *info, struct nlattr **tb,
			  struct mcoa_bkey *key)
{
	struct nlattr *nest = info->attrs[MCOA_A_BINDING];

	if (mcoa_require(info, nest, tb, MCOA_A_BINDING_HOA, "binding.hoa") ||
	    mcoa_require(info, nest, tb, MCOA_A_BINDING_BID, "binding.bid"))
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	key->bid = nla_get_u16(tb[MCOA_A_BINDING_BID]);
	return mcoa_get_addr(info, tb[MCOA_A_BINDING_HOA], &key->hoa);
}

static int mcoa_check_link(struct genl_info *info, struct nlattr *attr)
{
	struct net_device *dev;
	int ret = 0;

	if (!nla_get_u32(attr))
		return 0;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(genl_info_net(info), nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such link");
		ret = -ENODEV;
	} else if (mcoa_is_mcoa_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "link cannot be an mcoa device");
		ret = -EINVAL;
	}
	rcu_read_unlock();
	return ret;
}

/* Optional fields common to binding-new and binding-set. */
static int mcoa_parse_bparams(struct genl_info *info, struct nlattr **tb,
			      struct mcoa_bparams *p)
{
	int ret;

	if (tb[MCOA_A_BINDING_COA4]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_BINDING_COA4],
				    "IPv4 care-of addresses are not supported");
		return -EOPNOTSUPP;
	}
	if (tb[MCOA_A_BINDING_COA]) {
		ret = mcoa_get_addr(info, tb[MCOA_A_BINDING_COA], &p->coa);
		if (ret)
			return ret;
		p->has |= MCOA_BP_COA;
	}
	if (tb[MCOA_A_BINDING_PEER]) {
		ret = mcoa_get_addr(info, tb[MCOA_A_BINDING_PEER], &p->peer);
		if (ret)
			return ret;
		p->has |= MCOA_BP_PEER;
	}
	if (tb[MCOA_A_BINDING_LINK]) {
		ret = mcoa_check_link(info, tb[MCOA_A_BINDING_LINK]);
		if (ret)
			return ret;
		p->link = nla_get_u32(tb[MCOA_A_BINDING_LINK]);
		p->has |= MCOA_BP_LINK;
	}
	if (tb[MCOA_A_BINDING_FLAGS]) {
		p->flags = nla_get_u32(tb[MCOA_A_BINDING_FLAGS]);
		p->has |= MCOA_BP_FLAGS;
	}
	if (tb[MCOA_A_BINDING_PRIO]) {
		p->prio = nla_get_u8(tb[MCOA_A_BINDING_PRIO]);
		p->has |= MCOA_BP_PRIO;
	}
	if (tb[MCOA_A_BINDING_LIFETIME]) {
		p->lifetime = nla_get_u32(tb[MCOA_A_BINDING_LIFETIME]);
		p->has |= MCOA_BP_LIFETIME;
	}
	if (nla_get_flag(tb[MCOA_A_BINDING_VERIFY]))
		p->has |= MCOA_BP_VERIFY;
	return 0;
}

static int mcoa_parse_binding(struct genl_info *info, struct nlattr **tb,
			      struct mcoa_bparams *p)
{
	int ret;

	ret = mcoa_parse_nest(info, MCOA_A_BINDING, MCOA_A_BINDING_MAX,
			      mcoa_binding_nl_policy, tb, "binding");
	if (ret)
		return ret;
	memset(p, 0, sizeof(*p));
	ret = mcoa_parse_key(info, tb, &p->key);
	if (ret)
		return ret;
	return mcoa_parse_bparams(info, tb, p);
}

static int mcoa_nl_binding_new(struct sk_buff *skb, struct genl_info *info)
{
	struct mcoa_dev *mdev = mcoa_info_dev(info);
	struct nlattr *tb[MCOA_A_BINDING_MAX + 1];
	struct nlattr *nest = info->attrs[MCOA_A_BINDING];
	struct mcoa_bparams p;
	int ret;

	ret = mcoa_parse_binding(info, tb, &p);
	if (ret)
		return ret;
	if ((p.flags & MCOA_BINDING_FLAGS_HOME) && !(p.has & MCOA_BP_COA)) {
		p.coa = p.key.hoa;	/* a home binding's CoA is the HoA */
		p.has |= MCOA_BP_COA;
	}
	if (!(p.has & MCOA_BP_COA) &&
	    mcoa_require(info, nest, tb, MCOA_A_BINDING_COA, "binding.coa"))
		return -EINVAL;
	if (mdev->mode == MCOA_MODE_MN &&
	    mcoa_require(info, nest, tb, MCOA_A_BINDING_PEER,
			 "binding.peer (the home agent, mode mn)"))
		return -EINVAL;
	return mcoa_binding_add(mdev, &p, info->extack);
}

static int mcoa_nl_binding_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_BINDING_MAX + 1];
	struct mcoa_bparams p;
	int ret;

	ret = mcoa_parse_binding(info, tb, &p);
	if (ret)
		return ret;
	ret = mcoa_binding_change(mcoa_info_dev(info), &p, info->extack);
	if (ret == -ENOENT)
		NL_SET_BAD_ATTR(info->extack, tb[MCOA_A_BINDING_BID]);
	return ret;
}

static int mcoa_nl_binding_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_BINDING_MAX + 1];
	struct mcoa_bparams p;
	int ret;

	ret = mcoa_parse_binding(info, tb, &p);
	if (ret)
		return ret;
	ret = mcoa_binding_remove(mcoa_info_dev(info), &p.key);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_BINDING_BID],
				    "no binding with this (hoa, bid)");
	return ret;
}

static int mcoa_nl_binding_get(struct sk_buff *skb, struct genl_info *info)
{
	struct mcoa_dev *mdev = mcoa_info_dev(info);
	struct nlattr *tb[MCOA_A_BINDING_MAX + 1];
	struct mcoa_binding *b;
	struct mcoa_bparams p;
	struct sk_buff *msg;
	int ret;

	ret = mcoa_parse_binding(info, tb, &p);
	if (ret)
		return ret;
	msg = genlmsg_new(MCOA_BINDING_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	b = mcoa_binding_lookup(mdev, &p.key);
	if (b)
		ret = mcoa_nl_binding_msg(msg, info->snd_portid, info->snd_seq,
					  0, MCOA_CMD_BINDING_GET, mdev, b, 0);
	rcu_read_unlock();
	if (!b) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_BINDING_BID],
				    "no binding with this (hoa, bid)");
		return -ENOENT;
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int mcoa_nl_binding_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_BINDING_MAX + 1] = {};
	struct in6_addr hoa;
	int ret;

	if (info->attrs[MCOA_A_BINDING]) {
		ret = nla_parse_nested(tb, MCOA_A_BINDING_MAX,
				       info->attrs[MCOA_A_BINDING],
				       mcoa_binding_nl_policy, info->extack);
		if (ret)
			return ret;
	}
	if (!tb[MCOA_A_BINDING_HOA])
		return mcoa_bcache_flush_hoa(mcoa_info_dev(info), NULL);
	ret = mcoa_get_addr(info, tb[MCOA_A_BINDING_HOA], &hoa);
	if (ret)
		return ret;
	ret = mcoa_bcache_flush_hoa(mcoa_info_dev(info), &hoa);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_BINDING_HOA],
				    "no such hoa");
	return ret;
}

/* ---- flow rules ------------------------------------------------------- */

static int mcoa_parse_prefix(struct genl_info *info, struct nlattr **tb,
			     int a_addr, int a_plen, struct in6_addr *addr,
			     u8 *plen)
{
	if (tb[a_plen] && !tb[a_addr]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[a_plen],
				    "prefix length without an address");
		return -EINVAL;
	}
	if (!tb[a_addr])
		return 0;
	*plen = tb[a_plen] ? nla_get_u8(tb[a_plen]) : 128;
	if (!*plen) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[a_plen],
				    "prefix length 0 with an address: omit both");
		return -EINVAL;
	}
	ipv6_addr_prefix(addr, nla_data(tb[a_addr]), *plen);
	return 0;
}

static int mcoa_parse_ports(struct genl_info *info, struct nlattr **tb,
			    int a_min, int a_max, u16 *min, u16 *max)
{
	*min = tb[a_min] ? nla_get_u16(tb[a_min]) : 0;
	if (tb[a_max])
		*max = nla_get_u16(tb[a_max]);
	else
		*max = tb[a_min] ? *min : 0xffff;
	if (*min <= *max)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, tb[a_max] ?: tb[a_min],
			    "port range: max below min");
	return -EINVAL;
}

static int mcoa_parse_bids(struct genl_info *info, struct nlattr *attr,
			   struct mcoa_flow *f)
{
	int i, j, len = nla_len(attr);
	const u16 *bids = nla_data(attr);

	if (!len || len % sizeof(u16)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "bids must be 1 to 16 u16 BIDs");
		return -EINVAL;
	}
	f->nbids = len / sizeof(u16);
	for (i = 0; i < f->nbids; i++) {
		f->bids[i] = get_unaligned(&bids[i]);
		if (!f->bids[i]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "bid 0 is not valid");
			return -EINVAL;
		}
		for (j = 0; j < i; j++)
			if (f->bids[j] == f->bids[i]) {
				NL_SET_ERR_MSG_ATTR(info->extack, attr,
						    "bid listed twice");
				return -EINVAL;
			}
	}
	return 0;
}

static int mcoa_parse_selectors(struct genl_info *info, struct nlattr **tb,
				struct mcoa_flow *f)
{
	int ret;

	ret = mcoa_parse_prefix(info, tb, MCOA_A_FLOW_SRC, MCOA_A_FLOW_SRC_PLEN,
				&f->src, &f->src_plen);
	if (!ret)
		ret = mcoa_parse_prefix(info, tb, MCOA_A_FLOW_DST,
					MCOA_A_FLOW_DST_PLEN, &f->dst,
					&f->dst_plen);
	if (!ret)
		ret = mcoa_parse_ports(info, tb, MCOA_A_FLOW_SPORT_MIN,
				       MCOA_A_FLOW_SPORT_MAX, &f->sport_min,
				       &f->sport_max);
	if (!ret)
		ret = mcoa_parse_ports(info, tb, MCOA_A_FLOW_DPORT_MIN,
				       MCOA_A_FLOW_DPORT_MAX, &f->dport_min,
				       &f->dport_max);
	if (ret)
		return ret;
	if (tb[MCOA_A_FLOW_TCLASS_MASK] && !tb[MCOA_A_FLOW_TCLASS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_FLOW_TCLASS_MASK],
				    "tclass-mask without tclass");
		return -EINVAL;
	}
	if (tb[MCOA_A_FLOW_TCLASS]) {
		f->tclass_mask = tb[MCOA_A_FLOW_TCLASS_MASK] ?
			nla_get_u8(tb[MCOA_A_FLOW_TCLASS_MASK]) : 0xff;
		f->tclass = nla_get_u8(tb[MCOA_A_FLOW_TCLASS]) & f->tclass_mask;
	}
	if (tb[MCOA_A_FLOW_PROTO])
		f->proto = nla_get_u8(tb[MCOA_A_FLOW_PROTO]);
	return 0;
}

static int mcoa_parse_flow_key(struct genl_info *info, struct nlattr **tb,
			       struct in6_addr *hoa, u16 *fid)
{
	struct nlattr *nest = info->attrs[MCOA_A_FLOW];
	int ret;

	ret = mcoa_parse_nest(info, MCOA_A_FLOW, MCOA_A_FLOW_MAX,
			      mcoa_flow_nl_policy, tb, "flow");
	if (ret)
		return ret;
	if (mcoa_require(info, nest, tb, MCOA_A_FLOW_HOA, "flow.hoa") ||
	    mcoa_require(info, nest, tb, MCOA_A_FLOW_FID, "flow.fid"))
		return -EINVAL;
	*fid = nla_get_u16(tb[MCOA_A_FLOW_FID]);
	return mcoa_get_addr(info, tb[MCOA_A_FLOW_HOA], hoa);
}

static int mcoa_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_FLOW_MAX + 1];
	struct in6_addr hoa;
	struct mcoa_flow f;
	int ret;

	memset(&f, 0, sizeof(f));
	ret = mcoa_parse_flow_key(info, tb, &hoa, &f.fid);
	if (ret)
		return ret;
	if (mcoa_require(info, info->attrs[MCOA_A_FLOW], tb, MCOA_A_FLOW_BIDS,
			 "flow.bids"))
		return -EINVAL;
	ret = mcoa_parse_bids(info, tb[MCOA_A_FLOW_BIDS], &f);
	if (ret)
		return ret;
	ret = mcoa_parse_selectors(info, tb, &f);
	if (ret)
		return ret;
	if (tb[MCOA_A_FLOW_PRI])
		f.pri = nla_get_u16(tb[MCOA_A_FLOW_PRI]);
	ret = mcoa_flow_add(mcoa_info_dev(info), &hoa, &f, info->extack);
	if (ret == -EEXIST)
		NL_SET_BAD_ATTR(info->extack, tb[MCOA_A_FLOW_FID]);
	return ret;
}

static int mcoa_nl_flow_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_FLOW_MAX + 1];
	struct in6_addr hoa;
	u16 fid;
	int ret;

	ret = mcoa_parse_flow_key(info, tb, &hoa, &fid);
	if (ret)
		return ret;
	ret = mcoa_flow_remove(mcoa_info_dev(info), &hoa, fid);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_FLOW_FID],
				    "no flow rule with this (hoa, fid)");
	return ret;
}

/* ---- per-HoA state and devices ---------------------------------------- */

/* The hoa nest every HoA op takes, and its address. */
static int mcoa_parse_hoa(struct genl_info *info, struct nlattr **tb,
			  struct in6_addr *addr)
{
	int ret;

	ret = mcoa_parse_nest(info, MCOA_A_HOA, MCOA_A_HOA_MAX,
			      mcoa_hoa_nl_policy, tb, "hoa");
	if (ret)
		return ret;
	if (mcoa_require(info, info->attrs[MCOA_A_HOA], tb, MCOA_A_HOA_ADDR,
			 "hoa.addr"))
		return -EINVAL;
	return mcoa_get_addr(info, tb[MCOA_A_HOA_ADDR], addr);
}

static int mcoa_nl_hoa_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_HOA_MAX + 1];
	struct in6_addr addr;
	u32 policy = 0;
	u16 seq = 0;
	int ret;

	ret = mcoa_parse_hoa(info, tb, &addr);
	if (ret)
		return ret;
	if (tb[MCOA_A_HOA_POLICY])
		policy = nla_get_u32(tb[MCOA_A_HOA_POLICY]);
	if (tb[MCOA_A_HOA_SEQ])
		seq = nla_get_u16(tb[MCOA_A_HOA_SEQ]);
	return mcoa_hoa_set(mcoa_info_dev(info), &addr, policy,
			    !!tb[MCOA_A_HOA_POLICY], seq, !!tb[MCOA_A_HOA_SEQ]);
}

static int mcoa_nl_hoa_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_HOA_MAX + 1];
	struct in6_addr addr;
	int ret;

	ret = mcoa_parse_hoa(info, tb, &addr);
	if (ret)
		return ret;
	ret = mcoa_hoa_remove(mcoa_info_dev(info), &addr);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_HOA_ADDR],
				    "no such hoa");
	return ret;
}

/* ---- mobile network prefixes ----------------------------------------- */

/*
 * The prefix nest: addr and plen, required, and the HoA (@need_hoa:
 * required, else optional). A prefix must be global unicast space and
 * carry no bits past its length: a prefix given with host bits set is
 * almost certainly a typo of the length.
 */
static int mcoa_parse_pfx(struct genl_info *info, struct nlattr **tb,
			  bool need_hoa, struct in6_addr *hoa, bool *has_hoa,
			  struct mcoa_pkey *key)
{
	struct nlattr *nest = info->attrs[MCOA_A_PREFIX];
	struct in6_addr addr;
	int ret, type;

	ret = mcoa_parse_nest(info, MCOA_A_PREFIX, MCOA_A_PREFIX_MAX,
			      mcoa_prefix_nl_policy, tb, "prefix");
	if (ret)
		return ret;
	if (mcoa_require(info, nest, tb, MCOA_A_PREFIX_ADDR, "prefix.addr") ||
	    mcoa_require(info, nest, tb, MCOA_A_PREFIX_PLEN, "prefix.plen") ||
	    (need_hoa &&
	     mcoa_require(info, nest, tb, MCOA_A_PREFIX_HOA, "prefix.hoa")))
		return -EINVAL;
	*has_hoa = tb[MCOA_A_PREFIX_HOA];
	if (*has_hoa) {
		ret = mcoa_get_addr(info, tb[MCOA_A_PREFIX_HOA], hoa);
		if (ret)
			return ret;
	}
	memset(key, 0, sizeof(*key));
	key->plen = nla_get_u8(tb[MCOA_A_PREFIX_PLEN]);
	addr = nla_get_in6_addr(tb[MCOA_A_PREFIX_ADDR]);
	ipv6_addr_prefix(&key->addr, &addr, key->plen);
	if (!ipv6_addr_equal(&key->addr, &addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_PREFIX_ADDR],
				    "prefix has bits set past plen");
		return -EINVAL;
	}
	type = ipv6_addr_type(&addr);
	if (type == IPV6_ADDR_ANY ||
	    (type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK |
		     IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MAPPED))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MCOA_A_PREFIX_ADDR],
				    "prefix must be global unicast");
		return -EINVAL;
	}
	return 0;
}

static int mcoa_nl_prefix_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_PREFIX_MAX + 1];
	struct mcoa_pkey key;
	struct in6_addr hoa;
	bool has_hoa;
	int ret;

	ret = mcoa_parse_pfx(info, tb, true, &hoa, &has_hoa, &key);
	if (ret)
		return ret;
	ret = mcoa_prefix_add(mcoa_info_dev(info), &hoa, &key, info->extack);
	if (ret == -EEXIST)
		NL_SET_BAD_ATTR(info->extack, tb[MCOA_A_PREFIX_ADDR]);
	return ret;
}

static int mcoa_nl_prefix_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MCOA_A_PREFIX_MAX + 1];
	struct mcoa_pkey key;
	struct in6_addr hoa;
	bool has_hoa;
	int ret;

	ret = mcoa_parse_pfx(info, tb, false, &hoa, &has_hoa, &key);
	if (ret)
		return ret;
	ret = mcoa_prefix_remove(mcoa_info_dev(info), has_hoa ? &hoa : NULL,
				 &key, info->extack);
	if (ret == -ENOENT)
		NL_SET_BAD_ATTR(info->extack, tb[MCOA_A_PREFIX_ADDR]);
	return ret;
}

static int mcoa_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = mcoa_nl_dev_msg(msg, info->snd_portid, info->snd_seq, 0,
			      mcoa_info_dev(info));
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* ---- family ----------------------------------------------------------- */

#define MCOA_OP(_cmd, _doit, _pol)					\
	{								\
		.cmd		= _cmd,					\
		.doit		= _doit,				\
		.policy		= _pol,					\
		.maxattr	= MCOA_A_MAX,				\
		.flags		= GENL_UNS_ADMIN_PERM,			\
		.internal_flags	= MCOA_NLF_NEED_DEV,			\
	}

/* A get: .doit (if any) answers one object, the dump walks the cache. */
#define MCOA_DUMP_OP(_cmd, _doit, _start, _pol)				\
	{								\
		.cmd		= _cmd,					\
		.doit		= _doit,				\
		.start		= _start,				\
		.dumpit		= mcoa_dump_walk,			\
		.done		= mcoa_dump_done,			\
		.policy		= _pol,					\
		.maxattr	= MCOA_A_MAX,				\
		.flags		= GENL_UNS_ADMIN_PERM,			\
		.internal_flags	= MCOA_NLF_NEED_DEV,			\
	}

static const struct genl_ops mcoa_ops[] = {
	{
		.cmd		= MCOA_CMD_DEV_GET,
		.doit		= mcoa_nl_dev_get,
		.dumpit		= mcoa_dump_dev,
		.policy		= mcoa_dev_nl_policy,
		.maxattr	= MCOA_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
		.internal_flags	= MCOA_NLF_NEED_DEV,
	},
	MCOA_OP(MCOA_CMD_BINDING_NEW, mcoa_nl_binding_new, mcoa_bind_op_policy),
	MCOA_OP(MCOA_CMD_BINDING_SET, mcoa_nl_binding_set, mcoa_bind_op_policy),
	MCOA_DUMP_OP(MCOA_CMD_BINDING_GET, mcoa_nl_binding_get,
		     mcoa_dump_binding_start, mcoa_bind_op_policy),
	MCOA_OP(MCOA_CMD_BINDING_DEL, mcoa_nl_binding_del, mcoa_bind_op_policy),
	MCOA_OP(MCOA_CMD_BINDING_FLUSH, mcoa_nl_binding_flush,
		mcoa_bind_op_policy),
	MCOA_OP(MCOA_CMD_FLOW_NEW, mcoa_nl_flow_new, mcoa_flow_op_policy),
	MCOA_OP(MCOA_CMD_FLOW_DEL, mcoa_nl_flow_del, mcoa_flow_op_policy),
	MCOA_DUMP_OP(MCOA_CMD_FLOW_GET, NULL, mcoa_dump_flow_start,
		     mcoa_flow_op_policy),
	MCOA_OP(MCOA_CMD_HOA_SET, mcoa_nl_hoa_set, mcoa_hoa_op_policy),
	MCOA_DUMP_OP(MCOA_CMD_HOA_GET, NULL, mcoa_dump_hoa_start,
		     mcoa_hoa_op_policy),
	MCOA_OP(MCOA_CMD_HOA_DEL, mcoa_nl_hoa_del, mcoa_hoa_op_policy),
	MCOA_OP(MCOA_CMD_PREFIX_NEW, mcoa_nl_prefix_new, mcoa_prefix_op_policy),
	MCOA_OP(MCOA_CMD_PREFIX_DEL, mcoa_nl_prefix_del, mcoa_prefix_op_policy),
	MCOA_DUMP_OP(MCOA_CMD_PREFIX_GET, NULL, mcoa_dump_prefix_start,
		     mcoa_prefix_op_policy),
};

static struct genl_family mcoa_family __ro_after_init = {
	.name		= MCOA_FAMILY_NAME,
	.version	= MCOA_FAMILY_VERSION,
	.maxattr	= MCOA_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	.pre_doit	= mcoa_pre_doit,
	.post_doit	= mcoa_post_doit,
	.module		= THIS_MODULE,
	.ops		= mcoa_ops,
	.n_ops		= ARRAY_SIZE(mcoa_ops),
	.mcgrps		= mcoa_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(mcoa_mcgrps),
	.resv_start_op	= MCOA_CMD_HOA_GET + 1,	/* later ops are strict anyway */
};

int mcoa_genl_init(void)
{
	return genl_register_family(&mcoa_family);
}

void mcoa_genl_uninit(void)
{
	genl_unregister_family(&mcoa_family);
}

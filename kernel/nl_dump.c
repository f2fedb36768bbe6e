// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps that survive many messages: 1,000,000 bindings take hundreds of
 * them. The state lives in a struct mcoa_dump allocated by .start:
 *   - the device being dumped is held (netdev_hold, tracked), so its
 *     tables, which the netdev destructor frees, stay while a walk is
 *     parked on them;
 *   - whole-table dumps use an rhashtable walker over the HoAs (bindings
 *     have no table of their own), stopped between messages; an entry that
 *     did not fit is remembered by key, its HoA and BID or index (never by
 *     pointer), and looked up again first in the next message;
 *   - dumps filtered by HoA walk that HoA's lists, resuming at a BID (or a
 *     flow rule or prefix index); prefix dumps walk the HoAs too.
 * A dump is not a snapshot: one racing with a table resize may repeat
 * entries, and one racing with deletions may miss entries that sat next
 * to a deleted one in its bucket. So it says when it was torn: each
 * callback walks its device under bc->lock (one skb's worth, so writers
 * wait at most that long) and reports the cache's generation as cb->seq;
 * netlink flags the first message after a change (NLM_F_DUMP_INTR) and
 * userspace dumps again. A table that does not change during the dump is
 * dumped exactly once.
 */

#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include <linux/mcoa.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "nl_dump.h"
#include "prefix.h"

enum mcoa_dump_kind {
	MCOA_DUMP_BINDING,
	MCOA_DUMP_FLOW,
	MCOA_DUMP_HOA,
	MCOA_DUMP_PREFIX,
};

struct mcoa_dump {
	enum mcoa_dump_kind kind;
	int only_ifindex;		/* filter; 0: every mcoa device */
	bool checked;			/* @only_ifindex checked by the walk */
	bool has_hoa;			/* filter on @hoa */
	struct in6_addr hoa;
	struct net_device *dev;		/* being dumped, held */
	netdevice_tracker tracker;	/* of that reference */
	int last_ifindex;
	bool walking;			/* @iter entered on dev's table */
	struct rhashtable_iter iter;
	bool pending;			/* resume at (@paddr, @psub) first */
	struct in6_addr paddr;
	u32 psub;			/* BID, or flow rule index */
};

static struct mcoa_dump *mcoa_dump_ctx(struct netlink_callback *cb)
{
	return (struct mcoa_dump *)cb->args[0];
}

/* ---- what one entry looks like ---------------------------------------- */

/* Flag @nlh, the message just added, if the cache changed since the last. */
static int mcoa_dump_check(struct netlink_callback *cb, struct nlmsghdr *nlh,
			   int ret)
{
	if (!ret)
		nl_dump_check_consistent(cb, nlh);
	return ret;
}

static int mcoa_dump_put_binding(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 struct mcoa_dev *mdev,
				 const struct mcoa_binding *b)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)skb_tail_pointer(skb);

	return mcoa_dump_check(cb, nlh,
			       mcoa_nl_binding_msg(skb, NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq, NLM_F_MULTI,
						   MCOA_CMD_BINDING_GET, mdev, b, 0));
}

/* Entries of one HoA from @sub on; on a full skb, @d->psub says where. */
static int mcoa_dump_hoa_entries(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 struct mcoa_dump *d, struct mcoa_dev *mdev,
				 struct mcoa_hoa *hoa, u32 sub)
{
	u32 portid = NETLINK_CB(cb->skb).portid, seq = cb->nlh->nlmsg_seq;
	struct nlmsghdr *nlh;
	struct mcoa_prefix *p;
	struct mcoa_binding *b;
	struct mcoa_flow *f;
	u32 i = 0;

	switch (d->kind) {
	case MCOA_DUMP_BINDING:
		list_for_each_entry_rcu(b, &hoa->bindings, hoa_list) {
			if (b->bid < sub)
				continue;
			if (mcoa_dump_put_binding(skb, cb, mdev, b)) {
				d->psub = b->bid;
				return -EMSGSIZE;
			}
		}
		return 0;
	case MCOA_DUMP_FLOW:
		list_for_each_entry_rcu(f, &hoa->flows, list) {
			if (i++ < sub)
				continue;
			nlh = (struct nlmsghdr *)skb_tail_pointer(skb);
			if (mcoa_dump_check(cb, nlh,
					    mcoa_nl_flow_msg(skb, portid, seq,
							     NLM_F_MULTI, mdev,
							     hoa, f))) {
				d->psub = i - 1;
				return -EMSGSIZE;
			}
		}
		return 0;
	case MCOA_DUMP_PREFIX:
		list_for_each_entry_rcu(p, &hoa->prefixes, hoa_list) {
			if (i++ < sub)
				continue;
			nlh = (struct nlmsghdr *)skb_tail_pointer(skb);
			if (mcoa_dump_check(cb, nlh,
					    mcoa_nl_prefix_msg(skb, portid, seq,
							       NLM_F_MULTI,
							       MCOA_CMD_PREFIX_GET,
							       mdev, p))) {
				d->psub = i - 1;
				return -EMSGSIZE;
			}
		}
		return 0;
	case MCOA_DUMP_HOA:
		d->psub = 0;
		nlh = (struct nlmsghdr *)skb_tail_pointer(skb);
		return mcoa_dump_check(cb, nlh,
				       mcoa_nl_hoa_msg(skb, portid, seq,
						       NLM_F_MULTI, mdev, hoa));
	}
	return 0;
}

/* ---- one device ------------------------------------------------------- */

static int mcoa_dump_resume(struct sk_buff *skb, struct netlink_callback *cb,
			    struct mcoa_dump *d, struct mcoa_dev *mdev)
{
	struct mcoa_hoa *hoa = mcoa_hoa_lookup(mdev, &d->paddr);

	return hoa ? mcoa_dump_hoa_entries(skb, cb, d, mdev, hoa, d->psub) : 0;
}

static int mcoa_dump_next_obj(struct sk_buff *skb, struct netlink_callback *cb,
			      struct mcoa_dump *d, struct mcoa_dev *mdev,
			      void *obj)
{
	struct mcoa_hoa *hoa = obj;

	if (!mcoa_dump_hoa_entries(skb, cb, d, mdev, hoa, 0))
		return 0;
	d->paddr = hoa->addr;
	return -EMSGSIZE;
}

static int mcoa_dump_table(struct sk_buff *skb, struct netlink_callback *cb,
			   struct mcoa_dump *d, struct mcoa_dev *mdev)
{
	void *obj;
	int ret = 0;

	if (!d->walking) {
		rhashtable_walk_enter(&mdev->bc.hoas, &d->iter);
		d->walking = true;
	}
	rhashtable_walk_start(&d->iter);
	if (d->pending) {
		ret = mcoa_dump_resume(skb, cb, d, mdev);
		if (ret)
			goto out;
		d->pending = false;
	}
	while ((obj = rhashtable_walk_next(&d->iter))) {
		if (IS_ERR(obj))
			continue;	/* -EAGAIN: resized, walk restarts */
		ret = mcoa_dump_next_obj(skb, cb, d, mdev, obj);
		if (ret) {
			d->pending = true;
			break;
		}
	}
out:
	rhashtable_walk_stop(&d->iter);
	return ret;
}

static int mcoa_dump_one_dev(struct sk_buff *skb, struct netlink_callback *cb,
			     struct mcoa_dump *d)
{
	struct mcoa_dev *mdev = netdev_priv(d->dev);
	struct mcoa_hoa *hoa;
	int ret = 0;

	mutex_lock(&mdev->bc.lock);
	cb->seq = mdev->bc.gen;
	if (!d->has_hoa) {
		ret = mcoa_dump_table(skb, cb, d, mdev);
		goto out;
	}
	rcu_read_lock();
	hoa = mcoa_hoa_lookup(mdev, &d->hoa);
	if (hoa)
		ret = mcoa_dump_hoa_entries(skb, cb, d, mdev, hoa, d->psub);
	rcu_read_unlock();
out:
	mutex_unlock(&mdev->bc.lock);
	return ret;
}

/* ---- device filter ---------------------------------------------------- */

/*
 * The device filter is checked by the first ->dumpit() call, not by
 * ->start(): before 6.5 (upstream "netlink: support extack in dump
 * ->start()") cb->extack is NULL in ->start(), so a refusal there reached
 * userspace as a bare errno. ->dumpit() has had an extack since 4.20 and
 * netlink puts its message into NLMSG_DONE with the error. Nothing has
 * been written to @skb yet when this refuses.
 */
static int mcoa_dump_filter_dev(struct netlink_callback *cb,
				struct mcoa_dump *d)
{
	struct nlattr *attr = mcoa_dump_attrs(cb)[MCOA_A_IFINDEX];
	struct net_device *dev;
	int ret = 0;

	if (!attr)
		return 0;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(cb->skb->sk), nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr, "no such device");
		ret = -ENODEV;
	} else if (!mcoa_is_mcoa_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr, "not an mcoa device");
		ret = -EOPNOTSUPP;
	}
	rcu_read_unlock();
	return ret;
}

/* ---- device cursor ---------------------------------------------------- */

static void mcoa_dump_put_dev(struct mcoa_dump *d)
{
	if (d->walking)
		rhashtable_walk_exit(&d->iter);
	d->walking = false;
	d->pending = false;
	d->psub = 0;
	netdev_put(d->dev, &d->tracker);
	d->dev = NULL;
}

/* Hold the mcoa device with the next ifindex above the last one. */
static bool mcoa_dump_next_dev(struct net *net, struct mcoa_dump *d)
{
	struct net_device *dev, *best = NULL;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!mcoa_is_mcoa_dev(dev) || dev->ifindex <= d->last_ifindex)
			continue;
		if (d->only_ifindex && dev->ifindex != d->only_ifindex)
			continue;
		if (!best || dev->ifindex < best->ifindex)
			best = dev;
	}
	if (best) {
		netdev_hold(best, &d->tracker, GFP_ATOMIC);
		d->dev = best;
		d->last_ifindex = best->ifindex;
	}
	rcu_read_unlock();
	return best;
}

int mcoa_dump_walk(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mcoa_dump *d = mcoa_dump_ctx(cb);
	struct net *net = sock_net(cb->skb->sk);
	int ret;

	if (!d->checked) {
		ret = mcoa_dump_filter_dev(cb, d);
		if (ret)
			return ret;
		d->checked = true;
	}
	for (;;) {
		if (!d->dev) {
			if (!mcoa_dump_next_dev(net, d))
				break;
			/*
			 * Each device has its own generation: a new device is
			 * not a change of the last one.
			 */
			cb->prev_seq = 0;
		}
		if (mcoa_dump_one_dev(skb, cb, d))
			break;	/* skb full; continue in the next one */
		mcoa_dump_put_dev(d);
	}
	return skb->len;
}

int mcoa_dump_done(struct netlink_callback *cb)
{
	struct mcoa_dump *d = mcoa_dump_ctx(cb);

	if (d) {
		if (d->dev)
			mcoa_dump_put_dev(d);
		kfree(d);
	}
	return 0;
}

/* ---- start ------------------------------------------------------------ */

/* The HoA filter: attribute @type inside the nest @nest_type. */
static int mcoa_dump_filter_hoa(struct netlink_callback *cb,
				struct mcoa_dump *d, struct nlattr *nest,
				int type)
{
	struct nlattr *attr;

	if (!nest)
		return 0;
	attr = nla_find_nested(nest, type);
	if (!attr)
		return 0;
	d->hoa = nla_get_in6_addr(attr);
	d->has_hoa = true;
	return 0;
}

static int mcoa_dump_start(struct netlink_callback *cb,
			   enum mcoa_dump_kind kind, int nest_type,
			   int hoa_type)
{
	struct nlattr **attrs = mcoa_dump_attrs(cb);
	struct mcoa_dump *d;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->kind = kind;
	if (attrs[MCOA_A_IFINDEX])
		d->only_ifindex = nla_get_u32(attrs[MCOA_A_IFINDEX]);
	ret = mcoa_dump_filter_hoa(cb, d, attrs[nest_type], hoa_type);
	if (ret) {
		kfree(d);
		return ret;
	}
	cb->args[0] = (long)d;
	return 0;
}

int mcoa_dump_binding_start(struct netlink_callback *cb)
{
	return mcoa_dump_start(cb, MCOA_DUMP_BINDING, MCOA_A_BINDING,
			       MCOA_A_BINDING_HOA);
}

int mcoa_dump_flow_start(struct netlink_callback *cb)
{
	return mcoa_dump_start(cb, MCOA_DUMP_FLOW, MCOA_A_FLOW,
			       MCOA_A_FLOW_HOA);
}

int mcoa_dump_hoa_start(struct netlink_callback *cb)
{
	return mcoa_dump_start(cb, MCOA_DUMP_HOA, MCOA_A_HOA, MCOA_A_HOA_ADDR);
}

int mcoa_dump_prefix_start(struct netlink_callback *cb)
{
	return mcoa_dump_start(cb, MCOA_DUMP_PREFIX, MCOA_A_PREFIX,
			       MCOA_A_PREFIX_HOA);
}

/* ---- devices ---------------------------------------------------------- */

int mcoa_dump_dev(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	long idx = 0, start = cb->args[0];
	struct net_device *dev;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!mcoa_is_mcoa_dev(dev) || idx++ < start)
			continue;
		if (mcoa_nl_dev_msg(skb, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    netdev_priv(dev))) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The mcoa tunnel device: `ip link add mip0 type mcoa [mode ha|mn]`.
 */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <net/ip6_tunnel.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include <linux/if_mcoa.h>
#include <linux/mcoa.h>

#include "compat.h"
#include "device.h"
#include "xmit.h"

struct mcoa_net {
	struct list_head devs;		/* struct mcoa_dev, RCU, rtnl writers */
};

static unsigned int mcoa_net_id __read_mostly;
static struct rtnl_link_ops mcoa_link_ops;

#define MCOA_FEATURES	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | \
			 NETIF_F_GSO_SOFTWARE | NETIF_F_HW_CSUM)

struct list_head *mcoa_net_devs(struct net *net)
{
	struct mcoa_net *mn = net_generic(net, mcoa_net_id);

	return &mn->devs;
}

bool mcoa_is_mcoa_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &mcoa_link_ops;
}

/*
 * Everything a registered device needs. register_netdevice() calls
 * ndo_uninit and the destructor if a later step fails, and neither if
 * this fails. Receive finds the device only once it is registered
 * (mcoa_newlink links it), so a failed registration, freed at once, was
 * never visible.
 */
static int mcoa_dev_init(struct net_device *dev)
{
	struct mcoa_dev *mdev = netdev_priv(dev);
	int ret;

	ret = gro_cells_init(&mdev->gro, dev);
	if (ret)
		return ret;
	ret = mcoa_bcache_init(mdev);
	if (ret) {
		gro_cells_destroy(&mdev->gro);
		return ret;
	}
	INIT_LIST_HEAD(&mdev->list);
	return 0;
}

/*
 * Unregistration (by dellink, netns exit or module unload) and a failed
 * registration: no new reader finds the device after this, and its cache
 * takes no more bindings. The destructor, after the last reference and
 * past a grace period (unregister_netdevice_many), outside rtnl, deletes
 * the bindings and frees the tables.
 */
static void mcoa_dev_uninit(struct net_device *dev)
{
	struct mcoa_dev *mdev = netdev_priv(dev);

	ASSERT_RTNL();
	if (!list_empty(&mdev->list))
		list_del_rcu(&mdev->list);
	mcoa_bcache_close(mdev);
}

static void mcoa_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *s)
{
	struct mcoa_dev *mdev = netdev_priv(dev);

	netdev_stats_to_stats64(s, &dev->stats);
	dev_fetch_sw_netstats(s, dev->tstats);
	s->tx_dropped += atomic64_read(&mdev->errs.tx_dropped);
	s->rx_dropped += atomic64_read(&mdev->errs.rx_dropped);
}

static const struct net_device_ops mcoa_netdev_ops = {
	.ndo_init		= mcoa_dev_init,
	.ndo_uninit		= mcoa_dev_uninit,
	.ndo_start_xmit		= mcoa_xmit,
	.ndo_get_stats64	= mcoa_get_stats64,
};

/* Runs after the last reference is gone: nothing can look at us now. */
static void mcoa_dev_free(struct net_device *dev)
{
	struct mcoa_dev *mdev = netdev_priv(dev);

	mcoa_bcache_destroy(mdev);
	gro_cells_destroy(&mdev->gro);
}

static void mcoa_setup(struct net_device *dev)
{
	dev->netdev_ops = &mcoa_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = mcoa_dev_free;
	/* Like wireguard: no link-local address, no RS/MLD to drop. */
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->addr_len = 0;
	dev->hard_header_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + sizeof(struct ipv6hdr);
	dev->mtu = ETH_DATA_LEN - sizeof(struct ipv6hdr);
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP6_MAX_MTU - sizeof(struct ipv6hdr);
	dev->features |= MCOA_FEATURES;
	dev->hw_features |= MCOA_FEATURES;
	mcoa_dev_set_lltx_netns_local(dev);
	/* The core allocates and frees dev->tstats. */
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	/* Keep the inner route: transmit updates its PMTU (mcoa_mtu_ok). */
	netif_keep_dst(dev);
}

static const struct nla_policy mcoa_link_policy[IFLA_MCOA_MAX + 1] = {
	[IFLA_MCOA_MODE] = NLA_POLICY_RANGE(NLA_U32, MCOA_MODE_HA, MCOA_MODE_MN),
};

static int mcoa_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct mcoa_dev *mdev = netdev_priv(dev);
	int ret;

	mdev->dev = dev;
	mdev->mode = MCOA_MODE_HA;
	if (data && data[IFLA_MCOA_MODE])
		mdev->mode = nla_get_u32(data[IFLA_MCOA_MODE]);

	ret = register_netdevice(dev);
	if (ret)
		return ret;
	list_add_tail_rcu(&mdev->list, mcoa_net_devs(dev_net(dev)));
	netdev_dbg(dev, "created, mode %s\n",
		   mdev->mode == MCOA_MODE_HA ? "ha" : "mn");
	return 0;
}


static int mcoa_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct mcoa_dev *mdev = netdev_priv(dev);

	if (data && data[IFLA_MCOA_MODE] &&
	    nla_get_u32(data[IFLA_MCOA_MODE]) != mdev->mode) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_MCOA_MODE],
				    "mcoa mode cannot be changed");
		return -EOPNOTSUPP;
	}
	return 0;
}

static size_t mcoa_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32));	/* IFLA_MCOA_MODE */
}

static int mcoa_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct mcoa_dev *mdev = netdev_priv(dev);

	return nla_put_u32(skb, IFLA_MCOA_MODE, mdev->mode);
}

static struct rtnl_link_ops mcoa_link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.priv_size	= sizeof(struct mcoa_dev),
	.maxtype	= IFLA_MCOA_MAX,
	.policy		= mcoa_link_policy,
	.setup		= mcoa_setup,
	.newlink	= mcoa_newlink,
	.changelink	= mcoa_changelink,
	.get_size	= mcoa_get_size,
	.fill_info	= mcoa_fill_info,
};

/*
 * A binding's egress link went away: its bindings go with it. It went
 * down or lost its carrier (NETDEV_CHANGE comes from linkwatch after the
 * carrier bit changed): they stop carrying traffic until it comes back.
 */
static int mcoa_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mcoa_dev *mdev;
	bool down;

	if (mcoa_is_mcoa_dev(dev))
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UNREGISTER:
		ASSERT_RTNL();
		list_for_each_entry(mdev, mcoa_net_devs(dev_net(dev)), list)
			mcoa_bcache_link_gone(mdev, dev->ifindex);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		ASSERT_RTNL();
		down = !(netif_running(dev) && netif_carrier_ok(dev));
		list_for_each_entry(mdev, mcoa_net_devs(dev_net(dev)), list)
			mcoa_bcache_link_state(mdev, dev->ifindex, down);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block mcoa_notifier = {
	.notifier_call = mcoa_netdev_event,
};

static int __net_init mcoa_net_init(struct net *net)
{
	INIT_LIST_HEAD(mcoa_net_devs(net));
	return 0;
}

static void __net_exit mcoa_net_exit_batch(struct list_head *net_list)
{
	struct mcoa_dev *mdev, *tmp;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		list_for_each_entry_safe(mdev, tmp, mcoa_net_devs(net), list)
			unregister_netdevice_queue(mdev->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations mcoa_net_ops = {
	.init		= mcoa_net_init,
	.exit_batch	= mcoa_net_exit_batch,
	.id		= &mcoa_net_id,
	.size		= sizeof(struct mcoa_net),
};

int mcoa_device_init(void)
{
	int ret;

	ret = register_pernet_device(&mcoa_net_ops);
	if (ret)
		return ret;
	ret = register_netdevice_notifier(&mcoa_notifier);
	if (ret)
		goto err_notifier;
	ret = rtnl_link_register(&mcoa_link_ops);
	if (ret)
		goto err_link;
	return 0;

err_link:
	unregister_netdevice_notifier(&mcoa_notifier);
err_notifier:
	unregister_pernet_device(&mcoa_net_ops);
	return ret;
}

void mcoa_device_uninit(void)
{
	rtnl_link_unregister(&mcoa_link_ops);
	unregister_netdevice_notifier(&mcoa_notifier);
	unregister_pernet_device(&mcoa_net_ops);
}

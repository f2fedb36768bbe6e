/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel interfaces that differ between the kernels mcoa supports
 * (Debian 12's 6.1 and 6.12). Features are detected, not version numbers:
 * Debian backports upstream changes into its stable kernels. Kbuild probes
 * the kernel's headers and passes the MCOA_HAVE_* macros.
 */
#ifndef _MCOA_COMPAT_H
#define _MCOA_COMPAT_H

#include <linux/netdevice.h>
#include <net/genetlink.h>

#ifdef MCOA_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_gso_validate_network_len() moved from skbuff.h to net/gso.h. */
#ifdef MCOA_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/* pre_doit/post_doit take split ops since 6.2. */
#ifdef MCOA_HAVE_GENL_SPLIT_DOIT
#define mcoa_genl_ops genl_split_ops
#else
#define mcoa_genl_ops genl_ops
#endif

/* The request's attributes, inside a dump callback. */
static inline struct nlattr **mcoa_dump_attrs(struct netlink_callback *cb)
{
#ifdef MCOA_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* Lockless transmit, and no moving to another netns: feature bits until
 * 6.12 turned them into fields (netns_local, later netns_immutable).
 */
static inline void mcoa_dev_set_lltx_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
#if defined(NETIF_F_NETNS_LOCAL)
	dev->features |= NETIF_F_NETNS_LOCAL;
#elif defined(MCOA_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#else
	dev->netns_local = true;
#endif
}

#endif /* _MCOA_COMPAT_H */

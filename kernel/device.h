/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcoa tunnel device: rtnl link kind "mcoa", one binding cache each.
 */
#ifndef _MCOA_DEVICE_H
#define _MCOA_DEVICE_H

#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <net/gro_cells.h>

#include "bcache.h"

/* Error counters of the uapi stats nest; all on slow paths. */
struct mcoa_dev_errs {
	atomic64_t tx_dropped;
	atomic64_t rx_dropped;
	atomic64_t rx_spoofed;
	atomic64_t tx_no_binding;
	atomic64_t tx_too_big;
	atomic64_t err_ignored;		/* ICMPv6 errors not about our packets */
	atomic64_t rx_ecn_dropped;	/* RFC 6040: CE outer, Not-ECT inner */
};

struct mcoa_dev {
	struct net_device *dev;
	struct list_head list;		/* mcoa_net->devs, RCU, rtnl writers:
					 * linked once registered, unlinked
					 * by ndo_uninit */
	u32 mode;			/* enum mcoa_mode, fixed at creation */
	struct mcoa_bcache bc;
	struct gro_cells gro;
	struct mcoa_dev_errs errs;
};

#define mcoa_count(mdev, field)	atomic64_inc(&(mdev)->errs.field)

int mcoa_device_init(void);
void mcoa_device_uninit(void);

bool mcoa_is_mcoa_dev(const struct net_device *dev);

/* The mcoa devices of @net, for the receive path (RCU). */
struct list_head *mcoa_net_devs(struct net *net);

#endif /* _MCOA_DEVICE_H */

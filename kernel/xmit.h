/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MCOA_XMIT_H
#define _MCOA_XMIT_H

#include <linux/netdevice.h>

struct mcoa_binding;

netdev_tx_t mcoa_xmit(struct sk_buff *skb, struct net_device *dev);
/* Forget @b's cached outer route (its link changed); any context. */
void mcoa_dst_reset(struct mcoa_binding *b);
/* Free @b's cache when @b itself is freed, after its grace period. */
void mcoa_dst_destroy(struct mcoa_binding *b);

#endif /* _MCOA_XMIT_H */

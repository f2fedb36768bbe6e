/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MCOA_XMIT_H
#define _MCOA_XMIT_H

#include <linux/netdevice.h>

netdev_tx_t mcoa_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _MCOA_XMIT_H */

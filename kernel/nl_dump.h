/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dumps of the mcoa genetlink family: bindings, flow rules, HoAs and
 * prefixes of one or every mcoa device in the netns, resumable across
 * messages.
 */
#ifndef _MCOA_NL_DUMP_H
#define _MCOA_NL_DUMP_H

#include <linux/netlink.h>

int mcoa_dump_dev(struct sk_buff *skb, struct netlink_callback *cb);

int mcoa_dump_binding_start(struct netlink_callback *cb);
int mcoa_dump_flow_start(struct netlink_callback *cb);
int mcoa_dump_hoa_start(struct netlink_callback *cb);
int mcoa_dump_prefix_start(struct netlink_callback *cb);
int mcoa_dump_walk(struct sk_buff *skb, struct netlink_callback *cb);
int mcoa_dump_done(struct netlink_callback *cb);

#endif /* _MCOA_NL_DUMP_H */

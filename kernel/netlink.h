/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MCOA_NETLINK_H
#define _MCOA_NETLINK_H

#include <linux/types.h>

struct sk_buff;
struct mcoa_dev;
struct mcoa_binding;
struct mcoa_flow;
struct mcoa_hoa;
struct mcoa_prefix;

int mcoa_genl_init(void);
void mcoa_genl_uninit(void);

/* @cmd: MCOA_CMD_BINDING_*_NTF; @reason: del-reason or 0. */
void mcoa_nl_notify(struct mcoa_dev *mdev, const struct mcoa_binding *b,
		    u8 cmd, u32 reason);

/* @cmd: MCOA_CMD_PREFIX_NEW_NTF or _DEL_NTF. */
void mcoa_nl_prefix_notify(struct mcoa_dev *mdev, const struct mcoa_prefix *p,
			   u8 cmd);

/* Message builders shared with the dumps (nl_dump.c). */
int mcoa_nl_binding_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			u8 cmd, struct mcoa_dev *mdev,
			const struct mcoa_binding *b, u32 reason);
int mcoa_nl_flow_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     struct mcoa_dev *mdev, const struct mcoa_hoa *hoa,
		     const struct mcoa_flow *f);
int mcoa_nl_hoa_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		    struct mcoa_dev *mdev, const struct mcoa_hoa *hoa);
int mcoa_nl_prefix_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		       u8 cmd, struct mcoa_dev *mdev,
		       const struct mcoa_prefix *p);
int mcoa_nl_dev_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		    struct mcoa_dev *mdev);

#endif /* _MCOA_NETLINK_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MCOA_SELECT_H
#define _MCOA_SELECT_H

#include <linux/skbuff.h>

struct mcoa_hoa;
struct mcoa_binding;

/* Caller holds rcu_read_lock(); the result is valid inside it. */
struct mcoa_binding *mcoa_select(struct mcoa_hoa *hoa, struct sk_buff *skb);

void mcoa_select_init(void);

#endif /* _MCOA_SELECT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobile network prefixes (RFC 3963): prefix -> the mobile router's HoA.
 * See the comment at the top of prefix.c for locking and lifetimes.
 */
#ifndef _MCOA_PREFIX_H
#define _MCOA_PREFIX_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable.h>
#include <linux/types.h>

struct mcoa_dev;
struct mcoa_bcache;
struct mcoa_hoa;
struct netlink_ext_ack;

/* Per device, and per HoA (a mobile router delegates a handful). */
#define MCOA_PREFIXES_MAX	(1U << 20)
#define MCOA_HOA_PREFIXES_MAX	256

struct mcoa_pkey {
	struct in6_addr addr;		/* bits past plen are 0 */
	u8 plen;			/* 1..128 */
	u8 pad[3];			/* always 0: hashed as bytes */
};

struct mcoa_prefix {
	struct rhash_head node;		/* bc->prefixes, key */
	struct list_head hoa_list;	/* hoa->prefixes, insertion order */
	struct mcoa_pkey key;
	struct mcoa_hoa *hoa;		/* set before publication, never changes */
	struct rcu_head rcu;
};

int mcoa_prefix_table_init(struct mcoa_bcache *bc);
void mcoa_prefix_table_destroy(struct mcoa_bcache *bc);

/*
 * Readers (rcu_read_lock held). The HoA an address belongs to: the HoA
 * itself, else the mobile router whose longest delegated prefix holds it.
 */
struct mcoa_hoa *mcoa_hoa_for_addr(struct mcoa_dev *mdev,
				   const struct in6_addr *addr);

/* Writers: take bc->lock themselves. */
int mcoa_prefix_add(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		    const struct mcoa_pkey *key, struct netlink_ext_ack *extack);
/* @hoa NULL: whoever holds it. */
int mcoa_prefix_remove(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		       const struct mcoa_pkey *key,
		       struct netlink_ext_ack *extack);
/* Under bc->lock: drop every prefix of @hoa (the HoA is going away). */
void mcoa_prefix_delete_hoa(struct mcoa_dev *mdev, struct mcoa_hoa *hoa);

#endif /* _MCOA_PREFIX_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Mobile network prefixes (RFC 3963 NEMO basic support).
 *
 * A mobile router registers its HoA like any mobile node and has prefixes
 * delegated to it: every address inside one is served by the router's
 * bindings, flow rules and policy. On a home agent that means packets to
 * such an address are tunnelled to the router's CoAs and decapsulated
 * packets from one are accepted only through them; on the mobile router
 * packets from its network leave through its CoAs and packets to it are
 * accepted only from its home agent.
 *
 * Lookup. The exact HoA table is always tried first, so HoAs pay nothing
 * for prefixes. Then the longest match: one hash table keyed by (masked
 * prefix, length) and a bitmap of the lengths in use, walked from the
 * longest. Its cost grows with the number of distinct lengths (a few in
 * practice: /48, /56, /64), not with the number of prefixes.
 *
 * Locking and lifetimes
 * =====================
 *
 * struct mcoa_prefix is owned by the binding cache of its device (bcache.c)
 * and lives under the same rules: every change happens under bc->lock,
 * readers (transmit, receive) look up under RCU only and never take it.
 *   - A prefix is linked into bc->prefixes (what readers reach) and into
 *     hoa->prefixes (what writers and dumps walk). Every field is set, and
 *     it is on hoa->prefixes, before the insert into bc->prefixes
 *     publishes it; p->hoa never changes afterwards.
 *   - A prefix holds its HoA: hoa->nprefixes keeps the HoA in use
 *     (mcoa_hoa_unused), and a HoA is only freed after its prefixes are
 *     unlinked from bc->prefixes, with call_rcu: a reader that found a
 *     prefix may use p->hoa until it leaves its RCU section.
 *   - Removal unlinks from both under bc->lock and frees with kfree_rcu.
 *   - bc->plens has bit (128 - plen) set while bc->plen_refs[plen] > 0.
 *     Bits flip under bc->lock with the atomic bitops; a reader that races
 *     with a change either sees the new prefix or misses it, like any
 *     lookup racing with an insert.
 * A prefix is delegated to one HoA at a time: adding one that exists is
 * EEXIST, whoever holds it.
 */

#include <linux/bitmap.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include <linux/mcoa.h>

#include "bcache.h"
#include "device.h"
#include "netlink.h"
#include "prefix.h"

static const struct rhashtable_params mcoa_prefix_params = {
	.head_offset		= offsetof(struct mcoa_prefix, node),
	.key_offset		= offsetof(struct mcoa_prefix, key),
	.key_len		= sizeof(struct mcoa_pkey),
	.automatic_shrinking	= true,
};

int mcoa_prefix_table_init(struct mcoa_bcache *bc)
{
	bitmap_zero(bc->plens, MCOA_PLENS);
	return rhashtable_init(&bc->prefixes, &mcoa_prefix_params);
}

static void mcoa_prefix_free_fn(void *ptr, void *arg)
{
	struct mcoa_prefix *p = ptr;

	kfree_rcu(p, rcu);
}

/* From the netdev destructor: the flush left the table empty. */
void mcoa_prefix_table_destroy(struct mcoa_bcache *bc)
{
	rhashtable_free_and_destroy(&bc->prefixes, mcoa_prefix_free_fn, NULL);
}

/* ---- readers ---------------------------------------------------------- */

static struct mcoa_hoa *mcoa_prefix_match(struct mcoa_bcache *bc,
					  const struct in6_addr *addr)
{
	struct mcoa_pkey k = {};
	struct mcoa_prefix *p;
	unsigned int bit;

	/* bit 0 is /128: ascending bits are descending lengths */
	for_each_set_bit(bit, bc->plens, MCOA_PLENS) {
		k.plen = 128 - bit;
		ipv6_addr_prefix(&k.addr, addr, k.plen);
		p = rhashtable_lookup(&bc->prefixes, &k, mcoa_prefix_params);
		if (p)
			return p->hoa;
	}
	return NULL;
}

struct mcoa_hoa *mcoa_hoa_for_addr(struct mcoa_dev *mdev,
				   const struct in6_addr *addr)
{
	struct mcoa_hoa *hoa = mcoa_hoa_lookup(mdev, addr);

	if (hoa || !READ_ONCE(mdev->bc.nprefixes))
		return hoa;
	return mcoa_prefix_match(&mdev->bc, addr);
}

/* ---- writers ---------------------------------------------------------- */

static void mcoa_plen_get(struct mcoa_bcache *bc, u8 plen)
{
	if (!bc->plen_refs[plen]++)
		set_bit(128 - plen, bc->plens);
}

static void mcoa_plen_put(struct mcoa_bcache *bc, u8 plen)
{
	if (!--bc->plen_refs[plen])
		clear_bit(128 - plen, bc->plens);
}

static int mcoa_prefix_add_locked(struct mcoa_dev *mdev,
				  const struct in6_addr *addr,
				  const struct mcoa_pkey *key,
				  struct netlink_ext_ack *extack)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_prefix *p;
	struct mcoa_hoa *hoa;
	int ret;

	lockdep_assert_held(&bc->lock);
	if (bc->dead)
		return -ENODEV;
	p = rhashtable_lookup_fast(&bc->prefixes, key, mcoa_prefix_params);
	if (p) {
		if (ipv6_addr_equal(&p->hoa->addr, addr))
			NL_SET_ERR_MSG(extack, "prefix is already delegated to this hoa");
		else
			NL_SET_ERR_MSG(extack, "prefix is delegated to another hoa");
		return -EEXIST;
	}
	if (bc->nprefixes >= MCOA_PREFIXES_MAX) {
		NL_SET_ERR_MSG(extack, "too many prefixes on this device");
		return -ENOSPC;
	}
	hoa = mcoa_bc_hoa_get(bc, addr);
	if (IS_ERR(hoa))
		return PTR_ERR(hoa);
	if (hoa->nprefixes >= MCOA_HOA_PREFIXES_MAX) {
		NL_SET_ERR_MSG(extack, "too many prefixes for this hoa");
		ret = -ENOSPC;
		goto err_put;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		ret = -ENOMEM;
		goto err_put;
	}
	p->key = *key;
	p->hoa = hoa;
	/* The length first: a reader that finds the prefix can use it. */
	mcoa_plen_get(bc, key->plen);
	ret = rhashtable_insert_fast(&bc->prefixes, &p->node,
				     mcoa_prefix_params);
	if (ret) {
		mcoa_plen_put(bc, key->plen);
		/* A failed insert may still have been seen: see bcache.c. */
		kfree_rcu(p, rcu);
		goto err_put;
	}
	list_add_tail_rcu(&p->hoa_list, &hoa->prefixes);
	hoa->nprefixes++;
	WRITE_ONCE(bc->nprefixes, bc->nprefixes + 1);
	mcoa_bc_changed(bc);
	mcoa_nl_prefix_notify(mdev, p, MCOA_CMD_PREFIX_NEW_NTF);
	return 0;

err_put:
	mcoa_bc_hoa_put(bc, hoa);
	return ret;
}

int mcoa_prefix_add(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		    const struct mcoa_pkey *key, struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&mdev->bc.lock);
	ret = mcoa_prefix_add_locked(mdev, hoa, key, extack);
	mutex_unlock(&mdev->bc.lock);
	return ret;
}

/* Unlink @p and free it after a grace period; its HoA stays. */
static void mcoa_prefix_delete(struct mcoa_dev *mdev, struct mcoa_prefix *p)
{
	struct mcoa_bcache *bc = &mdev->bc;

	lockdep_assert_held(&bc->lock);
	rhashtable_remove_fast(&bc->prefixes, &p->node, mcoa_prefix_params);
	list_del_rcu(&p->hoa_list);
	mcoa_plen_put(bc, p->key.plen);
	p->hoa->nprefixes--;
	WRITE_ONCE(bc->nprefixes, bc->nprefixes - 1);
	bc->removals++;
	mcoa_bc_changed(bc);
	/* @p is freed after the message is built from it */
	mcoa_nl_prefix_notify(mdev, p, MCOA_CMD_PREFIX_DEL_NTF);
	kfree_rcu(p, rcu);
}

int mcoa_prefix_remove(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		       const struct mcoa_pkey *key,
		       struct netlink_ext_ack *extack)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_prefix *p;
	struct mcoa_hoa *owner;
	int ret = 0;

	mutex_lock(&bc->lock);
	p = rhashtable_lookup_fast(&bc->prefixes, key, mcoa_prefix_params);
	if (!p) {
		NL_SET_ERR_MSG(extack, "prefix is not delegated");
		ret = -ENOENT;
	} else if (hoa && !ipv6_addr_equal(&p->hoa->addr, hoa)) {
		NL_SET_ERR_MSG(extack, "prefix is delegated to another hoa");
		ret = -ENOENT;
	} else {
		owner = p->hoa;
		mcoa_prefix_delete(mdev, p);
		mcoa_bc_hoa_put(bc, owner);
	}
	mutex_unlock(&bc->lock);
	return ret;
}

void mcoa_prefix_delete_hoa(struct mcoa_dev *mdev, struct mcoa_hoa *hoa)
{
	struct mcoa_prefix *p, *tmp;

	list_for_each_entry_safe(p, tmp, &hoa->prefixes, hoa_list)
		mcoa_prefix_delete(mdev, p);
}

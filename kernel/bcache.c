// SPDX-License-Identifier: GPL-2.0
/*
 * mcoa binding cache.
 *
 * Locking and lifetimes
 * =====================
 *
 * Objects. One struct mcoa_bcache lives in each struct mcoa_dev and owns
 * everything below it:
 *   - struct mcoa_binding: one per (HoA, BID). Linked into two indexes:
 *     hoa->bindings (list sorted by BID: a binding is found by its HoA,
 *     then its BID; selection, receive checks and dumps walk it) and
 *     bc->coas (rhltable, key CoA, duplicates allowed: one CoA may serve
 *     several HoAs; it only answers "is this a registered CoA at all",
 *     rcv.c matches a packet through its HoA).
 *   - struct mcoa_hoa: one per home address that has bindings, flow rules
 *     or a non-default policy, or whose sequence number was parked while
 *     it had no binding. Linked into bc->hoas (rhashtable, key HoA). It
 *     owns its flow rules (struct mcoa_flow, hoa->flows sorted by
 *     priority; the transmit path finds them through the index
 *     hoa->fidx, rebuilt on every change: flow_index.c has its rules).
 *     The parked sequence number goes with the last binding:
 *     it only serves a daemon restarting while bindings exist.
 *   - Expiry: a HoA with timed bindings is also on one expiry list, a slot
 *     of the wheel bc->exp[] or bc->exp_todo (hoa->exp_node; see "expiry"
 *     below). Only writers under bc->lock touch those lists: readers never
 *     see them, and a HoA leaves its list before it is freed.
 *   - struct mcoa_prefix: a mobile network prefix delegated to a HoA
 *     (bc->prefixes, hoa->prefixes); prefix.c has its rules. A HoA with
 *     prefixes is in use; hoa-del and device removal drop them with it.
 *
 * Writers. Every change to the tables, to the lists and to the
 * counters of struct mcoa_bcache happens under bc->lock, a mutex: writers
 * are the genetlink handlers, the GC work, the netdev notifier and device
 * removal, all in process context. Every change bumps bc->gen, which
 * dumps (nl_dump.c, also under bc->lock) report as NLM_F_DUMP_INTR when it
 * moved between two of their messages. Lock order: rtnl_lock -> bc->lock
 * -> (rhashtable internals). Nothing takes rtnl_lock under bc->lock.
 *
 * Readers. The transmit and receive paths look up and walk under RCU only
 * (rcu_read_lock in ndo_start_xmit and in the tunnel6 handlers) and never
 * take bc->lock. They may see an object that is being removed; b->dead
 * tells them so. They write nothing but the atomic counters.
 *
 * Publication. An object is published by the first insert into any index
 * or list a reader can reach. Every field is set before that, b->hoa and
 * the counters included: nothing is initialised after the first insert
 * (rhashtable or rhltable insert, list_add_rcu). Fields that readers use
 * and writers change in place afterwards (prio, flags, link, no_carrier,
 * lifetime, expires, verified, the last two 32-bit stamps of jiffies;
 * hoa->nbindings, hoa->policy, hoa->recent_bid) are single words written
 * with WRITE_ONCE and read with READ_ONCE; any value a reader sees
 * is valid. b->no_carrier follows the state of the binding's link: set
 * from the device when the binding is added or its link changes, then by
 * the netdev notifier (under rtnl, then bc->lock), so a change of carrier
 * either happens before the add reads it or its notifier runs after the
 * add has published the binding. A change of CoA or peer address
 * replaces the binding with a fully initialised copy (RCU replace), so a
 * reader never sees a half-written in6_addr. b->dst, the outer route
 * cache, is xmit.c's: any transmitting CPU swaps its slot (see there), the
 * binding's free releases the last one.
 *
 * Freeing. An object that was ever handed to an insert, even one that
 * failed, may have been seen by a reader: it is only freed with call_rcu
 * (kmem_cache) or kfree_rcu, after it is unlinked from every index under
 * bc->lock. A HoA is removed once it is unused (above); it always outlives
 * its bindings, so b->hoa is valid for any reader holding b. The module
 * calls rcu_barrier() before destroying the caches.
 *
 * Accounting. Bindings, HoAs and flow rules are charged to the memory
 * cgroup of the task that creates them (SLAB_ACCOUNT, GFP_KERNEL_ACCOUNT):
 * the genetlink ops only need CAP_NET_ADMIN in the netns' user namespace.
 *
 * Device removal: ndo_uninit (under rtnl) marks the cache dead (no more
 * inserts) and stops the GC work; the device is unreachable for readers
 * from then on. The netdev destructor, after the last reference (a
 * netlink dump may hold one) is gone and outside rtnl, removes every
 * binding with reason device-down and destroys the tables.
 */

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include <linux/mcoa.h>

#include "bcache.h"
#include "device.h"
#include "flow_index.h"
#include "netlink.h"
#include "prefix.h"
#include "xmit.h"

static siphash_key_t mcoa_hash_key __read_mostly;
static struct kmem_cache *mcoa_binding_cache __read_mostly;
static struct kmem_cache *mcoa_hoa_cache __read_mostly;

/* GC runs at most this often, whatever the lifetimes. */
#define MCOA_GC_MIN_DELAY	(HZ / 4)
/* The walks drop RCU and reschedule every this many entries. */
#define MCOA_WALK_BATCH		1024

static u32 mcoa_addr_hash(const struct in6_addr *a, u64 extra)
{
	u64 hi, lo;

	memcpy(&hi, &a->s6_addr[0], sizeof(hi));
	memcpy(&lo, &a->s6_addr[8], sizeof(lo));
	return (u32)siphash_3u64(hi, lo, extra, &mcoa_hash_key);
}

static u32 mcoa_addr_hashfn(const void *data, u32 len, u32 seed)
{
	return mcoa_addr_hash(data, seed);
}

static const struct rhashtable_params mcoa_coa_params = {
	.head_offset		= offsetof(struct mcoa_binding, coa_node),
	.key_offset		= offsetof(struct mcoa_binding, coa),
	.key_len		= sizeof(struct in6_addr),
	.hashfn			= mcoa_addr_hashfn,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params mcoa_hoa_params = {
	.head_offset		= offsetof(struct mcoa_hoa, node),
	.key_offset		= offsetof(struct mcoa_hoa, addr),
	.key_len		= sizeof(struct in6_addr),
	.hashfn			= mcoa_addr_hashfn,
	.automatic_shrinking	= true,
};

/* ---- readers ---------------------------------------------------------- */

struct mcoa_hoa *mcoa_hoa_lookup(struct mcoa_dev *mdev,
				 const struct in6_addr *addr)
{
	return rhashtable_lookup(&mdev->bc.hoas, addr, mcoa_hoa_params);
}

/* A binding is found through its HoA; the HoA's list is sorted by BID. */
struct mcoa_binding *mcoa_binding_lookup(struct mcoa_dev *mdev,
					 const struct mcoa_bkey *key)
{
	struct mcoa_hoa *hoa = mcoa_hoa_lookup(mdev, &key->hoa);
	struct mcoa_binding *b;

	if (!hoa)
		return NULL;
	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list)
		if (b->bid >= key->bid)
			return b->bid == key->bid ? b : NULL;
	return NULL;
}

bool mcoa_coa_known(struct mcoa_dev *mdev, const struct in6_addr *coa,
		    const struct in6_addr *local)
{
	struct rhlist_head *list, *pos;
	struct mcoa_binding *b;

	list = rhltable_lookup(&mdev->bc.coas, coa, mcoa_coa_params);
	rhl_for_each_entry_rcu(b, pos, list, coa_node) {
		if (READ_ONCE(b->dead))
			continue;
		if (ipv6_addr_any(&b->peer) || ipv6_addr_equal(&b->peer, local))
			return true;
	}
	return false;
}

bool mcoa_binding_live(const struct mcoa_binding *b)
{
	u32 expires = READ_ONCE(b->expires);

	if (READ_ONCE(b->dead))
		return false;
	return !expires || time_before32((u32)jiffies, expires);
}

/* ---- freeing ---------------------------------------------------------- */

static void mcoa_binding_free_rcu(struct rcu_head *rcu)
{
	struct mcoa_binding *b = container_of(rcu, struct mcoa_binding, rcu);

	/* not b->hoa: its own grace period may have ended first */
	pr_debug("binding destroyed: bid %u coa %pI6c\n", b->bid, &b->coa);
	mcoa_dst_destroy(b);
	kmem_cache_free(mcoa_binding_cache, b);
}

static void mcoa_flow_free(struct mcoa_flow *f)
{
	free_percpu(f->packets);
	kfree(f);
}

static void mcoa_flow_free_rcu(struct rcu_head *rcu)
{
	mcoa_flow_free(container_of(rcu, struct mcoa_flow, rcu));
}

u64 mcoa_flow_packets(const struct mcoa_flow *f)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(f->packets, cpu);
	return sum;
}

static void mcoa_hoa_free_rcu(struct rcu_head *rcu)
{
	struct mcoa_hoa *hoa = container_of(rcu, struct mcoa_hoa, rcu);
	struct mcoa_flow *f, *tmp;

	/* Flows still linked here were unreachable for a grace period. */
	mcoa_flow_index_free(hoa);
	list_for_each_entry_safe(f, tmp, &hoa->flows, list)
		mcoa_flow_free(f);
	pr_debug("hoa destroyed: %pI6c\n", &hoa->addr);
	kmem_cache_free(mcoa_hoa_cache, hoa);
}

/* Every change a dump could observe; called under bc->lock. */
void mcoa_bc_changed(struct mcoa_bcache *bc)
{
	lockdep_assert_held(&bc->lock);
	/* netlink takes a zero generation for "not tracked": skip it. */
	if (!++bc->gen)
		bc->gen = 1;
}

static bool mcoa_hoa_unused(const struct mcoa_hoa *hoa)
{
	return !hoa->nbindings && !hoa->nflows && !hoa->nprefixes &&
	       !hoa->seq_set &&
	       hoa->policy == MCOA_POLICY_HASH;
}

/* Unlink @hoa (no binding left) and free it with its flow rules. */
static void mcoa_hoa_free(struct mcoa_bcache *bc, struct mcoa_hoa *hoa)
{
	lockdep_assert_held(&bc->lock);
	WARN_ON_ONCE(hoa->nbindings);
	rhashtable_remove_fast(&bc->hoas, &hoa->node, mcoa_hoa_params);
	hlist_del_init(&hoa->exp_node);
	/* Its flow rules stay linked for readers still walking them. */
	call_rcu(&hoa->rcu, mcoa_hoa_free_rcu);
	bc->nhoas--;
	bc->removals++;
	mcoa_bc_changed(bc);
}

bool mcoa_bc_hoa_put(struct mcoa_bcache *bc, struct mcoa_hoa *hoa)
{
	lockdep_assert_held(&bc->lock);
	if (!mcoa_hoa_unused(hoa))
		return false;
	mcoa_hoa_free(bc, hoa);
	return true;
}

struct mcoa_hoa *mcoa_bc_hoa_get(struct mcoa_bcache *bc,
				 const struct in6_addr *addr)
{
	struct mcoa_hoa *hoa;
	int ret;

	lockdep_assert_held(&bc->lock);
	hoa = rhashtable_lookup_fast(&bc->hoas, addr, mcoa_hoa_params);
	if (hoa)
		return hoa;
	hoa = kmem_cache_zalloc(mcoa_hoa_cache, GFP_KERNEL_ACCOUNT);
	if (!hoa)
		return ERR_PTR(-ENOMEM);
	hoa->addr = *addr;
	hoa->policy = MCOA_POLICY_HASH;
	INIT_LIST_HEAD(&hoa->bindings);
	INIT_LIST_HEAD(&hoa->flows);
	INIT_LIST_HEAD(&hoa->prefixes);
	ret = rhashtable_insert_fast(&bc->hoas, &hoa->node, mcoa_hoa_params);
	if (ret) {
		/* A failed insert may still have been seen: see the top. */
		call_rcu(&hoa->rcu, mcoa_hoa_free_rcu);
		return ERR_PTR(ret);
	}
	bc->nhoas++;
	mcoa_bc_changed(bc);
	return hoa;
}

/* ---- binding removal -------------------------------------------------- */

static void mcoa_binding_account(struct mcoa_bcache *bc,
				 const struct mcoa_binding *b, int sign)
{
	bc->count += sign;
	if (b->link)
		bc->nlinked += sign;
}

/* Unlink @b from every index; the caller frees it after a grace period. */
static void mcoa_binding_unlink(struct mcoa_bcache *bc, struct mcoa_binding *b)
{
	struct mcoa_hoa *hoa = b->hoa;

	lockdep_assert_held(&bc->lock);
	WRITE_ONCE(b->dead, true);
	rhltable_remove(&bc->coas, &b->coa_node, mcoa_coa_params);
	list_del_rcu(&b->hoa_list);
	WRITE_ONCE(hoa->nbindings, hoa->nbindings - 1);
	/* A parked sequence number only serves while bindings exist. */
	if (!hoa->nbindings)
		hoa->seq_set = false;
	mcoa_binding_account(bc, b, -1);
	bc->removals++;
	mcoa_bc_changed(bc);
}

/* Delete @b; its HoA stays even if now unused (the caller puts it). */
static void mcoa_binding_delete_keep_hoa(struct mcoa_dev *mdev,
					 struct mcoa_binding *b, u32 reason)
{
	mcoa_binding_unlink(&mdev->bc, b);
	mcoa_nl_notify(mdev, b, MCOA_CMD_BINDING_DEL_NTF, reason);
	call_rcu(&b->rcu, mcoa_binding_free_rcu);
}

static void mcoa_binding_delete(struct mcoa_dev *mdev,
				struct mcoa_binding *b, u32 reason)
{
	struct mcoa_hoa *hoa = b->hoa;

	mcoa_binding_delete_keep_hoa(mdev, b, reason);
	mcoa_bc_hoa_put(&mdev->bc, hoa);
}

/* Returns true if @hoa was freed with its last binding. */
static bool mcoa_hoa_delete_bindings(struct mcoa_dev *mdev,
				     struct mcoa_hoa *hoa, u32 reason)
{
	struct mcoa_binding *b, *tmp;

	list_for_each_entry_safe(b, tmp, &hoa->bindings, hoa_list)
		mcoa_binding_delete_keep_hoa(mdev, b, reason);
	return mcoa_bc_hoa_put(&mdev->bc, hoa);
}

/* Delete @hoa with its bindings, flow rules and state. */
static void mcoa_hoa_delete_all(struct mcoa_dev *mdev, struct mcoa_hoa *hoa,
				u32 reason)
{
	struct mcoa_flow *f, *tmp;

	if (mcoa_hoa_delete_bindings(mdev, hoa, reason))
		return;
	mcoa_prefix_delete_hoa(mdev, hoa);
	/* unpublish the index first: it points at the rules freed below */
	mcoa_flow_index_clear(&mdev->bc, hoa);
	list_for_each_entry_safe(f, tmp, &hoa->flows, list) {
		list_del_rcu(&f->list);
		call_rcu(&f->rcu, mcoa_flow_free_rcu);
	}
	hoa->nflows = 0;
	hoa->seq_set = false;
	WRITE_ONCE(hoa->policy, MCOA_POLICY_HASH);
	mcoa_hoa_free(&mdev->bc, hoa);
}

/*
 * Call @fn on every HoA under bc->lock. @fn runs inside an RCU read
 * section (no sleeping) and may remove the HoA and its bindings.
 */
typedef void (*mcoa_hoa_fn)(struct mcoa_dev *mdev, struct mcoa_hoa *hoa,
			    void *arg);

static void mcoa_walk_hoas(struct mcoa_dev *mdev, mcoa_hoa_fn fn, void *arg)
{
	struct rhashtable_iter iter;
	struct mcoa_hoa *hoa;
	unsigned int n = 0;

	rhashtable_walk_enter(&mdev->bc.hoas, &iter);
	rhashtable_walk_start(&iter);
	while ((hoa = rhashtable_walk_next(&iter))) {
		if (IS_ERR(hoa))
			continue;	/* -EAGAIN: a resize, keep going */
		fn(mdev, hoa, arg);
		if (++n % MCOA_WALK_BATCH)
			continue;
		rhashtable_walk_stop(&iter);
		cond_resched();
		rhashtable_walk_start(&iter);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

/*
 * A walker parked (stopped) on an object that was then removed resumes by
 * position in its bucket and may skip entries, so walks that remove
 * repeat until a pass removes nothing.
 */
static void mcoa_for_each_hoa(struct mcoa_dev *mdev, mcoa_hoa_fn fn, void *arg)
{
	u64 before;

	lockdep_assert_held(&mdev->bc.lock);
	do {
		before = mdev->bc.removals;
		mcoa_walk_hoas(mdev, fn, arg);
	} while (mdev->bc.removals != before);
}

static void mcoa_flush_one(struct mcoa_dev *mdev, struct mcoa_hoa *hoa,
			   void *arg)
{
	u32 reason = *(u32 *)arg;

	/* Device going away: drop the HoA with its flows and state too. */
	if (mdev->bc.dead)
		mcoa_hoa_delete_all(mdev, hoa, reason);
	else
		mcoa_hoa_delete_bindings(mdev, hoa, reason);
}

void mcoa_bcache_close(struct mcoa_dev *mdev)
{
	struct mcoa_bcache *bc = &mdev->bc;

	mutex_lock(&bc->lock);
	bc->dead = true;
	mutex_unlock(&bc->lock);
	cancel_delayed_work_sync(&bc->gc);
}

/* Everything the cache holds, each binding reported with @reason. */
static void mcoa_bcache_flush_dead(struct mcoa_dev *mdev, u32 reason)
{
	struct mcoa_bcache *bc = &mdev->bc;

	mutex_lock(&bc->lock);
	bc->dead = true;
	mcoa_for_each_hoa(mdev, mcoa_flush_one, &reason);
	WARN_ON(bc->count || bc->nhoas || bc->nprefixes);
	mutex_unlock(&bc->lock);
}

int mcoa_bcache_flush_hoa(struct mcoa_dev *mdev, const struct in6_addr *addr)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_hoa *hoa;
	u32 reason = MCOA_DEL_REASON_USER;
	int ret = 0;

	mutex_lock(&bc->lock);
	if (!addr) {
		mcoa_for_each_hoa(mdev, mcoa_flush_one, &reason);
		goto out;
	}
	hoa = rhashtable_lookup_fast(&bc->hoas, addr, mcoa_hoa_params);
	if (hoa)
		mcoa_hoa_delete_bindings(mdev, hoa, reason);
	else
		ret = -ENOENT;
out:
	mutex_unlock(&bc->lock);
	return ret;
}

int mcoa_hoa_remove(struct mcoa_dev *mdev, const struct in6_addr *addr)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_hoa *hoa;

	mutex_lock(&bc->lock);
	hoa = rhashtable_lookup_fast(&bc->hoas, addr, mcoa_hoa_params);
	if (hoa)
		mcoa_hoa_delete_all(mdev, hoa, MCOA_DEL_REASON_USER);
	mutex_unlock(&bc->lock);
	return hoa ? 0 : -ENOENT;
}

/*
 * mcoa_binding_lookup() for writers: under bc->lock the binding stays
 * after the RCU section, as rhashtable_lookup_fast() does it.
 */
static struct mcoa_binding *mcoa_bc_binding(struct mcoa_dev *mdev,
					    const struct mcoa_bkey *key)
{
	struct mcoa_binding *b;

	lockdep_assert_held(&mdev->bc.lock);
	rcu_read_lock();
	b = mcoa_binding_lookup(mdev, key);
	rcu_read_unlock();
	return b;
}

int mcoa_binding_remove(struct mcoa_dev *mdev, const struct mcoa_bkey *key)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_binding *b;
	int ret = -ENOENT;

	mutex_lock(&bc->lock);
	b = mcoa_bc_binding(mdev, key);
	if (b) {
		mcoa_binding_delete(mdev, b, MCOA_DEL_REASON_USER);
		ret = 0;
	}
	mutex_unlock(&bc->lock);
	return ret;
}

static void mcoa_link_gone_one(struct mcoa_dev *mdev, struct mcoa_hoa *hoa,
			       void *arg)
{
	struct mcoa_binding *b, *tmp;
	u32 ifindex = *(int *)arg;

	list_for_each_entry_safe(b, tmp, &hoa->bindings, hoa_list)
		if (b->link == ifindex)
			mcoa_binding_delete_keep_hoa(mdev, b,
						     MCOA_DEL_REASON_DEVICE_DOWN);
	mcoa_bc_hoa_put(&mdev->bc, hoa);
}

/*
 * A binding whose egress link is down or has lost its carrier carries no
 * traffic (select.c): the MN's flows move to its other CoAs at once,
 * without waiting for the daemon.
 */
static bool mcoa_link_down(struct mcoa_dev *mdev, u32 link)
{
	struct net_device *dev;
	bool down;

	if (!link)
		return false;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(dev_net(mdev->dev), link);
	down = dev && !(netif_running(dev) && netif_carrier_ok(dev));
	rcu_read_unlock();
	return down;
}

struct mcoa_link_state {
	u32 ifindex;
	bool down;
};

static void mcoa_link_state_one(struct mcoa_dev *mdev, struct mcoa_hoa *hoa,
				void *arg)
{
	const struct mcoa_link_state *ls = arg;
	struct mcoa_binding *b;

	list_for_each_entry(b, &hoa->bindings, hoa_list) {
		if (b->link != ls->ifindex || b->no_carrier == ls->down)
			continue;
		WRITE_ONCE(b->no_carrier, ls->down);
		mcoa_nl_notify(mdev, b, MCOA_CMD_BINDING_CHANGE_NTF, 0);
	}
}

/* Walks every HoA, but only on a device that has bindings with a link. */
void mcoa_bcache_link_state(struct mcoa_dev *mdev, int ifindex, bool down)
{
	struct mcoa_link_state ls = { .ifindex = ifindex, .down = down };
	struct mcoa_bcache *bc = &mdev->bc;

	mutex_lock(&bc->lock);
	if (bc->nlinked)
		mcoa_for_each_hoa(mdev, mcoa_link_state_one, &ls);
	mutex_unlock(&bc->lock);
}

void mcoa_bcache_link_gone(struct mcoa_dev *mdev, int ifindex)
{
	struct mcoa_bcache *bc = &mdev->bc;

	mutex_lock(&bc->lock);
	if (bc->nlinked)
		mcoa_for_each_hoa(mdev, mcoa_link_gone_one, &ifindex);
	mutex_unlock(&bc->lock);
}

/* ---- expiry ----------------------------------------------------------- */

/*
 * The GC visits only HoAs that are due: each HoA with a timed binding is
 * filed in bc->exp[] under the tick (MCOA_EXP_TICK jiffies, counted from
 * bc->exp_base) at or after which its earliest binding expires. A run
 * moves the slots of the ticks that have passed to bc->exp_todo and
 * visits those HoAs, at
 * most MCOA_GC_BUDGET a run, then lets go of bc->lock and queues itself
 * again if more are left. A refresh that makes a binding live longer
 * leaves its HoA where it is: the visit finds nothing expired and files
 * it again under its new earliest expiry. A HoA filed a turn or more
 * ahead waits in its slot for that turn. So a run costs the HoAs whose
 * earliest expiry passed, plus one look per turn at each HoA whose
 * bindings live longer than a turn, never a walk of every HoA.
 */
#define MCOA_GC_BUDGET		256

static u32 mcoa_exp_tick(const struct mcoa_bcache *bc, unsigned long when)
{
	return DIV_ROUND_UP(when - bc->exp_base, MCOA_EXP_TICK);
}

static unsigned long mcoa_exp_when(const struct mcoa_bcache *bc, u32 tick)
{
	return bc->exp_base + (unsigned long)tick * MCOA_EXP_TICK;
}

static void mcoa_gc_schedule(struct mcoa_bcache *bc, unsigned long when)
{
	long delay = (long)(when - jiffies);

	lockdep_assert_held(&bc->lock);
	if (bc->dead)
		return;
	delay = max_t(long, delay, MCOA_GC_MIN_DELAY);
	/* Pull a pending run earlier, never push it later. */
	if (!delayed_work_pending(&bc->gc) ||
	    time_before(jiffies + delay, bc->gc.timer.expires))
		mod_delayed_work(system_power_efficient_wq, &bc->gc, delay);
}

/* Have @hoa visited once @expires (a stamp) has passed, unless due earlier. */
static void mcoa_hoa_exp_file(struct mcoa_bcache *bc, struct mcoa_hoa *hoa,
			      u32 expires)
{
	u32 tick = mcoa_exp_tick(bc, mcoa_stamp_jiffies(expires));

	lockdep_assert_held(&bc->lock);
	/*
	 * A deadline already passed (a binding changed after it expired,
	 * before the GC came by) goes to the next run's tick: a slot the
	 * GC has moved on from would wait a whole turn.
	 */
	if ((s32)(tick - bc->exp_done) <= 0)
		tick = bc->exp_done + 1;
	if (!hlist_unhashed(&hoa->exp_node)) {
		if ((s32)(hoa->exp_tick - tick) <= 0)
			return;
		hlist_del_init(&hoa->exp_node);
	}
	hoa->exp_tick = tick;
	hlist_add_head(&hoa->exp_node, &bc->exp[tick % MCOA_EXP_SLOTS]);
	mcoa_gc_schedule(bc, mcoa_exp_when(bc, tick));
}

/* Delete @hoa's expired bindings and file it under its next expiry. */
static void mcoa_gc_hoa(struct mcoa_dev *mdev, struct mcoa_hoa *hoa, u32 now)
{
	struct mcoa_binding *b, *tmp;
	u32 next = 0;

	list_for_each_entry_safe(b, tmp, &hoa->bindings, hoa_list) {
		if (!b->expires)
			continue;
		if (!time_before32(now, b->expires)) {
			mcoa_binding_delete_keep_hoa(mdev, b,
						     MCOA_DEL_REASON_EXPIRED);
			continue;
		}
		if (!next || time_before32(b->expires, next))
			next = b->expires;
	}
	if (next)
		mcoa_hoa_exp_file(&mdev->bc, hoa, next);
	mcoa_bc_hoa_put(&mdev->bc, hoa);
}

/* Visit what bc->exp_todo holds; false if the budget ran out first. */
static bool mcoa_gc_todo(struct mcoa_dev *mdev, u32 now_tick,
			 unsigned int *budget)
{
	struct mcoa_bcache *bc = &mdev->bc;
	u32 now = (u32)jiffies;
	struct mcoa_hoa *hoa;

	while (!hlist_empty(&bc->exp_todo)) {
		if (!*budget)
			return false;
		(*budget)--;
		hoa = hlist_entry(bc->exp_todo.first, struct mcoa_hoa,
				  exp_node);
		hlist_del_init(&hoa->exp_node);
		if ((s32)(hoa->exp_tick - now_tick) > 0) {
			/* due a turn later: back to its slot */
			hlist_add_head(&hoa->exp_node,
				       &bc->exp[hoa->exp_tick % MCOA_EXP_SLOTS]);
			continue;
		}
		mcoa_gc_hoa(mdev, hoa, now);
	}
	return true;
}

/* The next tick after @now_tick with a HoA filed; 0 if none. */
static u32 mcoa_gc_next_tick(const struct mcoa_bcache *bc, u32 now_tick)
{
	u32 t;

	for (t = now_tick + 1; t != now_tick + 1 + MCOA_EXP_SLOTS; t++)
		if (!hlist_empty(&bc->exp[t % MCOA_EXP_SLOTS]))
			return t;
	return 0;
}

static void mcoa_gc_work(struct work_struct *work)
{
	struct mcoa_bcache *bc = container_of(to_delayed_work(work),
					      struct mcoa_bcache, gc);
	struct mcoa_dev *mdev = container_of(bc, struct mcoa_dev, bc);
	unsigned int budget = MCOA_GC_BUDGET;
	u64 start = ktime_get_ns();
	u32 now_tick, next;

	mutex_lock(&bc->lock);
	if (bc->dead)
		goto out;
	now_tick = (jiffies - bc->exp_base) / MCOA_EXP_TICK;
	/* Late by more than a turn: each slot once covers all of it. */
	if (now_tick - bc->exp_done > MCOA_EXP_SLOTS)
		bc->exp_done = now_tick - MCOA_EXP_SLOTS;
	for (;;) {
		if (!mcoa_gc_todo(mdev, now_tick, &budget)) {
			/* more due: go on after letting others in */
			mod_delayed_work(system_power_efficient_wq, &bc->gc, 1);
			goto stamp;
		}
		if (bc->exp_done == now_tick)
			break;
		bc->exp_done++;
		hlist_move_list(&bc->exp[bc->exp_done % MCOA_EXP_SLOTS],
				&bc->exp_todo);
	}
	next = mcoa_gc_next_tick(bc, now_tick);
	if (next)
		mcoa_gc_schedule(bc, mcoa_exp_when(bc, next));
stamp:
	bc->gc_last_us = div_u64(ktime_get_ns() - start, NSEC_PER_USEC);
	bc->gc_max_us = max(bc->gc_max_us, bc->gc_last_us);
out:
	mutex_unlock(&bc->lock);
}

/* ---- binding insertion and change ------------------------------------- */

/*
 * What a binding must look like once @p is applied to it, checked before
 * anything changes. @b is the binding as it is (NULL for a new one).
 */
static int mcoa_bparams_check(const struct mcoa_binding *b,
			      const struct mcoa_bparams *p,
			      struct netlink_ext_ack *extack)
{
	const struct in6_addr *coa = (p->has & MCOA_BP_COA) || !b ?
				     &p->coa : &b->coa;
	u32 flags = p->has & MCOA_BP_FLAGS ? p->flags : (b ? b->flags : 0);
	u32 link = p->has & MCOA_BP_LINK ? p->link : (b ? b->link : 0);
	bool home = flags & MCOA_BINDING_FLAGS_HOME;

	if (home && !ipv6_addr_equal(coa, &p->key.hoa)) {
		NL_SET_ERR_MSG(extack,
			       "binding.coa: a home binding's coa is its hoa");
		return -EINVAL;
	}
	if (!home && ipv6_addr_equal(coa, &p->key.hoa)) {
		NL_SET_ERR_MSG(extack,
			       "binding.coa: equal to the hoa without the home flag");
		return -EINVAL;
	}
	if ((ipv6_addr_type(coa) & IPV6_ADDR_LINKLOCAL) && !link) {
		NL_SET_ERR_MSG(extack,
			       "binding.coa: a link-local coa needs binding.link");
		return -EINVAL;
	}
	return 0;
}

static void mcoa_binding_set_lifetime(struct mcoa_binding *b, u32 lifetime)
{
	WRITE_ONCE(b->lifetime, lifetime);
	/*
	 * lifetime <= MCOA_LIFETIME_MAX (netlink policy): no overflow.
	 * jiffies + 0 would be "never", so nudge a zero result.
	 */
	WRITE_ONCE(b->expires, lifetime ?
		   mcoa_stamp(jiffies + (unsigned long)lifetime * HZ) : 0);
}

static void mcoa_binding_fill(struct mcoa_binding *b,
			      const struct mcoa_bparams *p)
{
	if (p->has & MCOA_BP_COA)
		b->coa = p->coa;
	if (p->has & MCOA_BP_PEER)
		b->peer = p->peer;
	if (p->has & MCOA_BP_LINK)
		WRITE_ONCE(b->link, p->link);
	if (p->has & MCOA_BP_FLAGS)
		WRITE_ONCE(b->flags, p->flags);
	if (p->has & MCOA_BP_PRIO)
		WRITE_ONCE(b->prio, p->prio);
	if (p->has & MCOA_BP_LIFETIME)
		mcoa_binding_set_lifetime(b, p->lifetime);
	if (p->has & MCOA_BP_VERIFY)
		WRITE_ONCE(b->verified, mcoa_stamp(jiffies));
}

/* The HoA's most recently verified binding follows signalling only. */
static void mcoa_binding_note_verified(const struct mcoa_binding *b,
				       const struct mcoa_bparams *p)
{
	if (p->has & MCOA_BP_VERIFY)
		WRITE_ONCE(b->hoa->recent_bid, b->bid);
}

static void mcoa_hoa_link_binding(struct mcoa_hoa *hoa, struct mcoa_binding *b)
{
	struct list_head *prev = &hoa->bindings;
	struct mcoa_binding *pos;

	list_for_each_entry(pos, &hoa->bindings, hoa_list) {
		if (pos->bid > b->bid)
			break;
		prev = &pos->hoa_list;
	}
	list_add_rcu(&b->hoa_list, prev);
	WRITE_ONCE(hoa->nbindings, hoa->nbindings + 1);
}

/*
 * Publish @b, every field of which (b->hoa included) is already set: the
 * first insert makes it visible. On failure @b is consumed and freed after
 * a grace period, since a reader may have found it in the meantime.
 */
static int mcoa_binding_publish(struct mcoa_bcache *bc, struct mcoa_binding *b)
{
	int ret;

	lockdep_assert_held(&bc->lock);
	ret = rhltable_insert(&bc->coas, &b->coa_node, mcoa_coa_params);
	if (ret)
		goto err_free;
	mcoa_hoa_link_binding(b->hoa, b);
	mcoa_binding_account(bc, b, 1);
	mcoa_bc_changed(bc);
	if (b->expires)
		mcoa_hoa_exp_file(bc, b->hoa, b->expires);
	return 0;

err_free:
	WRITE_ONCE(b->dead, true);
	call_rcu(&b->rcu, mcoa_binding_free_rcu);
	return ret;
}

static int mcoa_binding_add_locked(struct mcoa_dev *mdev,
				   const struct mcoa_bparams *p,
				   struct netlink_ext_ack *extack)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_binding *b;
	struct mcoa_hoa *hoa;
	int ret;

	if (bc->dead)
		return -ENODEV;
	if (mcoa_bc_binding(mdev, &p->key)) {
		NL_SET_ERR_MSG(extack, "binding (hoa, bid) already exists");
		return -EEXIST;
	}
	if (bc->count >= MCOA_BINDINGS_MAX) {
		NL_SET_ERR_MSG(extack, "too many bindings on this device");
		return -ENOSPC;
	}
	ret = mcoa_bparams_check(NULL, p, extack);
	if (ret)
		return ret;
	hoa = mcoa_bc_hoa_get(bc, &p->key.hoa);
	if (IS_ERR(hoa))
		return PTR_ERR(hoa);
	b = kmem_cache_zalloc(mcoa_binding_cache, GFP_KERNEL_ACCOUNT);
	if (!b) {
		mcoa_bc_hoa_put(bc, hoa);
		return -ENOMEM;
	}
	b->bid = p->key.bid;
	b->hoa = hoa;
	mcoa_binding_fill(b, p);
	b->no_carrier = mcoa_link_down(mdev, b->link);
	ret = mcoa_binding_publish(bc, b);
	if (ret) {
		mcoa_bc_hoa_put(bc, hoa);
		return ret;
	}
	mcoa_binding_note_verified(b, p);
	pr_debug("binding created: hoa %pI6c bid %u coa %pI6c\n",
		 &b->hoa->addr, b->bid, &b->coa);
	mcoa_nl_notify(mdev, b, MCOA_CMD_BINDING_NEW_NTF, 0);
	return 0;
}

int mcoa_binding_add(struct mcoa_dev *mdev, const struct mcoa_bparams *p,
		     struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&mdev->bc.lock);
	ret = mcoa_binding_add_locked(mdev, p, extack);
	mutex_unlock(&mdev->bc.lock);
	return ret;
}

static void mcoa_bstats_copy(struct mcoa_bstats *to,
			     const struct mcoa_bstats *from)
{
	atomic64_set(&to->tx_packets, atomic64_read(&from->tx_packets));
	atomic64_set(&to->tx_bytes, atomic64_read(&from->tx_bytes));
	atomic64_set(&to->tx_dropped, atomic64_read(&from->tx_dropped));
	atomic64_set(&to->rx_packets, atomic64_read(&from->rx_packets));
	atomic64_set(&to->rx_bytes, atomic64_read(&from->rx_bytes));
}

/*
 * Swap @old for a fully initialised copy carrying the new addresses (see
 * the top comment). Returns the copy, or an ERR_PTR with @old untouched.
 */
static struct mcoa_binding *mcoa_binding_replace(struct mcoa_bcache *bc,
						 struct mcoa_binding *old,
						 const struct mcoa_bparams *p)
{
	struct mcoa_binding *b;
	int ret;

	lockdep_assert_held(&bc->lock);
	b = kmem_cache_zalloc(mcoa_binding_cache, GFP_KERNEL_ACCOUNT);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->bid = old->bid;
	b->hoa = old->hoa;
	b->coa = old->coa;
	b->peer = old->peer;
	b->link = old->link;
	b->no_carrier = READ_ONCE(old->no_carrier);
	b->flags = old->flags;
	b->prio = old->prio;
	b->lifetime = old->lifetime;
	b->expires = old->expires;
	b->verified = READ_ONCE(old->verified);
	mcoa_binding_fill(b, p);
	/* Counters are copied; increments racing with this are lost. */
	mcoa_bstats_copy(&b->stats, &old->stats);

	ret = rhltable_insert(&bc->coas, &b->coa_node, mcoa_coa_params);
	if (ret)
		goto err_free;
	list_replace_rcu(&old->hoa_list, &b->hoa_list);
	WRITE_ONCE(old->dead, true);
	rhltable_remove(&bc->coas, &old->coa_node, mcoa_coa_params);
	mcoa_binding_account(bc, old, -1);
	mcoa_binding_account(bc, b, 1);
	mcoa_bc_changed(bc);
	call_rcu(&old->rcu, mcoa_binding_free_rcu);
	if (b->expires)
		mcoa_hoa_exp_file(bc, b->hoa, b->expires);
	return b;

err_free:
	WRITE_ONCE(b->dead, true);
	call_rcu(&b->rcu, mcoa_binding_free_rcu);
	return ERR_PTR(ret);
}

static int mcoa_binding_change_locked(struct mcoa_dev *mdev,
				      const struct mcoa_bparams *p,
				      struct netlink_ext_ack *extack)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_binding *b;
	int ret;

	b = mcoa_bc_binding(mdev, &p->key);
	if (!b) {
		NL_SET_ERR_MSG(extack, "no binding with this (hoa, bid)");
		return -ENOENT;
	}
	ret = mcoa_bparams_check(b, p, extack);
	if (ret)
		return ret;
	if (p->has & (MCOA_BP_COA | MCOA_BP_PEER)) {
		b = mcoa_binding_replace(bc, b, p);
		if (IS_ERR(b))
			return PTR_ERR(b);
	} else {
		mcoa_binding_account(bc, b, -1);
		mcoa_binding_fill(b, p);
		mcoa_binding_account(bc, b, 1);
		mcoa_bc_changed(bc);
		if (b->expires)
			mcoa_hoa_exp_file(bc, b->hoa, b->expires);
	}
	if (p->has & MCOA_BP_LINK) {
		WRITE_ONCE(b->no_carrier, mcoa_link_down(mdev, b->link));
		mcoa_dst_reset(b);	/* its route left by the old link */
	}
	mcoa_binding_note_verified(b, p);
	mcoa_nl_notify(mdev, b, MCOA_CMD_BINDING_CHANGE_NTF, 0);
	return 0;
}

int mcoa_binding_change(struct mcoa_dev *mdev, const struct mcoa_bparams *p,
			struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&mdev->bc.lock);
	ret = mcoa_binding_change_locked(mdev, p, extack);
	mutex_unlock(&mdev->bc.lock);
	return ret;
}

/* ---- flow rules and per-HoA state ------------------------------------- */

static struct mcoa_flow *mcoa_flow_find(struct mcoa_hoa *hoa, u16 fid)
{
	struct mcoa_flow *f;

	list_for_each_entry(f, &hoa->flows, list)
		if (f->fid == fid)
			return f;
	return NULL;
}

static int mcoa_flow_add_locked(struct mcoa_bcache *bc,
				const struct in6_addr *addr,
				const struct mcoa_flow *tmpl,
				struct netlink_ext_ack *extack)
{
	struct list_head *prev;
	struct mcoa_flow *f, *pos;
	struct mcoa_hoa *hoa;
	int ret;

	if (bc->dead)
		return -ENODEV;
	hoa = mcoa_bc_hoa_get(bc, addr);
	if (IS_ERR(hoa))
		return PTR_ERR(hoa);
	if (mcoa_flow_find(hoa, tmpl->fid)) {
		NL_SET_ERR_MSG(extack, "flow rule (hoa, fid) already exists");
		return -EEXIST;
	}
	if (hoa->nflows >= MCOA_FLOWS_MAX) {
		NL_SET_ERR_MSG(extack, "too many flow rules for this hoa");
		ret = -ENOSPC;
		goto err_put;
	}
	f = kmemdup(tmpl, sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f) {
		ret = -ENOMEM;
		goto err_put;
	}
	f->packets = alloc_percpu_gfp(u64, GFP_KERNEL_ACCOUNT);
	if (!f->packets) {
		kfree(f);
		ret = -ENOMEM;
		goto err_put;
	}
	prev = &hoa->flows;
	list_for_each_entry(pos, &hoa->flows, list) {
		if (pos->pri > f->pri)
			break;
		prev = &pos->list;
	}
	list_add_rcu(&f->list, prev);
	hoa->nflows++;
	mcoa_flow_index_rebuild(bc, hoa);
	mcoa_bc_changed(bc);
	return 0;

err_put:
	mcoa_bc_hoa_put(bc, hoa);
	return ret;
}

int mcoa_flow_add(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		  const struct mcoa_flow *tmpl, struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&mdev->bc.lock);
	ret = mcoa_flow_add_locked(&mdev->bc, hoa, tmpl, extack);
	mutex_unlock(&mdev->bc.lock);
	return ret;
}

int mcoa_flow_remove(struct mcoa_dev *mdev, const struct in6_addr *addr,
		     u16 fid)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_hoa *hoa;
	struct mcoa_flow *f = NULL;

	mutex_lock(&bc->lock);
	hoa = rhashtable_lookup_fast(&bc->hoas, addr, mcoa_hoa_params);
	if (hoa)
		f = mcoa_flow_find(hoa, fid);
	if (f) {
		list_del_rcu(&f->list);
		/* the new index without @f is out before @f's grace period */
		mcoa_flow_index_rebuild(bc, hoa);
		call_rcu(&f->rcu, mcoa_flow_free_rcu);
		hoa->nflows--;
		mcoa_bc_changed(bc);
		mcoa_bc_hoa_put(bc, hoa);
	}
	mutex_unlock(&bc->lock);
	return f ? 0 : -ENOENT;
}

int mcoa_hoa_set(struct mcoa_dev *mdev, const struct in6_addr *addr,
		 u32 policy, bool has_policy, u16 seq, bool has_seq)
{
	struct mcoa_bcache *bc = &mdev->bc;
	struct mcoa_hoa *hoa;
	int ret = 0;

	mutex_lock(&bc->lock);
	if (bc->dead) {
		ret = -ENODEV;
		goto out;
	}
	hoa = mcoa_bc_hoa_get(bc, addr);
	if (IS_ERR(hoa)) {
		ret = PTR_ERR(hoa);
		goto out;
	}
	if (has_policy)
		WRITE_ONCE(hoa->policy, policy);
	if (has_seq) {
		hoa->seq = seq;
		hoa->seq_set = true;
	}
	mcoa_bc_changed(bc);
	mcoa_bc_hoa_put(bc, hoa);
out:
	mutex_unlock(&bc->lock);
	return ret;
}

/* ---- per device and per module ---------------------------------------- */

int mcoa_bcache_init(struct mcoa_dev *mdev)
{
	struct mcoa_bcache *bc = &mdev->bc;
	int ret;

	mutex_init(&bc->lock);
	INIT_DELAYED_WORK(&bc->gc, mcoa_gc_work);
	bc->gen = 1;
	bc->exp_base = jiffies;
	bc->exp = kvcalloc(MCOA_EXP_SLOTS, sizeof(*bc->exp), GFP_KERNEL_ACCOUNT);
	if (!bc->exp)
		return -ENOMEM;
	ret = rhltable_init(&bc->coas, &mcoa_coa_params);
	if (ret)
		goto err_coas;
	ret = rhashtable_init(&bc->hoas, &mcoa_hoa_params);
	if (ret)
		goto err_hoas;
	ret = mcoa_prefix_table_init(bc);
	if (ret)
		goto err_prefixes;
	bc->ready = true;
	return 0;

err_prefixes:
	rhashtable_destroy(&bc->hoas);
err_hoas:
	rhltable_destroy(&bc->coas);
err_coas:
	kvfree(bc->exp);
	return ret;
}

static void mcoa_hoa_free_fn(void *ptr, void *arg)
{
	struct mcoa_hoa *hoa = ptr;
	struct mcoa_binding *b, *tmp;

	list_for_each_entry_safe(b, tmp, &hoa->bindings, hoa_list)
		call_rcu(&b->rcu, mcoa_binding_free_rcu);
	call_rcu(&hoa->rcu, mcoa_hoa_free_rcu);
}

/*
 * Idempotent. Runs from the netdev destructor, after the last reference
 * is gone and outside rtnl: ndo_uninit closed the cache, so no reader
 * reaches it and nothing is added. Its bindings are deleted here, each
 * reported (reason device-down) to the listeners of the netns, so a
 * device with a million bindings does not hold rtnl for a million
 * notifications. Whatever a failed flush would leave is freed after a
 * grace period all the same.
 */
void mcoa_bcache_destroy(struct mcoa_dev *mdev)
{
	struct mcoa_bcache *bc = &mdev->bc;

	if (!bc->ready)
		return;
	bc->ready = false;
	cancel_delayed_work_sync(&bc->gc);
	mcoa_bcache_flush_dead(mdev, MCOA_DEL_REASON_DEVICE_DOWN);
	rhltable_destroy(&bc->coas);
	mcoa_prefix_table_destroy(bc);
	rhashtable_free_and_destroy(&bc->hoas, mcoa_hoa_free_fn, NULL);
	kvfree(bc->exp);
	mutex_destroy(&bc->lock);
}

int mcoa_bcache_module_init(void)
{
	get_random_bytes(&mcoa_hash_key, sizeof(mcoa_hash_key));
	mcoa_binding_cache = KMEM_CACHE(mcoa_binding, SLAB_ACCOUNT);
	if (!mcoa_binding_cache)
		return -ENOMEM;
	mcoa_hoa_cache = KMEM_CACHE(mcoa_hoa, SLAB_ACCOUNT);
	if (!mcoa_hoa_cache) {
		kmem_cache_destroy(mcoa_binding_cache);
		return -ENOMEM;
	}
	return 0;
}

void mcoa_bcache_module_exit(void)
{
	kmem_cache_destroy(mcoa_hoa_cache);
	kmem_cache_destroy(mcoa_binding_cache);
}

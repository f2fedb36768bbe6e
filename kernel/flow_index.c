// SPDX-License-Identifier: GPL-2.0
/*
 * The flow rules of a HoA as the transmit path matches them: an index,
 * rebuilt from hoa->flows on every change, that finds the first matching
 * rule without testing every rule that cannot match.
 *
 * Rules for a single destination port (the common case: a port per
 * application) sit in buckets by a hash of that port; the others
 * ("wild": port ranges or any port) in one list. A packet tests only the
 * rules of its port's bucket and the wild ones, merged by their position
 * in hoa->flows (priority order), so the first match is the same rule a
 * walk of the whole list would find. 50 rules for 50 ports cost a packet
 * one or two rule tests instead of 50.
 *
 * Locking and lifetimes
 * =====================
 * hoa->fidx is written under bc->lock only (bcache.c), read under RCU by
 * select.c. An index is built complete, then published with
 * rcu_assign_pointer(); the one it replaces is freed after a grace period
 * (kfree_rcu). An index points at rules but does not own them: bcache.c
 * publishes the index without a rule before it hands the rule to
 * call_rcu, so a reader holding any index only sees live rules. When the
 * allocation of a new index fails, hoa->fidx becomes NULL and select.c
 * walks hoa->flows (RCU list) instead: slower, never wrong.
 */

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "bcache.h"
#include "flow_index.h"

struct mcoa_flow_ent {
	struct mcoa_flow *f;
	u32 ord;			/* position in hoa->flows */
};

struct mcoa_flow_index {
	struct rcu_head rcu;
	u32 bits;			/* log2 of the port buckets, >= 1 */
	u32 nwild;
	struct mcoa_flow_ent *wild;	/* in match order */
	u16 *first;			/* bucket h: exact[first[h]..first[h+1]) */
	struct mcoa_flow_ent exact[];	/* by bucket, in match order in each */
};

static bool mcoa_in_range(u16 v, u16 min, u16 max)
{
	return v >= min && v <= max;
}

bool mcoa_flow_match(const struct mcoa_flow *f, const struct flow_keys *k,
		     u8 tclass)
{
	if (f->src_plen &&
	    !ipv6_prefix_equal(&f->src, &k->addrs.v6addrs.src, f->src_plen))
		return false;
	if (f->dst_plen &&
	    !ipv6_prefix_equal(&f->dst, &k->addrs.v6addrs.dst, f->dst_plen))
		return false;
	if (f->proto && f->proto != k->basic.ip_proto)
		return false;
	if ((tclass & f->tclass_mask) != (f->tclass & f->tclass_mask))
		return false;
	return mcoa_in_range(ntohs(k->ports.src), f->sport_min, f->sport_max) &&
	       mcoa_in_range(ntohs(k->ports.dst), f->dport_min, f->dport_max);
}

static bool mcoa_flow_one_port(const struct mcoa_flow *f)
{
	return f->dport_min == f->dport_max;
}

static u32 mcoa_flow_bucket(u16 dport, u32 bits)
{
	return hash_32(dport, bits);
}

struct mcoa_flow *mcoa_flow_index_find(const struct mcoa_flow_index *ix,
				       const struct flow_keys *k, u8 tclass)
{
	u32 h = mcoa_flow_bucket(ntohs(k->ports.dst), ix->bits);
	const struct mcoa_flow_ent *e = &ix->exact[ix->first[h]];
	const struct mcoa_flow_ent *e_end = &ix->exact[ix->first[h + 1]];
	const struct mcoa_flow_ent *w = ix->wild, *w_end = w + ix->nwild;
	const struct mcoa_flow_ent *pick;

	while (e < e_end || w < w_end) {
		if (w == w_end || (e < e_end && e->ord < w->ord))
			pick = e++;
		else
			pick = w++;
		if (mcoa_flow_match(pick->f, k, tclass))
			return pick->f;
	}
	return NULL;
}

static struct mcoa_flow_index *mcoa_flow_index_build(struct mcoa_hoa *hoa)
{
	u32 nexact = 0, nwild = 0, nb, bits, ord = 0, h;
	struct mcoa_flow_index *ix;
	struct mcoa_flow *f;
	size_t size;
	u16 *fill;

	list_for_each_entry(f, &hoa->flows, list) {
		if (mcoa_flow_one_port(f))
			nexact++;
		else
			nwild++;
	}
	bits = max_t(u32, 1, order_base_2(nexact));
	nb = 1U << bits;
	/* nexact + nwild <= MCOA_FLOWS_MAX: no overflow, u16 offsets fit */
	size = struct_size(ix, exact, nexact + nwild) +
	       (2 * nb + 1) * sizeof(u16);
	ix = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!ix)
		return NULL;
	ix->bits = bits;
	ix->nwild = nwild;
	ix->wild = &ix->exact[nexact];
	ix->first = (u16 *)&ix->exact[nexact + nwild];
	fill = ix->first + nb + 1;

	/* counting sort by bucket, stable: match order within each */
	list_for_each_entry(f, &hoa->flows, list)
		if (mcoa_flow_one_port(f))
			ix->first[mcoa_flow_bucket(f->dport_min, bits) + 1]++;
	for (h = 0; h < nb; h++) {
		ix->first[h + 1] += ix->first[h];
		fill[h] = ix->first[h];
	}
	nwild = 0;
	list_for_each_entry(f, &hoa->flows, list) {
		struct mcoa_flow_ent *ent;

		if (mcoa_flow_one_port(f))
			ent = &ix->exact[fill[mcoa_flow_bucket(f->dport_min,
							      bits)]++];
		else
			ent = &ix->wild[nwild++];
		ent->f = f;
		ent->ord = ord++;
	}
	return ix;
}

static void mcoa_flow_index_set(struct mcoa_bcache *bc, struct mcoa_hoa *hoa,
				struct mcoa_flow_index *ix)
{
	struct mcoa_flow_index *old;

	old = rcu_replace_pointer(hoa->fidx, ix, lockdep_is_held(&bc->lock));
	if (old)
		kfree_rcu(old, rcu);
}

void mcoa_flow_index_rebuild(struct mcoa_bcache *bc, struct mcoa_hoa *hoa)
{
	struct mcoa_flow_index *ix = NULL;

	lockdep_assert_held(&bc->lock);
	if (!list_empty(&hoa->flows)) {
		ix = mcoa_flow_index_build(hoa);
		if (!ix)
			pr_warn_ratelimited("flow index for %pI6c: out of memory, matching by list\n",
					    &hoa->addr);
	}
	mcoa_flow_index_set(bc, hoa, ix);
}

void mcoa_flow_index_clear(struct mcoa_bcache *bc, struct mcoa_hoa *hoa)
{
	lockdep_assert_held(&bc->lock);
	mcoa_flow_index_set(bc, hoa, NULL);
}

void mcoa_flow_index_free(struct mcoa_hoa *hoa)
{
	/* after the HoA's grace period: no reader left */
	kfree(rcu_dereference_protected(hoa->fidx, 1));
}

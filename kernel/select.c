// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow choice of a binding (care-of address) for a HoA:
 *  1. flow rules, in ascending priority: the first rule that matches the
 *     inner packet picks the first live BID of its list (flow_index.c
 *     finds that rule without testing the rules of other ports);
 *  2. policy hash: rendezvous (highest random weight) hashing of the flow
 *     over the live bindings, so that adding or removing one binding moves
 *     only the flows that must move;
 *  3. the live binding signalling verified last (RFC 5648 s.3).
 * Home bindings (H flag) never carry tunnelled traffic, nor do bindings
 * whose link is down or without carrier (b->no_carrier, bcache.c).
 */

#include <linux/ipv6.h>
#include <linux/rculist.h>
#include <linux/random.h>
#include <net/dsfield.h>
#include <net/flow_dissector.h>
#include <net/ipv6.h>

#include <linux/mcoa.h>

#include "bcache.h"
#include "flow_index.h"
#include "select.h"

static u32 mcoa_rendezvous_seed __read_mostly;

/*
 * Rendezvous weight of a flow for one BID. The flow hash is already keyed
 * (the kernel's random flow-hash seed), so a bijective 32-bit mixer
 * (MurmurHash3's finaliser) of it with a per-BID constant is enough for
 * weights that look independent across BIDs, at a tenth of the cost of a
 * keyed hash per binding. A function of the BID alone: a binding that
 * changes CoA keeps its flows.
 */
static u32 mcoa_rendezvous_weight(u32 hash, u16 bid)
{
	u32 w = hash ^ mcoa_rendezvous_seed ^ (bid * 0x9e3779b9u);

	w ^= w >> 16;
	w *= 0x85ebca6bu;
	w ^= w >> 13;
	w *= 0xc2b2ae35u;
	w ^= w >> 16;
	return w;
}

static bool mcoa_usable(const struct mcoa_binding *b)
{
	return mcoa_binding_live(b) && !READ_ONCE(b->no_carrier) &&
	       !(READ_ONCE(b->flags) & MCOA_BINDING_FLAGS_HOME);
}

static struct mcoa_binding *mcoa_find_usable(struct mcoa_hoa *hoa, u16 bid)
{
	struct mcoa_binding *b;

	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list) {
		if (b->bid > bid)
			break;
		if (b->bid == bid)
			return mcoa_usable(b) ? b : NULL;
	}
	return NULL;
}

static struct mcoa_binding *mcoa_select_rule(struct mcoa_hoa *hoa,
					     struct sk_buff *skb)
{
	struct mcoa_flow_index *ix = rcu_dereference(hoa->fidx);
	struct mcoa_binding *b;
	struct mcoa_flow *f = NULL;
	struct flow_keys keys;
	u8 tclass;
	int i;

	if (!skb_flow_dissect_flow_keys(skb, &keys, 0) ||
	    keys.control.addr_type != FLOW_DISSECTOR_KEY_IPV6_ADDRS)
		return NULL;
	tclass = ipv6_get_dsfield(ipv6_hdr(skb));
	if (ix) {
		f = mcoa_flow_index_find(ix, &keys, tclass);
	} else {
		/* no index (its allocation failed): every rule in turn */
		struct mcoa_flow *pos;

		list_for_each_entry_rcu(pos, &hoa->flows, list)
			if (mcoa_flow_match(pos, &keys, tclass)) {
				f = pos;
				break;
			}
	}
	if (!f)
		return NULL;
	this_cpu_inc(*f->packets);
	for (i = 0; i < f->nbids; i++) {
		b = mcoa_find_usable(hoa, f->bids[i]);
		if (b)
			return b;
	}
	/* None of its BIDs is live: fall through to the default. */
	return NULL;
}

static struct mcoa_binding *mcoa_select_hash(struct mcoa_hoa *hoa, u32 hash)
{
	struct mcoa_binding *b, *best = NULL;
	u32 w, best_w = 0;

	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list) {
		if (!mcoa_usable(b))
			continue;
		w = mcoa_rendezvous_weight(hash, b->bid);
		if (!best || w > best_w) {
			best = b;
			best_w = w;
		}
	}
	return best;
}

static struct mcoa_binding *mcoa_select_recent(struct mcoa_hoa *hoa)
{
	u16 bid = READ_ONCE(hoa->recent_bid);
	struct mcoa_binding *b, *best = NULL;
	u32 v, best_v = 0;

	if (bid) {
		best = mcoa_find_usable(hoa, bid);
		if (best)
			return best;
	}
	/* Else the live binding verified last; never-verified ones last. */
	list_for_each_entry_rcu(b, &hoa->bindings, hoa_list) {
		if (!mcoa_usable(b))
			continue;
		v = READ_ONCE(b->verified);
		if (!best || (v && (!best_v || time_after32(v, best_v)))) {
			best = b;
			best_v = v;
		}
	}
	return best;
}

struct mcoa_binding *mcoa_select(struct mcoa_hoa *hoa, struct sk_buff *skb)
{
	struct mcoa_binding *b;

	if (!list_empty(&hoa->flows)) {
		b = mcoa_select_rule(hoa, skb);
		if (b)
			return b;
	}
	/* With a single binding there is nothing to spread: skip the hash. */
	if (READ_ONCE(hoa->policy) == MCOA_POLICY_HASH &&
	    READ_ONCE(hoa->nbindings) > 1) {
		/*
		 * Symmetric and computed from the packet, not skb->hash:
		 * a socket's tx hash changes on retransmit timeouts and
		 * would move the flow to another CoA. Without an L4 hash
		 * (a forwarded packet on the HA), it becomes the packet's
		 * hash: the outer flow label (ip6_make_flowlabel) then does
		 * not dissect the packet a second time.
		 */
		u32 hash = __skb_get_hash_symmetric(skb);

		if (!skb->l4_hash)
			__skb_set_sw_hash(skb, hash, true);
		b = mcoa_select_hash(hoa, hash);
		if (b)
			return b;
	}
	return mcoa_select_recent(hoa);
}

void mcoa_select_init(void)
{
	mcoa_rendezvous_seed = get_random_u32();
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The home agent's indexes over its mobile nodes (struct ha_mn, ha_bu.h),
 * so that no BU and no timer walks every node:
 *  - by home address: a chained hash table (SipHash with a random key:
 *    the HoAs are the peers' choice), doubled when it is full;
 *  - by deadline: a binary min-heap of the nodes that have one (the next
 *    expiry, BRR or tombstone end), so a tick costs O(log N) per due node;
 *  - per source address: how many live nodes (with bindings) last
 *    registered from it, and how many live nodes there are, for the
 *    max-hoas and max-hoas-per-source limits.
 * One owner: the ha_state that embeds it; single-threaded, like mcoad.
 * Nothing here allocates a node or frees one: ha_bu.c does, and tells the
 * index with hidx_add()/hidx_del(), and after every change of a node's
 * bindings, deadline or source with hidx_sync().
 */
#ifndef MCOAD_HA_INDEX_H
#define MCOAD_HA_INDEX_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "siphash.h"

struct ha_mn;
struct ha_src;

struct ha_index {
	struct siphash_key key;
	struct ha_mn **bucket;		/* by HoA, nbucket a power of 2 */
	uint32_t nbucket, count;
	struct ha_mn **heap;		/* by due, heap[0] the earliest */
	uint32_t nheap, heapcap;
	struct ha_src **sbucket;	/* by source address */
	uint32_t nsbucket, nsrc;
	uint32_t live;			/* nodes with at least one binding */
};

/* What the index keeps inside each node (struct ha_mn's "ix" member) */
struct ha_mn_ix {
	struct ha_mn *hnext;		/* hash chain */
	uint32_t hpos;			/* heap slot, HIDX_NONE when none */
	uint64_t due;			/* UINT64_MAX: nothing to do */
	bool live;			/* counted in live */
	bool src_counted;		/* and under src */
	struct in6_addr src;
};

#define HIDX_NONE	UINT32_MAX

void hidx_init(struct ha_index *ix);
void hidx_free(struct ha_index *ix);
struct ha_mn *hidx_find(const struct ha_index *ix, const struct in6_addr *hoa);
/* -1 when out of memory: the node is not indexed, the caller frees it */
int hidx_add(struct ha_index *ix, struct ha_mn *mn);
void hidx_del(struct ha_index *ix, struct ha_mn *mn);
/*
 * @mn's deadline is now @due and it is live (@live) with source @src:
 * move it in the heap and the counts. Out of memory for a new source's
 * counter: the node counts as live without a source (a limit may then
 * under-count that source by one node).
 */
void hidx_sync(struct ha_index *ix, struct ha_mn *mn, uint64_t due, bool live,
	       const struct in6_addr *src);
/* The node with the earliest deadline, NULL when none has one */
struct ha_mn *hidx_first(const struct ha_index *ix);
uint32_t hidx_live(const struct ha_index *ix);
/* Live nodes whose last registration came from @src */
uint32_t hidx_from_src(const struct ha_index *ix, const struct in6_addr *src);

#endif

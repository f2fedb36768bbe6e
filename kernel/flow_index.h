/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transmit path's index of a HoA's flow rules; see flow_index.c.
 */
#ifndef _MCOA_FLOW_INDEX_H
#define _MCOA_FLOW_INDEX_H

#include <net/flow_dissector.h>

struct mcoa_bcache;
struct mcoa_flow;
struct mcoa_flow_index;
struct mcoa_hoa;

bool mcoa_flow_match(const struct mcoa_flow *f, const struct flow_keys *k,
		     u8 tclass);

/* Readers, under RCU: the first rule of @ix that matches, or NULL. */
struct mcoa_flow *mcoa_flow_index_find(const struct mcoa_flow_index *ix,
				       const struct flow_keys *k, u8 tclass);

/* Writers, under bc->lock, after every change of hoa->flows. */
void mcoa_flow_index_rebuild(struct mcoa_bcache *bc, struct mcoa_hoa *hoa);

/* Writers: readers walk hoa->flows until the next rebuild. */
void mcoa_flow_index_clear(struct mcoa_bcache *bc, struct mcoa_hoa *hoa);

/* From the HoA's RCU free. */
void mcoa_flow_index_free(struct mcoa_hoa *hoa);

#endif /* _MCOA_FLOW_INDEX_H */

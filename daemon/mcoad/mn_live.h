/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobile node: liveness probes of every care-of address (probe.c on the
 * wire, liveness.c per CoA, mn_bul.c decides what a verdict changes).
 * mn.c applies the kernel operations these leave in @out.
 */
#ifndef MCOAD_MN_LIVE_H
#define MCOAD_MN_LIVE_H

#include "mcoad.h"
#include "mn_bul.h"

/* Open the probe socket (d->probe_fd) when probing is on; 0 or -1. */
int mn_live_open(struct mcoad *d, const struct mn_state *st);
void mn_live_close(struct mcoad *d);
/* Probes due, probes lost, verdicts applied; returns the next wake-up. */
uint64_t mn_live_tick(struct mcoad *d, struct mn_state *st, uint64_t now,
		      struct mn_out *out);
/* Echo Replies waiting on d->probe_fd. */
void mn_live_input(struct mcoad *d, struct mn_state *st, uint64_t now,
		   struct mn_out *out);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobile router side of RFC 3963 (NEMO basic support) in mcoad's mobile
 * node role, with "mobile-router yes": what a BU carries (R, and the
 * Mobile Network Prefix options in explicit mode), what a BA means for the
 * prefixes, and the prefixes in this host's kernel and routing table.
 */
#ifndef MCOAD_MN_NEMO_H
#define MCOAD_MN_NEMO_H

#include "mcoad.h"

struct mh_bu;
struct mh_ba;

/*
 * Start: IPv6 forwarding on, the prefixes delegated to the HoA on the mcoa
 * device (packets from the network go over the HoA's bindings) and a
 * source route "::/0 from PREFIX dev DEVICE" each, so that they enter it.
 */
void mn_nemo_start(struct mcoad *d);
/* R on every BU; the MNP options on registrations in explicit mode */
void mn_nemo_bu(const struct mcoad *d, struct mh_bu *bu);
/*
 * A BA that settled a BU: without R, or with 140-143, the home agent does
 * not serve the network: said once per change, the prefixes withdrawn
 * until a BA with R accepts a registration again.
 */
void mn_nemo_ba(struct mcoad *d, const struct mh_ba *ba);

#endif

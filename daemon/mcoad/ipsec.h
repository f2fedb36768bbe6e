/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPsec for BU/BA, the daemon's side (RFC 6275 s.5.1, RFC 3776): turn the
 * config's "sa" pairs into SAs and policies (xfrm_esp.c) before the MH
 * socket opens, tell the HA which HoAs are keyed, and count what IPsec
 * refused, ours and the kernel's.
 *
 * Who checks what: for a keyed HoA the kernel drops every BU that is not
 * ESP from that HoA's own SA, before the daemon sees it; a BU that does
 * reach the daemon for a HoA without keys is dropped here (ipsec on).
 */
#ifndef MCOAD_IPSEC_H
#define MCOAD_IPSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

struct mcoad;

/* Install (ipsec on) or warn (off). 0, or -1 logged with file:line. */
int ipsec_start(struct mcoad *d);
/* HA: has @hoa keys (sa pair or ike), so that the kernel enforces ESP? */
bool ipsec_hoa_keyed(const struct mcoad *d, const struct in6_addr *hoa);
/* HA: an unprotected BU for @hoa reached us: count, log rate-limited */
void ipsec_unprotected(struct mcoad *d, const struct in6_addr *hoa,
		       const struct in6_addr *src);
/*
 * Poll the kernel's counters, log growth at most every 10 s; keep
 * charon's SAs of "ike" HoAs in shape (xfrm_ike.c). Returns the next poll.
 */
uint64_t ipsec_tick(struct mcoad *d, uint64_t now);
/* ,"ipsec":{...} (JSON) or an "ipsec ..." line */
void ipsec_show(const struct mcoad *d, FILE *f, bool json);
/* A role's view @buf (JSON object or text) with ipsec_show() added */
void ipsec_append_show(const struct mcoad *d, FILE *f, bool json,
		       const char *buf, size_t len);

#endif

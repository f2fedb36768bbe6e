/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unsolicited Neighbor Advertisements for a home address (RFC 6275
 * s.10.4.1 and s.11.5.5). Whoever starts answering for the HoA on the
 * home link (the HA when it starts proxying, the MN once back home) tells
 * the link at once, so neighbours do not keep sending to the previous
 * owner's link-layer address until their cache entry times out.
 */
#ifndef MCOAD_NDISC_H
#define MCOAD_NDISC_H

#include <netinet/in.h>

/*
 * Multicast an NA to all-nodes on @ifname (@ifindex): target @target, the
 * interface's own link-layer address, Override set, Solicited and Router
 * clear. 0 or -errno.
 */
int ndisc_unsol_na(const char *ifname, int ifindex,
		   const struct in6_addr *target);

/*
 * Neighbor Solicitation for @target to its solicited-node group on
 * @ifname, from our link-local address: whoever holds @target answers
 * with an NA. 0 or -errno.
 */
int ndisc_probe_ns(const char *ifname, int ifindex,
		   const struct in6_addr *target);

/* A non-blocking socket that receives the NAs arriving on @ifname. */
int ndisc_na_socket(const char *ifname);
/*
 * Read one NA: 1 with its target, 0 for something to ignore (hop limit
 * not 255, truncated), -errno (-EAGAIN: nothing left).
 */
int ndisc_na_read(int fd, struct in6_addr *target);

#endif

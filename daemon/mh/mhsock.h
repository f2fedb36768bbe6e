/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw IPPROTO_MH socket: send and receive Mobility Header messages
 * with an explicit source address, a Home Address option (BU from a CoA)
 * or a type 2 routing header (BA to a CoA).
 *
 * Addresses are reported as they are on the wire, whatever the kernel
 * swapped while processing the HAO / RH2:
 *
 *   MN -> HA, BU from CoA:  src = CoA, dst = HA, hao = HoA
 *   HA -> MN, BA to CoA:    src = HA, dst = CoA, rh2 = HoA
 *   at home (no HAO/RH2):   src/dst only
 *
 * The MH checksum (RFC 6275 s6.1.1: pseudo-header source = HoA when a HAO
 * is present, destination = HoA when a RH2 is present) is computed and
 * verified here in user space: the kernel's own checksum uses the wire
 * source, which is wrong with a HAO.
 *
 * Receiving a HAO needs the XFRM states of xfrm.h on the HA; receiving a
 * RH2 needs them on the MN, and the HoA configured with IFA_F_HOMEADDRESS
 * (`ip -6 addr add HOA/128 dev mip0 home`).
 */
#ifndef MCOA_MHSOCK_H
#define MCOA_MHSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

struct mh_addrs {
	struct in6_addr src;	/* IPv6 source on the wire (:: = kernel picks) */
	struct in6_addr dst;	/* IPv6 destination on the wire */
	bool has_hao;
	struct in6_addr hao;	/* Home Address option content (HoA) */
	bool has_rh2;
	struct in6_addr rh2;	/* type 2 routing header content (HoA) */
	int ifindex;		/* recv: arrival interface; send: 0 or oif */
	uint8_t hoplimit;	/* recv only */
};

/* Counters of what mhsock_recv() threw away */
struct mhsock_stats {
	uint64_t rx, tx;
	uint64_t rx_bad_csum;	/* checksum wrong: dropped silently */
	uint64_t rx_trunc;	/* larger than the buffer */
	uint64_t rx_bad_ext;	/* unparsable DSTOPTS/RTHDR ancillary data */
};

struct mhsock {
	int fd;			/* poll() this for POLLIN */
	struct mhsock_stats st;
};

/* Open the raw socket (needs CAP_NET_RAW). 0 or -errno. */
int mhsock_open(struct mhsock *s);
void mhsock_close(struct mhsock *s);

/*
 * Send one MH (from mh_build_*; the checksum field is overwritten).
 * a->dst must be set; a->src should be (required with has_hao).
 * Returns 0 or -errno.
 */
int mhsock_send(struct mhsock *s, void *mh, size_t len,
		const struct mh_addrs *a);

/*
 * Receive one MH into buf. Returns its length, or -EAGAIN (nothing
 * queued: socket is non-blocking), -EBADMSG (dropped: bad checksum,
 * truncated or bad ancillary data; counted in st) or another -errno.
 * Parse the result with mh_parse().
 */
ssize_t mhsock_recv(struct mhsock *s, void *buf, size_t cap,
		    struct mh_addrs *a);

#endif /* MCOA_MHSOCK_H */

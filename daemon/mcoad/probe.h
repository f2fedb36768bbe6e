/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Liveness probes on the wire: ICMPv6 Echo Request from a care-of address
 * to the home agent, out of that CoA's interface; the Echo Reply proves
 * both directions of the uplink. One raw ICMPv6 socket serves every CoA:
 * IPV6_PKTINFO gives each probe its source and output interface, which is
 * the very route lookup the tunnel's outer packets get (kernel/xmit.c:
 * source the CoA, output interface the link), so the probe's verdict is
 * about the path the data takes.
 *
 * Every Echo Request carries a random per-process cookie; a reply without
 * it is not ours. Only pure I/O here: what a reply means is liveness.c's.
 */
#ifndef MCOAD_PROBE_H
#define MCOAD_PROBE_H

#include <stdint.h>
#include <netinet/in.h>

struct probe_sock {
	int fd;
	uint8_t cookie[8];
};

struct probe_reply {
	struct in6_addr src, dst;	/* dst: the CoA it came back to */
	int ifindex;			/* where it came in */
	uint16_t ident, seq;
};

/* 0 or -errno. */
int probe_open(struct probe_sock *p);
void probe_close(struct probe_sock *p);
/* One Echo Request from @src out of @ifindex to @dst; 0 or -errno. */
int probe_send(struct probe_sock *p, const struct in6_addr *src, int ifindex,
	       const struct in6_addr *dst, uint16_t ident, uint16_t seq);
/*
 * Read one message: 1 an Echo Reply carrying our cookie (in @r), 0
 * something else (consumed, ignore it), -EAGAIN nothing left, or -errno.
 */
int probe_recv(struct probe_sock *p, struct probe_reply *r);

#endif

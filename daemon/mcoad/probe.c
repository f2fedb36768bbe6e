// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 Echo probes from each care-of address; see probe.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "probe.h"

/* After the cookie: names the sender in a capture. */
static const uint8_t probe_tag[8] = { 'm', 'c', 'o', 'a', 'd', '-', 'l', 'v' };

#define PROBE_LEN	(sizeof(struct icmp6_hdr) + 16)

int probe_open(struct probe_sock *p)
{
	static const int on = 1;
	struct icmp6_filter flt;
	int err;

	p->fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       IPPROTO_ICMPV6);
	if (p->fd < 0)
		return -errno;
	/* the kernel hands every ICMPv6 message to raw sockets: replies only */
	ICMP6_FILTER_SETBLOCKALL(&flt);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &flt);
	if (setsockopt(p->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &flt,
		       sizeof(flt)) ||
	    setsockopt(p->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
		       sizeof(on)))
		goto fail;
	if (getrandom(p->cookie, sizeof(p->cookie), 0) != sizeof(p->cookie))
		goto fail;
	return 0;
fail:
	err = -errno;
	close(p->fd);
	p->fd = -1;
	return err ? err : -EIO;
}

void probe_close(struct probe_sock *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

int probe_send(struct probe_sock *p, const struct in6_addr *src, int ifindex,
	       const struct in6_addr *dst, uint16_t ident, uint16_t seq)
{
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	uint8_t pkt[PROBE_LEN];
	struct icmp6_hdr *h = (struct icmp6_hdr *)pkt;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };
	struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
	struct msghdr m = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct in6_pktinfo pi = { .ipi6_addr = *src, .ipi6_ifindex = ifindex };
	struct cmsghdr *c;

	memset(pkt, 0, sizeof(pkt));
	h->icmp6_type = ICMP6_ECHO_REQUEST;
	h->icmp6_id = htons(ident);
	h->icmp6_seq = htons(seq);
	/* the checksum: the kernel always does it for raw ICMPv6 sockets */
	memcpy(pkt + sizeof(*h), p->cookie, 8);
	memcpy(pkt + sizeof(*h) + 8, probe_tag, 8);

	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(p->fd, &m, MSG_DONTWAIT) < 0)
		return -errno;
	return 0;
}

int probe_recv(struct probe_sock *p, struct probe_reply *r)
{
	union {
		struct cmsghdr align;
		uint8_t b[256];
	} ctl;
	uint8_t pkt[256];
	const struct icmp6_hdr *h = (const struct icmp6_hdr *)pkt;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
	struct msghdr m = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct cmsghdr *c;
	bool have_dst = false;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	n = recvmsg(p->fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct in6_pktinfo pi;

		if (c->cmsg_level != IPPROTO_IPV6 ||
		    c->cmsg_type != IPV6_PKTINFO)
			continue;
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
		r->dst = pi.ipi6_addr;
		r->ifindex = pi.ipi6_ifindex;
		have_dst = true;
	}
	/* exactly what we sent, echoed: anything else is someone else's */
	if ((size_t)n != PROBE_LEN || !have_dst ||
	    h->icmp6_type != ICMP6_ECHO_REPLY || h->icmp6_code ||
	    memcmp(pkt + sizeof(*h), p->cookie, 8) ||
	    memcmp(pkt + sizeof(*h) + 8, probe_tag, 8))
		return 0;
	r->src = from.sin6_addr;
	r->ident = ntohs(h->icmp6_id);
	r->seq = ntohs(h->icmp6_seq);
	return 1;
}

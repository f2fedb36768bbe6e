// SPDX-License-Identifier: GPL-2.0
/*
 * Raw IPPROTO_MH socket with HAO / RH2 as ancillary data.
 *
 * Checksums are done here, not by the kernel (IPV6_CHECKSUM -1): the
 * kernel's raw checksum uses the flow's source address, which is the CoA
 * when a HAO is sent through IPV6_DSTOPTS, while RFC 6275 s6.1.1 wants the
 * HoA. On receipt the kernel has already swapped the HAO into the source
 * (and the RH2 into the destination), and we verify with those addresses.
 *
 * Sending a RH2: RFC 3542 semantics apply to IPV6_RTHDR, i.e. the socket
 * destination is the final one (the HoA) and the header lists the first
 * hop (the CoA); the kernel exchanges them on output.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/ip6.h>
#include <sys/socket.h>

#include "mh.h"
#include "mhsock.h"

#define HAO_TYPE	0xc9	/* RFC 6275 s6.3 */
#define RH2_TYPE	2

int mhsock_open(struct mhsock *s)
{
	static const int on = 1, off = -1;
	static const int opts[] = {
		IPV6_RECVPKTINFO, IPV6_RECVDSTOPTS, IPV6_RECVRTHDR,
		IPV6_RECVHOPLIMIT,
	};
	unsigned int i;
	int err;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       IPPROTO_MH);
	if (s->fd < 0)
		return -errno;
	if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)))
		goto fail;
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (setsockopt(s->fd, IPPROTO_IPV6, opts[i], &on, sizeof(on)))
			goto fail;
	return 0;
fail:
	err = -errno;
	close(s->fd);
	s->fd = -1;
	return err;
}

void mhsock_close(struct mhsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static bool is_any(const struct in6_addr *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(a);
}

/* Source the kernel would pick for dst (needed for the checksum) */
static int pick_source(const struct in6_addr *dst, int ifindex,
		       struct in6_addr *src)
{
	struct sockaddr_in6 sa = {
		.sin6_family = AF_INET6, .sin6_addr = *dst,
		.sin6_port = htons(9), .sin6_scope_id = ifindex,
	};
	socklen_t sl = sizeof(sa);
	int fd, err = 0;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl))
		err = -errno;
	else
		*src = sa.sin6_addr;
	close(fd);
	return err;
}

/* Destination options header holding only a HAO at 8n+6: 24 octets */
static void build_hao(uint8_t *d, const struct in6_addr *hoa)
{
	memset(d, 0, 24);
	d[1] = 2;		/* (2 + 1) * 8 octets */
	d[2] = 1;		/* PadN, 2 data octets: HAO type at 6 */
	d[3] = 2;
	d[6] = HAO_TYPE;
	d[7] = 16;
	memcpy(d + 8, hoa, 16);
}

/* Type 2 routing header with one address (the first hop, see top) */
static void build_rh2(uint8_t *d, const struct in6_addr *hop)
{
	memset(d, 0, 24);
	d[1] = 2;
	d[2] = RH2_TYPE;
	d[3] = 1;		/* segments left */
	memcpy(d + 8, hop, 16);
}

/*
 * Append one control message. m->msg_controllen holds the whole buffer
 * while building (CMSG_NXTHDR checks against it); *used the real length.
 */
static struct cmsghdr *cmsg_add(struct msghdr *m, struct cmsghdr *c,
				size_t *used, int type, const void *data,
				size_t len)
{
	c = c ? CMSG_NXTHDR(m, c) : CMSG_FIRSTHDR(m);
	if (!c)
		return NULL;	/* ctl[] is sized for all three: never */
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	*used += CMSG_SPACE(len);
	return c;
}

int mhsock_send(struct mhsock *s, void *mh, size_t len,
		const struct mh_addrs *a)
{
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			  2 * CMSG_SPACE(24)];
	} ctl;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct iovec iov = { .iov_base = mh, .iov_len = len };
	struct msghdr m = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct in6_pktinfo pi = { .ipi6_ifindex = a->ifindex };
	struct cmsghdr *c = NULL;
	struct in6_addr src = a->src;
	size_t used = 0;
	uint8_t ext[24];
	uint16_t csum;
	int err;

	if (len < 8 || len > MH_MAX_LEN || is_any(&a->dst))
		return -EINVAL;
	if (is_any(&src)) {
		if (a->has_hao)
			return -EINVAL;	/* the HAO only makes sense from a CoA */
		err = pick_source(&a->dst, a->ifindex, &src);
		if (err)
			return err;
	}
	memset(&ctl, 0, sizeof(ctl));

	/* RFC 6275 s6.1.1 pseudo-header: HoA from HAO, HoA from RH2 */
	csum = mh_checksum(a->has_hao ? &a->hao : &src,
			   a->has_rh2 ? &a->rh2 : &a->dst, mh, len);
	((uint8_t *)mh)[MH_CSUM_OFFSET] = csum >> 8;
	((uint8_t *)mh)[MH_CSUM_OFFSET + 1] = csum & 0xff;

	pi.ipi6_addr = src;
	c = cmsg_add(&m, c, &used, IPV6_PKTINFO, &pi, sizeof(pi));
	if (c && a->has_hao) {
		build_hao(ext, &a->hao);
		c = cmsg_add(&m, c, &used, IPV6_DSTOPTS, ext, sizeof(ext));
	}
	if (c && a->has_rh2) {
		build_rh2(ext, &a->dst);
		c = cmsg_add(&m, c, &used, IPV6_RTHDR, ext, sizeof(ext));
		to.sin6_addr = a->rh2;
	} else {
		to.sin6_addr = a->dst;
	}
	if (!c)
		return -ENOBUFS;

	m.msg_controllen = used;
	if (sendmsg(s->fd, &m, 0) < 0)
		return -errno;
	s->st.tx++;
	return 0;
}

/*
 * Find the HAO in a received destination options header. Returns 1 and
 * the address it holds now (after the kernel's swap: the CoA), 0 if
 * absent, -1 if the header is malformed.
 */
static int find_hao(const uint8_t *d, size_t len, struct in6_addr *out)
{
	size_t off = 2;

	if (len < 8 || len < ((size_t)d[1] + 1) * 8)
		return -1;
	len = ((size_t)d[1] + 1) * 8;
	while (off < len) {
		if (d[off] == 0) {	/* Pad1 */
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + d[off + 1] > len)
			return -1;
		if (d[off] == HAO_TYPE) {
			if (d[off + 1] != 16)
				return -1;
			memcpy(out, d + off + 2, 16);
			return 1;
		}
		off += 2 + d[off + 1];
	}
	return 0;
}

static int find_rh2(const uint8_t *d, size_t len, struct in6_addr *out)
{
	if (len < 24 || d[2] != RH2_TYPE)
		return 0;
	if (d[1] != 2)
		return -1;
	memcpy(out, d + 8, 16);
	return 1;
}

ssize_t mhsock_recv(struct mhsock *s, void *buf, size_t cap,
		    struct mh_addrs *a)
{
	union {
		struct cmsghdr align;
		uint8_t b[1024];
	} ctl;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr m = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct in6_addr hao_wire, rh2_wire, csrc, cdst;
	bool hao = false, rh2 = false;
	struct cmsghdr *c;
	uint16_t want, got;
	ssize_t n;
	int r;

	memset(a, 0, sizeof(*a));
	n = recvmsg(s->fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		s->st.rx_trunc++;
		return -EBADMSG;
	}

	a->src = from.sin6_addr;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		size_t dl = c->cmsg_len - CMSG_LEN(0);

		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		switch (c->cmsg_type) {
		case IPV6_PKTINFO: {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			a->dst = pi.ipi6_addr;
			a->ifindex = pi.ipi6_ifindex;
			break;
		}
		case IPV6_HOPLIMIT: {
			int hl;

			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			a->hoplimit = hl;
			break;
		}
		case IPV6_DSTOPTS:
			r = find_hao(CMSG_DATA(c), dl, &hao_wire);
			if (r < 0)
				goto bad_ext;
			hao |= r;
			break;
		case IPV6_RTHDR:
			r = find_rh2(CMSG_DATA(c), dl, &rh2_wire);
			if (r < 0)
				goto bad_ext;
			rh2 |= r;
			break;
		}
	}

	/* checksum over what the kernel left in the header: HoA in place */
	csrc = a->src;
	cdst = a->dst;
	if (n >= 8) {
		want = mh_checksum(&csrc, &cdst, buf, n);
		got = (uint16_t)(((uint8_t *)buf)[MH_CSUM_OFFSET] << 8 |
				 ((uint8_t *)buf)[MH_CSUM_OFFSET + 1]);
		/* 0x0000 and 0xffff are the same one's complement zero */
		if (want != got && !((want == 0 || want == 0xffff) &&
				     (got == 0 || got == 0xffff))) {
			s->st.rx_bad_csum++;
			return -EBADMSG;
		}
	}

	/* undo the swaps: report addresses as on the wire */
	if (hao) {
		a->has_hao = true;
		a->hao = a->src;
		a->src = hao_wire;
	}
	if (rh2) {
		a->has_rh2 = true;
		a->rh2 = a->dst;
		a->dst = rh2_wire;
	}
	s->st.rx++;
	return n;

bad_ext:
	s->st.rx_bad_ext++;
	return -EBADMSG;
}

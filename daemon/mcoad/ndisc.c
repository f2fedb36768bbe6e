// SPDX-License-Identifier: GPL-2.0
/*
 * Unsolicited Neighbor Advertisements (RFC 4861 s.7.2.6) for a home
 * address: the HA sends one when it starts proxying a HoA (RFC 6275
 * s.10.4.1), the MN when it is back home and owns it again (s.11.5.5), so
 * that neighbours switch at once instead of waiting for their entry to
 * fail. And the HA's duplicate address check before it proxies a HoA
 * (RFC 6275 s.10.3.1): a Neighbor Solicitation for it, and the
 * advertisements that say somebody on the home link already has it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "ndisc.h"

#define ETH_ALEN	6

struct na_msg {
	struct nd_neighbor_advert na;
	struct nd_opt_hdr opt;
	uint8_t lladdr[ETH_ALEN];
} __attribute__((packed));

static int link_addr(int fd, const char *ifname, uint8_t *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

/* One socket for the daemon's life: the HA announces every new HoA. */
static int na_socket(void)
{
	/* RFC 4861 s.7.1.2: receivers drop ND with a hop limit below 255 */
	static const int hops = 255;
	static int fd = -1;
	struct icmp6_filter none;
	int err;

	if (fd >= 0)
		return fd;
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	/* send only: never queue the link's ICMPv6 traffic here */
	ICMP6_FILTER_SETBLOCKALL(&none);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &none,
		       sizeof(none)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops))) {
		err = -errno;
		close(fd);
		fd = -1;
		return err;
	}
	return fd;
}

struct ns_msg {
	struct nd_neighbor_solicit ns;
	struct nd_opt_hdr opt;
	uint8_t lladdr[ETH_ALEN];
} __attribute__((packed));

int ndisc_probe_ns(const char *ifname, int ifindex,
		   const struct in6_addr *target)
{
	/* solicited-node multicast ff02::1:ffXX:XXXX of the target */
	struct sockaddr_in6 dst = {
		.sin6_family = AF_INET6,
		.sin6_addr.s6_addr = { 0xff, 0x02, [11] = 0x01, [12] = 0xff },
		.sin6_scope_id = ifindex,
	};
	int fd = na_socket(), err;
	struct ns_msg m;

	if (fd < 0)
		return fd;
	memcpy(dst.sin6_addr.s6_addr + 13, target->s6_addr + 13, 3);
	memset(&m, 0, sizeof(m));
	m.ns.nd_ns_type = ND_NEIGHBOR_SOLICIT;
	m.ns.nd_ns_target = *target;
	/* sent from our link-local address, so it carries our lladdr */
	m.opt.nd_opt_type = ND_OPT_SOURCE_LINKADDR;
	m.opt.nd_opt_len = 1;
	err = link_addr(fd, ifname, m.lladdr);
	if (err)
		return err;
	if (sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&dst,
		   sizeof(dst)) < 0)
		return -errno;
	return 0;
}

int ndisc_na_socket(const char *ifname)
{
	static const int on = 1;
	struct icmp6_filter f;
	int fd, err;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &f);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
		       sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       strlen(ifname))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int ndisc_na_read(int fd, struct in6_addr *target)
{
	uint8_t buf[1500], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	const struct nd_neighbor_advert *na = (const void *)buf;
	struct cmsghdr *c;
	int hops = -1;
	ssize_t n;

	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT)
			memcpy(&hops, CMSG_DATA(c), sizeof(hops));
	/* RFC 4861 s.7.1.2: only from the link itself, and whole */
	if (n < (ssize_t)sizeof(*na) || hops != 255 ||
	    na->nd_na_type != ND_NEIGHBOR_ADVERT || na->nd_na_code)
		return 0;
	*target = na->nd_na_target;
	return 1;
}

int ndisc_unsol_na(const char *ifname, int ifindex,
		   const struct in6_addr *target)
{
	/* all-nodes, ff02::1, on that link; the kernel does the checksum */
	struct sockaddr_in6 dst = {
		.sin6_family = AF_INET6,
		.sin6_addr.s6_addr = { 0xff, 0x02, [15] = 0x01 },
		.sin6_scope_id = ifindex,
	};
	int fd = na_socket(), err;
	struct na_msg m;

	if (fd < 0)
		return fd;
	memset(&m, 0, sizeof(m));
	m.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	/* not solicited, and it must replace the old owner's address */
	m.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	m.na.nd_na_target = *target;
	m.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	m.opt.nd_opt_len = 1;
	err = link_addr(fd, ifname, m.lladdr);
	if (err)
		return err;
	if (sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&dst,
		   sizeof(dst)) < 0)
		return -errno;
	return 0;
}

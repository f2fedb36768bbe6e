// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct nlreq {
	struct nlmsghdr nh;
	union {
		struct ndmsg ndm;
		struct rtmsg rtm;
		struct ifaddrmsg ifa;
		struct ifinfomsg ifi;
		struct rtgenmsg gen;
	};
	char attrs[256];
};

/*
 * Not inlined: GCC then sees the attributes written past r.nh (into the
 * rest of struct nlreq) and warns about an overflow that is not there.
 */
static __attribute__((noinline)) void addattr(struct nlmsghdr *nh,
					      unsigned short type,
		    const void *data, unsigned short len)
{
	struct rtattr *rta = (void *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

int rtnl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Send one request and wait for its ack. */
static int talk(int fd, struct nlmsghdr *nh)
{
	static uint32_t seq;
	char buf[4096];
	ssize_t n;

	nh->nlmsg_seq = ++seq;
	nh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(fd, nh, nh->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (void *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != nh->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
		}
	}
}

int rtnl_proxy_neigh(int fd, int ifindex, const struct in6_addr *addr,
		     bool add)
{
	struct nlreq r = { 0 };
	int err;

	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ndm));
	r.nh.nlmsg_type = add ? RTM_NEWNEIGH : RTM_DELNEIGH;
	r.nh.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	r.ndm.ndm_family = AF_INET6;
	r.ndm.ndm_ifindex = ifindex;
	r.ndm.ndm_flags = NTF_PROXY;
	r.ndm.ndm_state = NUD_PERMANENT;
	addattr(&r.nh, NDA_DST, addr, sizeof(*addr));
	err = talk(fd, &r.nh);
	if (!add && err == -ENOENT)
		err = 0;
	return err;
}

int rtnl_route(int fd, int ifindex, const struct in6_addr *dst, uint8_t dlen,
	       const struct in6_addr *src, uint8_t slen, bool add)
{
	struct nlreq r = { 0 };
	uint32_t oif = ifindex;
	int err;

	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.rtm));
	r.nh.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	r.nh.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	r.rtm.rtm_family = AF_INET6;
	r.rtm.rtm_dst_len = dlen;
	r.rtm.rtm_src_len = src ? slen : 0;
	r.rtm.rtm_table = RT_TABLE_MAIN;
	r.rtm.rtm_protocol = RTPROT_STATIC;
	r.rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	r.rtm.rtm_type = RTN_UNICAST;
	if (dlen)
		addattr(&r.nh, RTA_DST, dst, sizeof(*dst));
	if (src && slen)
		addattr(&r.nh, RTA_SRC, src, sizeof(*src));
	addattr(&r.nh, RTA_OIF, &oif, sizeof(oif));
	err = talk(fd, &r.nh);
	if (!add && err == -ESRCH)
		err = 0;
	return err;
}

int rtnl_host_route(int fd, int ifindex, const struct in6_addr *addr,
		    bool add)
{
	return rtnl_route(fd, ifindex, addr, 128, NULL, 0, add);
}

static int addr_req(int fd, bool add, int ifindex,
		    const struct in6_addr *addr, uint8_t plen, uint32_t flags)
{
	struct nlreq r = { 0 };

	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifa));
	r.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	r.nh.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	r.ifa.ifa_family = AF_INET6;
	r.ifa.ifa_prefixlen = plen;
	r.ifa.ifa_index = ifindex;
	r.ifa.ifa_flags = flags;
	addattr(&r.nh, IFA_LOCAL, addr, sizeof(*addr));
	if (add)
		addattr(&r.nh, IFA_FLAGS, &flags, sizeof(flags));
	return talk(fd, &r.nh);
}

int rtnl_hoa_add(int fd, int ifindex, const struct in6_addr *addr)
{
	/* "home" lets the kernel accept a type 2 routing header for it */
	int err = addr_req(fd, true, ifindex, addr, 128,
			   IFA_F_NODAD | IFA_F_HOMEADDRESS);

	return err == -EEXIST ? 0 : err;
}

int rtnl_addr_add(int fd, int ifindex, const struct in6_addr *addr,
		  uint8_t plen)
{
	int err = addr_req(fd, true, ifindex, addr, plen, IFA_F_NODAD);

	return err == -EEXIST ? 0 : err;
}

int rtnl_addr_del(int fd, int ifindex, const struct in6_addr *addr,
		  uint8_t plen)
{
	int err = addr_req(fd, false, ifindex, addr, plen, 0);

	return err == -EADDRNOTAVAIL || err == -ENODEV ? 0 : err;
}

int rtnl_link_up(int fd, int ifindex)
{
	struct nlreq r = { 0 };

	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = ifindex;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	return talk(fd, &r.nh);
}

static void parse_link(struct nlmsghdr *h, rtnl_event_cb cb, void *arg)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtnl_event ev = { .kind = RTNL_EV_LINK };
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	struct rtattr *rta;

	if (len < 0)
		return;
	ev.del = h->nlmsg_type == RTM_DELLINK;
	ev.ifindex = ifi->ifi_index;
	ev.up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_LOWER_UP);
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_IFNAME)
			snprintf(ev.ifname, sizeof(ev.ifname), "%.*s",
				 (int)RTA_PAYLOAD(rta), (char *)RTA_DATA(rta));
	cb(&ev, arg);
}

static void parse_addr(struct nlmsghdr *h, rtnl_event_cb cb, void *arg)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct rtnl_event ev = { .kind = RTNL_EV_ADDR };
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa));
	struct rtattr *rta;
	bool have = false;

	if (len < 0 || ifa->ifa_family != AF_INET6)
		return;
	ev.del = h->nlmsg_type == RTM_DELADDR;
	ev.ifindex = ifa->ifa_index;
	ev.plen = ifa->ifa_prefixlen;
	ev.scope = ifa->ifa_scope;
	ev.ifa_flags = ifa->ifa_flags;
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if ((rta->rta_type == IFA_ADDRESS ||
		     rta->rta_type == IFA_LOCAL) &&
		    RTA_PAYLOAD(rta) == sizeof(ev.addr)) {
			memcpy(&ev.addr, RTA_DATA(rta), sizeof(ev.addr));
			have = true;
		} else if (rta->rta_type == IFA_FLAGS &&
			   RTA_PAYLOAD(rta) == sizeof(uint32_t)) {
			memcpy(&ev.ifa_flags, RTA_DATA(rta), sizeof(uint32_t));
		}
	}
	if (have)
		cb(&ev, arg);
}

/* Returns 1 when NLMSG_DONE was seen. */
static int dispatch(char *buf, ssize_t n, rtnl_event_cb cb, void *arg)
{
	struct nlmsghdr *h;

	for (h = (void *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		switch (h->nlmsg_type) {
		case NLMSG_DONE:
			return 1;
		case NLMSG_ERROR:
			return -1;
		case RTM_NEWLINK:
		case RTM_DELLINK:
			parse_link(h, cb, arg);
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			parse_addr(h, cb, arg);
			break;
		}
	}
	return 0;
}

int rtnl_watch_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV6_IFADDR,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

int rtnl_watch_read(int fd, rtnl_event_cb cb, void *arg)
{
	char buf[16384];
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		dispatch(buf, n, cb, arg);
	}
}

static int dump_one(int fd, int type, int family, rtnl_event_cb cb, void *arg)
{
	struct nlreq r = { 0 };
	char buf[16384];
	ssize_t n;
	int ret;

	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.gen));
	r.nh.nlmsg_type = type;
	r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r.nh.nlmsg_seq = type;
	r.gen.rtgen_family = family;
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = dispatch(buf, n, cb, arg);
		if (ret)
			return ret < 0 ? -EIO : 0;
	}
}

int rtnl_dump_all(rtnl_event_cb cb, void *arg)
{
	int fd = rtnl_open(), err;

	if (fd < 0)
		return fd;
	err = dump_one(fd, RTM_GETLINK, AF_UNSPEC, cb, arg);
	if (!err)
		err = dump_one(fd, RTM_GETADDR, AF_INET6, cb, arg);
	close(fd);
	return err;
}

int sysctl_ipv6_conf(const char *ifname, const char *key, const char *val)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname,
		 key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

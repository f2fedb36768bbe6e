/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few rtnetlink operations mcoad needs that are not mcoa genetlink:
 * proxy ND entry and host route for a HoA on the home agent, and
 * link/address watching on the mobile node. Plain netlink sockets.
 */
#ifndef MCOAD_RTNL_H
#define MCOAD_RTNL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

/* Blocking request socket; returns fd or -errno. */
int rtnl_open(void);
/* `ip -6 neigh add|del proxy ADDR dev IFINDEX` */
int rtnl_proxy_neigh(int fd, int ifindex, const struct in6_addr *addr,
		     bool add);
/* `ip -6 route replace|del ADDR/128 dev IFINDEX` */
int rtnl_host_route(int fd, int ifindex, const struct in6_addr *addr,
		    bool add);
/*
 * `ip -6 route replace|del DST/DLEN [from SRC/SLEN] dev IFINDEX` in the
 * main table (a mobile network prefix on the HA; on the MN the source
 * route ::/0 from the prefix, CONFIG_IPV6_SUBTREES). Absent on del is
 * success.
 */
int rtnl_route(int fd, int ifindex, const struct in6_addr *dst, uint8_t dlen,
	       const struct in6_addr *src, uint8_t slen, bool add);
/* `ip -6 addr add ADDR/128 dev IFINDEX nodad home` (EEXIST is success) */
int rtnl_hoa_add(int fd, int ifindex, const struct in6_addr *addr);
/* `ip -6 addr add ADDR/PLEN dev IFINDEX nodad` (EEXIST is success) */
int rtnl_addr_add(int fd, int ifindex, const struct in6_addr *addr,
		  uint8_t plen);
/* `ip -6 addr del ADDR/PLEN dev IFINDEX` (absent is success) */
int rtnl_addr_del(int fd, int ifindex, const struct in6_addr *addr,
		  uint8_t plen);
/* `ip link set IFINDEX up` */
int rtnl_link_up(int fd, int ifindex);

/* Link or IPv6 address change, from a dump or a notification. */
struct rtnl_event {
	enum { RTNL_EV_LINK, RTNL_EV_ADDR } kind;
	bool del;
	int ifindex;
	char ifname[IF_NAMESIZE];	/* links only */
	bool up;			/* links: IFF_UP and carrier */
	struct in6_addr addr;		/* addresses only */
	uint8_t plen, scope;
	uint32_t ifa_flags;
};

typedef void (*rtnl_event_cb)(const struct rtnl_event *ev, void *arg);

/* Non-blocking socket joined to the link and IPv6 address groups. */
int rtnl_watch_open(void);
/* Read pending notifications; returns 0, or -ENOBUFS when some were lost. */
int rtnl_watch_read(int fd, rtnl_event_cb cb, void *arg);
/* Synchronous dump of every link then every IPv6 address through cb. */
int rtnl_dump_all(rtnl_event_cb cb, void *arg);

/* Write a /proc/sys/net/ipv6/conf/IFNAME/KEY value. */
int sysctl_ipv6_conf(const char *ifname, const char *key, const char *val);

#endif

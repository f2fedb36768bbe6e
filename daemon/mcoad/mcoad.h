/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcoad: the process-wide context shared by the event loop (mcoad.c) and
 * the two roles (ha.c, mn.c).
 */
#ifndef MCOAD_H
#define MCOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "kernel.h"
#include "mhsock.h"
#include "xfrm.h"

struct mcoad {
	struct mcoad_config cfg;
	struct mcoa_nl *nl;
	int ifindex;			/* the mcoa device */
	struct mhsock mh;
	struct mcoa_xfrm xfrm;
	int rtnl;			/* rtnetlink request socket */
	int watch_fd;			/* MN: link/address notifications */
	int nd_fd;			/* HA: NAs on the home link (DAD) */
	int probe_fd;			/* MN: Echo Replies to CoA probes */
	uint64_t mh_drops[32];		/* mh_parse() drop reasons */
};

/* Monotonic milliseconds. */
uint64_t now_ms(void);
/* Find (or, unless -n, create) the configured mcoa device and bring it up;
 * sets d->ifindex. 0 or -1, logged. */
int mcoad_device_open(struct mcoad *d, uint32_t mode);

/* Role hooks: init, MH message, kernel event, timer, view. */
int ha_start(struct mcoad *d);
void ha_stop(struct mcoad *d);
void ha_on_mh(struct mcoad *d, void *buf, size_t len,
	      const struct mh_addrs *a);
void ha_on_kernel_event(struct mcoad *d, uint8_t cmd,
			const struct mcoa_binding *b);
uint64_t ha_timer(struct mcoad *d);
void ha_on_ndisc(struct mcoad *d);
void ha_show(struct mcoad *d, FILE *f, bool json);

int mn_start(struct mcoad *d);
void mn_stop(struct mcoad *d);
void mn_on_mh(struct mcoad *d, void *buf, size_t len,
	      const struct mh_addrs *a);
void mn_on_kernel_event(struct mcoad *d, uint8_t cmd,
			const struct mcoa_binding *b);
void mn_on_rtnl(struct mcoad *d);
void mn_on_probe(struct mcoad *d);
uint64_t mn_timer(struct mcoad *d);
void mn_show(struct mcoad *d, FILE *f, bool json);

#endif

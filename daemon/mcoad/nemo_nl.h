/* SPDX-License-Identifier: GPL-2.0 */
/* Mobile network prefixes in mcoa.ko: what both roles of mcoad ask it. */
#ifndef MCOAD_NEMO_NL_H
#define MCOAD_NEMO_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "mcoad.h"

/* "ADDR/PLEN" into @buf (INET6_ADDRSTRLEN + 4) */
#define NEMO_PFXSTRLEN	(INET6_ADDRSTRLEN + 4)
const char *nemo_pfx_str(const struct in6_addr *addr, uint8_t plen,
			 char *buf);

/* Does the kernel hold @addr/@plen for @hoa? (a filtered dump) */
bool nemo_nl_holds(struct mcoad *d, const struct in6_addr *hoa,
		   const struct in6_addr *addr, uint8_t plen);

/*
 * prefix-new, with EEXIST turned into success when the kernel holds the
 * prefix for @hoa already (a restart, a crash, a repeated BU) and into
 * "delegated to another home address" in @err otherwise.
 */
int nemo_nl_delegate(struct mcoad *d, const struct in6_addr *hoa,
		     const struct in6_addr *addr, uint8_t plen, char *err);
/* prefix-del of @hoa's prefix; ENOENT is success */
int nemo_nl_withdraw(struct mcoad *d, const struct in6_addr *hoa,
		     const struct in6_addr *addr, uint8_t plen, char *err);

#endif

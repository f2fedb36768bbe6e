/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol constants and small helpers shared by the HA and MN logic
 * (RFC 6275, RFC 5648). Kept apart from mh.h so the decision code can be
 * unit tested without the wire layer.
 */
#ifndef MCOAD_MIP6_H
#define MCOAD_MIP6_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

/* BA status codes (RFC 6275 s.6.1.8, RFC 5648 s.4.4/s.7) */
enum {
	BA_ST_ACCEPTED = 0,
	BA_ST_MCOA_NOTCOMPLETE = 4,
	BA_ST_MCOA_RETURNHOME_WO_NDP = 5,
	BA_ST_UNSPECIFIED = 128,
	BA_ST_ADMIN_PROHIBITED = 129,
	BA_ST_INSUFFICIENT = 130,
	BA_ST_HOME_REG_NOT_SUPPORTED = 131,
	BA_ST_NOT_HOME_SUBNET = 132,
	BA_ST_NOT_HA_FOR_MN = 133,
	BA_ST_DAD_FAILED = 134,
	BA_ST_SEQ_OUT_OF_WINDOW = 135,
	BA_ST_REG_TYPE_CHANGE = 139,
	/* RFC 3963 s.4.2: mobile routers (NEMO) */
	BA_ST_MR_NOT_PERMITTED = 140,
	BA_ST_INVALID_PREFIX = 141,
	BA_ST_PREFIX_NOT_AUTHORIZED = 142,
	BA_ST_FORWARDING_FAILED = 143,
	BA_ST_MCOA_MALFORMED = 164,
	BA_ST_MCOA_NON_MCOA_BINDING = 165,
	BA_ST_MCOA_PROHIBITED = 166,
	BA_ST_MCOA_UNKNOWN_COA = 167,
	BA_ST_MCOA_BULK_PROHIBITED = 168,
	BA_ST_MCOA_SIMUL_HOME_FOREIGN = 169,
};

/* RFC 6275 s.12/13 timers, milliseconds */
#define INITIAL_BINDACK_TIMEOUT_MS		1000
#define INITIAL_BINDACK_TIMEOUT_FIRSTREG_MS	1500
#define MAX_BINDACK_TIMEOUT_MS			32000
#define MAX_DELETE_BCE_TIMEOUT_MS		10000
/* MAX_UPDATE_RATE: at most this many BUs to one peer per second */
#define MAX_UPDATE_RATE				3

/* The most BID options one BU may carry here (bounded by the MH size). */
#define MCOA_MAX_BU_BIDS	16

/* RFC 6275 s.9.5.1: modulo 2^16, the 32768 values behind are old. */
static inline bool mip6_seq_gt(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) > 0;
}

/* RFC 5648 s.6.2: a CoA must be a unicast routable address. */
static inline bool mip6_addr_routable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_LINKLOCAL(a) &&
	       !IN6_IS_ADDR_V4MAPPED(a) && !IN6_IS_ADDR_V4COMPAT(a);
}

static inline bool mip6_prefix_match(const struct in6_addr *a,
				     const struct in6_addr *p, unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, p, bytes))
		return false;
	if (!bits)
		return true;
	return !((a->s6_addr[bytes] ^ p->s6_addr[bytes]) &
		 (0xff00 >> bits) & 0xff);
}

static inline bool in6_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

#endif

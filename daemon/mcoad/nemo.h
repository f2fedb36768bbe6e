/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobile routers (RFC 3963, NEMO basic support) over MCoA: the home
 * agent's table of which mobile router (by home address) may claim which
 * Mobile Network Prefixes, and the prefix decision for one Binding Update.
 * Pure: no sockets, no netlink (ha_bu.c calls it, the unit tests too).
 *
 * The table is built once from the configuration and looked up by HoA in
 * a hash (SipHash, random key): a BU costs the same with ten mobile
 * routers or a hundred thousand.
 */
#ifndef MCOAD_NEMO_H
#define MCOAD_NEMO_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "siphash.h"

/* Prefixes per mobile router: what one BU carries (MH_MAX_MNPS) */
#define NEMO_MAX_MNPS	8

struct nemo_prefix {
	struct in6_addr addr;
	uint8_t plen;		/* as received: nemo_claim() judges it */
};

struct nemo_mr {
	struct nemo_mr *next;	/* hash chain */
	struct in6_addr hoa;
	unsigned int nmnp;
	struct nemo_prefix mnp[NEMO_MAX_MNPS];	/* valid, distinct */
};

struct nemo_table {
	struct siphash_key key;
	struct nemo_mr *mrs;	/* n entries */
	uint32_t n;
	struct nemo_mr **bucket;	/* nbucket, a power of 2 */
	uint32_t nbucket;
};

/*
 * Build @t from @mrs[0..n) (copied; next is ignored). -EEXIST when a HoA
 * is given twice, -EINVAL for an invalid prefix or nmnp out of 1..max,
 * -ENOMEM. The configuration has refused all of these already.
 */
int nemo_table_build(struct nemo_table *t, const struct nemo_mr *mrs,
		     uint32_t n);
void nemo_table_free(struct nemo_table *t);
/* The mobile router registering from @hoa, NULL when none (or no @t) */
const struct nemo_mr *nemo_find(const struct nemo_table *t,
				const struct in6_addr *hoa);

/* RFC 3963 s.6.2: Prefix Length 1..128, no bit set past it */
bool nemo_prefix_valid(const struct nemo_prefix *p);
bool nemo_prefix_eq(const struct nemo_prefix *a, const struct nemo_prefix *b);

/*
 * The prefixes a registering BU with R may have (RFC 3963 s.6.2): in
 * explicit mode the MNP options @opt[0..nopt), duplicates folded; in
 * implicit mode (no option) every prefix configured for the router.
 * Returns 0 with @out[0..*nout) filled, or the BA status: 140 when @hoa
 * is not a configured mobile router, 141 when an option is malformed
 * (Prefix Length 0 or over 128, bits set past it: checked for every
 * option first), 142 when one is not among the router's prefixes (exact
 * match: a part of a configured prefix is not granted either).
 */
uint8_t nemo_claim(const struct nemo_table *t, const struct in6_addr *hoa,
		   const struct nemo_prefix *opt, unsigned int nopt,
		   struct nemo_prefix *out, unsigned int *nout);

/* May @hoa hold @p (a restarted HA adopting the kernel's prefixes)? */
bool nemo_authorized(const struct nemo_table *t, const struct in6_addr *hoa,
		     const struct nemo_prefix *p);

/*
 * Mobile router: what a BA that settled a BU (status, R flag) says about
 * its network (RFC 3963 s.5.3).
 */
enum nemo_ba_verdict {
	NEMO_BA_SERVED = 0,	/* accepted with R: the prefixes are in use */
	NEMO_BA_REFUSED,	/* 140-143: the HA refuses the network */
	NEMO_BA_NO_R,		/* accepted without R: no NEMO at the HA */
	NEMO_BA_OTHER,		/* another refusal: about bindings only */
};

enum nemo_ba_verdict nemo_ba_verdict(uint8_t status, bool r);

#endif

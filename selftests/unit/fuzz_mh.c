// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for daemon/mh/mh.c: parse arbitrary bytes; whatever
 * parses is built again and must parse back to the same fields (the
 * builder output is canonical, so a second round trip is byte-exact).
 *
 *   make -C selftests/unit fuzz && ./selftests/unit/fuzz_mh -max_total_time=60
 */
#include <stdlib.h>
#include <string.h>

#include "mh.h"

static int build(const struct mh_msg *m, uint8_t *buf, size_t cap)
{
	switch (m->type) {
	case MH_TYPE_BU:
		return mh_build_bu(buf, cap, &m->u.bu);
	case MH_TYPE_BA:
		return mh_build_ba(buf, cap, &m->u.ba);
	case MH_TYPE_BRR:
		return mh_build_brr(buf, cap, &m->u.brr);
	case MH_TYPE_BE:
		return mh_build_be(buf, cap, &m->u.be);
	}
	abort();
}

static const struct mh_opts *opts(const struct mh_msg *m)
{
	switch (m->type) {
	case MH_TYPE_BU:
		return &m->u.bu.opts;
	case MH_TYPE_BA:
		return &m->u.ba.opts;
	case MH_TYPE_BRR:
		return &m->u.brr.opts;
	default:
		return &m->u.be.opts;
	}
}

static void same_opts(const struct mh_opts *a, const struct mh_opts *b)
{
	unsigned int i;

	if (a->nbids != b->nbids || a->nmnps != b->nmnps ||
	    a->has_altcoa != b->has_altcoa ||
	    a->has_bra != b->has_bra || a->has_lla != b->has_lla)
		abort();
	if (a->has_bra && a->refresh != b->refresh)
		abort();
	if (a->has_altcoa && memcmp(&a->altcoa, &b->altcoa, 16))
		abort();
	if (a->has_lla && (a->lla_code != b->lla_code ||
			   a->lla_len != b->lla_len ||
			   memcmp(a->lla, b->lla, a->lla_len)))
		abort();
	for (i = 0; i < a->nmnps; i++)
		if (a->mnps[i].plen != b->mnps[i].plen ||
		    memcmp(&a->mnps[i].prefix, &b->mnps[i].prefix, 16))
			abort();
	for (i = 0; i < a->nbids; i++) {
		const struct mh_bid *x = &a->bids[i], *y = &b->bids[i];

		if (x->bid != y->bid || x->status != y->status ||
		    x->h != y->h || x->pri != y->pri ||
		    x->coa_family != y->coa_family || x->err != y->err)
			abort();
		if (x->coa_family == AF_INET6 && memcmp(&x->coa6, &y->coa6, 16))
			abort();
		if (x->coa_family == AF_INET && x->coa4.s_addr != y->coa4.s_addr)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t b1[MH_MAX_LEN], b2[MH_MAX_LEN];
	static const struct in6_addr a = { { { 0xfd, [15] = 1 } } };
	struct mh_msg m, m2, m3;
	enum mh_verdict v;
	int l1, l2;

	v = mh_parse(data, size, &m);
	if (v == MH_PARSE_DROP && (m.drop == MH_DROP_NONE ||
				   m.drop >= MH_DROP__MAX))
		abort();
	if (size <= MH_MAX_LEN)
		(void)mh_checksum(&a, &a, data, size);
	if (v != MH_PARSE_OK)
		return 0;

	l1 = build(&m, b1, sizeof(b1));
	if (l1 <= 0 || l1 % 8)
		abort();
	if (mh_parse(b1, l1, &m2) != MH_PARSE_OK || m2.type != m.type)
		abort();
	same_opts(opts(&m), opts(&m2));
	if (m.type == MH_TYPE_BU &&
	    (m.u.bu.seq != m2.u.bu.seq || m.u.bu.flags != m2.u.bu.flags ||
	     m.u.bu.lifetime != m2.u.bu.lifetime))
		abort();
	if (m.type == MH_TYPE_BA &&
	    (m.u.ba.seq != m2.u.ba.seq || m.u.ba.flags != m2.u.ba.flags ||
	     m.u.ba.status != m2.u.ba.status ||
	     m.u.ba.lifetime != m2.u.ba.lifetime))
		abort();
	if (m.type == MH_TYPE_BE &&
	    (m.u.be.status != m2.u.be.status ||
	     memcmp(&m.u.be.hoa, &m2.u.be.hoa, 16)))
		abort();

	/* canonical form is a fixed point */
	l2 = build(&m2, b2, sizeof(b2));
	if (l2 != l1 || memcmp(b1, b2, l1))
		abort();
	if (mh_parse(b2, l2, &m3) != MH_PARSE_OK)
		abort();
	return 0;
}

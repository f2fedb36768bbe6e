// SPDX-License-Identifier: GPL-2.0
/*
 * Home agent decisions (RFC 5648 s.6.2) on the host: feed parsed BUs to
 * ha_process_bu() and check the BA and the kernel operations it asks for.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ha_bu.h"
#include "mh.h"

#define HOA	"fd00:1::100"
#define COA1	"fd00:21::2"
#define COA2	"fd00:22::2"
#define COA3	"fd00:23::2"

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static void bu_init(struct bu_req *bu, uint16_t seq, uint16_t lifetime)
{
	memset(bu, 0, sizeof(*bu));
	bu->hoa = a6(HOA);
	bu->src = a6(COA1);
	bu->has_hao = true;
	bu->seq = seq;
	bu->ack = true;
	bu->home_reg = true;
	bu->lifetime = lifetime;
}

static void bu_bid(struct bu_req *bu, uint16_t bid, const char *coa)
{
	struct bu_bid *o = &bu->bid[bu->nbid++];

	memset(o, 0, sizeof(*o));
	o->bid = bid;
	o->len = coa ? 20 : 4;
	if (coa)
		o->coa = a6(coa);
}

static int count_ops(const struct ha_result *r, enum kop_type t)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < r->nops; i++)
		n += r->ops[i].type == t;
	return n;
}

static const struct kop *find_op(const struct ha_result *r, enum kop_type t,
				 uint16_t bid)
{
	unsigned int i;

	for (i = 0; i < r->nops; i++)
		if (r->ops[i].type == t && r->ops[i].bid == bid)
			return &r->ops[i];
	return NULL;
}

/* the HoA's cache entry if it holds bindings (a tombstone holds none) */
static struct ha_mn *live_mn(struct ha_state *st, const struct in6_addr *hoa)
{
	struct ha_mn *mn = ha_find_mn(st, hoa);

	return mn && mn->n ? mn : NULL;
}

FIXTURE(ha) {
	struct ha_state st;
	struct bu_req bu;
	struct ha_result res;
};

FIXTURE_SETUP(ha)
{
	struct ha_policy pol = {
		.plen = 64, .max_lifetime = 300, .brr_lead = 10,
		.allow_mcoa = true, .allow_bulk = true,
	};

	pol.prefix = a6("fd00:1::");
	ha_state_init(&self->st, &pol);
}

FIXTURE_TEARDOWN(ha)
{
	ha_state_free(&self->st);
}

/* three CoAs in one bulk BU with O set, as a bootstrapping MN sends */
static void bulk3(struct __test_metadata *_metadata, FIXTURE_DATA(ha) *self,
		  uint16_t seq)
{
	bu_init(&self->bu, seq, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	bu_bid(&self->bu, 3, COA3);
	ha_process_bu(&self->st, &self->bu, 1000, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
}

/* the bootstrap BU again with sequence @seq at @now; status expected */
static void bulk3_seq_expect(struct __test_metadata *_metadata,
			     FIXTURE_DATA(ha) *self, uint16_t seq,
			     uint64_t now, uint8_t status)
{
	bu_init(&self->bu, seq, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	bu_bid(&self->bu, 3, COA3);
	ha_process_bu(&self->st, &self->bu, now, &self->res);
	EXPECT_EQ(status, self->res.status);
}

TEST_F(ha, bulk_registration)
{
	struct ha_mn *mn;

	bulk3(_metadata, self, 10);
	EXPECT_TRUE(self->res.send_ba);
	EXPECT_EQ(10, self->res.seq);
	EXPECT_EQ(15, self->res.lifetime);
	ASSERT_EQ(3, self->res.nbid);
	EXPECT_EQ(1, self->res.bid[0].bid);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(3, self->res.bid[2].bid);
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_ADD));
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_NEW));
	EXPECT_EQ(1, count_ops(&self->res, KOP_HOA_SEQ));
	EXPECT_EQ(60, find_op(&self->res, KOP_BINDING_NEW, 2)->lifetime);
	EXPECT_EQ(0, self->res.ops[0].type == KOP_PROXY_ADD ? 0 : 1);
	mn = ha_find_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_EQ(3, mn->n);
	EXPECT_EQ(10, mn->last_seq);
}

TEST_F(ha, lifetime_capped_by_policy)
{
	bu_init(&self->bu, 1, 1000);	/* 4000 s asked, 300 s allowed */
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(75, self->res.lifetime);
	EXPECT_EQ(300, find_op(&self->res, KOP_BINDING_NEW, 1)->lifetime);
}

TEST_F(ha, per_bid_update_and_add)
{
	bulk3(_metadata, self, 10);
	/* BID 2 moves, BID 4 is new, O unset: others stay untouched */
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 2, "fd00:22::99");
	bu_bid(&self->bu, 4, "fd00:24::2");
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(0, count_ops(&self->res, KOP_PROXY_ADD));
	EXPECT_EQ(0, count_ops(&self->res, KOP_BINDING_DEL));
	ASSERT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, 2));
	EXPECT_TRUE(in6_eq(&find_op(&self->res, KOP_BINDING_SET, 2)->coa,
			   &self->bu.bid[0].coa));
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_NEW, 4));
	EXPECT_EQ(NULL, find_op(&self->res, KOP_BINDING_SET, 1));
	EXPECT_EQ(4, ha_find_mn(&self->st, &self->bu.hoa)->n);
}

/* a length-4 refresh keeps the CoA the BID was registered with */
TEST_F(ha, refresh_without_coa)
{
	struct in6_addr coa3 = a6(COA3);
	struct ha_binding *b;

	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 3, NULL);
	ha_process_bu(&self->st, &self->bu, 50000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	b = ha_find_binding(ha_find_mn(&self->st, &self->bu.hoa), 3);
	ASSERT_NE(NULL, b);
	EXPECT_TRUE(in6_eq(&b->coa, &coa3));
	EXPECT_EQ(50000 + 60000, b->expires);
	ASSERT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, 3));
	EXPECT_TRUE(in6_eq(&find_op(&self->res, KOP_BINDING_SET, 3)->coa,
			   &coa3));
}

TEST_F(ha, unknown_bid_without_coa_167)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 9, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_UNKNOWN_COA, self->res.status);
	EXPECT_EQ(0, self->res.nops);
}

/*
 * Issue 9: under ESP the source address is unprotected, so a registering
 * BID option without its CoA is malformed (164), even for a known BID; a
 * de-registration still names BIDs alone.
 */
TEST_F(ha, esp_bid_without_coa_164)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	self->bu.esp = true;
	bu_bid(&self->bu, 1, NULL);		/* known, no CoA */
	bu_bid(&self->bu, 2, COA2);		/* with CoA: fine */
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	ASSERT_EQ(2, self->res.nbid);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.bid[0].status);
	EXPECT_EQ(0, self->res.bid[1].status);
	/* the same BU without ESP: a plain refresh of BID 1 */
	bu_init(&self->bu, 12, 15);
	bu_bid(&self->bu, 1, NULL);
	ha_process_bu(&self->st, &self->bu, 3000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	/* de-registration under ESP: BIDs alone */
	bu_init(&self->bu, 13, 0);
	self->bu.esp = true;
	bu_bid(&self->bu, 3, NULL);
	ha_process_bu(&self->st, &self->bu, 4000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_DEL, 3));
}

TEST_F(ha, bulk_partial_failure_notcomplete)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 1, NULL);
	bu_bid(&self->bu, 9, NULL);		/* unknown: 167 */
	bu_bid(&self->bu, 5, "fe80::1");	/* not routable: 164 */
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	ASSERT_EQ(3, self->res.nbid);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(BA_ST_MCOA_UNKNOWN_COA, self->res.bid[1].status);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.bid[2].status);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, 1));
	EXPECT_EQ(11, ha_find_mn(&self->st, &self->bu.hoa)->last_seq);
}

TEST_F(ha, overwrite_replaces_all)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 7, COA2);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_NEW, 7));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PROXY_DEL));
	EXPECT_EQ(1, ha_find_mn(&self->st, &self->bu.hoa)->n);
}

TEST_F(ha, overwrite_keeps_same_bid_as_set)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(2, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, 1));
	EXPECT_EQ(NULL, find_op(&self->res, KOP_BINDING_DEL, 1));
}

TEST_F(ha, selective_deregistration)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	self->bu.overwrite = true;	/* ignored with lifetime 0 */
	bu_bid(&self->bu, 2, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(0, self->res.lifetime);
	EXPECT_EQ(1, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_DEL, 2));
	EXPECT_EQ(0, count_ops(&self->res, KOP_BINDING_NEW));
	EXPECT_EQ(0, count_ops(&self->res, KOP_BINDING_SET));
	EXPECT_EQ(2, ha_find_mn(&self->st, &self->bu.hoa)->n);
}

TEST_F(ha, selective_dereg_unknown_133)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	bu_bid(&self->bu, 8, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_NOT_HA_FOR_MN, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(3, ha_find_mn(&self->st, &self->bu.hoa)->n);
	/* refused BU leaves the sequence window alone */
	EXPECT_EQ(10, ha_find_mn(&self->st, &self->bu.hoa)->last_seq);
}

TEST_F(ha, dereg_last_binding_removes_proxy)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	bu_init(&self->bu, 2, 0);
	bu_bid(&self->bu, 1, NULL);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(1, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_DEL));
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
}

TEST_F(ha, legacy_replaces_all)
{
	const struct kop *op;

	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	self->bu.src = a6(COA3);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(0, self->res.nbid);
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_DEL));
	op = find_op(&self->res, KOP_BINDING_NEW, HA_LEGACY_BID);
	ASSERT_NE(NULL, op);
	EXPECT_TRUE(op->legacy);
	EXPECT_TRUE(in6_eq(&op->coa, &self->bu.src));
}

TEST_F(ha, legacy_altcoa_and_refresh)
{
	bu_init(&self->bu, 1, 15);
	self->bu.has_altcoa = true;
	self->bu.altcoa = a6(COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	ASSERT_NE(NULL, find_op(&self->res, KOP_BINDING_NEW, HA_LEGACY_BID));
	EXPECT_TRUE(in6_eq(&self->bu.altcoa,
			   &find_op(&self->res, KOP_BINDING_NEW,
				    HA_LEGACY_BID)->coa));
	bu_init(&self->bu, 2, 15);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, HA_LEGACY_BID));
}

TEST_F(ha, legacy_dereg)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_DEL));
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	/* nothing to delete any more: 133 */
	bu_init(&self->bu, 12, 0);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_NOT_HA_FOR_MN, self->res.status);
}

/*
 * RFC 5648 s.5.5 case 1 / RFC 6275 s.10.3.2: back home, the MN sends from
 * the HoA itself (no HAO, so hoa == src), lifetime 0, no BID option. It
 * de-registers every binding; proxy ND and the host route go too, and the
 * BA is due although nothing is left.
 */
TEST_F(ha, returning_home_deregisters_all)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	self->bu.src = self->bu.hoa;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_TRUE(self->res.send_ba);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(11, self->res.seq);
	EXPECT_EQ(0, self->res.lifetime);
	EXPECT_EQ(0, self->res.nbid);
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_DEL));
	EXPECT_EQ(0, count_ops(&self->res, KOP_BINDING_NEW));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PROXY_ADD));
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	/* a retransmission (its BA was lost): nothing left, 133 */
	bu_init(&self->bu, 12, 0);
	self->bu.src = self->bu.hoa;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_TRUE(self->res.send_ba);
	EXPECT_EQ(BA_ST_NOT_HA_FOR_MN, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	/* away again: a bootstrap BU registers everything anew */
	bulk3(_metadata, self, 13);
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_ADD));
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_NEW));
}

/* From the HoA with a lifetime: CoA == HoA, a de-registration as well. */
TEST_F(ha, from_hoa_with_lifetime_is_dereg)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	self->bu.src = self->bu.hoa;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(0, self->res.lifetime);
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_DEL));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_DEL));
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
}

TEST_F(ha, non_mcoa_binding_exists_165)
{
	bu_init(&self->bu, 1, 15);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	bu_init(&self->bu, 2, 15);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_NON_MCOA_BINDING, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	/* with O set the legacy binding is replaced */
	bu_init(&self->bu, 3, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_DEL, HA_LEGACY_BID));
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_NEW, 1));
}

TEST_F(ha, seq_out_of_window_135)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 10, 15);		/* replay */
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_SEQ_OUT_OF_WINDOW, self->res.status);
	EXPECT_EQ(10, self->res.seq);
	EXPECT_EQ(0, self->res.nops);
	self->bu.seq = 10 + 32768;		/* exactly half way: old */
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_SEQ_OUT_OF_WINDOW, self->res.status);
	self->bu.seq = 10 + 32767;		/* newest possible */
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
}

TEST_F(ha, seq_wraps_and_is_shared_across_bids)
{
	bu_init(&self->bu, 65535, 15);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
	bu_init(&self->bu, 0, 15);		/* 0 follows 65535 */
	bu_bid(&self->bu, 2, COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	bu_init(&self->bu, 65535, 15);		/* other BID, same space */
	bu_bid(&self->bu, 3, COA3);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_SEQ_OUT_OF_WINDOW, self->res.status);
	EXPECT_EQ(0, self->res.seq);
}

TEST_F(ha, mcoa_prohibited_166)
{
	self->st.pol.allow_mcoa = false;
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_PROHIBITED, self->res.status);
	EXPECT_EQ(1, self->res.nbid);	/* BA echoes the BID options */
	EXPECT_EQ(0, self->res.nops);
}

TEST_F(ha, bulk_prohibited_168)
{
	self->st.pol.allow_bulk = false;
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_BULK_PROHIBITED, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	/* a single BID option is still fine */
	bu_init(&self->bu, 2, 15);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
}

TEST_F(ha, malformed_length_164)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	self->bu.bid[1].len = 12;
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.status);
	EXPECT_EQ(0, self->res.nops);
}

TEST_F(ha, bid_zero_and_duplicate_164)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 0, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.status);
	bu_init(&self->bu, 2, 15);
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 1, COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.status);
}

TEST_F(ha, single_bad_coa_164)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, "ff02::1");
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.status);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(0, self->res.nops);
}

TEST_F(ha, home_binding_169_by_default)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, HOA);
	self->bu.bid[0].home = true;
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_SIMUL_HOME_FOREIGN, self->res.status);
}

TEST_F(ha, not_home_subnet_132_and_not_home_reg_131)
{
	bu_init(&self->bu, 1, 15);
	self->bu.hoa = a6("fd00:9::1");
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_NOT_HOME_SUBNET, self->res.status);
	bu_init(&self->bu, 1, 15);
	self->bu.home_reg = false;
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_HOME_REG_NOT_SUPPORTED, self->res.status);
}

TEST_F(ha, ba_sent_without_a_flag)
{
	bu_init(&self->bu, 1, 15);
	self->bu.ack = false;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_TRUE(self->res.send_ba);
}

TEST_F(ha, brr_then_expiry)
{
	struct ha_tick_out out;
	uint64_t next;

	bulk3(_metadata, self, 10);	/* 60 s from t=1000 */
	next = ha_tick(&self->st, 2000, &out);
	EXPECT_EQ(0, out.nbrr);
	EXPECT_EQ(0, out.nops);
	EXPECT_EQ(51000, next);		/* 10 s before expiry */
	next = ha_tick(&self->st, 51000, &out);
	ASSERT_EQ(1, out.nbrr);
	EXPECT_EQ(3, out.brr[0].nbid);
	EXPECT_EQ(61000, next);
	/* no second BRR */
	ha_tick(&self->st, 52000, &out);
	EXPECT_EQ(0, out.nbrr);
	ha_tick(&self->st, 61000, &out);
	EXPECT_EQ(3, out.nops - 1);
	EXPECT_EQ(KOP_PROXY_DEL, out.ops[out.nops - 1].type);
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
}

/*
 * Issue 12: a tick takes only the nodes that are due (ha_index.c's heap),
 * and a burst bigger than one ha_tick_out is split over calls (ha_tick()
 * returns "now" until it is done) without losing a BRR or an expiry.
 */
static unsigned int tick_until_done(struct ha_state *st, uint64_t now,
				    enum kop_type t, unsigned int *nbrr,
				    unsigned int *calls, uint64_t *next)
{
	struct ha_tick_out out;
	unsigned int i, n = 0;

	*nbrr = *calls = 0;
	do {
		*next = ha_tick(st, now, &out);
		(*calls)++;
		*nbrr += out.nbrr;
		for (i = 0; i < out.nops; i++)
			n += out.ops[i].type == t;
	} while (*next <= now && *calls < 1000);
	return n;
}

TEST_F(ha, tick_burst_loses_nothing)
{
	unsigned int i, nbrr, calls;
	uint64_t next;
	char h[64];

	for (i = 0; i < 100; i++) {
		snprintf(h, sizeof(h), "fd00:1::%x", 0x1000 + i);
		bu_init(&self->bu, 1, 15);	/* 60 s from t=1000 */
		self->bu.hoa = a6(h);
		bu_bid(&self->bu, 1, COA1);
		bu_bid(&self->bu, 2, COA2);
		ha_process_bu(&self->st, &self->bu, 1000, &self->res);
		ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
	}
	/* one node later than the others: the deadline after the burst */
	bu_init(&self->bu, 1, 15);
	self->bu.hoa = a6("fd00:1::2000");
	bu_bid(&self->bu, 1, COA3);
	ha_process_bu(&self->st, &self->bu, 5000, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);

	EXPECT_EQ(0, tick_until_done(&self->st, 2000, KOP_BINDING_DEL, &nbrr,
				     &calls, &next));
	EXPECT_EQ(0, nbrr);
	EXPECT_EQ(51000, next);
	/* 100 nodes x 2 bindings due for a BRR at once: one BRR a node */
	tick_until_done(&self->st, 51000, KOP_BINDING_DEL, &nbrr, &calls, &next);
	EXPECT_EQ(100, nbrr);
	EXPECT_EQ(200, self->st.st.brr_tx);
	EXPECT_LT(1, calls);
	EXPECT_EQ(55000, next);		/* the late node's BRR */
	/* 200 bindings expiring at once; the late node's BRR on the way */
	EXPECT_EQ(200, tick_until_done(&self->st, 61000, KOP_BINDING_DEL,
				       &nbrr, &calls, &next));
	EXPECT_EQ(200, self->st.st.expired);
	EXPECT_EQ(1, nbrr);
	EXPECT_EQ(1, self->st.idx.live);
	EXPECT_EQ(65000, next);
	EXPECT_EQ(1, tick_until_done(&self->st, 65000, KOP_BINDING_DEL,
				     &nbrr, &calls, &next));
	EXPECT_EQ(0, self->st.idx.live);
	/* the tombstones go when their time is up, and nothing is left */
	EXPECT_EQ(61000 + MAX_DELETE_BCE_TIMEOUT_MS, next);
	tick_until_done(&self->st, 65000 + MAX_DELETE_BCE_TIMEOUT_MS,
			KOP_BINDING_DEL, &nbrr, &calls, &next);
	EXPECT_EQ(UINT64_MAX, next);
	EXPECT_EQ(NULL, self->st.mns);
	EXPECT_EQ(0, self->st.idx.count);
}

TEST_F(ha, restore_from_kernel)
{
	struct in6_addr hoa = a6(HOA), coa = a6(COA2);

	ASSERT_EQ(0, ha_restore_binding(&self->st, &hoa, 2, &coa, false,
					false, 30000, 1000));
	ha_restore_seq(&self->st, &hoa, 77);
	bu_init(&self->bu, 77, 15);
	bu_bid(&self->bu, 2, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_SEQ_OUT_OF_WINDOW, self->res.status);
	self->bu.seq = 78;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, 2));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PROXY_ADD));
}

/* Issue 10, item 1: H=0 against an existing home binding is a type change */
TEST_F(ha, h_bit_change_139)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	self->bu.home_reg = false;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_REG_TYPE_CHANGE, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(3, live_mn(&self->st, &self->bu.hoa)->n);
	/* without a binding it is just not a home registration */
	bu_init(&self->bu, 1, 15);
	self->bu.hoa = a6("fd00:1::200");
	self->bu.home_reg = false;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_HOME_REG_NOT_SUPPORTED, self->res.status);
}

/* Issue 10, item 2: nothing committed, so no "partially accepted" */
TEST_F(ha, bulk_all_failed_differently_not_4)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 9, NULL);		/* unknown: 167 */
	bu_bid(&self->bu, 5, "fe80::1");	/* not routable: 164 */
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_UNKNOWN_COA, self->res.status);
	EXPECT_EQ(0, self->res.lifetime);
	ASSERT_EQ(2, self->res.nbid);
	EXPECT_EQ(BA_ST_MCOA_UNKNOWN_COA, self->res.bid[0].status);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.bid[1].status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(10, live_mn(&self->st, &self->bu.hoa)->last_seq);
}

/* Issue 10, item 3: a length-4 refresh cannot flip the binding's H bit */
TEST_F(ha, refresh_h_bit_differs_139)
{
	struct ha_binding *b;
	struct in6_addr hoa;

	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 2, NULL);
	self->bu.bid[0].home = true;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_NE(BA_ST_ACCEPTED, self->res.status);
	EXPECT_LE(128, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	b = ha_find_binding(live_mn(&self->st, &self->bu.hoa), 2);
	ASSERT_NE(NULL, b);
	EXPECT_FALSE(b->home);
	/*
	 * The other way round: a home binding (here from a kernel dump) is
	 * not turned into a foreign one whose CoA is the HoA; in a bulk BU
	 * that option alone is refused.
	 */
	hoa = a6(HOA);
	ASSERT_EQ(0, ha_restore_binding(&self->st, &hoa, 4, &hoa, false, true,
					30000, 2000));
	bu_init(&self->bu, 12, 15);
	bu_bid(&self->bu, 1, NULL);
	bu_bid(&self->bu, 4, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(BA_ST_REG_TYPE_CHANGE, self->res.bid[1].status);
	EXPECT_EQ(NULL, find_op(&self->res, KOP_BINDING_SET, 4));
	EXPECT_TRUE(ha_find_binding(live_mn(&self->st, &hoa), 4)->home);
}

/* Issue 10, item 4: parse-time refusals come after H, prefix and sequence */
TEST_F(ha, parse_reject_after_rfc6275_checks)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 10, 15);		/* old */
	bu_bid(&self->bu, 1, COA1);
	self->bu.reject = BA_ST_MCOA_MALFORMED;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_SEQ_OUT_OF_WINDOW, self->res.status);
	EXPECT_EQ(10, self->res.seq);
	self->bu.seq = 11;
	self->bu.hoa = a6("fd00:9::1");		/* foreign */
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_NOT_HOME_SUBNET, self->res.status);
	self->bu.hoa = a6(HOA);
	self->bu.home_reg = false;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_REG_TYPE_CHANGE, self->res.status);
	self->bu.home_reg = true;
	self->bu.reject = BA_ST_INSUFFICIENT;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(10, live_mn(&self->st, &self->bu.hoa)->last_seq);
}

/* Issue 10, item 5: the BA's BID options carry no CoA (length 4) */
TEST_F(ha, ba_bid_options_without_coa)
{
	uint8_t buf[MH_MAX_LEN];
	struct mh_ba ba;
	struct mh_msg m;
	unsigned int i;
	int len;

	bulk3(_metadata, self, 10);
	self->res.bid[1].pri = 5;
	ha_fill_ba(&self->res, &ba);
	len = mh_build_ba(buf, sizeof(buf), &ba);
	ASSERT_LT(0, len);
	/* 12 fixed + 3 * 6 for length-4 options, padded to 8: 32 */
	EXPECT_EQ(32, len);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_TYPE_BA, m.type);
	EXPECT_EQ(10, m.u.ba.seq);
	EXPECT_EQ(15, m.u.ba.lifetime);
	ASSERT_EQ(3, m.u.ba.opts.nbids);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(i + 1, m.u.ba.opts.bids[i].bid);
		EXPECT_EQ(0, m.u.ba.opts.bids[i].coa_family);
	}
	EXPECT_EQ(5, m.u.ba.opts.bids[1].pri);	/* BID-PRI echoed */
}

/* Issue 10, item 6: unknown BID in a selective de-registration: 133, none */
TEST_F(ha, selective_dereg_known_and_unknown_133)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	bu_bid(&self->bu, 2, NULL);
	bu_bid(&self->bu, 8, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_NOT_HA_FOR_MN, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(BA_ST_NOT_HA_FOR_MN, self->res.bid[1].status);
	EXPECT_EQ(3, live_mn(&self->st, &self->bu.hoa)->n);
	EXPECT_EQ(10, live_mn(&self->st, &self->bu.hoa)->last_seq);
}

/* Issue 10, item 8: a home binding is refused, whatever the policy */
TEST_F(ha, home_binding_always_169)
{
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 4, HOA);
	self->bu.bid[0].home = true;
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_SIMUL_HOME_FOREIGN, self->res.status);
	EXPECT_EQ(0, self->res.nops);
}

/*
 * Issue 10, item 9: BID 0 is reserved. The HA refuses that option with
 * 164 (MALFORMED) and registers the others of the same BU.
 */
TEST_F(ha, bid_zero_refused_alone_164)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 0, COA1);
	bu_bid(&self->bu, 2, COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.bid[0].status);
	EXPECT_EQ(0, self->res.bid[1].status);
	EXPECT_EQ(NULL, find_op(&self->res, KOP_BINDING_NEW, 0));
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_NEW, 2));
	/* de-registering BID 0: malformed too */
	bu_init(&self->bu, 2, 0);
	bu_bid(&self->bu, 0, NULL);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_MCOA_MALFORMED, self->res.status);
	EXPECT_EQ(0, self->res.nops);
}

/* Issue 10: the HA's own address and the reserved anycast addresses */
TEST_F(ha, address_in_use_refused)
{
	static const char *const anycast[] = {
		"fd00:1::",			/* subnet-router anycast */
		"fd00:1::fdff:ffff:ffff:ff80",	/* RFC 2526, lowest */
		"fd00:1::fdff:ffff:ffff:fffe",	/* Mobile IPv6 HA anycast */
		"fd00:1::fdff:ffff:ffff:ffff",
	};
	unsigned int i;

	bu_init(&self->bu, 1, 15);
	self->bu.hoa = a6("fd00:1::1");
	self->bu.hoa_local = true;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_DAD_FAILED, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	for (i = 0; i < 4; i++) {
		bu_init(&self->bu, 1, 15);
		self->bu.hoa = a6(anycast[i]);
		bu_bid(&self->bu, 1, COA1);
		ha_process_bu(&self->st, &self->bu, 0, &self->res);
		EXPECT_EQ(BA_ST_ADMIN_PROHIBITED, self->res.status);
		EXPECT_EQ(0, self->res.nops);
	}
	/* the kernel holds an operator's binding of the HoA: 129 */
	bu_init(&self->bu, 1, 15);
	self->bu.hoa_held = true;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ADMIN_PROHIBITED, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	/* next to them, ordinary addresses are fine */
	bu_init(&self->bu, 1, 15);
	self->bu.hoa = a6("fd00:1::fdff:ffff:ffff:ff7f");
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
}

TEST(reserved_anycast_other_prefix_lengths)
{
	struct in6_addr p48 = a6("fd00:1::"), a;

	a = a6("fd00:1:0:ffff:ffff:ffff:ffff:ff85");
	EXPECT_TRUE(ha_addr_reserved_anycast(&a, &p48, 48));
	a = a6("fd00:1:0:ffff:ffff:ffff:ffff:ff05");
	EXPECT_FALSE(ha_addr_reserved_anycast(&a, &p48, 48));
	a = a6("fd00:1::");
	EXPECT_TRUE(ha_addr_reserved_anycast(&a, &p48, 48));
	a = a6("fd00:2::");
	EXPECT_FALSE(ha_addr_reserved_anycast(&a, &p48, 48));
}

/* Issue 10: MAX_DELETE_BCE_TIMEOUT tombstone after de-registration */
TEST_F(ha, tombstone_after_dereg_135)
{
	struct ha_tick_out out;

	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	/* the delayed bootstrap BU seq 10 arrives: old, nothing re-created */
	bulk3_seq_expect(_metadata, self, 10, 2000 + 9999,
			 BA_ST_SEQ_OUT_OF_WINDOW);
	EXPECT_EQ(11, self->res.seq);
	EXPECT_EQ(0, self->res.nops);
	/* a newer one is fine */
	bulk3_seq_expect(_metadata, self, 12, 5000, BA_ST_ACCEPTED);
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_ADD));
	/* once MAX_DELETE_BCE_TIMEOUT has passed the entry is gone */
	bu_init(&self->bu, 13, 0);
	ha_process_bu(&self->st, &self->bu, 6000, &self->res);
	EXPECT_EQ(16000, ha_tick(&self->st, 6000, &out));
	ha_tick(&self->st, 16000, &out);
	EXPECT_EQ(NULL, ha_find_mn(&self->st, &self->bu.hoa));
	bulk3_seq_expect(_metadata, self, 3, 16000, BA_ST_ACCEPTED);
}

/* ... and after the last binding expired */
TEST_F(ha, tombstone_after_expiry_135)
{
	struct ha_tick_out out;

	bulk3(_metadata, self, 10);	/* 60 s from t=1000 */
	ha_tick(&self->st, 61000, &out);
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	bulk3_seq_expect(_metadata, self, 10, 62000, BA_ST_SEQ_OUT_OF_WINDOW);
	bulk3_seq_expect(_metadata, self, 9, 71001, BA_ST_ACCEPTED);
}

/* Issue 10: a registration without Home Address option is dropped */
TEST_F(ha, registration_without_hao_dropped)
{
	bu_init(&self->bu, 1, 15);
	self->bu.has_hao = false;
	self->bu.hoa = self->bu.src = a6("fd00:1::10");	/* the CN itself */
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_FALSE(self->res.send_ba);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(1, self->st.st.dropped_no_hao);
	EXPECT_EQ(NULL, ha_find_mn(&self->st, &self->bu.hoa));
	/* legacy with an Alternate CoA: a registration as well */
	bu_init(&self->bu, 2, 15);
	self->bu.has_hao = false;
	self->bu.hoa = self->bu.src = a6("fd00:1::10");
	self->bu.has_altcoa = true;
	self->bu.altcoa = a6(COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_FALSE(self->res.send_ba);
	EXPECT_EQ(2, self->st.st.dropped_no_hao);
	/* de-registration from the HoA at home needs none */
	bulk3(_metadata, self, 10);
	bu_init(&self->bu, 11, 0);
	self->bu.has_hao = false;
	self->bu.src = self->bu.hoa;
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_TRUE(self->res.send_ba);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
}

/* Issue 10: DAD before the first binding of a HoA, 134 on a duplicate */
TEST_F(ha, dad_before_first_binding)
{
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, COA1);
	EXPECT_TRUE(ha_needs_dad(&self->st, &self->bu, 0));
	self->bu.hoa_dup = true;
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_DAD_FAILED, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(NULL, ha_find_mn(&self->st, &self->bu.hoa));
	/* no duplicate: registered, and refreshes need no DAD */
	self->bu.hoa_dup = false;
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	bu_init(&self->bu, 2, 15);
	bu_bid(&self->bu, 1, NULL);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	/* nor do de-registrations and BUs refused anyway */
	bu_init(&self->bu, 3, 0);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	bu_init(&self->bu, 4, 15);
	self->bu.hoa = a6("fd00:9::1");
	bu_bid(&self->bu, 1, COA1);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	bu_init(&self->bu, 4, 15);
	self->bu.hoa = a6("fd00:1::200");
	self->bu.reject = BA_ST_MCOA_MALFORMED;
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	/* after a de-registration, the next registration checks again */
	bu_init(&self->bu, 5, 0);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
	bu_init(&self->bu, 6, 15);
	bu_bid(&self->bu, 1, COA1);
	EXPECT_TRUE(ha_needs_dad(&self->st, &self->bu, 0));
}

/* Issue 10: HAO checked against the bindings; Binding Errors rate limited */
TEST_F(ha, hao_bound_and_be_rate_limit)
{
	struct in6_addr hoa = a6(HOA), c1 = a6(COA1), other = a6("fd00:29::2");
	uint64_t t;
	int i, sent = 0;

	EXPECT_FALSE(ha_hao_bound(&self->st, &hoa, &c1));
	bulk3(_metadata, self, 10);
	EXPECT_TRUE(ha_hao_bound(&self->st, &hoa, &c1));
	EXPECT_FALSE(ha_hao_bound(&self->st, &hoa, &other));
	/* a flood at t=0: the burst, then nothing */
	for (i = 0; i < 100; i++)
		sent += ha_be_allowed(&self->st, 0);
	EXPECT_EQ(HA_BE_BURST, sent);
	EXPECT_EQ(100 - HA_BE_BURST, self->st.st.be_limited);
	/* then one per interval */
	for (sent = 0, t = 0; t < 1000; t += 10)
		sent += ha_be_allowed(&self->st, t);
	EXPECT_EQ(1000 / HA_BE_INTERVAL_MS - 1, sent);
	/* after a quiet spell the burst is back, not more */
	for (sent = 0, i = 0; i < 100; i++)
		sent += ha_be_allowed(&self->st, 60000);
	EXPECT_EQ(HA_BE_BURST, sent);
}

/* Issue 10: the L flag defends the HoA's link-local address too */
TEST_F(ha, l_flag_proxies_link_local)
{
	struct ha_tick_out out;
	unsigned int i;

	bu_init(&self->bu, 1, 15);
	self->bu.linklocal = true;
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
	for (i = 0; i < self->res.nops; i++)
		if (self->res.ops[i].type == KOP_PROXY_ADD)
			EXPECT_TRUE(self->res.ops[i].linklocal);
	ASSERT_EQ(1, count_ops(&self->res, KOP_PROXY_ADD));
	/* its expiry withdraws both */
	ha_tick(&self->st, 60000, &out);
	ASSERT_EQ(KOP_PROXY_DEL, out.ops[out.nops - 1].type);
	EXPECT_TRUE(out.ops[out.nops - 1].linklocal);
	/* without L, only the HoA */
	bu_init(&self->bu, 2, 15);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 70000, &self->res);
	ASSERT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_FALSE(self->res.ops[0].linklocal);
	bu_init(&self->bu, 3, 0);
	ha_process_bu(&self->st, &self->bu, 70000, &self->res);
	ASSERT_EQ(1, count_ops(&self->res, KOP_PROXY_DEL));
	EXPECT_FALSE(self->res.ops[self->res.nops - 1].linklocal);
}

/* Issue 11: a one-BID BU for @hoa from @src; returns the BA status */
static uint8_t reg_from(FIXTURE_DATA(ha) *self, const char *hoa,
			const char *src, uint16_t seq, uint16_t bid,
			uint64_t now)
{
	bu_init(&self->bu, seq, 15);
	self->bu.hoa = a6(hoa);
	self->bu.src = a6(src);
	bu_bid(&self->bu, bid, src);
	ha_process_bu(&self->st, &self->bu, now, &self->res);
	return self->res.status;
}

/* Issue 11: max-bindings-per-hoa refuses new BIDs only, per BID option */
TEST_F(ha, limit_bindings_per_hoa)
{
	struct ha_mn *mn;

	self->st.pol.max_bindings_per_hoa = 2;
	bu_init(&self->bu, 10, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	bu_bid(&self->bu, 3, COA3);
	ha_process_bu(&self->st, &self->bu, 1000, &self->res);
	/* bulk: what fits is taken, the rest gets 130 in its option */
	EXPECT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(0, self->res.bid[1].status);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.bid[2].status);
	EXPECT_EQ(2, count_ops(&self->res, KOP_BINDING_NEW));
	EXPECT_EQ(NULL, find_op(&self->res, KOP_BINDING_NEW, 3));
	EXPECT_EQ(1, self->st.st.refused_bindings_per_hoa);
	mn = live_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_EQ(2, mn->n);
	/* refreshing both, at the limit: accepted, nothing counted */
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 1, NULL);
	bu_bid(&self->bu, 2, COA2);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(1, self->st.st.refused_bindings_per_hoa);
	/* one new BID alone: the BA status says it */
	bu_init(&self->bu, 12, 15);
	bu_bid(&self->bu, 3, COA3);
	ha_process_bu(&self->st, &self->bu, 3000, &self->res);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(2, self->st.st.refused_bindings_per_hoa);
	/* several new BIDs, all over: 130 in the BA, 0 in the options */
	bu_init(&self->bu, 13, 15);
	bu_bid(&self->bu, 4, COA3);
	bu_bid(&self->bu, 5, "fd00:25::2");
	ha_process_bu(&self->st, &self->bu, 3000, &self->res);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.status);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(0, self->res.bid[1].status);
	EXPECT_EQ(4, self->st.st.refused_bindings_per_hoa);
	EXPECT_EQ(13, self->res.seq);
	/* refused BUs leave the sequence number where it was */
	EXPECT_EQ(11, live_mn(&self->st, &self->bu.hoa)->last_seq);
	/* the limit lowered below what the HoA holds: refresh and move ok */
	self->st.pol.max_bindings_per_hoa = 1;
	bu_init(&self->bu, 14, 15);
	bu_bid(&self->bu, 1, NULL);
	bu_bid(&self->bu, 2, "fd00:22::99");
	ha_process_bu(&self->st, &self->bu, 4000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_SET, 2));
	EXPECT_EQ(4, self->st.st.refused_bindings_per_hoa);
	/* but O=1 starts from nothing: only the first BID fits */
	bu_init(&self->bu, 15, 15);
	self->bu.overwrite = true;
	bu_bid(&self->bu, 2, COA2);
	bu_bid(&self->bu, 1, COA1);
	ha_process_bu(&self->st, &self->bu, 5000, &self->res);
	EXPECT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.bid[1].status);
	EXPECT_NE(NULL, find_op(&self->res, KOP_BINDING_DEL, 1));
	EXPECT_EQ(1, live_mn(&self->st, &self->bu.hoa)->n);
	EXPECT_EQ(5, self->st.st.refused_bindings_per_hoa);
	/* the rejected count goes by BA, the limit's by BID option */
	EXPECT_EQ(2, self->st.st.status[BA_ST_INSUFFICIENT]);
}

/* Issue 11: max-hoas counts HoAs with bindings, tombstones do not */
TEST_F(ha, limit_hoas)
{
	struct in6_addr c = a6("fd00:1::c");

	self->st.pol.max_hoas = 2;
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::a", COA1, 1, 1, 0));
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::b", COA2, 1, 1, 0));
	/* a third one: 130, nothing done, no DAD probe for it */
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	bu_init(&self->bu, 1, 15);
	self->bu.hoa = c;
	self->bu.src = a6(COA3);
	bu_bid(&self->bu, 1, COA3);
	bu_bid(&self->bu, 2, COA2);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.status);
	EXPECT_EQ(0, self->res.bid[0].status);
	EXPECT_EQ(0, self->res.bid[1].status);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(NULL, live_mn(&self->st, &c));
	EXPECT_EQ(1, self->st.st.refused_hoas);
	/* a legacy (BID-less) registration too */
	bu_init(&self->bu, 2, 15);
	self->bu.hoa = c;
	self->bu.src = a6(COA3);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_INSUFFICIENT, self->res.status);
	EXPECT_EQ(2, self->st.st.refused_hoas);
	/* the HoAs that are in refresh, even from another CoA */
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::a", COA3, 2, 2, 0));
	/* a de-registration is never refused, and frees a place */
	bu_init(&self->bu, 2, 0);
	self->bu.hoa = a6("fd00:1::b");
	self->bu.src = a6(COA2);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::c", COA3, 3, 1, 0));
	EXPECT_EQ(2, self->st.st.refused_hoas);
	EXPECT_EQ(0, self->st.st.refused_hoas_per_source);
}

/* Issue 11: max-hoas-per-source charges a HoA to its BUs' source */
TEST_F(ha, limit_hoas_per_source)
{
	self->st.pol.max_hoas_per_source = 2;
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::a", COA1, 1, 1, 0));
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::b", COA1, 1, 1, 0));
	bu_init(&self->bu, 1, 15);
	self->bu.hoa = a6("fd00:1::c");
	bu_bid(&self->bu, 1, COA1);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 0));
	EXPECT_EQ(BA_ST_INSUFFICIENT,
		  reg_from(self, "fd00:1::c", COA1, 1, 1, 0));
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(1, self->st.st.refused_hoas_per_source);
	/* from another source it fits */
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::c", COA2, 2, 1, 0));
	/* a refresh from its own source never counts */
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::a", COA1, 2, 1, 0));
	/* a moves to COA2 (one HoA there): ok, COA2 now has a and c */
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::a", COA2, 3, 2, 0));
	/* b, live, cannot join them: COA2 is full */
	EXPECT_EQ(BA_ST_INSUFFICIENT,
		  reg_from(self, "fd00:1::b", COA2, 2, 2, 0));
	EXPECT_EQ(2, self->st.st.refused_hoas_per_source);
	EXPECT_EQ(1, live_mn(&self->st, &self->bu.hoa)->n);
	/* but goes on from COA1, which has room again for a new HoA */
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::b", COA1, 3, 2, 0));
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::d", COA1, 1, 1, 0));
	EXPECT_EQ(BA_ST_INSUFFICIENT,
		  reg_from(self, "fd00:1::e", COA1, 1, 1, 0));
	EXPECT_EQ(3, self->st.st.refused_hoas_per_source);
	EXPECT_EQ(0, self->st.st.refused_hoas);
	/* 0 = unlimited */
	self->st.pol.max_hoas_per_source = 0;
	EXPECT_EQ(BA_ST_ACCEPTED, reg_from(self, "fd00:1::e", COA1, 1, 1, 0));
}

/* Many nodes, each from its own source: no per-source limit is reached */
TEST_F(ha, limit_hoas_per_source_many_sources)
{
	char h[64], c[64];
	unsigned int i;

	self->st.pol.max_hoas_per_source = 16;
	for (i = 0; i < 2000; i++) {
		snprintf(h, sizeof(h), "fd00:1::1:%x", i);
		snprintf(c, sizeof(c), "fd00:41:1::%x", i);
		ASSERT_EQ(BA_ST_ACCEPTED, reg_from(self, h, c, 1, 1, 0));
	}
	EXPECT_EQ(2000, self->st.idx.live);
	EXPECT_EQ(0, self->st.st.refused_hoas_per_source);
}

/* Issue 11: max-bu-rate, a fixed one-second window per source */
TEST_F(ha, limit_bu_rate_window)
{
	struct in6_addr c1 = a6(COA1), c2 = a6(COA2), x;
	unsigned int i, pass;

	/* unlimited by default */
	for (i = 0; i < 1000; i++)
		ASSERT_TRUE(ha_bu_rate_ok(&self->st, &c1, 0));
	EXPECT_EQ(NULL, self->st.rate);
	self->st.pol.max_bu_rate = 3;
	for (pass = 0, i = 0; i < 10; i++)
		pass += ha_bu_rate_ok(&self->st, &c1, 100);
	EXPECT_EQ(3, pass);
	EXPECT_EQ(7, self->st.st.dropped_bu_rate);
	/* a dropped BU is received all the same */
	EXPECT_EQ(7, self->st.st.bu_rx);
	/* another source has its own window */
	EXPECT_TRUE(ha_bu_rate_ok(&self->st, &c2, 100));
	/* still the same window at +999 ms, a new one at +1000 */
	EXPECT_FALSE(ha_bu_rate_ok(&self->st, &c1, 1099));
	for (pass = 0, i = 0; i < 10; i++)
		pass += ha_bu_rate_ok(&self->st, &c1, 1100);
	EXPECT_EQ(3, pass);
	/* spread out, 3 a second always pass */
	for (pass = 0, i = 0; i < 30; i++)
		pass += ha_bu_rate_ok(&self->st, &c1, 5000 + i * 334);
	EXPECT_EQ(30, pass);
	/*
	 * A flood from 100000 spoofed sources takes no memory beyond the
	 * table; a source squeezed out of it starts a fresh window, which
	 * never limits it more than its own BUs would.
	 */
	x = a6("fd00:99::");
	for (i = 0; i < 100000; i++) {
		x.s6_addr[12] = i >> 24;
		x.s6_addr[13] = i >> 16;
		x.s6_addr[14] = i >> 8;
		x.s6_addr[15] = i;
		ha_bu_rate_ok(&self->st, &x, 20000);
	}
	for (pass = 0, i = 0; i < 10; i++)
		pass += ha_bu_rate_ok(&self->st, &c1, 20000);
	EXPECT_EQ(3, pass);
	/* the clock going back does not lock a source out */
	EXPECT_TRUE(ha_bu_rate_ok(&self->st, &c2, 10));
}

/* Issue 11: what the policy adopts from the kernel at a restart */
TEST_F(ha, adopt_applies_policy)
{
	struct ha_kbinding kb = {
		.hoa = a6(HOA), .coa = a6(COA1), .bid = 1,
		.expires_in_ms = 30500,
	};
	struct ha_binding *b;
	struct ha_mn *mn;
	uint32_t lt;

	EXPECT_EQ(HA_ADOPTED, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	EXPECT_EQ(31, lt);
	mn = live_mn(&self->st, &kb.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_TRUE(in6_eq(&mn->src, &kb.coa));
	/* more left than max-lifetime (300 s): capped */
	kb.bid = 2;
	kb.coa = a6(COA2);
	kb.expires_in_ms = 4000 * 1000;
	EXPECT_EQ(HA_ADOPTED_CAPPED,
		  ha_adopt_binding(&self->st, &kb, 1000, &lt));
	EXPECT_EQ(300, lt);
	b = ha_find_binding(mn, 2);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(1000 + 300000, b->expires);
	/* the first CoA stays the HoA's source */
	kb.coa = a6(COA1);
	EXPECT_TRUE(in6_eq(&mn->src, &kb.coa));
	EXPECT_EQ(2, mn->n);
	/* a legacy binding is one a BU makes */
	kb.hoa = a6("fd00:1::200");
	kb.bid = HA_LEGACY_BID;
	kb.legacy = true;
	kb.expires_in_ms = 1000;
	EXPECT_EQ(HA_ADOPTED, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	kb.legacy = false;

	/* left alone: nothing enters the cache */
	kb.hoa = a6("fd00:1::300");
	kb.bid = 1;
	kb.permanent = true;
	EXPECT_EQ(HA_LEFT_PERMANENT,
		  ha_adopt_binding(&self->st, &kb, 1000, &lt));
	kb.permanent = false;
	kb.home = true;
	EXPECT_EQ(HA_LEFT_KIND, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	kb.home = false;
	kb.bid = 0;
	EXPECT_EQ(HA_LEFT_KIND, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	kb.bid = 1;
	kb.coa = a6("fe80::1");
	EXPECT_EQ(HA_LEFT_COA, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	kb.coa = a6("::ffff:192.0.2.1");
	EXPECT_EQ(HA_LEFT_COA, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	kb.coa = kb.hoa;
	EXPECT_EQ(HA_LEFT_COA, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	/* a good binding, but its tunnel is not from this HA's address */
	kb.coa = a6(COA1);
	kb.other_peer = true;
	EXPECT_EQ(HA_LEFT_PEER, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	EXPECT_EQ(0, lt);
	EXPECT_EQ(NULL, live_mn(&self->st, &kb.hoa));
	kb.coa = a6(COA1);
	kb.hoa = a6("fd00:9::100");
	EXPECT_EQ(HA_LEFT_PREFIX, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	EXPECT_EQ(NULL, live_mn(&self->st, &kb.hoa));
	kb.hoa = a6("fd00:1::");	/* subnet-router anycast */
	EXPECT_EQ(HA_LEFT_PREFIX, ha_adopt_binding(&self->st, &kb, 1000, &lt));
	EXPECT_EQ(NULL, live_mn(&self->st, &kb.hoa));

	/* the adopted ones go on as if registered here */
	bu_init(&self->bu, 1, 15);
	bu_bid(&self->bu, 1, NULL);
	bu_bid(&self->bu, 2, NULL);
	ha_process_bu(&self->st, &self->bu, 2000, &self->res);
	EXPECT_EQ(BA_ST_ACCEPTED, self->res.status);
	EXPECT_EQ(0, count_ops(&self->res, KOP_PROXY_ADD));
	EXPECT_EQ(2, count_ops(&self->res, KOP_BINDING_SET));
}

/* Issue 11: the limits and their counters in `mcoactl daemon show` */
TEST_F(ha, limits_in_dump)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	self->st.pol.max_bindings_per_hoa = 2;
	self->st.pol.max_bu_rate = 5;
	bu_init(&self->bu, 10, 15);
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	bu_bid(&self->bu, 3, COA3);
	ha_process_bu(&self->st, &self->bu, 0, &self->res);
	ASSERT_EQ(BA_ST_MCOA_NOTCOMPLETE, self->res.status);
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	ha_dump(&self->st, 0, f, true);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "\"be_limited\":0,\"status\":{\"4\":1},\"refused_bindings_per_hoa\":1,\"refused_hoas_per_source\":0,\"refused_hoas\":0,\"dropped_bu_rate\":0},\"limits\":{\"max_bindings_per_hoa\":2,\"max_hoas_per_source\":0,\"max_hoas\":0,\"max_bu_rate\":5}}\n"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	ha_dump(&self->st, 0, f, false);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "\nlimits bindings-per-hoa 2 refused 1 hoas-per-source unlimited refused 0 hoas unlimited refused 0 bu-rate 5/s dropped 0\n"));
	free(buf);
}

/* ---- mobile routers (RFC 3963) ---------------------------------------- */

#define MR2	"fd00:1::200"
#define NOMR	"fd00:1::300"

static struct nemo_prefix pfx(const char *a, uint8_t plen)
{
	struct nemo_prefix p = { .plen = plen };

	p.addr = a6(a);
	return p;
}

static void bu_mnp(struct bu_req *bu, const char *a, uint8_t plen)
{
	bu->mnp[bu->nmnp++] = pfx(a, plen);
}

static int count_prefix_ops(const struct kop *ops, unsigned int n,
			    enum kop_type t, const char *a, uint8_t plen)
{
	struct nemo_prefix p = pfx(a, plen);
	unsigned int i;
	int k = 0;

	for (i = 0; i < n; i++)
		k += ops[i].type == t && nemo_prefix_eq(&ops[i].pfx, &p);
	return k;
}

FIXTURE(nemo) {
	struct nemo_table mrs;
	struct ha_state st;
	struct bu_req bu;
	struct ha_result res;
};

/*
 * HOA may claim 2001:db8:1::/48 and 2001:db8:9::/64, MR2 2001:db8:2::/48;
 * NOMR is a plain mobile node.
 */
FIXTURE_SETUP(nemo)
{
	struct ha_policy pol = {
		.plen = 64, .max_lifetime = 300, .brr_lead = 10,
		.allow_mcoa = true, .allow_bulk = true,
	};
	struct nemo_mr mr[2] = {
		{ .nmnp = 2, .mnp = { pfx("2001:db8:1::", 48),
				      pfx("2001:db8:9::", 64) } },
		{ .nmnp = 1, .mnp = { pfx("2001:db8:2::", 48) } },
	};

	mr[0].hoa = a6(HOA);
	mr[1].hoa = a6(MR2);
	ASSERT_EQ(0, nemo_table_build(&self->mrs, mr, 2));
	pol.prefix = a6("fd00:1::");
	pol.mrs = &self->mrs;
	ha_state_init(&self->st, &pol);
}

FIXTURE_TEARDOWN(nemo)
{
	ha_state_free(&self->st);
	nemo_table_free(&self->mrs);
}

/* a bootstrap BU from @hoa with R, three CoAs; MNP options added after */
static void mr_bu(FIXTURE_DATA(nemo) *self, const char *hoa, uint16_t seq)
{
	bu_init(&self->bu, seq, 15);
	self->bu.hoa = a6(hoa);
	self->bu.overwrite = true;
	self->bu.mr = true;
	bu_bid(&self->bu, 1, COA1);
	bu_bid(&self->bu, 2, COA2);
	bu_bid(&self->bu, 3, COA3);
}

static uint8_t mr_process(FIXTURE_DATA(nemo) *self, uint64_t now)
{
	ha_process_bu(&self->st, &self->bu, now, &self->res);
	return self->res.status;
}

#define PREFIX_OPS(r, t, a, l) count_prefix_ops((r)->ops, (r)->nops, t, a, l)

TEST_F(nemo, explicit_accepted_with_r)
{
	struct ha_mn *mn;
	struct mh_ba ba;

	mr_bu(self, HOA, 10);
	bu_mnp(&self->bu, "2001:db8:1::", 48);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	EXPECT_TRUE(self->res.ba_r);
	EXPECT_EQ(3, count_ops(&self->res, KOP_BINDING_NEW));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:1::", 48));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PREFIX_DEL));
	mn = live_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_TRUE(mn->mr);
	EXPECT_EQ(1, mn->nmnp);
	ha_fill_ba(&self->res, &ba);
	EXPECT_EQ(MH_BA_F_R, ba.flags);

	/* a refresh claiming the same touches no prefix */
	bu_init(&self->bu, 11, 15);
	self->bu.mr = true;
	bu_bid(&self->bu, 2, COA2);
	bu_mnp(&self->bu, "2001:db8:1::", 48);
	bu_mnp(&self->bu, "2001:db8:1::", 48);	/* twice: folded */
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 2000));
	EXPECT_TRUE(self->res.ba_r);
	EXPECT_EQ(0, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PREFIX_DEL));
	EXPECT_EQ(1, mn->nmnp);

	/* claiming both: one more; then only the second: the first goes */
	bu_init(&self->bu, 12, 15);
	self->bu.mr = true;
	bu_bid(&self->bu, 2, COA2);
	bu_mnp(&self->bu, "2001:db8:9::", 64);
	bu_mnp(&self->bu, "2001:db8:1::", 48);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 3000));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:9::", 64));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PREFIX_ADD));
	bu_init(&self->bu, 13, 15);
	self->bu.mr = true;
	bu_bid(&self->bu, 2, COA2);
	bu_mnp(&self->bu, "2001:db8:9::", 64);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 4000));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_DEL, "2001:db8:1::", 48));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(1, mn->nmnp);
}

TEST_F(nemo, implicit_uses_configuration)
{
	struct ha_mn *mn;

	mr_bu(self, HOA, 10);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	EXPECT_TRUE(self->res.ba_r);
	EXPECT_EQ(2, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:1::", 48));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:9::", 64));
	mn = live_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_EQ(2, mn->nmnp);

	mr_bu(self, MR2, 1);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:2::", 48));
}

TEST_F(nemo, not_a_mobile_router_140)
{
	struct mh_ba ba;

	mr_bu(self, NOMR, 10);
	ASSERT_EQ(BA_ST_MR_NOT_PERMITTED, mr_process(self, 1000));
	EXPECT_FALSE(self->res.ba_r);
	EXPECT_TRUE(self->res.send_ba);
	EXPECT_EQ(0, self->res.nops);
	EXPECT_EQ(0, self->res.lifetime);
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	ha_fill_ba(&self->res, &ba);
	EXPECT_EQ(0, ba.flags);
	EXPECT_EQ(1, self->st.st.status[140]);
	/* with an MNP option too, and for a de-registration */
	mr_bu(self, NOMR, 11);
	bu_mnp(&self->bu, "2001:db8:3::", 48);
	EXPECT_EQ(BA_ST_MR_NOT_PERMITTED, mr_process(self, 1000));
	/* the same HoA without R is a mobile node like any other */
	mr_bu(self, NOMR, 12);
	self->bu.mr = false;
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	EXPECT_FALSE(self->res.ba_r);
	EXPECT_EQ(0, count_ops(&self->res, KOP_PREFIX_ADD));
	bu_init(&self->bu, 13, 0);
	self->bu.hoa = a6(NOMR);
	self->bu.mr = true;
	bu_bid(&self->bu, 1, NULL);
	EXPECT_EQ(BA_ST_MR_NOT_PERMITTED, mr_process(self, 1000));
	EXPECT_EQ(0, self->res.nops);
}

/* No table at all (no mobile-router line): R is always 140 */
TEST(nemo_no_table_140)
{
	struct ha_policy pol = {
		.plen = 64, .max_lifetime = 300, .brr_lead = 10,
		.allow_mcoa = true, .allow_bulk = true,
	};
	struct ha_result res;
	struct ha_state st;
	struct bu_req bu;

	pol.prefix = a6("fd00:1::");
	ha_state_init(&st, &pol);
	bu_init(&bu, 1, 15);
	bu.mr = true;
	bu_bid(&bu, 1, COA1);
	ha_process_bu(&st, &bu, 1000, &res);
	EXPECT_EQ(BA_ST_MR_NOT_PERMITTED, res.status);
	EXPECT_EQ(0, res.nops);
	ha_state_free(&st);
}

/* A BU refused with 140-142 is answered at once, not after DAD */
TEST_F(nemo, refusals_skip_dad)
{
	mr_bu(self, HOA, 10);
	EXPECT_TRUE(ha_needs_dad(&self->st, &self->bu, 1000));
	bu_mnp(&self->bu, "2001:db8:2::", 48);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 1000));
	mr_bu(self, HOA, 11);
	bu_mnp(&self->bu, "2001:db8:1::", 0);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 1000));
	mr_bu(self, NOMR, 12);
	EXPECT_FALSE(ha_needs_dad(&self->st, &self->bu, 1000));
	self->bu.mr = false;
	EXPECT_TRUE(ha_needs_dad(&self->st, &self->bu, 1000));
}

TEST_F(nemo, invalid_prefix_141)
{
	static const struct {
		const char *a;
		uint8_t plen;
	} bad[] = {
		{ "2001:db8:1::", 0 },		/* no length */
		{ "2001:db8:1::", 129 },	/* too long */
		{ "2001:db8:1::1", 48 },	/* bits past the length */
		{ "2001:db8:1:8000::", 48 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mr_bu(self, HOA, 10 + i);
		bu_mnp(&self->bu, bad[i].a, bad[i].plen);
		EXPECT_EQ(BA_ST_INVALID_PREFIX, mr_process(self, 1000)) {
			TH_LOG("case %u", i);
		}
		EXPECT_TRUE(self->res.ba_r);
		EXPECT_EQ(0, self->res.nops);
		EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	}
	/* malformed next to unauthorized: 141, whatever the order */
	mr_bu(self, HOA, 20);
	bu_mnp(&self->bu, "2001:db8:2::", 48);
	bu_mnp(&self->bu, "2001:db8:1::", 0);
	EXPECT_EQ(BA_ST_INVALID_PREFIX, mr_process(self, 1000));
}

TEST_F(nemo, not_authorized_142)
{
	/* another router's prefix, a part of its own, a wider one */
	static const struct {
		const char *a;
		uint8_t plen;
	} bad[] = {
		{ "2001:db8:2::", 48 },
		{ "2001:db8:1:1::", 64 },
		{ "2001:db8::", 32 },
	};
	struct ha_mn *mn;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mr_bu(self, HOA, 10 + i);
		bu_mnp(&self->bu, "2001:db8:1::", 48);
		bu_mnp(&self->bu, bad[i].a, bad[i].plen);
		EXPECT_EQ(BA_ST_PREFIX_NOT_AUTHORIZED, mr_process(self, 1000)) {
			TH_LOG("case %u", i);
		}
		EXPECT_TRUE(self->res.ba_r);
		EXPECT_EQ(0, self->res.nops);
		EXPECT_EQ(0, self->res.lifetime);
		EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	}
	/* a registered router keeps what it had when a claim is refused */
	mr_bu(self, HOA, 20);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	mr_bu(self, HOA, 21);
	bu_mnp(&self->bu, "2001:db8:2::", 48);
	EXPECT_EQ(BA_ST_PREFIX_NOT_AUTHORIZED, mr_process(self, 2000));
	EXPECT_EQ(0, self->res.nops);
	mn = live_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_EQ(3, mn->n);
	EXPECT_EQ(2, mn->nmnp);
	EXPECT_EQ(4, self->st.st.status[142]);
}

TEST_F(nemo, prefixes_go_with_the_last_binding)
{
	struct ha_tick_out out;
	struct ha_mn *mn;

	/* selective de-registration: two of three, then the last */
	mr_bu(self, HOA, 10);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	bu_init(&self->bu, 11, 0);
	self->bu.mr = true;
	bu_bid(&self->bu, 1, NULL);
	bu_bid(&self->bu, 2, NULL);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 2000));
	EXPECT_EQ(0, count_ops(&self->res, KOP_PREFIX_DEL));
	bu_init(&self->bu, 12, 0);
	self->bu.mr = true;
	bu_bid(&self->bu, 3, NULL);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 3000));
	EXPECT_TRUE(self->res.ba_r);
	EXPECT_EQ(2, count_ops(&self->res, KOP_PREFIX_DEL));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PROXY_DEL));

	/* expiry */
	mr_bu(self, MR2, 1);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	ha_tick(&self->st, 1000 + 61 * 1000, &out);
	EXPECT_EQ(1, count_prefix_ops(out.ops, out.nops, KOP_PREFIX_DEL,
				      "2001:db8:2::", 48));
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));

	/* the kernel dropped the bindings on its own */
	mr_bu(self, HOA, 20);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 20000));
	ha_forget_binding(&self->st, &self->bu.hoa, 1, 21000, &out);
	ha_forget_binding(&self->st, &self->bu.hoa, 2, 21000, &out);
	EXPECT_EQ(0, out.nops);
	ha_forget_binding(&self->st, &self->bu.hoa, 3, 21000, &out);
	EXPECT_EQ(2, count_prefix_ops(out.ops, out.nops, KOP_PREFIX_DEL,
				      "2001:db8:1::", 48) +
		     count_prefix_ops(out.ops, out.nops, KOP_PREFIX_DEL,
				      "2001:db8:9::", 64));

	/* home: the plain de-registration from the HoA itself */
	mr_bu(self, HOA, 30);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 40000));
	bu_init(&self->bu, 31, 0);
	self->bu.mr = true;
	self->bu.has_hao = false;
	self->bu.src = a6(HOA);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 41000));
	EXPECT_EQ(2, count_ops(&self->res, KOP_PREFIX_DEL));
	mn = ha_find_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_EQ(0, mn->nmnp);
	EXPECT_FALSE(mn->mr);
}

/* A registration without R: the router acts as a mobile node, no prefix */
TEST_F(nemo, registration_without_r_withdraws)
{
	struct ha_mn *mn;

	mr_bu(self, HOA, 10);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	bu_init(&self->bu, 11, 15);
	bu_bid(&self->bu, 1, COA1);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 2000));
	EXPECT_FALSE(self->res.ba_r);
	EXPECT_EQ(2, count_ops(&self->res, KOP_PREFIX_DEL));
	mn = live_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_FALSE(mn->mr);
	EXPECT_EQ(0, mn->nmnp);
}

TEST_F(nemo, forwarding_setup_failed_143)
{
	struct ha_tick_out out;
	struct ha_mn *mn;
	struct mh_ba ba;

	mr_bu(self, HOA, 10);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	EXPECT_EQ(1, self->st.st.accepted);
	ha_nemo_setup_failed(&self->st, &self->bu.hoa, 1000, &self->res, &out);
	EXPECT_EQ(BA_ST_FORWARDING_FAILED, self->res.status);
	EXPECT_EQ(0, self->res.lifetime);
	EXPECT_TRUE(self->res.ba_r);
	{
		unsigned int i, del = 0, pdel = 0, proxy = 0;

		for (i = 0; i < out.nops; i++) {
			del += out.ops[i].type == KOP_BINDING_DEL;
			pdel += out.ops[i].type == KOP_PREFIX_DEL;
			proxy += out.ops[i].type == KOP_PROXY_DEL;
		}
		EXPECT_EQ(3, del);
		EXPECT_EQ(2, pdel);
		EXPECT_EQ(1, proxy);
	}
	EXPECT_EQ(NULL, live_mn(&self->st, &self->bu.hoa));
	EXPECT_EQ(0, self->st.st.accepted);
	EXPECT_EQ(1, self->st.st.rejected);
	EXPECT_EQ(0, self->st.st.status[0]);
	EXPECT_EQ(1, self->st.st.status[143]);
	ha_fill_ba(&self->res, &ba);
	EXPECT_EQ(143, ba.status);
	EXPECT_EQ(MH_BA_F_R, ba.flags);
	/* the tombstone keeps the sequence: a replay is old */
	mr_bu(self, HOA, 10);
	EXPECT_EQ(BA_ST_SEQ_OUT_OF_WINDOW, mr_process(self, 2000));
	mn = ha_find_mn(&self->st, &self->bu.hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_EQ(0, mn->nmnp);
}

TEST_F(nemo, restore_prefix_from_kernel)
{
	struct in6_addr hoa = a6(HOA), coa = a6(COA1);
	struct nemo_prefix p1 = pfx("2001:db8:1::", 48);
	struct nemo_prefix p2 = pfx("2001:db8:2::", 48);
	struct ha_mn *mn;

	/* no binding here: left alone */
	EXPECT_FALSE(ha_restore_prefix(&self->st, &hoa, &p1));
	ASSERT_EQ(0, ha_restore_binding(&self->st, &hoa, 1, &coa, false,
					false, 30000, 1000));
	EXPECT_TRUE(ha_restore_prefix(&self->st, &hoa, &p1));
	EXPECT_TRUE(ha_restore_prefix(&self->st, &hoa, &p1));
	/* MR2's: not this router's to hold */
	EXPECT_FALSE(ha_restore_prefix(&self->st, &hoa, &p2));
	mn = live_mn(&self->st, &hoa);
	ASSERT_NE(NULL, mn);
	EXPECT_TRUE(mn->mr);
	EXPECT_EQ(1, mn->nmnp);
	/* its next implicit BU adds the other one, keeps this one */
	mr_bu(self, HOA, 10);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 2000));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:9::", 64));
}

/* Removed in the kernel behind our back: the next BU delegates it again */
TEST_F(nemo, forgotten_prefix_delegated_again)
{
	struct nemo_prefix p = pfx("2001:db8:9::", 64);
	struct in6_addr hoa = a6(HOA), other = a6(MR2);

	mr_bu(self, HOA, 10);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	EXPECT_FALSE(ha_forget_prefix(&self->st, &other, &p));
	EXPECT_TRUE(ha_has_prefix(&self->st, &hoa, &p));
	EXPECT_TRUE(ha_forget_prefix(&self->st, &hoa, &p));
	EXPECT_FALSE(ha_has_prefix(&self->st, &hoa, &p));
	EXPECT_FALSE(ha_forget_prefix(&self->st, &hoa, &p));
	mr_bu(self, HOA, 11);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 2000));
	EXPECT_EQ(1, count_ops(&self->res, KOP_PREFIX_ADD));
	EXPECT_EQ(1, PREFIX_OPS(&self->res, KOP_PREFIX_ADD, "2001:db8:9::", 64));
}

TEST_F(nemo, dump_shows_prefixes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	mr_bu(self, HOA, 10);
	bu_mnp(&self->bu, "2001:db8:9::", 64);
	ASSERT_EQ(BA_ST_ACCEPTED, mr_process(self, 1000));
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	ha_dump(&self->st, 1000, f, true);
	ha_dump(&self->st, 1000, f, false);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "\"mr\":true,\"prefixes\":[\"2001:db8:9::/64\"]}"));
	EXPECT_NE(NULL, strstr(buf, "  mobile router, prefixes 2001:db8:9::/64\n"));
	free(buf);
}

/* What a mobile router makes of a BA */
TEST(nemo_ba_verdicts)
{
	EXPECT_EQ(NEMO_BA_SERVED, nemo_ba_verdict(0, true));
	EXPECT_EQ(NEMO_BA_SERVED, nemo_ba_verdict(BA_ST_MCOA_NOTCOMPLETE, true));
	EXPECT_EQ(NEMO_BA_NO_R, nemo_ba_verdict(0, false));
	EXPECT_EQ(NEMO_BA_REFUSED, nemo_ba_verdict(140, true));
	EXPECT_EQ(NEMO_BA_REFUSED, nemo_ba_verdict(140, false));
	EXPECT_EQ(NEMO_BA_REFUSED, nemo_ba_verdict(141, true));
	EXPECT_EQ(NEMO_BA_REFUSED, nemo_ba_verdict(142, true));
	EXPECT_EQ(NEMO_BA_REFUSED, nemo_ba_verdict(143, true));
	EXPECT_EQ(NEMO_BA_OTHER, nemo_ba_verdict(139, true));
	EXPECT_EQ(NEMO_BA_OTHER, nemo_ba_verdict(144, true));
	EXPECT_EQ(NEMO_BA_OTHER, nemo_ba_verdict(135, false));
}

/* The table: a hash by HoA, whatever the number of routers */
TEST(nemo_table_many)
{
	enum { N = 100000 };
	struct nemo_mr *mr = calloc(N, sizeof(*mr));
	struct nemo_prefix out[NEMO_MAX_MNPS], p;
	struct nemo_table t;
	struct in6_addr a;
	unsigned int i, n;

	ASSERT_NE(NULL, mr);
	for (i = 0; i < N; i++) {
		mr[i].hoa = a6("fd00:1::");
		mr[i].hoa.s6_addr[12] = i >> 16;
		mr[i].hoa.s6_addr[13] = i >> 8;
		mr[i].hoa.s6_addr[14] = i;
		mr[i].hoa.s6_addr[15] = 1;
		mr[i].nmnp = 1;
		mr[i].mnp[0] = pfx("2001:db8::", 64);
		mr[i].mnp[0].addr.s6_addr[4] = i >> 16;
		mr[i].mnp[0].addr.s6_addr[5] = i >> 8;
		mr[i].mnp[0].addr.s6_addr[6] = i;
	}
	ASSERT_EQ(0, nemo_table_build(&t, mr, N));
	EXPECT_GE(t.nbucket, N);
	for (i = 0; i < N; i += 997) {
		ASSERT_EQ(&t.mrs[i], nemo_find(&t, &mr[i].hoa));
		EXPECT_EQ(0, nemo_claim(&t, &mr[i].hoa, NULL, 0, out, &n));
		EXPECT_EQ(1, n);
		p = mr[(i + 1) % N].mnp[0];
		EXPECT_EQ(BA_ST_PREFIX_NOT_AUTHORIZED,
			  nemo_claim(&t, &mr[i].hoa, &p, 1, out, &n));
	}
	a = a6("fd00:1::ffff:ffff");
	EXPECT_EQ(NULL, nemo_find(&t, &a));
	nemo_table_free(&t);
	/* what the configuration refuses, the table refuses too */
	mr[1].hoa = mr[0].hoa;
	EXPECT_EQ(-EEXIST, nemo_table_build(&t, mr, 2));
	mr[1].hoa = a6(MR2);
	mr[1].mnp[0].plen = 0;
	EXPECT_EQ(-EINVAL, nemo_table_build(&t, mr, 2));
	mr[1].mnp[0].plen = 64;
	mr[1].nmnp = 0;
	EXPECT_EQ(-EINVAL, nemo_table_build(&t, mr, 2));
	free(mr);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Mobile node decisions (RFC 5648 s.5) on the host: drive mn_bul.c with
 * link/address events, time and BAs; check the BUs and kernel operations.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "mn_bul.h"

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static const char *const coas[] = { "fd00:21::2", "fd00:22::2", "fd00:23::2" };

FIXTURE(mn) {
	struct mn_state st;
	struct mn_out out;
	uint64_t now;
};

static void up3(struct mn_state *st, struct mn_out *out)
{
	struct in6_addr a;
	char name[8];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "if%d", i + 1);
		mn_link_event(st, 10 + i, name, true, false, out);
		a = a6(coas[i]);
		mn_addr_event(st, 10 + i, &a, false, out);
	}
}

FIXTURE_SETUP(mn)
{
	struct mn_params p = {
		.lifetime = 60, .use_mcoa = true, .use_bulk = true,
	};

	p.hoa = a6("fd00:1::100");
	p.ha = a6("fd00:1::1");
	mn_state_init(&self->st, &p, 100);
	mn_add_link(&self->st, "if1", 1, 0);
	mn_add_link(&self->st, "if2", 2, 0);
	mn_add_link(&self->st, "if3", 3, 0);
	up3(&self->st, &self->out);
	self->now = 1000;
}

FIXTURE_TEARDOWN(mn)
{
}

static void ba_ok(struct mn_ba *ba, const struct mn_bu *bu, uint8_t status)
{
	unsigned int i;

	memset(ba, 0, sizeof(*ba));
	ba->status = status;
	ba->seq = bu->seq;
	ba->lifetime = 15;
	ba->nbid = bu->nbid;
	for (i = 0; i < bu->nbid; i++)
		ba->bid[i].bid = bu->bid[i].bid;
}

static int nops(const struct mn_out *o, enum mn_kop_type t)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < o->nops; i++)
		n += o->ops[i].type == t;
	return n;
}

/* bootstrap: one bulk BU, O set, a CoA in every BID option */
static void bootstrap(struct __test_metadata *_metadata,
		      FIXTURE_DATA(mn) *self)
{
	struct mn_ba ba;

	if (!self->st.tx_active) {
		mn_step(&self->st, self->now, &self->out);
		ASSERT_TRUE(self->out.send);
	}
	ASSERT_TRUE(self->st.tx.overwrite);
	ASSERT_EQ(3, self->st.tx.nbid);
	ba_ok(&ba, &self->st.tx, 0);
	ASSERT_TRUE(mn_process_ba(&self->st, &ba, self->now, &self->out));
	ASSERT_EQ(3, nops(&self->out, MN_KOP_NEW));
}

TEST_F(mn, bootstrap_bulk_with_overwrite)
{
	unsigned int i;

	mn_step(&self->st, self->now, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(101, self->out.bu.seq);
	EXPECT_TRUE(self->out.bu.overwrite);
	EXPECT_EQ(15, self->out.bu.lifetime);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(i + 1, self->out.bu.bid[i].bid);
		EXPECT_TRUE(self->out.bu.bid[i].with_coa);
	}
	bootstrap(_metadata, self);
	EXPECT_EQ(1, nops(&self->out, MN_KOP_SEQ));
	EXPECT_EQ(11, self->out.ops[1].link);
	EXPECT_EQ(60, self->out.ops[0].lifetime);
	/* nothing more to say until the refresh at 80 % */
	EXPECT_EQ(1000 + 48000, mn_step(&self->st, self->now, &self->out));
	EXPECT_FALSE(self->out.send);
}

TEST_F(mn, retransmit_with_backoff)
{
	uint64_t t;
	uint16_t seq;

	t = mn_step(&self->st, 0, &self->out);
	EXPECT_EQ(1500, t);	/* InitialBindackTimeoutFirstReg */
	seq = self->out.bu.seq;
	t = mn_step(&self->st, 1500, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(seq + 1, self->out.bu.seq);	/* fresh sequence number */
	EXPECT_EQ(1500 + 3000, t);
	t = mn_step(&self->st, 4500, &self->out);
	EXPECT_EQ(4500 + 6000, t);
	t = mn_step(&self->st, 10500, &self->out);
	t = mn_step(&self->st, t, &self->out);
	t = mn_step(&self->st, t, &self->out);
	EXPECT_EQ(32000, self->st.tx_timeout);	/* MAX_BINDACK_TIMEOUT */
	t = mn_step(&self->st, t, &self->out);
	EXPECT_EQ(32000, self->st.tx_timeout);
}

TEST_F(mn, link_down_deregisters_that_bid_only)
{
	struct mn_ba ba;

	bootstrap(_metadata, self);
	mn_link_event(&self->st, 11, "if2", false, false, &self->out);
	/* flows leave if2 at once */
	ASSERT_EQ(1, nops(&self->out, MN_KOP_DEL));
	EXPECT_EQ(2, self->out.ops[0].bid);
	mn_step(&self->st, 2000, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(0, self->out.bu.lifetime);
	ASSERT_EQ(1, self->out.bu.nbid);
	EXPECT_EQ(2, self->out.bu.bid[0].bid);
	EXPECT_FALSE(self->out.bu.overwrite);
	EXPECT_NE(1, self->out.bu.src_link);	/* not from the dead link */
	EXPECT_EQ(INITIAL_BINDACK_TIMEOUT_MS, self->st.tx_timeout);
	ba_ok(&ba, &self->out.bu, 0);
	ba.lifetime = 0;
	mn_process_ba(&self->st, &ba, 2100, &self->out);
	EXPECT_FALSE(self->st.links[1].bound);
	EXPECT_TRUE(self->st.links[0].bound);

	/* back up: individual BU with its CoA */
	mn_link_event(&self->st, 11, "if2", true, false, &self->out);
	mn_step(&self->st, 3000, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(15, self->out.bu.lifetime);
	ASSERT_EQ(1, self->out.bu.nbid);
	EXPECT_EQ(2, self->out.bu.bid[0].bid);
	EXPECT_TRUE(self->out.bu.bid[0].with_coa);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, 3100, &self->out);
	EXPECT_EQ(1, nops(&self->out, MN_KOP_NEW));
}

TEST_F(mn, refresh_is_bulk_without_coa)
{
	mn_step(&self->st, self->now, &self->out);
	bootstrap(_metadata, self);
	mn_step(&self->st, 49000, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_FALSE(self->out.bu.overwrite);
	EXPECT_EQ(3, self->out.bu.nbid);
	EXPECT_FALSE(self->out.bu.bid[0].with_coa);
}

/* issue 9: under ESP a refresh names every CoA too (RFC 5648 s.5.2) */
TEST_F(mn, esp_refresh_carries_coa)
{
	unsigned int i;

	self->st.p.esp = true;
	mn_step(&self->st, self->now, &self->out);
	bootstrap(_metadata, self);
	mn_step(&self->st, 49000, &self->out);
	ASSERT_TRUE(self->out.send);
	ASSERT_EQ(3, self->out.bu.nbid);
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(self->out.bu.bid[i].with_coa);
}

TEST_F(mn, brr_refreshes_asked_bids)
{
	uint16_t bid = 3;

	bootstrap(_metadata, self);
	mn_process_brr(&self->st, &bid, 1);
	mn_step(&self->st, 5000, &self->out);
	ASSERT_TRUE(self->out.send);
	ASSERT_EQ(1, self->out.bu.nbid);
	EXPECT_EQ(3, self->out.bu.bid[0].bid);
}

TEST_F(mn, status_165_resends_with_overwrite)
{
	struct mn_ba ba;

	bootstrap(_metadata, self);
	mn_link_event(&self->st, 11, "if2", false, false, &self->out);
	mn_link_event(&self->st, 11, "if2", true, false, &self->out);
	mn_step(&self->st, 2000, &self->out);
	ASSERT_FALSE(self->out.bu.overwrite);
	ba_ok(&ba, &self->out.bu, BA_ST_MCOA_NON_MCOA_BINDING);
	mn_process_ba(&self->st, &ba, 2100, &self->out);
	mn_step(&self->st, 2100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_TRUE(self->out.bu.overwrite);
	EXPECT_EQ(3, self->out.bu.nbid);
}

TEST_F(mn, status_166_falls_back_to_legacy)
{
	struct mn_ba ba;

	mn_step(&self->st, 0, &self->out);
	ba_ok(&ba, &self->out.bu, BA_ST_MCOA_PROHIBITED);
	mn_process_ba(&self->st, &ba, 100, &self->out);
	mn_step(&self->st, 100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_TRUE(self->out.bu.legacy);
	EXPECT_EQ(0, self->out.bu.nbid);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, 200, &self->out);
	ASSERT_EQ(1, nops(&self->out, MN_KOP_NEW));
	EXPECT_TRUE(self->out.ops[0].legacy);
}

TEST_F(mn, ba_without_bid_option_falls_back)
{
	struct mn_ba ba;

	mn_step(&self->st, 0, &self->out);
	ba_ok(&ba, &self->out.bu, 0);
	ba.nbid = 0;
	mn_process_ba(&self->st, &ba, 100, &self->out);
	EXPECT_TRUE(self->st.mcoa_off);
	ASSERT_EQ(1, nops(&self->out, MN_KOP_NEW));
	EXPECT_TRUE(self->out.ops[0].legacy);
	EXPECT_EQ(1, self->out.ops[0].bid);
}

TEST_F(mn, status_168_stops_bulk)
{
	struct mn_ba ba;

	mn_step(&self->st, 0, &self->out);
	ba_ok(&ba, &self->out.bu, BA_ST_MCOA_BULK_PROHIBITED);
	mn_process_ba(&self->st, &ba, 100, &self->out);
	EXPECT_EQ(0, self->out.nops);
	mn_step(&self->st, 100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(1, self->out.bu.nbid);
	EXPECT_TRUE(self->out.bu.overwrite);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, 200, &self->out);
	mn_step(&self->st, 200, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(1, self->out.bu.nbid);
	EXPECT_EQ(2, self->out.bu.bid[0].bid);
	EXPECT_FALSE(self->out.bu.overwrite);
}

TEST_F(mn, status_167_resends_coa)
{
	struct mn_ba ba;

	bootstrap(_metadata, self);
	mn_step(&self->st, 49000, &self->out);	/* refresh, no CoA */
	ASSERT_FALSE(self->out.bu.bid[0].with_coa);
	ba_ok(&ba, &self->out.bu, BA_ST_MCOA_NOTCOMPLETE);
	ba.bid[0].status = BA_ST_MCOA_UNKNOWN_COA;
	mn_process_ba(&self->st, &ba, 49100, &self->out);
	mn_step(&self->st, 49100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(1, self->out.bu.bid[0].bid);
	EXPECT_TRUE(self->out.bu.bid[0].with_coa);
}

TEST_F(mn, status_135_resyncs_sequence)
{
	struct mn_ba ba;

	mn_step(&self->st, 0, &self->out);
	ba_ok(&ba, &self->out.bu, BA_ST_SEQ_OUT_OF_WINDOW);
	ba.seq = 5000;
	mn_process_ba(&self->st, &ba, 100, &self->out);
	mn_step(&self->st, 100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(5001, self->out.bu.seq);
	ba_ok(&ba, &self->out.bu, 0);
	EXPECT_TRUE(mn_process_ba(&self->st, &ba, 200, &self->out));
}

/*
 * The 135 came back by the uplink the BU left from: the resend goes the
 * same way, with the same timeout, and is not counted as a retransmission
 * (seen in CI: it moved to if2 and the RFC 6275 fallback bound BID 2).
 */
TEST_F(mn, status_135_resend_same_link_no_backoff)
{
	struct mn_ba ba;
	unsigned int src;
	uint32_t timeout;

	mn_step(&self->st, 0, &self->out);
	ASSERT_TRUE(self->out.send);
	src = self->out.bu.src_link;
	timeout = self->st.tx_timeout;
	ba_ok(&ba, &self->out.bu, BA_ST_SEQ_OUT_OF_WINDOW);
	ba.seq = 5000;
	mn_process_ba(&self->st, &ba, 100, &self->out);
	mn_step(&self->st, 100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(src, self->out.bu.src_link);
	EXPECT_EQ(0, self->st.st.retrans);
	EXPECT_EQ(timeout, self->st.tx_timeout);
	EXPECT_EQ(100 + timeout, self->st.tx_next);
	/* a real loss afterwards still rotates and backs off */
	mn_step(&self->st, self->st.tx_next, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_NE(src, self->out.bu.src_link);
	EXPECT_EQ(1, self->st.st.retrans);
}

TEST_F(mn, stale_ba_ignored)
{
	struct mn_ba ba;

	mn_step(&self->st, 0, &self->out);
	ba_ok(&ba, &self->out.bu, 0);
	ba.seq -= 10;
	EXPECT_FALSE(mn_process_ba(&self->st, &ba, 100, &self->out));
	EXPECT_EQ(0, self->out.nops);
}

/* RFC 5648 s.5.5 case 1: the MN goes home, from the HoA, no BID */
static void go_home(struct __test_metadata *_metadata,
		    FIXTURE_DATA(mn) *self, uint64_t now)
{
	ASSERT_TRUE(mn_home_event(&self->st, true));
	EXPECT_FALSE(mn_home_event(&self->st, true));
	mn_step(&self->st, now, &self->out);
	ASSERT_TRUE(self->out.send);
	ASSERT_TRUE(self->out.bu.home);
	EXPECT_TRUE(self->out.bu.legacy);
	EXPECT_EQ(0, self->out.bu.lifetime);
	EXPECT_EQ(0, self->out.bu.nbid);
	EXPECT_FALSE(self->out.bu.overwrite);
	EXPECT_TRUE(in6_eq(&self->st.p.hoa, &self->out.bu.src));
}

TEST_F(mn, going_home_deregisters_all)
{
	struct mn_ba ba;
	struct in6_addr a = a6("fd00:21::99");

	bootstrap(_metadata, self);
	go_home(_metadata, self, 2000);
	/* the tunnels keep working until the HA has let go */
	EXPECT_EQ(0, self->out.nops);
	EXPECT_EQ(INITIAL_BINDACK_TIMEOUT_MS, self->st.tx_timeout);
	ba_ok(&ba, &self->out.bu, 0);
	ba.lifetime = 0;
	ASSERT_TRUE(mn_process_ba(&self->st, &ba, 2100, &self->out));
	EXPECT_EQ(3, nops(&self->out, MN_KOP_DEL));
	EXPECT_TRUE(self->st.at_home);
	EXPECT_FALSE(self->st.links[0].bound || self->st.links[1].bound ||
		     self->st.links[2].bound);
	/* at home nothing is registered, whatever the uplinks do */
	EXPECT_EQ(UINT64_MAX, mn_step(&self->st, 2200, &self->out));
	EXPECT_FALSE(self->out.send);
	mn_addr_event(&self->st, 10, &a, false, &self->out);
	mn_link_event(&self->st, 12, "if3", false, false, &self->out);
	mn_step(&self->st, 60000, &self->out);
	EXPECT_FALSE(self->out.send);
}

/* mcoactl daemon show: where the MN is, in text and JSON */
TEST_F(mn, show_says_at_home)
{
	char *buf = NULL;
	size_t len = 0;
	struct mn_ba ba;
	FILE *f;

	bootstrap(_metadata, self);
	go_home(_metadata, self, 2000);
	f = open_memstream(&buf, &len);
	mn_dump(&self->st, 2000, f, false);
	mn_dump(&self->st, 2000, f, true);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, " returning-home"));
	EXPECT_NE(NULL, strstr(buf, "\"home\":\"returning-home\""));
	free(buf);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, 2100, &self->out);
	f = open_memstream(&buf, &len);
	mn_dump(&self->st, 2100, f, false);
	mn_dump(&self->st, 2100, f, true);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "seq 102 at-home\n"));
	EXPECT_NE(NULL, strstr(buf, "dev if1 coa fd00:21::2 home "));
	EXPECT_NE(NULL, strstr(buf, "\"home\":\"at-home\""));
	free(buf);
}

/* an interface name with a quote or a control byte keeps the JSON valid */
TEST_F(mn, show_json_escapes_ifname)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	bootstrap(_metadata, self);
	strcpy(self->st.links[0].ifname, "a\"b\\\x01");
	f = open_memstream(&buf, &len);
	mn_dump(&self->st, 2000, f, true);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "\"ifname\":\"a\\\"b\\\\\\u0001\",")) TH_LOG("%s", buf);
	free(buf);
}

TEST_F(mn, going_home_retransmits)
{
	uint16_t seq;

	bootstrap(_metadata, self);
	go_home(_metadata, self, 2000);
	seq = self->out.bu.seq;
	EXPECT_EQ(3000, mn_step(&self->st, 2500, &self->out));
	EXPECT_FALSE(self->out.send);
	EXPECT_EQ(5000, mn_step(&self->st, 3000, &self->out));
	ASSERT_TRUE(self->out.send);
	EXPECT_TRUE(self->out.bu.home);
	EXPECT_EQ(seq + 1, self->out.bu.seq);
}

TEST_F(mn, going_home_133_means_nothing_left)
{
	struct mn_ba ba;

	go_home(_metadata, self, 2000);
	ba_ok(&ba, &self->out.bu, BA_ST_NOT_HA_FOR_MN);
	ASSERT_TRUE(mn_process_ba(&self->st, &ba, 2100, &self->out));
	EXPECT_TRUE(self->st.at_home);
	mn_step(&self->st, 2200, &self->out);
	EXPECT_FALSE(self->out.send);
}

TEST_F(mn, going_home_refused_waits)
{
	struct mn_ba ba;

	bootstrap(_metadata, self);
	go_home(_metadata, self, 2000);
	ba_ok(&ba, &self->out.bu, BA_ST_ADMIN_PROHIBITED);
	ASSERT_TRUE(mn_process_ba(&self->st, &ba, 2100, &self->out));
	EXPECT_FALSE(self->st.at_home);
	EXPECT_EQ(0, nops(&self->out, MN_KOP_DEL));
	EXPECT_EQ(2100 + MAX_BINDACK_TIMEOUT_MS,
		  mn_step(&self->st, 2200, &self->out));
	EXPECT_FALSE(self->out.send);
	mn_step(&self->st, 2100 + MAX_BINDACK_TIMEOUT_MS, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_TRUE(self->out.bu.home);
}

/* leaving home is a bootstrap: O set, every live CoA named */
static void leave_home(struct __test_metadata *_metadata,
		       FIXTURE_DATA(mn) *self, uint64_t now)
{
	struct mn_ba ba;
	unsigned int i;

	ASSERT_TRUE(mn_home_event(&self->st, false));
	EXPECT_FALSE(self->st.at_home);
	mn_step(&self->st, now, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_FALSE(self->out.bu.home);
	EXPECT_TRUE(self->out.bu.overwrite);
	EXPECT_EQ(15, self->out.bu.lifetime);
	ASSERT_EQ(3, self->out.bu.nbid);
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(self->out.bu.bid[i].with_coa);
	ba_ok(&ba, &self->out.bu, 0);
	ASSERT_TRUE(mn_process_ba(&self->st, &ba, now + 100, &self->out));
	/* new ones, or updates of those the kernel still had */
	EXPECT_EQ(3, nops(&self->out, MN_KOP_NEW) +
		     nops(&self->out, MN_KOP_SET));
}

TEST_F(mn, leaving_home_registers_again)
{
	struct mn_ba ba;

	bootstrap(_metadata, self);
	go_home(_metadata, self, 2000);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, 2100, &self->out);
	leave_home(_metadata, self, 5000);
	EXPECT_EQ(3, nops(&self->out, MN_KOP_NEW));
}

TEST_F(mn, leaving_home_before_the_ba)
{
	bootstrap(_metadata, self);
	go_home(_metadata, self, 2000);
	/* the HA may or may not have dropped us: start over with O=1 */
	leave_home(_metadata, self, 2500);
}

/*
 * Issue 10 item 6 (MN side): the HA refused a selective de-registration
 * with 133 and named the BID it does not know: that one is gone, the
 * other is still bound there and is de-registered again.
 */
TEST_F(mn, dereg_133_names_unknown_bid)
{
	struct mn_ba ba;

	bootstrap(_metadata, self);
	mn_link_event(&self->st, 11, "if2", false, false, &self->out);
	mn_link_event(&self->st, 12, "if3", false, false, &self->out);
	mn_step(&self->st, 2000, &self->out);
	ASSERT_TRUE(self->out.send);
	ASSERT_EQ(2, self->out.bu.nbid);
	ba_ok(&ba, &self->out.bu, BA_ST_NOT_HA_FOR_MN);
	ba.lifetime = 0;
	ba.bid[1].status = BA_ST_NOT_HA_FOR_MN;		/* BID 3 unknown */
	mn_process_ba(&self->st, &ba, 2100, &self->out);
	EXPECT_TRUE(self->st.links[1].bound);
	EXPECT_FALSE(self->st.links[2].bound);
	mn_step(&self->st, 2100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(0, self->out.bu.lifetime);
	ASSERT_EQ(1, self->out.bu.nbid);
	EXPECT_EQ(2, self->out.bu.bid[0].bid);
}

/*
 * Issue 10 item 7: falling back to plain RFC 6275 takes the other links'
 * bindings out of the kernel at once, says so once, and shows those links
 * as unused rather than pending.
 */
TEST_F(mn, fallback_166_drops_other_bindings)
{
	char buf[4096] = "";
	struct mn_ba ba;
	FILE *f;

	bootstrap(_metadata, self);
	mn_step(&self->st, 49000, &self->out);		/* refresh */
	ASSERT_TRUE(self->out.send);
	ba_ok(&ba, &self->out.bu, BA_ST_MCOA_PROHIBITED);
	mn_process_ba(&self->st, &ba, 49100, &self->out);
	EXPECT_TRUE(self->out.mcoa_fallback);
	EXPECT_EQ(3, nops(&self->out, MN_KOP_DEL));
	mn_step(&self->st, 49100, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_TRUE(self->out.bu.legacy);
	ba_ok(&ba, &self->out.bu, 0);
	ba.nbid = 0;
	mn_process_ba(&self->st, &ba, 49200, &self->out);
	EXPECT_FALSE(self->out.mcoa_fallback);		/* said once */
	EXPECT_EQ(1, nops(&self->out, MN_KOP_NEW));
	EXPECT_EQ(0, nops(&self->out, MN_KOP_DEL));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	mn_dump(&self->st, 49200, f, false);
	fclose(f);
	EXPECT_EQ(NULL, strstr(buf, "pending"));
	EXPECT_NE(NULL, strstr(buf, "bid 2 dev if2 coa fd00:22::2 unused"));
}

/* The HA ignored the BID options of a refresh: same, from a BA without them */
TEST_F(mn, fallback_ba_without_bids_drops_other_bindings)
{
	struct mn_ba ba;
	int i, del2 = 0, del3 = 0;

	bootstrap(_metadata, self);
	mn_step(&self->st, 49000, &self->out);
	ba_ok(&ba, &self->out.bu, 0);
	ba.nbid = 0;
	mn_process_ba(&self->st, &ba, 49100, &self->out);
	EXPECT_TRUE(self->out.mcoa_fallback);
	for (i = 0; i < (int)self->out.nops; i++) {
		del2 += self->out.ops[i].type == MN_KOP_DEL &&
			self->out.ops[i].bid == 2;
		del3 += self->out.ops[i].type == MN_KOP_DEL &&
			self->out.ops[i].bid == 3;
	}
	EXPECT_EQ(1, del2);
	EXPECT_EQ(1, del3);
	EXPECT_FALSE(self->st.links[1].kernel);
	EXPECT_FALSE(self->st.links[2].kernel);
}

/* ... and so does a restart in plain mode over MCoA bindings it finds */
TEST_F(mn, legacy_mode_drops_restored_bindings)
{
	struct in6_addr c;
	int i;

	self->st.mcoa_off = true;
	for (i = 0; i < 3; i++) {
		c = a6(coas[i]);
		mn_restore_binding(&self->st, i + 1, &c, 30000, false, 0);
	}
	mn_step(&self->st, 1000, &self->out);
	EXPECT_EQ(2, nops(&self->out, MN_KOP_DEL));
	EXPECT_FALSE(self->st.links[1].kernel);
	EXPECT_FALSE(self->st.links[2].kernel);
}

/* Issue 10: the lifetime runs from the BU's send time, clamped to the ask */
TEST_F(mn, lifetime_from_send_time_and_clamped)
{
	struct mn_ba ba;

	mn_step(&self->st, 1000, &self->out);
	ASSERT_TRUE(self->out.send);
	ba_ok(&ba, &self->out.bu, 0);
	ba.lifetime = 30;			/* 120 s granted, 60 s asked */
	mn_process_ba(&self->st, &ba, 1400, &self->out);	/* 400 ms RTT */
	EXPECT_EQ(60, self->st.links[0].granted);
	EXPECT_EQ(1000 + 60000, self->st.links[0].expires);
	EXPECT_EQ(1000 + 48000, self->st.links[0].refresh_at);
	EXPECT_EQ(60, self->out.ops[0].lifetime);
}

/* a BA for an earlier transmission counts from the first one */
TEST_F(mn, lifetime_from_first_send_for_older_seq)
{
	struct mn_ba ba;
	uint16_t first;

	mn_step(&self->st, 0, &self->out);
	first = self->out.bu.seq;
	mn_step(&self->st, 1500, &self->out);		/* retransmission */
	ASSERT_TRUE(self->out.send);
	ba_ok(&ba, &self->out.bu, 0);
	ba.seq = first;
	ASSERT_TRUE(mn_process_ba(&self->st, &ba, 1600, &self->out));
	EXPECT_EQ(60000, self->st.links[0].expires);
}

/* Issue 10: MAX_UPDATE_RATE, even while an address flaps */
TEST_F(mn, max_update_rate_while_flapping)
{
	struct in6_addr a = a6(coas[0]), b = a6("fd00:21::99");
	uint64_t t, wake = 0;
	int sent = 0, k;

	bootstrap(_metadata, self);
	for (k = 0; k < 20; k++) {
		t = 2000 + k * 40;
		mn_addr_event(&self->st, 10, k & 1 ? &a : &b, false, &self->out);
		mn_addr_event(&self->st, 10, k & 1 ? &b : &a, true, &self->out);
		wake = mn_step(&self->st, t, &self->out);
		sent += self->out.send;
	}
	EXPECT_EQ(3, sent);				/* in 760 ms */
	EXPECT_EQ(2000 + 1000, wake);	/* the first of the three + 1 s */
	mn_step(&self->st, 3000, &self->out);
	EXPECT_TRUE(self->out.send);
}

/* Issue 10: InitialBindackTimeoutFirstReg from the configuration */
TEST_F(mn, first_reg_timeout_configurable)
{
	self->st.p.first_reg_timeout_ms = 4000;
	EXPECT_EQ(4000, mn_step(&self->st, 0, &self->out));
	EXPECT_EQ(8000 + 4000, mn_step(&self->st, 4000, &self->out));
}

/*
 * Issue 10: retransmissions leave by the other live uplinks in turn, and
 * the next BU starts on the uplink that was answered.
 */
TEST_F(mn, retransmissions_rotate_over_live_links)
{
	unsigned int answered;
	struct mn_ba ba;
	uint64_t t;

	t = mn_step(&self->st, 0, &self->out);
	EXPECT_EQ(0, self->out.bu.src_link);
	t = mn_step(&self->st, t, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(1, self->out.bu.src_link);
	EXPECT_TRUE(in6_eq(&self->out.bu.src, &self->st.links[1].coa));
	mn_link_event(&self->st, 12, "if3", false, false, &self->out);
	/* if3 went down: the BU is re-planned, from if2 */
	t = mn_step(&self->st, t, &self->out);
	ASSERT_TRUE(self->out.send);
	t = mn_step(&self->st, t, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_NE(2, self->out.bu.src_link);		/* never the dead one */
	answered = self->out.bu.src_link;
	EXPECT_NE(0, answered);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, t, &self->out);
	mn_step(&self->st, t + 49000, &self->out);	/* refresh */
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(answered, self->out.bu.src_link);
}

/*
 * Liveness: drive one CoA's probes to death (no answers) while the others
 * answer; returns the ops of the tick that made it dead.
 */
static void probes(FIXTURE_DATA(mn) *self, uint64_t from, uint64_t to,
		   unsigned int dead_mask, struct mn_out *out)
{
	uint64_t t;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (t = from; t <= to; t += 50) {
		mn_live_sync(&self->st, t);
		for (i = 0; i < self->st.nlinks; i++) {
			struct mn_link *l = &self->st.links[i];
			bool send;

			live_tick(&l->live, &self->st.p.probe, t, &send);
			if (send && !(dead_mask & (1u << i)))
				live_reply(&l->live, &self->st.p.probe,
					   l->live.seq, t + 2);
		}
		mn_liveness(&self->st, out);
		if (out->nops)
			return;
	}
}

static void probing_on(FIXTURE_DATA(mn) *self)
{
	live_params_default(&self->st.p.probe);
	mn_live_sync(&self->st, self->now);
}

TEST_F(mn, dead_coa_leaves_kernel_and_is_deregistered_from_a_live_one)
{
	struct mn_ba ba;
	unsigned int i;

	bootstrap(_metadata, self);
	probing_on(self);
	probes(self, 1000, 2000, 0, &self->out);	/* all answer */
	EXPECT_EQ(0, self->out.nops);
	/* if2 stops answering: out of the kernel at once */
	probes(self, 2050, 6000, 1u << 1, &self->out);
	ASSERT_EQ(1, nops(&self->out, MN_KOP_DEL));
	EXPECT_EQ(2, self->out.ops[0].bid);
	EXPECT_TRUE(self->st.links[1].suspended);
	EXPECT_EQ(LIVE_DEAD, self->st.links[1].live.state);
	EXPECT_FALSE(self->st.links[1].kernel);
	/* selective de-registration of BID 2, not from if2 */
	mn_step(&self->st, 6000, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(0, self->out.bu.lifetime);
	ASSERT_EQ(1, self->out.bu.nbid);
	EXPECT_EQ(2, self->out.bu.bid[0].bid);
	EXPECT_NE(1, self->out.bu.src_link);
	/* a retransmission never moves onto the dead link either */
	for (i = 0; i < 4; i++) {
		uint64_t t = self->st.tx_next;

		mn_step(&self->st, t, &self->out);
		if (self->out.send)
			EXPECT_NE(1, self->out.bu.src_link);
	}
	ba_ok(&ba, &self->st.tx, 0);
	ba.lifetime = 0;
	mn_process_ba(&self->st, &ba, 7000, &self->out);
	EXPECT_FALSE(self->st.links[1].bound);
	EXPECT_TRUE(self->st.links[0].bound && self->st.links[2].bound);

	/* answers again: 2 in a row bring it back, registered with its CoA */
	probes(self, 40000, 42000, 0, &self->out);
	EXPECT_FALSE(self->st.links[1].suspended);
	EXPECT_EQ(LIVE_ALIVE, self->st.links[1].live.state);
	mn_step(&self->st, 42000, &self->out);
	ASSERT_TRUE(self->out.send);
	EXPECT_EQ(15, self->out.bu.lifetime);
	ASSERT_GE(self->out.bu.nbid, 1);
	EXPECT_EQ(2, self->out.bu.bid[0].bid);
	EXPECT_TRUE(self->out.bu.bid[0].with_coa);
	ba_ok(&ba, &self->out.bu, 0);
	mn_process_ba(&self->st, &ba, 42100, &self->out);
	EXPECT_TRUE(self->st.links[1].kernel);
	EXPECT_GE(nops(&self->out, MN_KOP_NEW) + nops(&self->out, MN_KOP_SET), 1);
}

/* every CoA silent (the HA drops Echo, or is down): nothing is suspended */
TEST_F(mn, no_suspension_without_a_proven_live_coa)
{
	bootstrap(_metadata, self);
	probing_on(self);
	probes(self, 1000, 8000, 7, &self->out);
	EXPECT_EQ(0, self->out.nops);
	EXPECT_EQ(LIVE_DEAD, self->st.links[0].live.state);
	EXPECT_FALSE(self->st.links[0].suspended);
	EXPECT_FALSE(self->st.links[1].suspended);
	EXPECT_TRUE(self->st.links[2].kernel);
}

/* the last working CoA dies too: the dead ones come back as last resort */
TEST_F(mn, last_resort_when_no_coa_is_known_alive)
{
	bootstrap(_metadata, self);
	probing_on(self);
	probes(self, 1000, 2000, 0, &self->out);
	probes(self, 2050, 6000, 1u << 1, &self->out);
	ASSERT_TRUE(self->st.links[1].suspended);
	/* if1 and if3 die too: nothing proven alive, nobody suspended */
	probes(self, 6050, 12000, 7, &self->out);
	probes(self, 12050, 14000, 7, &self->out);
	EXPECT_FALSE(self->st.links[0].suspended);
	EXPECT_FALSE(self->st.links[1].suspended);
	EXPECT_FALSE(self->st.links[2].suspended);
}

/* a link that goes down is no longer probed; up again: alive until shown */
TEST_F(mn, link_down_stops_probing)
{
	bootstrap(_metadata, self);
	probing_on(self);
	probes(self, 1000, 2000, 0, &self->out);
	mn_link_event(&self->st, 11, "if2", false, false, &self->out);
	mn_live_sync(&self->st, 2100);
	EXPECT_EQ(LIVE_IDLE, self->st.links[1].live.state);
	mn_link_event(&self->st, 11, "if2", true, false, &self->out);
	mn_live_sync(&self->st, 2200);
	EXPECT_EQ(LIVE_ALIVE, self->st.links[1].live.state);
	/* each CoA has its own Echo identifier */
	EXPECT_NE(self->st.links[0].live.ident, self->st.links[1].live.ident);
	EXPECT_NE(self->st.links[1].live.ident, self->st.links[2].live.ident);
}

TEST_HARNESS_MAIN

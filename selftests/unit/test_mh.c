// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of daemon/mh/mh.c: every builder against byte layouts
 * computed by hand from RFC 6275 s6.1/6.2 and RFC 5648 s4.3 (the worked
 * examples of PROTOCOL.md 1.6), round trips, and malformed input.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "mh.h"

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		abort();
	return a;
}

static struct in_addr a4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a;
}

static struct mh_bid bid6(uint16_t id, const char *coa)
{
	struct mh_bid b = { .bid = id, .coa_family = AF_INET6 };

	b.coa6 = a6(coa);
	return b;
}

static struct mh_bid bid0(uint16_t id)
{
	struct mh_bid b = { .bid = id };

	return b;
}

/*
 * Raw message writer for malformed input: mh_raw(buf, type, fixed part
 * length, option bytes...) sets PayloadProto 59, appends Pad1 octets up to
 * a multiple of 8 and sets HdrLen from the total length.
 */
static size_t mh_raw(uint8_t *buf, uint8_t type, size_t fixed,
		     const uint8_t *opts, size_t olen)
{
	size_t len = (fixed + olen + 7) & ~(size_t)7;

	memset(buf, 0, len);
	buf[0] = 59;
	buf[1] = len / 8 - 1;
	buf[2] = type;
	memcpy(buf + fixed, opts, olen);
	return len;
}

#define RAW(buf, type, fixed, ...) ({					\
	static const uint8_t __o[] = { __VA_ARGS__ };			\
	mh_raw(buf, type, fixed, __o, sizeof(__o));			\
})

/* ---- builders: exact bytes ------------------------------------------- */

TEST(bu_no_options)
{
	static const uint8_t want[] = {
		0x3b, 0x01, 0x05, 0x00, 0x00, 0x00, 0xbe, 0xef,
		0x80, 0x40, 0x00, 0x2d, 0x01, 0x02, 0x00, 0x00,
	};
	struct mh_bu bu = {
		.seq = 0xbeef, .flags = MH_BU_F_A | MH_BU_F_O, .lifetime = 45,
	};
	uint8_t buf[64];

	ASSERT_EQ(sizeof(want), mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* PROTOCOL.md 1.6: PadN(6) at 12, BID at 18, CoA at 24 -> 40, HdrLen 4 */
TEST(bu_one_bid_v6)
{
	static const uint8_t want[] = {
		0x3b, 0x04, 0x05, 0x00, 0x00, 0x00, 0x12, 0x34,
		0xc0, 0x40, 0x00, 0x10, 0x01, 0x04, 0x00, 0x00,
		0x00, 0x00, 0x23, 0x14, 0x00, 0x01, 0x00, 0x00,
		0xfd, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	};
	struct mh_bu bu = {
		.seq = 0x1234, .lifetime = 16,
		.flags = MH_BU_F_A | MH_BU_F_H | MH_BU_F_O,
	};
	uint8_t buf[256];

	bu.opts.bids[bu.opts.nbids++] = bid6(1, "fd00:21::2");
	ASSERT_EQ(40, mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* ... + a second BID: PadN(2, Length 0) at 40, BID at 42 -> 64, HdrLen 7 */
TEST(bu_two_bids_v6)
{
	static const uint8_t tail[] = {
		0x01, 0x00, 0x23, 0x14, 0x00, 0x02, 0x00, 0x85,
		0xfd, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	};
	struct mh_bu bu = { .seq = 0x1234, .lifetime = 16 };
	uint8_t buf[256];

	bu.flags = MH_BU_F_A | MH_BU_F_H | MH_BU_F_O;
	bu.opts.bids[0] = bid6(1, "fd00:21::2");
	bu.opts.bids[1] = bid6(2, "fd00:22::2");
	bu.opts.bids[1].h = true;
	bu.opts.bids[1].pri = 5;
	bu.opts.nbids = 2;
	ASSERT_EQ(64, mh_build_bu(buf, sizeof(buf), &bu));
	EXPECT_EQ(7, buf[1]);
	EXPECT_EQ(0, memcmp(buf + 40, tail, sizeof(tail)));
}

/* BID without CoA (2n): BID at 12, PadN(6) -> 24, HdrLen 2 */
TEST(bu_bid_no_coa)
{
	static const uint8_t want[] = {
		0x3b, 0x02, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x80, 0x00, 0x01, 0x00, 0x23, 0x04, 0x00, 0x07,
		0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
	};
	struct mh_bu bu = { .seq = 1, .flags = MH_BU_F_A, .lifetime = 256 };
	uint8_t buf[64];

	bu.opts.bids[bu.opts.nbids++] = bid0(7);
	ASSERT_EQ(24, mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* IPv4 CoA (len 8) also 8n+2: PadN(6), BID at 18..27, PadN(4) -> 32 */
TEST(bu_bid_v4)
{
	static const uint8_t want[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00,
		0x00, 0x00, 0x23, 0x08, 0x00, 0x09, 0x00, 0x00,
		0xc0, 0x00, 0x02, 0x01, 0x01, 0x02, 0x00, 0x00,
	};
	struct mh_bu bu = { .seq = 2 };
	uint8_t buf[64];

	bu.opts.bids[0].bid = 9;
	bu.opts.bids[0].coa_family = AF_INET;
	bu.opts.bids[0].coa4 = a4("192.0.2.1");
	bu.opts.nbids = 1;
	ASSERT_EQ(32, mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* Alternate CoA (8n+6): PadN(2) at 12, option at 14..31 -> 32, HdrLen 3 */
TEST(bu_altcoa)
{
	static const uint8_t want[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x10,
		0xfd, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	};
	struct mh_bu bu = { 0 };
	uint8_t buf[64];

	bu.opts.has_altcoa = true;
	bu.opts.altcoa = a6("fd00:21::2");
	ASSERT_EQ(32, mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* MH-LLA (no alignment) after a BID: 12..17 BID, 18..26 LLA, PadN(5) */
TEST(bu_lla)
{
	static const uint8_t want[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x03,
		0xc0, 0x00, 0x00, 0x0f, 0x23, 0x04, 0x00, 0x01,
		0x00, 0x80, 0x07, 0x07, 0x02, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x01, 0x01, 0x03, 0x00, 0x00, 0x00,
	};
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct mh_bu bu = { .seq = 3, .lifetime = 15 };
	uint8_t buf[64];

	bu.flags = MH_BU_F_A | MH_BU_F_H;
	bu.opts.bids[0] = bid0(1);
	bu.opts.bids[0].h = true;
	bu.opts.nbids = 1;
	bu.opts.has_lla = true;
	bu.opts.lla_code = MH_LLA_CODE_MN;
	bu.opts.lla_len = 6;
	memcpy(bu.opts.lla, mac, 6);
	ASSERT_EQ(32, mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* BA: BRA at 12 (2n), two BIDs without CoA at 16 and 22, PadN(4) -> 32 */
TEST(ba_bra_bids)
{
	static const uint8_t want[] = {
		0x3b, 0x03, 0x06, 0x00, 0x00, 0x00, 0x04, 0x80,
		0x12, 0x34, 0x0f, 0x00, 0x02, 0x02, 0x00, 0xf0,
		0x23, 0x04, 0x00, 0x01, 0xa7, 0x00, 0x23, 0x04,
		0x00, 0x02, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
	};
	struct mh_ba ba = {
		.status = MH_BA_MCOA_NOTCOMPLETE, .flags = MH_BA_F_K,
		.seq = 0x1234, .lifetime = 0x0f00,
	};
	uint8_t buf[64];

	ba.opts.has_bra = true;
	ba.opts.refresh = 0xf0;
	ba.opts.bids[0] = bid0(1);
	ba.opts.bids[0].status = MH_BA_MCOA_UNKNOWN_COA;
	ba.opts.bids[1] = bid0(2);
	ba.opts.nbids = 2;
	ASSERT_EQ(32, mh_build_ba(buf, sizeof(buf), &ba));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

TEST(ba_no_options)
{
	static const uint8_t want[] = {
		0x3b, 0x01, 0x06, 0x00, 0x00, 0x00, 0x87, 0x00,
		0x00, 0x0f, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
	};
	struct mh_ba ba = { .status = MH_BA_SEQ_OUT_OF_WINDOW, .seq = 15 };
	uint8_t buf[64];

	ASSERT_EQ(16, mh_build_ba(buf, sizeof(buf), &ba));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

TEST(brr)
{
	static const uint8_t empty[] = {
		0x3b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t want[] = {
		0x3b, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x23, 0x04, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00,
	};
	struct mh_brr brr = { 0 };
	uint8_t buf[64];

	ASSERT_EQ(8, mh_build_brr(buf, sizeof(buf), &brr));
	ASSERT_EQ(0, memcmp(buf, empty, sizeof(empty)));
	brr.opts.bids[brr.opts.nbids++] = bid0(3);
	ASSERT_EQ(16, mh_build_brr(buf, sizeof(buf), &brr));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

TEST(be)
{
	static const uint8_t want[] = {
		0x3b, 0x02, 0x07, 0x00, 0x00, 0x00, 0x02, 0x00,
		0xfd, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	};
	struct mh_be be = { .status = MH_BE_UNKNOWN_MH };
	uint8_t buf[64];

	be.hoa = a6("fd00:1::100");
	ASSERT_EQ(24, mh_build_be(buf, sizeof(buf), &be));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
}

/* Every BU flag lands on its RFC octet/bit */
TEST(bu_flag_bits)
{
	static const struct { uint16_t f; int byte; uint8_t bit; } t[] = {
		{ MH_BU_F_A, 8, 0x80 }, { MH_BU_F_H, 8, 0x40 },
		{ MH_BU_F_L, 8, 0x20 }, { MH_BU_F_K, 8, 0x10 },
		{ MH_BU_F_M, 8, 0x08 }, { MH_BU_F_R, 8, 0x04 },
		{ MH_BU_F_P, 8, 0x02 }, { MH_BU_F_F, 8, 0x01 },
		{ MH_BU_F_T, 9, 0x80 }, { MH_BU_F_O, 9, 0x40 },
	};
	struct mh_bu bu = { 0 };
	uint8_t buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bu.flags = t[i].f;
		ASSERT_EQ(16, mh_build_bu(buf, sizeof(buf), &bu));
		EXPECT_EQ(t[i].bit, buf[t[i].byte]);
		EXPECT_EQ(0, buf[t[i].byte == 8 ? 9 : 8]);
	}
}

/* Every option the builders place sits on its x n + y boundary */
TEST(alignment_all_combinations)
{
	struct mh_ba ba = { 0 };
	struct mh_msg m;
	uint8_t buf[MH_MAX_LEN];
	unsigned int mask, i;

	for (mask = 0; mask < 64; mask++) {
		memset(&ba, 0, sizeof(ba));
		ba.opts.has_bra = mask & 1;
		ba.opts.has_altcoa = mask & 2;
		ba.opts.altcoa = a6("fd00::1");
		for (i = 0; i < 4; i++) {
			ba.opts.bids[i] = (mask >> (2 + i)) & 1 ?
				bid6(i + 1, "fd00::2") : bid0(i + 1);
		}
		ba.opts.nbids = 4;
		/* and 0..1 MNP options after the BIDs, across the masks */
		ba.opts.nmnps = mask & 1;
		ba.opts.mnps[0].plen = 64;
		int len = mh_build_ba(buf, sizeof(buf), &ba);

		ASSERT_GT(len, 0);
		ASSERT_EQ(0, len % 8);
		/* walk the options and check each type's alignment */
		for (int off = 12; off < len;) {
			uint8_t t = buf[off];

			if (t == MH_OPT_PAD1) {
				off++;
				continue;
			}
			if (t == MH_OPT_BRA)
				EXPECT_EQ(0, off % 2);
			if (t == MH_OPT_ALTCOA)
				EXPECT_EQ(6, off % 8);
			if (t == MH_OPT_BID && buf[off + 1] == 20)
				EXPECT_EQ(2, off % 8);
			if (t == MH_OPT_BID && buf[off + 1] == 4)
				EXPECT_EQ(0, off % 2);
			if (t == MH_OPT_MNP)
				EXPECT_EQ(4, off % 8);
			off += 2 + buf[off + 1];
		}
		ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
		EXPECT_EQ(4, m.u.ba.opts.nbids);
	}
}

TEST(build_errors)
{
	struct mh_bu bu = { 0 };
	struct mh_be be = { 0 };
	uint8_t buf[64];

	bu.opts.bids[bu.opts.nbids++] = bid6(1, "fd00::1");
	EXPECT_EQ(-ENOSPC, mh_build_bu(buf, 39, &bu));
	EXPECT_EQ(-ENOSPC, mh_build_bu(buf, 0, &bu));
	EXPECT_EQ(40, mh_build_bu(buf, 40, &bu));
	EXPECT_EQ(-ENOSPC, mh_build_be(buf, 23, &be));
	bu.opts.bids[0].coa_family = AF_UNIX;
	EXPECT_EQ(-EINVAL, mh_build_bu(buf, sizeof(buf), &bu));
	bu.opts.bids[0].coa_family = 0;
	bu.opts.nbids = MH_MAX_BIDS + 1;
	EXPECT_EQ(-EINVAL, mh_build_bu(buf, sizeof(buf), &bu));
	bu.opts.nbids = 1;
	bu.opts.has_lla = true;
	bu.opts.lla_len = MH_LLA_MAX + 1;
	EXPECT_EQ(-EINVAL, mh_build_bu(buf, sizeof(buf), &bu));
}

/* The builder never writes past cap, even when it fails */
TEST(build_no_overflow)
{
	struct mh_bu bu = { 0 };
	uint8_t buf[64];
	size_t cap;
	unsigned int i;

	for (i = 0; i < 2; i++)
		bu.opts.bids[bu.opts.nbids++] = bid6(i + 1, "fd00::1");
	for (cap = 0; cap < 64; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		int r = mh_build_bu(buf, cap, &bu);

		EXPECT_EQ(cap < 64 ? -ENOSPC : 64, r);
		for (i = cap; i < sizeof(buf); i++)
			ASSERT_EQ(0xa5, buf[i]);
	}
}

/* ---- round trips ------------------------------------------------------ */

TEST(roundtrip_bu)
{
	struct mh_bu bu = { .seq = 65535, .lifetime = 65535 };
	struct mh_msg m;
	uint8_t buf[MH_MAX_LEN];
	unsigned int i;
	int len;

	bu.flags = MH_BU_F_A | MH_BU_F_H | MH_BU_F_K | MH_BU_F_O;
	bu.opts.has_altcoa = true;
	bu.opts.altcoa = a6("fd00:21::2");
	for (i = 0; i < MH_MAX_BIDS; i++) {
		struct mh_bid *b = &bu.opts.bids[i];

		*b = i % 3 == 0 ? bid0(i + 1) : bid6(i + 1, "fd00:21::2");
		if (i % 3 == 2) {
			b->coa_family = AF_INET;
			b->coa4 = a4("198.51.100.7");
		}
		b->h = i == 5;
		b->pri = i & 0x7f;
	}
	bu.opts.nbids = MH_MAX_BIDS;
	len = mh_build_bu(buf, sizeof(buf), &bu);
	ASSERT_GT(len, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(MH_TYPE_BU, m.type);
	EXPECT_EQ(len, m.len);
	EXPECT_EQ(bu.seq, m.u.bu.seq);
	EXPECT_EQ(bu.flags, m.u.bu.flags);
	EXPECT_EQ(bu.lifetime, m.u.bu.lifetime);
	EXPECT_TRUE(m.u.bu.opts.has_altcoa);
	EXPECT_EQ(0, memcmp(&bu.opts.altcoa, &m.u.bu.opts.altcoa, 16));
	ASSERT_EQ(MH_MAX_BIDS, m.u.bu.opts.nbids);
	for (i = 0; i < MH_MAX_BIDS; i++) {
		const struct mh_bid *a = &bu.opts.bids[i];
		const struct mh_bid *b = &m.u.bu.opts.bids[i];

		EXPECT_EQ(a->bid, b->bid);
		EXPECT_EQ(a->h, b->h);
		EXPECT_EQ(a->pri, b->pri);
		EXPECT_EQ(a->coa_family, b->coa_family);
		EXPECT_EQ(0, b->err);
		if (a->coa_family == AF_INET6)
			EXPECT_EQ(0, memcmp(&a->coa6, &b->coa6, 16));
		if (a->coa_family == AF_INET)
			EXPECT_EQ(a->coa4.s_addr, b->coa4.s_addr);
	}
	EXPECT_EQ(0, m.u.bu.opts.nunknown);
	EXPECT_TRUE(mh_opt_seen(&m.u.bu.opts, MH_OPT_BID));
	EXPECT_TRUE(mh_opt_seen(&m.u.bu.opts, MH_OPT_PADN));
	EXPECT_FALSE(mh_opt_seen(&m.u.bu.opts, MH_OPT_BRA));
}

TEST(roundtrip_ba)
{
	struct mh_ba ba = {
		.status = MH_BA_MCOA_NOTCOMPLETE, .flags = MH_BA_F_K,
		.seq = 7, .lifetime = 300,
	};
	struct mh_msg m;
	uint8_t buf[256];
	int len;

	ba.opts.has_bra = true;
	ba.opts.refresh = 200;
	ba.opts.bids[0] = bid6(1, "fd00:21::2");
	ba.opts.bids[0].status = MH_BA_MCOA_MALFORMED;
	ba.opts.bids[1] = bid0(2);
	ba.opts.nbids = 2;
	len = mh_build_ba(buf, sizeof(buf), &ba);
	ASSERT_GT(len, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(MH_TYPE_BA, m.type);
	EXPECT_EQ(MH_BA_MCOA_NOTCOMPLETE, m.u.ba.status);
	EXPECT_EQ(MH_BA_F_K, m.u.ba.flags);
	EXPECT_EQ(7, m.u.ba.seq);
	EXPECT_EQ(300, m.u.ba.lifetime);
	EXPECT_TRUE(m.u.ba.opts.has_bra);
	EXPECT_EQ(200, m.u.ba.opts.refresh);
	ASSERT_EQ(2, m.u.ba.opts.nbids);
	EXPECT_EQ(MH_BA_MCOA_MALFORMED, m.u.ba.opts.bids[0].status);
	EXPECT_EQ(AF_INET6, m.u.ba.opts.bids[0].coa_family);
	EXPECT_EQ(2, m.u.ba.opts.bids[1].bid);
	EXPECT_EQ(0, m.u.ba.opts.bids[1].coa_family);
}

TEST(roundtrip_brr_be)
{
	struct mh_brr brr = { 0 };
	struct mh_be be = { .status = MH_BE_UNKNOWN_HAO };
	struct mh_msg m;
	uint8_t buf[256];
	int len;

	brr.opts.bids[0] = bid0(10);
	brr.opts.bids[1] = bid0(65535);
	brr.opts.nbids = 2;
	len = mh_build_brr(buf, sizeof(buf), &brr);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(MH_TYPE_BRR, m.type);
	ASSERT_EQ(2, m.u.brr.opts.nbids);
	EXPECT_EQ(65535, m.u.brr.opts.bids[1].bid);

	be.hoa = a6("fd00:1::100");
	len = mh_build_be(buf, sizeof(buf), &be);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(MH_TYPE_BE, m.type);
	EXPECT_EQ(MH_BE_UNKNOWN_HAO, m.u.be.status);
	EXPECT_EQ(0, memcmp(&be.hoa, &m.u.be.hoa, 16));
}

/* ---- malformed input: drop and count -------------------------------- */

TEST(drop_short)
{
	uint8_t buf[16] = { 59, 0, MH_TYPE_BRR };
	struct mh_msg m;
	size_t n;

	for (n = 0; n < 8; n++) {
		EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, n, &m));
		EXPECT_EQ(MH_DROP_SHORT, m.drop);
	}
	EXPECT_EQ(MH_PARSE_OK, mh_parse(buf, 8, &m));
	/* HdrLen below the type's minimum: BU/BA need 1, BE needs 2 */
	buf[2] = MH_TYPE_BU;
	EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, 8, &m));
	EXPECT_EQ(MH_DROP_SHORT, m.drop);
	buf[2] = MH_TYPE_BA;
	EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, 8, &m));
	EXPECT_EQ(MH_DROP_SHORT, m.drop);
	buf[1] = 1;
	buf[2] = MH_TYPE_BE;
	EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, 16, &m));
	EXPECT_EQ(MH_DROP_SHORT, m.drop);
}

TEST(drop_payload_proto)
{
	uint8_t buf[16] = { 0, 1, MH_TYPE_BU };
	struct mh_msg m;
	int p;

	for (p = 0; p < 256; p++) {
		buf[0] = p;
		EXPECT_EQ(p == 59 ? MH_PARSE_OK : MH_PARSE_DROP,
			  mh_parse(buf, 16, &m));
		if (p != 59)
			EXPECT_EQ(MH_DROP_PROTO, m.drop);
	}
}

TEST(drop_hdrlen_mismatch)
{
	uint8_t buf[MH_MAX_LEN + 16] = { 59, 1, MH_TYPE_BU };
	struct mh_msg m;
	size_t n;

	/* HdrLen 1 says 16 octets: any other length is dropped */
	for (n = 8; n < 40; n++) {
		enum mh_verdict v = mh_parse(buf, n, &m);

		EXPECT_EQ(n == 16 ? MH_PARSE_OK : MH_PARSE_DROP, v);
		if (n != 16)
			EXPECT_EQ(MH_DROP_HDRLEN, m.drop);
	}
	/* oversized: nothing above 2048 octets can match an 8-bit HdrLen */
	buf[1] = 255;
	EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, MH_MAX_LEN + 8, &m));
	EXPECT_EQ(MH_DROP_HDRLEN, m.drop);
	EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, (size_t)-1, &m));
	EXPECT_EQ(MH_DROP_HDRLEN, m.drop);
}

/* The largest MH: 2048 octets of PadN runs after a BU */
TEST(max_size_padn_runs)
{
	uint8_t buf[MH_MAX_LEN] = { 59, 255, MH_TYPE_BU };
	struct mh_msg m;
	size_t off = 12;

	while (off < MH_MAX_LEN) {
		size_t n = MH_MAX_LEN - off < 257 ? MH_MAX_LEN - off : 257;

		if (n == 1) {
			buf[off++] = MH_OPT_PAD1;
			continue;
		}
		buf[off] = MH_OPT_PADN;
		buf[off + 1] = n - 2;
		off += n;
	}
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, sizeof(buf), &m));
	EXPECT_EQ(MH_MAX_LEN, m.len);
	EXPECT_EQ(0, m.u.bu.opts.nunknown);
}

TEST(pad1_runs)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	/* BU fixed part then four Pad1 */
	len = RAW(buf, MH_TYPE_BU, 12, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	/* Pad1 run before a BID, then PadN(0) */
	len = RAW(buf, MH_TYPE_BU, 12, 0, 0, 0, 0,
		  35, 4, 0, 1, 0, 0, 1, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(1, m.u.bu.opts.nbids);
	/* PadN with non-zero content is still padding */
	len = RAW(buf, MH_TYPE_BU, 12, 1, 2, 0xff, 0xff);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	EXPECT_EQ(0, m.u.bu.opts.nunknown);
}

TEST(drop_option_truncated)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	/* a non-Pad1 type in the last octet: no room for its Length */
	len = RAW(buf, MH_TYPE_BU, 12, 0, 0, 0, 1);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_TRUNC, m.drop);
	len = RAW(buf, MH_TYPE_BU, 12, 0, 0, 0, 35);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_TRUNC, m.drop);
}

TEST(drop_option_overrun)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	/* PadN claims 3 octets, 2 left */
	len = RAW(buf, MH_TYPE_BU, 12, 1, 3, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_OVERRUN, m.drop);
	/* BID with CoA cut by the end of the message */
	len = RAW(buf, MH_TYPE_BU, 12, 0, 0, 0, 0,
		  35, 20, 0, 1, 0, 0, 0xfd, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_OVERRUN, m.drop);
	/* unknown option with Length 255 */
	len = RAW(buf, MH_TYPE_BU, 12, 200, 255, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_OVERRUN, m.drop);
}

TEST(drop_option_bad_length)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	/* BRA Length 3 */
	len = RAW(buf, MH_TYPE_BA, 12, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
	/* BRA Length 0 (zero-length option) */
	len = RAW(buf, MH_TYPE_BA, 12, 2, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
	/* AltCoA Length 14 */
	len = RAW(buf, MH_TYPE_BU, 12, 3, 14, 0, 0, 0, 0, 0, 0, 0, 0,
		  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
	/* Nonce Indices Length 2 */
	len = RAW(buf, MH_TYPE_BU, 12, 4, 2, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
	/* MH-LLA Length 0 */
	len = RAW(buf, MH_TYPE_BU, 12, 7, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
}

TEST(drop_option_duplicate)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BA, 12, 2, 2, 0, 1, 2, 2, 0, 2,
		  1, 2, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_DUP, m.drop);
}

TEST(unknown_options_skipped)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	/* zero-length unknown, 3-octet unknown, Nonce, Auth Data, BID */
	len = RAW(buf, MH_TYPE_BU, 12, 200, 0, 99, 1, 0xaa,
		  4, 4, 0, 1, 0, 2, 5, 0, 35, 4, 0, 9, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	EXPECT_EQ(4, m.u.bu.opts.nunknown);
	EXPECT_TRUE(m.u.bu.opts.has_auth);
	EXPECT_TRUE(mh_opt_seen(&m.u.bu.opts, 200));
	EXPECT_TRUE(mh_opt_seen(&m.u.bu.opts, 99));
	EXPECT_FALSE(mh_opt_seen(&m.u.bu.opts, 98));
	ASSERT_EQ(1, m.u.bu.opts.nbids);
	EXPECT_EQ(9, m.u.bu.opts.bids[0].bid);
}

/* Receivers do not demand alignment: a BID with CoA at offset 12 parses */
TEST(misaligned_options_accepted)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BU, 12, 35, 20, 0, 4, 0, 0x80 | 3,
		  0xfd, 0, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		  0, 0, 3, 16, 0xfd, 0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 0,
		  0, 0, 0, 2, 0, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(1, m.u.bu.opts.nbids);
	EXPECT_EQ(4, m.u.bu.opts.bids[0].bid);
	EXPECT_TRUE(m.u.bu.opts.bids[0].h);
	EXPECT_EQ(3, m.u.bu.opts.bids[0].pri);
	EXPECT_EQ(0, memcmp(&m.u.bu.opts.bids[0].coa6,
			    a6("fd00:21::2").s6_addr, 16));
	EXPECT_TRUE(m.u.bu.opts.has_altcoa);
	EXPECT_EQ(0, memcmp(&m.u.bu.opts.altcoa,
			    a6("fd00:22::2").s6_addr, 16));
}

/* ---- BID option rules (RFC 5648 s6.2) -------------------------------- */

TEST(bid_bad_length_replies_164)
{
	uint8_t buf[64], opts[32];
	struct mh_msg m;
	size_t len;
	int l;

	for (l = 0; l <= 22; l++) {
		/* data 0x20...: BID 0x2020, CoA 2020:2020::/32.32.32.32 */
		memset(opts, 0x20, sizeof(opts));
		opts[0] = MH_OPT_BID;
		opts[1] = l;
		len = mh_raw(buf, MH_TYPE_BU, 12, opts, 2 + l);
		buf[7] = 42;	/* seq */
		enum mh_verdict v = mh_parse(buf, len, &m);

		if (l == 4 || l == 8 || l == 20) {
			EXPECT_EQ(MH_PARSE_OK, v) TH_LOG("len %d", l);
			EXPECT_EQ(0x2020, m.u.bu.opts.bids[0].bid);
		} else {
			EXPECT_EQ(MH_PARSE_REPLY, v) TH_LOG("len %d", l);
			EXPECT_EQ(MH_BA_MCOA_MALFORMED, m.status);
			EXPECT_EQ(42, m.u.bu.seq);
			EXPECT_EQ(0, m.u.bu.opts.nbids);
		}
	}
}

TEST(bid_bad_length_in_ba_drops)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BA, 12, 35, 5, 0, 1, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_BID, m.drop);
	len = RAW(buf, MH_TYPE_BRR, 8, 35, 0, 1, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_BID, m.drop);
}

/* A BU refused with 164 still yields seq and the good BIDs for the BA */
TEST(bid_reply_keeps_good_bids)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BU, 12, 35, 4, 0, 1, 0, 0,
		  35, 6, 0, 2, 0, 0, 0, 0, 35, 4, 0, 3, 0, 0, 1, 0);
	buf[6] = 0x01;
	buf[7] = 0x02;
	ASSERT_EQ(MH_PARSE_REPLY, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_BA_MCOA_MALFORMED, m.status);
	EXPECT_EQ(0x0102, m.u.bu.seq);
	ASSERT_EQ(2, m.u.bu.opts.nbids);
	EXPECT_EQ(1, m.u.bu.opts.bids[0].bid);
	EXPECT_EQ(3, m.u.bu.opts.bids[1].bid);
}

/* A drop reason later in the message wins over a pending 164 */
TEST(bid_reply_then_overrun_drops)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BU, 12, 35, 0, 1, 9);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_OVERRUN, m.drop);
}

TEST(bid_coa_not_routable)
{
	static const char *const bad6[] = {
		"::", "::1", "ff02::1", "ff0e::1", "fe80::1",
		"::ffff:192.0.2.1", "::192.0.2.1",
	};
	static const char *const bad4[] = {
		"0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255",
		"169.254.1.1", "240.0.0.1",
	};
	struct mh_bu bu = { .seq = 9 };
	struct mh_msg m;
	uint8_t buf[256];
	unsigned int i;
	int len;

	for (i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++) {
		bu.opts.nbids = 1;
		bu.opts.bids[0] = bid6(1, bad6[i]);
		len = mh_build_bu(buf, sizeof(buf), &bu);
		EXPECT_EQ(MH_PARSE_REPLY, mh_parse(buf, len, &m))
			TH_LOG("%s", bad6[i]);
		EXPECT_EQ(MH_BA_MCOA_MALFORMED, m.status);
		EXPECT_EQ(MH_BA_MCOA_MALFORMED, m.u.bu.opts.bids[0].err);

		/* in a bulk BU only that option is refused */
		bu.opts.bids[1] = bid6(2, "fd00:22::2");
		bu.opts.nbids = 2;
		len = mh_build_bu(buf, sizeof(buf), &bu);
		ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
		EXPECT_EQ(MH_BA_MCOA_MALFORMED, m.u.bu.opts.bids[0].err);
		EXPECT_EQ(0, m.u.bu.opts.bids[1].err);
	}
	for (i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		bu.opts.nbids = 1;
		bu.opts.bids[0].coa_family = AF_INET;
		bu.opts.bids[0].coa4 = a4(bad4[i]);
		len = mh_build_bu(buf, sizeof(buf), &bu);
		EXPECT_EQ(MH_PARSE_REPLY, mh_parse(buf, len, &m))
			TH_LOG("%s", bad4[i]);
	}
	/* routable ones */
	bu.opts.bids[0] = bid6(1, "2001:db8::1");
	len = mh_build_bu(buf, sizeof(buf), &bu);
	EXPECT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	bu.opts.bids[0].coa_family = AF_INET;
	bu.opts.bids[0].coa4 = a4("10.1.2.3");
	len = mh_build_bu(buf, sizeof(buf), &bu);
	EXPECT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	/* a BA may echo anything: never refused for its CoA */
	{
		struct mh_ba ba = { 0 };

		ba.opts.bids[ba.opts.nbids++] = bid6(1, "::");
		len = mh_build_ba(buf, sizeof(buf), &ba);
		EXPECT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	}
}

TEST(too_many_bids)
{
	uint8_t buf[MH_MAX_LEN] = { 59, 0, MH_TYPE_BU };
	struct mh_msg m;
	size_t off = 12, len;
	unsigned int i;

	for (i = 0; i < MH_MAX_BIDS + 1; i++, off += 6) {
		buf[off] = MH_OPT_BID;
		buf[off + 1] = 4;
		buf[off + 3] = i + 1;
	}
	len = (off + 7) & ~7u;
	if (len - off >= 2)
		buf[off] = MH_OPT_PADN, buf[off + 1] = len - off - 2;
	buf[1] = len / 8 - 1;
	ASSERT_EQ(MH_PARSE_REPLY, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_BA_INSUFFICIENT, m.status);
	EXPECT_EQ(MH_MAX_BIDS, m.u.bu.opts.nbids);
	buf[2] = MH_TYPE_BA;
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_TOO_MANY_BIDS, m.drop);
}

/* ---- MH types ----------------------------------------------------------- */

TEST(unknown_type_binding_error)
{
	uint8_t buf[32] = { 59, 1 };
	struct mh_msg m;
	int t;

	for (t = 0; t < 256; t++) {
		buf[2] = t;
		enum mh_verdict v = mh_parse(buf, 16, &m);

		if (t == MH_TYPE_BRR || t == MH_TYPE_BU || t == MH_TYPE_BA) {
			EXPECT_EQ(MH_PARSE_OK, v) TH_LOG("type %d", t);
		} else if (t == MH_TYPE_BE) {
			EXPECT_EQ(MH_PARSE_DROP, v);	/* too short */
		} else {
			EXPECT_EQ(MH_PARSE_BE, v) TH_LOG("type %d", t);
			EXPECT_EQ(MH_BE_UNKNOWN_MH, m.status);
			EXPECT_EQ(t, m.type);
		}
	}
	/* a malformed header is dropped before the type is looked at */
	buf[2] = 200;
	buf[0] = 6;
	EXPECT_EQ(MH_PARSE_DROP, mh_parse(buf, 16, &m));
}

/* ---- helpers ------------------------------------------------------------ */

TEST(seq_modulo)
{
	unsigned int v;

	/* RFC 6275 s9.5.1 example: last 15 -> 0..15 and 32783..65535 old */
	for (v = 0; v < 65536; v++) {
		bool newer = v >= 16 && v <= 32782;

		ASSERT_EQ(newer, mh_seq_after(v, 15)) TH_LOG("%u", v);
	}
	EXPECT_FALSE(mh_seq_after(32768, 0));	/* exactly half: not newer */
	EXPECT_TRUE(mh_seq_after(32767, 0));
	EXPECT_TRUE(mh_seq_after(0, 65535));	/* wrap */
	EXPECT_FALSE(mh_seq_after(5, 5));
}

TEST(lifetime_units)
{
	EXPECT_EQ(0, mh_lifetime_sec(0));
	EXPECT_EQ(262140, mh_lifetime_sec(65535));
	EXPECT_EQ(0, mh_lifetime_units(3));
	EXPECT_EQ(1, mh_lifetime_units(4));
	EXPECT_EQ(15, mh_lifetime_units(63));
	EXPECT_EQ(65535, mh_lifetime_units(262140));
	EXPECT_EQ(65535, mh_lifetime_units(0xffffffff));
}

/* Independent reference: 32-bit sum over the concatenated pseudo-header */
static uint16_t ref_csum(const struct in6_addr *s, const struct in6_addr *d,
			 const uint8_t *mh, size_t len)
{
	uint8_t b[40 + MH_MAX_LEN] = { 0 };
	uint64_t sum = 0;
	size_t i;

	memcpy(b, s, 16);
	memcpy(b + 16, d, 16);
	b[34] = len >> 8;
	b[35] = len;
	b[39] = 135;
	memcpy(b + 40, mh, len);
	b[44] = b[45] = 0;
	for (i = 0; i < 40 + len; i += 2)
		sum += b[i] << 8 | b[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

TEST(checksum)
{
	struct in6_addr hoa = a6("fd00:1::100"), ha = a6("fd00:1::1");
	struct mh_bu bu = { .seq = 0x1234, .flags = MH_BU_F_A, .lifetime = 9 };
	uint8_t buf[MH_MAX_LEN];
	uint64_t sum = 0;
	uint16_t c;
	size_t i;
	int len;

	bu.opts.bids[0] = bid6(1, "fd00:21::2");
	bu.opts.bids[1] = bid6(2, "fd00:22::2");
	bu.opts.nbids = 2;
	len = mh_build_bu(buf, sizeof(buf), &bu);
	c = mh_checksum(&hoa, &ha, buf, len);
	EXPECT_EQ(ref_csum(&hoa, &ha, buf, len), c);
	/* the checksum field's old content is ignored */
	buf[4] = 0x55;
	buf[5] = 0xaa;
	EXPECT_EQ(c, mh_checksum(&hoa, &ha, buf, len));
	/* with the value stored, the whole sum verifies to 0xffff */
	buf[4] = c >> 8;
	buf[5] = c;
	for (i = 0; i < 16; i += 2)
		sum += (hoa.s6_addr[i] << 8 | hoa.s6_addr[i + 1]) +
		       (ha.s6_addr[i] << 8 | ha.s6_addr[i + 1]);
	sum += len + 135;
	for (i = 0; i < (size_t)len; i += 2)
		sum += buf[i] << 8 | buf[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	EXPECT_EQ(0xffff, sum);
	/* the source matters: CoA instead of HoA gives another value */
	{
		struct in6_addr coa = a6("fd00:21::2");

		EXPECT_NE(c, mh_checksum(&coa, &ha, buf, len));
	}
}

TEST(names)
{
	EXPECT_STREQ("MCOA MALFORMED", mh_ba_status_str(164));
	EXPECT_STREQ("MCOA NOTCOMPLETE", mh_ba_status_str(4));
	EXPECT_STREQ("rejected (other)", mh_ba_status_str(250));
	EXPECT_STREQ("BU", mh_type_str(MH_TYPE_BU));
	EXPECT_STREQ("unknown", mh_type_str(200));
	EXPECT_STREQ("unknown", mh_drop_str(MH_DROP__MAX));
	for (int i = 0; i < MH_DROP__MAX; i++)
		EXPECT_NE(NULL, mh_drop_str(i));
}

/* ---- Mobile Network Prefix option (RFC 3963 s.4.3) -------------------- */

static struct mh_mnp mnp(const char *prefix, uint8_t plen)
{
	struct mh_mnp m = { .plen = plen };

	m.prefix = a6(prefix);
	return m;
}

/* MNP at 12 (8n+4, no padding), 20 octets -> 32, HdrLen 3; R flag */
TEST(bu_mnp)
{
	static const uint8_t want[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x07,
		0xc4, 0x00, 0x00, 0x10, 0x06, 0x12, 0x00, 0x30,
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct mh_bu bu = {
		.seq = 7, .lifetime = 16,
		.flags = MH_BU_F_A | MH_BU_F_H | MH_BU_F_R,
	};
	uint8_t buf[64];
	struct mh_msg m;

	bu.opts.mnps[bu.opts.nmnps++] = mnp("2001:db8:1::", 48);
	ASSERT_EQ(sizeof(want), mh_build_bu(buf, sizeof(buf), &bu));
	ASSERT_EQ(0, memcmp(buf, want, sizeof(want)));
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, sizeof(want), &m));
	EXPECT_EQ(MH_BU_F_R, m.u.bu.flags & MH_BU_F_R);
	ASSERT_EQ(1, m.u.bu.opts.nmnps);
	EXPECT_EQ(48, m.u.bu.opts.mnps[0].plen);
	EXPECT_EQ(0, memcmp(&bu.opts.mnps[0].prefix,
			    &m.u.bu.opts.mnps[0].prefix, 16));
	EXPECT_TRUE(mh_opt_seen(&m.u.bu.opts, MH_OPT_MNP));
	EXPECT_EQ(0, m.u.bu.opts.nunknown);
}

/* BID (18..40), PadN(2) at 40, MNP at 44 -> 64, then the second at 68 */
TEST(bu_bid_then_mnps)
{
	static const uint8_t tail[] = {
		0x01, 0x02, 0x00, 0x00, 0x06, 0x12, 0x00, 0x40,
	};
	struct mh_bu bu = { .seq = 1, .lifetime = 16, .flags = MH_BU_F_R };
	uint8_t buf[256];
	struct mh_msg m;
	int len;

	bu.opts.bids[bu.opts.nbids++] = bid6(1, "fd00:21::2");
	bu.opts.mnps[bu.opts.nmnps++] = mnp("2001:db8:1:1::", 64);
	bu.opts.mnps[bu.opts.nmnps++] = mnp("2001:db8:1:2::", 64);
	len = mh_build_bu(buf, sizeof(buf), &bu);
	ASSERT_EQ(88, len);
	EXPECT_EQ(0, memcmp(buf + 40, tail, sizeof(tail)));
	EXPECT_EQ(MH_OPT_MNP, buf[68]);
	EXPECT_EQ(4, 68 % 8);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	EXPECT_EQ(1, m.u.bu.opts.nbids);
	ASSERT_EQ(2, m.u.bu.opts.nmnps);
	EXPECT_EQ(0x02, m.u.bu.opts.mnps[1].prefix.s6_addr[7]);
}

/* BA with R and an MNP: the codec carries it (a BA normally has none) */
TEST(roundtrip_ba_r_mnp)
{
	struct mh_ba ba = { .status = 0, .flags = MH_BA_F_R, .seq = 9,
			    .lifetime = 4 };
	uint8_t buf[128];
	struct mh_msg m;
	int len;

	ba.opts.mnps[ba.opts.nmnps++] = mnp("2001:db8:5::", 47);
	len = mh_build_ba(buf, sizeof(buf), &ba);
	ASSERT_GT(len, 0);
	EXPECT_EQ(MH_BA_F_R, buf[7]);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_BA_F_R, m.u.ba.flags);
	ASSERT_EQ(1, m.u.ba.opts.nmnps);
	EXPECT_EQ(47, m.u.ba.opts.mnps[0].plen);
}

/* Length other than 18: dropped, in a BU as in a BA */
TEST(mnp_bad_length_drops)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BU, 12, 6, 17, 0, 64,
		  0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
	len = RAW(buf, MH_TYPE_BA, 12, 6, 19, 0, 64,
		  0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
	len = RAW(buf, MH_TYPE_BU, 12, 6, 0);
	ASSERT_EQ(MH_PARSE_DROP, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_DROP_OPT_LEN, m.drop);
}

/*
 * Prefix Length 0 or 129 and host bits parse (the HA answers 141), the
 * Reserved octet is ignored; mh_mnp_valid() tells them apart.
 */
TEST(mnp_contents_not_judged_by_parse)
{
	uint8_t buf[64];
	struct mh_msg m;
	size_t len;

	len = RAW(buf, MH_TYPE_BU, 12, 6, 18, 0xff, 129,
		  0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	ASSERT_EQ(1, m.u.bu.opts.nmnps);
	EXPECT_EQ(129, m.u.bu.opts.mnps[0].plen);
	EXPECT_FALSE(mh_mnp_valid(&m.u.bu.opts.mnps[0]));

	{
		struct mh_mnp a = mnp("2001:db8:1::", 0);
		struct mh_mnp b = mnp("2001:db8:1::1", 64);
		struct mh_mnp c = mnp("2001:db8:1::", 48);
		struct mh_mnp d = mnp("2001:db8:1::1", 128);
		struct mh_mnp e = mnp("2001:db8:1:8000::", 49);
		struct mh_mnp f = mnp("2001:db8:1:8000::", 48);

		EXPECT_FALSE(mh_mnp_valid(&a));
		EXPECT_FALSE(mh_mnp_valid(&b));
		EXPECT_TRUE(mh_mnp_valid(&c));
		EXPECT_TRUE(mh_mnp_valid(&d));
		EXPECT_TRUE(mh_mnp_valid(&e));
		EXPECT_FALSE(mh_mnp_valid(&f));
	}
}

/* More MNP options than MH_MAX_MNPS: a BU gets 130, a BA skips them */
TEST(too_many_mnps)
{
	struct mh_bu bu = { .seq = 1, .lifetime = 1, .flags = MH_BU_F_R };
	struct mh_ba ba = { 0 };
	uint8_t buf[MH_MAX_LEN];
	struct mh_msg m;
	unsigned int i;
	int len;

	for (i = 0; i < MH_MAX_MNPS; i++)
		bu.opts.mnps[bu.opts.nmnps++] = mnp("2001:db8::", 32);
	len = mh_build_bu(buf, sizeof(buf), &bu);
	ASSERT_GT(len, 0);
	/* one more option by hand: 20 octets at len + 4 (PadN 2 first) */
	buf[len] = MH_OPT_PADN;
	buf[len + 1] = 2;
	buf[len + 2] = buf[len + 3] = 0;
	memcpy(buf + len + 4, buf + 12, 20);
	buf[len + 24] = MH_OPT_PADN;
	buf[len + 25] = 2;
	buf[len + 26] = buf[len + 27] = 0;
	buf[len + 28] = MH_OPT_PADN;
	buf[len + 29] = 2;
	buf[len + 30] = buf[len + 31] = 0;
	len += 32;
	buf[1] = len / 8 - 1;
	ASSERT_EQ(MH_PARSE_REPLY, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_BA_INSUFFICIENT, m.status);
	EXPECT_EQ(MH_MAX_MNPS, m.u.bu.opts.nmnps);

	buf[2] = MH_TYPE_BA;
	ASSERT_EQ(MH_PARSE_OK, mh_parse(buf, len, &m));
	EXPECT_EQ(MH_MAX_MNPS, m.u.ba.opts.nmnps);
	EXPECT_EQ(1, m.u.ba.opts.nunknown);

	ba.opts.nmnps = MH_MAX_MNPS + 1;
	EXPECT_EQ(-EINVAL, mh_build_ba(buf, sizeof(buf), &ba));
}

TEST(nemo_names)
{
	EXPECT_STREQ("mobile router operation not permitted",
		     mh_ba_status_str(MH_BA_MR_NOT_PERMITTED));
	EXPECT_STREQ("invalid prefix", mh_ba_status_str(141));
	EXPECT_STREQ("not authorized for prefix", mh_ba_status_str(142));
	EXPECT_STREQ("forwarding setup failed", mh_ba_status_str(143));
}

TEST_HARNESS_MAIN

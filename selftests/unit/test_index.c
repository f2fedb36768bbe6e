// SPDX-License-Identifier: GPL-2.0
/*
 * The home agent's indexes (daemon/mcoad/ha_index.c) against brute force:
 * thousands of nodes added, moved, made live or dead and deleted at
 * random; after each step the earliest deadline, the live count and the
 * per-source counts must be what a walk over every node says. And
 * SipHash-2-4 against the reference vectors of its paper.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ha_bu.h"
#include "siphash.h"

/* SipHash-2-4, key 00..0f, message 00..(len-1): the paper's Appendix A */
TEST(siphash_reference_vectors)
{
	static const struct { size_t len; uint64_t out; } v[] = {
		{ 0, 0x726fdb47dd0e0e31ull },
		{ 8, 0x93f5f5799a932462ull },
		{ 15, 0xa129ca6149be45e5ull },
	};
	struct siphash_key k;
	uint8_t key[16], msg[64];
	unsigned int i;

	for (i = 0; i < 16; i++)
		key[i] = i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	memcpy(&k.k[0], key, 8);	/* little-endian host, as the paper */
	memcpy(&k.k[1], key + 8, 8);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		EXPECT_EQ(v[i].out, siphash24(msg, v[i].len, &k));
}

#define N	5000
#define NSRC	37

struct model {
	struct ha_mn *mn;	/* NULL: not in the index */
	uint64_t due;
	bool live;
	unsigned int src;
};

static struct in6_addr addr(unsigned int net, unsigned int i)
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	a.s6_addr[0] = 0xfd;
	a.s6_addr[1] = net;
	a.s6_addr[14] = i >> 8;
	a.s6_addr[15] = i;
	return a;
}

static void check_all(struct __test_metadata *_metadata,
		      const struct ha_index *ix, const struct model *m)
{
	uint32_t live = 0, per[NSRC] = { 0 };
	uint64_t min = UINT64_MAX;
	struct ha_mn *first;
	struct in6_addr a;
	unsigned int i;

	for (i = 0; i < N; i++) {
		a = addr(1, i);
		ASSERT_EQ(m[i].mn, hidx_find(ix, &a));
		if (!m[i].mn)
			continue;
		if (m[i].due < min)
			min = m[i].due;
		if (m[i].live) {
			live++;
			per[m[i].src]++;
		}
	}
	EXPECT_EQ(live, hidx_live(ix));
	for (i = 0; i < NSRC; i++) {
		a = addr(2, i);
		ASSERT_EQ(per[i], hidx_from_src(ix, &a));
	}
	first = hidx_first(ix);
	if (min == UINT64_MAX) {
		ASSERT_EQ(NULL, first);
	} else {
		ASSERT_NE(NULL, first);
		ASSERT_EQ(min, first->ix.due);
	}
}

TEST(index_matches_brute_force)
{
	static struct model m[N];
	struct ha_index ix;
	unsigned int step, i;
	struct in6_addr src;

	srandom(5648);
	memset(m, 0, sizeof(m));
	hidx_init(&ix);
	for (step = 0; step < 40000; step++) {
		i = random() % N;
		if (!m[i].mn) {
			m[i].mn = calloc(1, sizeof(*m[i].mn));
			ASSERT_NE(NULL, m[i].mn);
			m[i].mn->hoa = addr(1, i);
			ASSERT_EQ(0, hidx_add(&ix, m[i].mn));
			m[i].due = UINT64_MAX;
			m[i].live = false;
		} else if (random() % 8 == 0) {
			hidx_del(&ix, m[i].mn);
			free(m[i].mn);
			m[i].mn = NULL;
			continue;
		}
		/* a deadline (sometimes none), live or not, a source */
		m[i].due = random() % 10 ? (uint64_t)(random() % 100000) : UINT64_MAX;
		m[i].live = random() % 3;
		m[i].src = random() % NSRC;
		src = addr(2, m[i].src);
		hidx_sync(&ix, m[i].mn, m[i].due, m[i].live, &src);
		if (step % 997 == 0)
			check_all(_metadata, &ix, m);
	}
	check_all(_metadata, &ix, m);
	/* draining the heap yields the deadlines in order */
	{
		uint64_t last = 0;
		struct ha_mn *f;

		while ((f = hidx_first(&ix))) {
			i = f->hoa.s6_addr[14] << 8 | f->hoa.s6_addr[15];
			ASSERT_LE(last, f->ix.due);
			last = f->ix.due;
			hidx_sync(&ix, f, UINT64_MAX, false, NULL);
			m[i].due = UINT64_MAX;
			m[i].live = false;
		}
		check_all(_metadata, &ix, m);
	}
	for (i = 0; i < N; i++) {
		if (m[i].mn) {
			hidx_del(&ix, m[i].mn);
			free(m[i].mn);
		}
	}
	EXPECT_EQ(0, ix.count);
	EXPECT_EQ(0, ix.nsrc);
	hidx_free(&ix);
}

TEST_HARNESS_MAIN

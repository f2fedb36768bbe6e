// SPDX-License-Identifier: GPL-2.0
/* SipHash-2-4, as specified in the SipHash paper (2012). */
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3)				\
	do {							\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0;		\
		v0 = ROTL(v0, 32);				\
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2;		\
		v2 = ROTL(v2, 32);				\
	} while (0)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint64_t siphash24(const void *data, size_t len, const struct siphash_key *key)
{
	const uint8_t *p = data;
	uint64_t v0 = 0x736f6d6570736575ull ^ key->k[0];
	uint64_t v1 = 0x646f72616e646f6dull ^ key->k[1];
	uint64_t v2 = 0x6c7967656e657261ull ^ key->k[0];
	uint64_t v3 = 0x7465646279746573ull ^ key->k[1];
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(p + i);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	while (left--)
		b |= (uint64_t)p[i + left] << (8 * left);
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

void siphash_key_init(struct siphash_key *key)
{
	struct timespec ts;

	if (getrandom(key->k, sizeof(key->k), GRND_NONBLOCK) == sizeof(key->k))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	key->k[0] = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec;
	key->k[1] = ~key->k[0] * 0x9e3779b97f4a7c15ull;
}

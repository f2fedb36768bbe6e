/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SipHash-2-4 (Aumasson, Bernstein): a keyed hash for tables whose keys a
 * remote peer chooses (home addresses, source addresses), so that nobody
 * who does not know the key can aim many keys at one bucket.
 */
#ifndef MCOA_SIPHASH_H
#define MCOA_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k[2];
};

uint64_t siphash24(const void *data, size_t len, const struct siphash_key *key);
/* A random key (getrandom), or one derived from the clock without it */
void siphash_key_init(struct siphash_key *key);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Manually keyed ESP security associations for BU/BA (RFC 3776 s.4,
 * RFC 4877 s.4), as the config's "sa" lines give them:
 *
 *   sa HOA mn-to-ha spi SPI aead NAME 0xKEY ICV-BITS
 *   sa HOA ha-to-mn spi SPI enc NAME 0xKEY auth NAME 0xKEY
 *
 * The same two lines go into the HA's and the MN's file: the direction
 * names the sender, so nothing has to be mirrored by hand. This file
 * only parses and checks (algorithm known, key and ICV lengths right);
 * xfrm_esp.c installs.
 */
#ifndef MCOAD_SA_H
#define MCOAD_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define SA_ALG_NAME	64	/* the kernel's CRYPTO_MAX_ALG_NAME */
#define SA_KEY_MAX	64	/* octets */

struct sa_alg {
	char name[SA_ALG_NAME];
	uint8_t key[SA_KEY_MAX];
	unsigned int key_len;		/* octets */
	unsigned int bits;		/* AEAD ICV / integrity truncation */
};

struct config_sa {
	struct in6_addr hoa;
	bool mn_to_ha;			/* else ha-to-mn */
	uint32_t spi;			/* host order, >= 256 (RFC 4303) */
	bool aead;			/* aead alone, else enc + auth */
	struct sa_alg a;		/* aead, or enc */
	struct sa_alg auth;
	unsigned int line;		/* where it was given, for messages */
};

/*
 * Parse argv[1..argc) of an "sa" line into @sa. On error writes a message
 * (without file:line) to @err and returns -1.
 */
int sa_parse(char **argv, int argc, struct config_sa *sa, char *err,
	     size_t errlen);

#endif

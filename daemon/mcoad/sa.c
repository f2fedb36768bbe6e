// SPDX-License-Identifier: GPL-2.0
/*
 * "sa" config lines: the algorithms mcoad knows, their key and ICV
 * lengths, and the checks that keep a typo from reaching the kernel as an
 * -EINVAL with no line number. The list is short on purpose: AEAD or an
 * encryption + integrity pair that RFC 8221 still recommends for ESP.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa.h"

enum alg_kind { ALG_AEAD, ALG_ENC, ALG_AUTH };

struct alg_desc {
	enum alg_kind kind;
	const char *name;
	unsigned int keys[3];	/* allowed key lengths, octets, 0 = end */
	unsigned int bits[3];	/* allowed ICV/truncation bits */
};

static const struct alg_desc algs[] = {
	/* key = AES key + 4 octets of salt (RFC 4106 s.8.1) */
	{ ALG_AEAD, "rfc4106(gcm(aes))", { 20, 28, 36 }, { 64, 96, 128 } },
	/* key = 32 + 4 octets of salt (RFC 7634) */
	{ ALG_AEAD, "rfc7539esp(chacha20,poly1305)", { 36 }, { 128 } },
	{ ALG_ENC, "cbc(aes)", { 16, 24, 32 }, { 0 } },
	/* key = AES key + 4 octets of nonce (RFC 3686 s.5.1) */
	{ ALG_ENC, "rfc3686(ctr(aes))", { 20, 28, 36 }, { 0 } },
	/* RFC 2404, RFC 4868: key as long as the hash, fixed truncation */
	{ ALG_AUTH, "hmac(sha1)", { 20 }, { 96 } },
	{ ALG_AUTH, "hmac(sha256)", { 32 }, { 128 } },
	{ ALG_AUTH, "hmac(sha384)", { 48 }, { 192 } },
	{ ALG_AUTH, "hmac(sha512)", { 64 }, { 256 } },
};

static const char *const kind_str[] = { "aead", "enc", "auth" };

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct alg_desc *alg_find(enum alg_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].kind == kind && !strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

/* "one of a, b, c" for messages */
static void alg_names(enum alg_kind kind, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].kind == kind && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", algs[i].name);
}

static bool in_list(const unsigned int *l, unsigned int v)
{
	int i;

	for (i = 0; i < 3 && l[i]; i++)
		if (l[i] == v)
			return true;
	return false;
}

static void list_str(const unsigned int *l, unsigned int mult, char *buf,
		     size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 3 && l[i] && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%u",
				 i ? " or " : "", l[i] * mult);
}

/* 0xHEX, an even number of digits, at most SA_KEY_MAX octets */
static int parse_key(const char *s, struct sa_alg *a, char *err, size_t len)
{
	size_t n, i;

	if (strncmp(s, "0x", 2) && strncmp(s, "0X", 2))
		return fail(err, len, "key '%.16s...' must be hexadecimal, written 0x...",
			    s);
	s += 2;
	n = strlen(s);
	if (!n || n % 2)
		return fail(err, len, "key has %zu hex digits: need an even number",
			    n);
	if (n / 2 > SA_KEY_MAX)
		return fail(err, len, "key is %zu octets, at most %d", n / 2,
			    SA_KEY_MAX);
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return fail(err, len, "key: '%c' is not a hex digit",
				    s[i]);
	for (i = 0; i < n / 2; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };

		a->key[i] = strtoul(b, NULL, 16);
	}
	a->key_len = n / 2;
	return 0;
}

/* argv[0] = NAME, argv[1] = KEY, for aead also argv[2] = ICV bits */
static int parse_alg(enum alg_kind kind, char **argv, int argc,
		     struct sa_alg *a, char *err, size_t len)
{
	const struct alg_desc *d;
	char buf[160];
	unsigned long v;
	char *end;
	int need = kind == ALG_AEAD ? 3 : 2;

	if (argc < need)
		return fail(err, len, "%s needs NAME 0xKEY%s", kind_str[kind],
			    kind == ALG_AEAD ? " ICV-BITS" : "");
	d = alg_find(kind, argv[0]);
	if (!d) {
		alg_names(kind, buf, sizeof(buf));
		return fail(err, len, "%s: unknown algorithm '%s' (one of %s)",
			    kind_str[kind], argv[0], buf);
	}
	snprintf(a->name, sizeof(a->name), "%s", d->name);
	if (parse_key(argv[1], a, err, len))
		return -1;
	if (!in_list(d->keys, a->key_len)) {
		list_str(d->keys, 8, buf, sizeof(buf));
		return fail(err, len, "%s %s: key is %u bits, needs %s bits",
			    kind_str[kind], d->name, a->key_len * 8, buf);
	}
	a->bits = d->bits[0];
	if (kind == ALG_AEAD) {
		errno = 0;
		v = strtoul(argv[2], &end, 10);
		if (errno || *end || !in_list(d->bits, v)) {
			list_str(d->bits, 1, buf, sizeof(buf));
			return fail(err, len, "aead %s: ICV '%s' bits, needs %s",
				    d->name, argv[2], buf);
		}
		a->bits = v;
	}
	return need;
}

int sa_parse(char **argv, int argc, struct config_sa *sa, char *err,
	     size_t errlen)
{
	unsigned long spi;
	char *end;
	int a = 5, n;

	memset(sa, 0, sizeof(*sa));
	if (argc < 7)
		return fail(err, errlen, "expected 'sa HOA mn-to-ha|ha-to-mn spi SPI aead NAME 0xKEY BITS' or '... enc NAME 0xKEY auth NAME 0xKEY'");
	if (inet_pton(AF_INET6, argv[1], &sa->hoa) != 1 ||
	    IN6_IS_ADDR_UNSPECIFIED(&sa->hoa) ||
	    IN6_IS_ADDR_MULTICAST(&sa->hoa) ||
	    IN6_IS_ADDR_LINKLOCAL(&sa->hoa) || IN6_IS_ADDR_LOOPBACK(&sa->hoa))
		return fail(err, errlen, "'%s' is not a global unicast home address",
			    argv[1]);
	if (!strcmp(argv[2], "mn-to-ha"))
		sa->mn_to_ha = true;
	else if (strcmp(argv[2], "ha-to-mn"))
		return fail(err, errlen, "direction '%s': expected mn-to-ha or ha-to-mn",
			    argv[2]);
	if (strcmp(argv[3], "spi"))
		return fail(err, errlen, "expected 'spi SPI' after the direction, got '%s'",
			    argv[3]);
	errno = 0;
	spi = strtoul(argv[4], &end, 0);
	/* 1..255 are reserved by IANA, 0 means none (RFC 4303 s.2.1) */
	if (errno || *end || argv[4][0] == '-' || spi < 256 ||
	    spi > 0xffffffffUL)
		return fail(err, errlen, "spi '%s' is not a number in 256..0xffffffff",
			    argv[4]);
	sa->spi = spi;
	if (!strcmp(argv[a], "aead")) {
		sa->aead = true;
		n = parse_alg(ALG_AEAD, argv + a + 1, argc - a - 1, &sa->a, err,
			      errlen);
		if (n < 0)
			return -1;
		a += 1 + n;
	} else if (!strcmp(argv[a], "enc")) {
		n = parse_alg(ALG_ENC, argv + a + 1, argc - a - 1, &sa->a, err,
			      errlen);
		if (n < 0)
			return -1;
		a += 1 + n;
		if (a >= argc || strcmp(argv[a], "auth"))
			return fail(err, errlen, "enc needs an integrity algorithm too: 'auth NAME 0xKEY' (RFC 3776: BU/BA need integrity)");
		n = parse_alg(ALG_AUTH, argv + a + 1, argc - a - 1, &sa->auth,
			      err, errlen);
		if (n < 0)
			return -1;
		a += 1 + n;
	} else {
		return fail(err, errlen, "expected 'aead' or 'enc' after the spi, got '%s'",
			    argv[a]);
	}
	if (a != argc)
		return fail(err, errlen, "unexpected '%s' at the end", argv[a]);
	return 0;
}

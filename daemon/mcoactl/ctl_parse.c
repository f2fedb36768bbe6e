// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_parse.c - mcoactl argument parsing. Every error names the command,
 * the keyword and the token that was wrong, and nothing is sent to the
 * kernel before the whole line has parsed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
	{ "esp", 50 }, { "ah", 51 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 },
	{ "mh", 135 }, { "sctp", 132 }, { "udplite", 136 },
};

const char *ctl_proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == proto)
			return protos[i].name;
	return NULL;
}

/*
 * A keyword given twice is an error everywhere, as in the iproute2
 * plugin ("mode ha mode mn" would otherwise mean whichever came last).
 */
int ctl_once(const char *what, struct ctl_seen *s, const char *k)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->kw[i], k))
			return ctl_usage(what, "keyword \"%s\" given twice", k);
	if (s->n < CTL_MAX_KW)
		s->kw[s->n++] = k;
	return 0;
}

int ctl_next(const char *what, int argc, char **argv, int *i,
	     const char **val)
{
	if (*i + 1 >= argc)
		return ctl_usage(what, "keyword \"%s\" needs a value",
				 argv[*i]);
	*i += 1;
	*val = argv[*i];
	return 0;
}

int ctl_parse_addr(const char *what, const char *key, const char *tok,
		   struct in6_addr *out)
{
	if (inet_pton(AF_INET6, tok, out) != 1)
		return ctl_usage(what, "invalid %s \"%s\" (expected an IPv6 address)",
				 key, tok);
	return 0;
}

int ctl_parse_prefix(const char *what, const char *key, const char *tok,
		     struct in6_addr *out, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned long len = 128;
	char *slash, *end;

	if (strlen(tok) >= sizeof(buf))
		goto bad;
	strcpy(buf, tok);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		errno = 0;
		len = strtoul(slash, &end, 10);
		if (!*slash || *end || errno || len > 128)
			goto bad;
	}
	if (inet_pton(AF_INET6, buf, out) != 1)
		goto bad;
	*plen = (uint8_t)len;
	return 0;
bad:
	return ctl_usage(what, "invalid %s \"%s\" (expected ADDR[/0..128])",
			 key, tok);
}

/*
 * Decimal, as in mcoad.conf: "bid 010" is 10, never octal 8. Only an
 * explicit 0x prefix reads hex (handy for "flags 0x8").
 */
int ctl_parse_uint(const char *what, const char *key, const char *tok,
		   unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;
	const char *digits = tok;
	int base = 10;

	if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
		digits = tok + 2;
		base = 16;
	}
	errno = 0;
	v = strtoul(digits, &end, base);
	if (!isxdigit((unsigned char)digits[0]) || *end || errno ||
	    v < min || v > max)
		return ctl_usage(what, "invalid %s \"%s\" (expected %lu..%lu)",
				 key, tok, min, max);
	*out = v;
	return 0;
}

int ctl_parse_range(const char *what, const char *key, const char *tok,
		    uint16_t *lo, uint16_t *hi)
{
	unsigned long a, b;
	char *end;

	errno = 0;
	a = strtoul(tok, &end, 10);
	if (end == tok || errno || a > 65535 || tok[0] == '-')
		goto bad;
	b = a;
	if (*end == '-') {
		const char *s = end + 1;

		b = strtoul(s, &end, 10);
		if (end == s || errno || b > 65535 || *s == '-')
			goto bad;
	}
	if (*end || b < a)
		goto bad;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
bad:
	return ctl_usage(what, "invalid %s \"%s\" (expected PORT or MIN-MAX)",
			 key, tok);
}

/*
 * Batch files repeat the same device on every line: cache the last name,
 * if_nametoindex() is a syscall.
 */
int ctl_parse_dev(const char *what, const char *tok, int *ifindex)
{
	static char last[IF_NAMESIZE];
	static int last_idx;
	unsigned int idx;

	if (last_idx && !strcmp(tok, last)) {
		*ifindex = last_idx;
		return 0;
	}
	idx = if_nametoindex(tok);
	if (!idx) {
		ctl_err("%s: device \"%s\" not found", what, tok);
		return CTL_ERR;
	}
	if (strlen(tok) < sizeof(last)) {
		strcpy(last, tok);
		last_idx = (int)idx;
	}
	*ifindex = (int)idx;
	return 0;
}

/* An egress link: a name, or a number (0 = let routing choose). */
int ctl_parse_link(const char *what, const char *tok, uint32_t *ifindex)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(tok, &end, 10);
	if (*tok && !*end && !errno && v <= UINT32_MAX) {
		*ifindex = (uint32_t)v;
		return 0;
	}
	*ifindex = if_nametoindex(tok);
	if (!*ifindex) {
		ctl_err("%s: link device \"%s\" not found", what, tok);
		return CTL_ERR;
	}
	return 0;
}

int ctl_parse_proto(const char *what, const char *tok, uint8_t *proto)
{
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(tok, protos[i].name)) {
			*proto = protos[i].num;
			return 0;
		}
	}
	errno = 0;
	v = strtoul(tok, &end, 0);
	if (!*tok || *end || errno || v > 255 || tok[0] == '-')
		return ctl_usage(what, "invalid proto \"%s\" (expected tcp, udp, ... or 0..255)",
				 tok);
	*proto = (uint8_t)v;
	return 0;
}

int ctl_parse_mode(const char *what, const char *tok, uint32_t *mode)
{
	if (!strcmp(tok, "ha"))
		*mode = MCOA_MODE_HA;
	else if (!strcmp(tok, "mn"))
		*mode = MCOA_MODE_MN;
	else
		return ctl_usage(what, "invalid mode \"%s\" (expected ha or mn)",
				 tok);
	return 0;
}

/*
 * A dump of a million bindings names the same device a million times:
 * remember the last few answers of if_indextoname(), a syscall each.
 */
const char *ctl_ifname(int ifindex, char *buf)
{
	static struct {
		int ifindex;
		char name[IF_NAMESIZE];
	} cache[4];
	static unsigned int next;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (cache[i].ifindex == ifindex && ifindex > 0) {
			memcpy(buf, cache[i].name, IF_NAMESIZE);
			return buf;
		}
	}
	if (ifindex <= 0 || !if_indextoname((unsigned int)ifindex, buf)) {
		snprintf(buf, IF_NAMESIZE, "if%d", ifindex);
		return buf;
	}
	cache[next].ifindex = ifindex;
	memcpy(cache[next].name, buf, IF_NAMESIZE);
	next = (next + 1) % 4;
	return buf;
}

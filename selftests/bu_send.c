// SPDX-License-Identifier: GPL-2.0
/*
 * bu_send: send one hand-made Binding Update (including malformed ones)
 * and print the Binding Acknowledgement that comes back, for the daemon
 * selftests.
 *
 *   bu_send --src COA --ha HA --hoa HOA [--seq N] [--lifetime SEC] [-O]
 *           [--no-home] [--no-ack] [--no-hao] [--altcoa ADDR] [-L]
 *           [--bid BID[,coa=ADDR][,len=N][,h]]... [--wait MS]
 *           [-R] [--mnp PREFIX/PLEN[,len=N]]...
 *   -R sets the mobile router flag (RFC 3963), --mnp adds a Mobile
 *   Network Prefix option (PLEN taken as given, 0..255; len= another
 *   option Length than 18).
 *   bu_send --type T ... sends instead an 8-octet MH of type T (0 is a
 *           BRR, 30 an unknown type) with the same addresses and HAO.
 *   --count N sends the message N times back to back (rate limits).
 *
 * Prints "BA status S seq Q lifetime SEC bids BID:STATUS,..." (and " R"
 * when the BA has the R flag) and exits 0,
 * or, for a Binding Error, "BE status S hoa ADDR" and exits 0,
 * or prints "no BA" and exits 3 after --wait ms (default 3000; times
 * MCOA_WAIT_MULT when that is set, as lib.sh's waits are).
 * BU_SEND_DEBUG=1 in the environment traces every receive on stderr.
 * The options are laid out here by hand (not by mh.c) so that wrong
 * lengths can be sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mh.h"
#include "mhsock.h"
#include "xfrm.h"

struct bid_arg {
	uint16_t bid;
	int len;		/* option Length */
	bool h;
	struct in6_addr coa;
};

struct mnp_arg {
	struct in6_addr prefix;
	unsigned int plen;
	int len;		/* option Length */
};

static void die(const char *msg)
{
	fprintf(stderr, "bu_send: %s\n", msg);
	exit(2);
}

static struct in6_addr addr(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		die("bad IPv6 address");
	return a;
}

static void parse_bid(const char *arg, struct bid_arg *b)
{
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", arg);
	memset(b, 0, sizeof(*b));
	b->len = 4;
	tok = strtok_r(buf, ",", &save);
	b->bid = strtoul(tok, NULL, 0);
	while ((tok = strtok_r(NULL, ",", &save))) {
		if (!strncmp(tok, "coa=", 4)) {
			b->coa = addr(tok + 4);
			if (b->len == 4)
				b->len = 20;
		} else if (!strncmp(tok, "len=", 4)) {
			b->len = strtoul(tok + 4, NULL, 0);
		} else if (!strcmp(tok, "h")) {
			b->h = true;
		} else {
			die("bad --bid part");
		}
	}
}

static void parse_mnp(const char *arg, struct mnp_arg *m)
{
	char buf[256], *slash, *comma;

	snprintf(buf, sizeof(buf), "%s", arg);
	memset(m, 0, sizeof(*m));
	m->len = 18;
	comma = strchr(buf, ',');
	if (comma) {
		*comma = '\0';
		if (strncmp(comma + 1, "len=", 4))
			die("bad --mnp part");
		m->len = strtoul(comma + 5, NULL, 0);
	}
	slash = strchr(buf, '/');
	if (!slash)
		die("--mnp needs PREFIX/PLEN");
	*slash = '\0';
	m->prefix = addr(buf);
	m->plen = strtoul(slash + 1, NULL, 0);
}

static size_t pad_to(uint8_t *p, size_t off, unsigned int x, unsigned int y)
{
	unsigned int pad = (y - off) & (x - 1);

	if (pad == 1) {
		p[off++] = 0;
	} else if (pad >= 2) {
		p[off] = 1;
		p[off + 1] = pad - 2;
		memset(p + off + 2, 0, pad - 2);
		off += pad;
	}
	return off;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "src", 1, NULL, 's' }, { "ha", 1, NULL, 'a' },
		{ "hoa", 1, NULL, 'm' }, { "seq", 1, NULL, 'q' },
		{ "lifetime", 1, NULL, 'l' }, { "bid", 1, NULL, 'b' },
		{ "wait", 1, NULL, 'w' }, { "altcoa", 1, NULL, 'c' },
		{ "no-home", 0, NULL, 'H' }, { "no-ack", 0, NULL, 'A' },
		{ "no-hao", 0, NULL, 'N' }, { "type", 1, NULL, 't' },
		{ "count", 1, NULL, 'n' }, { "mnp", 1, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct in6_addr src = IN6ADDR_ANY_INIT, ha, hoa, any = IN6ADDR_ANY_INIT;
	struct in6_addr altcoa;
	bool have_ha = false, have_hoa = false, hao = true, alt = false;
	uint16_t seq = 1, flags = MH_BU_F_A | MH_BU_F_H;
	uint32_t lifetime = 60;
	struct bid_arg bids[MH_MAX_BIDS];
	unsigned int nbids = 0, nmnps = 0, i;
	struct mnp_arg mnps[MH_MAX_MNPS + 2];
	int wait_ms = 3000, opt, ret, type = -1, count = 1;
	uint8_t mh[MH_MAX_LEN];
	struct mcoa_xfrm x;
	struct mhsock s;
	size_t off;

	while ((opt = getopt_long(argc, argv, "OLR", lo, NULL)) != -1) {
		switch (opt) {
		case 's': src = addr(optarg); break;
		case 'a': ha = addr(optarg); have_ha = true; break;
		case 'm': hoa = addr(optarg); have_hoa = true; break;
		case 'q': seq = strtoul(optarg, NULL, 0); break;
		case 'l': lifetime = strtoul(optarg, NULL, 0); break;
		case 'w': wait_ms = atoi(optarg); break;
		case 'c': altcoa = addr(optarg); alt = true; break;
		case 'O': flags |= MH_BU_F_O; break;
		case 'L': flags |= MH_BU_F_L; break;
		case 'R': flags |= MH_BU_F_R; break;
		case 'p':
			if (nmnps == sizeof(mnps) / sizeof(mnps[0]))
				die("too many --mnp");
			parse_mnp(optarg, &mnps[nmnps++]);
			break;
		case 'H': flags &= ~MH_BU_F_H; break;
		case 'A': flags &= ~MH_BU_F_A; break;
		case 'N': hao = false; break;
		case 't': type = atoi(optarg); break;
		case 'n': count = atoi(optarg); break;
		case 'b':
			if (nbids == MH_MAX_BIDS)
				die("too many --bid");
			parse_bid(optarg, &bids[nbids++]);
			break;
		default:
			die("usage: see the comment at the top of bu_send.c");
		}
	}
	if (!have_ha || !have_hoa)
		die("--ha and --hoa are required");
	/* lib.sh's MCOA_WAIT_MULT: a slow (debug) kernel answers late */
	if (getenv("MCOA_WAIT_MULT") && atoi(getenv("MCOA_WAIT_MULT")) > 1)
		wait_ms *= atoi(getenv("MCOA_WAIT_MULT"));

	memset(mh, 0, sizeof(mh));
	mh[0] = MH_PAYLOAD_PROTO;
	mh[2] = MH_TYPE_BU;
	mh[6] = seq >> 8;
	mh[7] = seq;
	mh[8] = flags >> 8;
	mh[9] = flags;
	mh[10] = (lifetime / 4) >> 8;
	mh[11] = lifetime / 4;
	off = 12;
	if (alt) {
		off = pad_to(mh, off, 8, 6);
		mh[off] = MH_OPT_ALTCOA;
		mh[off + 1] = 16;
		memcpy(mh + off + 2, &altcoa, 16);
		off += 18;
	}
	for (i = 0; i < nbids; i++) {
		struct bid_arg *b = &bids[i];

		off = b->len >= 8 ? pad_to(mh, off, 8, 2) : pad_to(mh, off, 2, 0);
		if (off + 2 + b->len > sizeof(mh) - 8)
			die("BU too long");
		mh[off] = MH_OPT_BID;
		mh[off + 1] = b->len;
		mh[off + 2] = b->bid >> 8;
		mh[off + 3] = b->bid;
		mh[off + 5] = b->h ? MH_BID_F_H : 0;
		if (b->len == 20)
			memcpy(mh + off + 6, &b->coa, 16);
		off += 2 + b->len;
	}
	for (i = 0; i < nmnps; i++) {
		struct mnp_arg *m = &mnps[i];

		off = pad_to(mh, off, 8, 4);
		if (off + 2 + m->len > sizeof(mh) - 8)
			die("BU too long");
		mh[off] = MH_OPT_MNP;
		mh[off + 1] = m->len;
		mh[off + 3] = m->plen;
		memcpy(mh + off + 4, &m->prefix,
		       m->len >= 18 ? 16 : (m->len > 2 ? m->len - 2 : 0));
		off += 2 + m->len;
	}
	off = pad_to(mh, off, 8, 0);
	mh[1] = off / 8 - 1;
	if (type >= 0) {
		memset(mh, 0, sizeof(mh));
		mh[0] = MH_PAYLOAD_PROTO;
		mh[2] = type;
		off = 8;
	}

	if (mhsock_open(&s))
		die("mhsock_open (root?)");
	/* accept the BA's type 2 routing header for our HoA */
	if (!mcoa_xfrm_open(&x))
		mcoa_xfrm_mn_allow(&x, &hoa, &any, &ha);

	{
		struct mh_addrs a = { .src = src, .dst = ha };

		if (hao) {
			a.has_hao = true;
			a.hao = hoa;
		}
		for (ret = 0; !ret && count-- > 0;)
			ret = mhsock_send(&s, mh, off, &a);
		if (ret) {
			fprintf(stderr, "bu_send: send: %s\n", strerror(-ret));
			return 2;
		}
	}

	for (;;) {
		struct pollfd p = { .fd = s.fd, .events = POLLIN };
		uint8_t buf[MH_MAX_LEN + 64];
		struct mh_addrs ra;
		struct mh_msg m;
		ssize_t n;

		if (poll(&p, 1, wait_ms) <= 0)
			break;
		memset(&ra, 0, sizeof(ra));
		n = mhsock_recv(&s, buf, sizeof(buf), &ra);
		if (getenv("BU_SEND_DEBUG"))
			fprintf(stderr, "recv %zd\n", n);
		if (n < 0)
			continue;
		if (mh_parse(buf, n, &m) == MH_PARSE_OK && m.type == MH_TYPE_BE) {
			char h[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, &m.u.be.hoa, h, sizeof(h));
			printf("BE status %u hoa %s\n", m.u.be.status, h);
			return 0;
		}
		if (mh_parse(buf, n, &m) != MH_PARSE_OK || m.type != MH_TYPE_BA)
			continue;
		if (m.u.ba.seq != seq && m.u.ba.status != MH_BA_SEQ_OUT_OF_WINDOW)
			continue;
		printf("BA status %u seq %u lifetime %u bids ", m.u.ba.status,
		       m.u.ba.seq, mh_lifetime_sec(m.u.ba.lifetime));
		for (i = 0; i < m.u.ba.opts.nbids; i++)
			printf("%s%u:%u", i ? "," : "", m.u.ba.opts.bids[i].bid,
			       m.u.ba.opts.bids[i].status);
		printf("%s%s\n", m.u.ba.opts.nbids ? "" : "-",
		       m.u.ba.flags & MH_BA_F_R ? " R" : "");
		return 0;
	}
	printf("no BA\n");
	return 3;
}

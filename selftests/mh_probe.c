// SPDX-License-Identifier: GPL-2.0
/*
 * mh_probe: the wire layer (mh.c, mhsock.c, xfrm.c) without the daemon,
 * for selftests/mcoa_mh_wire.sh.
 *
 *   mh_probe ha --ha ADDR [--status N] [--no-xfrm] [--timeout MS]
 *	Accept HAOs on BUs to ADDR, wait for one BU, print it, answer a BA
 *	(status N, BID options echoed without CoA) to the CoA with a RH2.
 *
 *   mh_probe mn --hoa HOA --coa COA --ha HA [--bid ID[:COA]]... [--seq N]
 *	       [--lifetime SEC] [--no-hao] [--no-xfrm] [--kernel-csum]
 *	       [--timeout MS]
 *	Accept RH2 for HOA, send a BU (A, H, O) from COA with a HAO, wait for
 *	the BA and print it. --kernel-csum lets the kernel fill the checksum
 *	(IPV6_CHECKSUM 4) to show what it computes with a HAO.
 *
 * Output: one "key=value ..." line per message ("rx ..."/"tx ..."), then
 * exit 0; exit 3 when nothing arrived before the timeout, 1 on errors.
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

static const struct in6_addr any;

static void die(const char *what, int err)
{
	fprintf(stderr, "mh_probe: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static struct in6_addr parse6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1) {
		fprintf(stderr, "mh_probe: bad IPv6 address '%s'\n", s);
		exit(1);
	}
	return a;
}

static const char *str6(const struct in6_addr *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return inet_ntop(AF_INET6, a, buf[i], sizeof(buf[i]));
}

static const char *verdict_str(enum mh_verdict v)
{
	switch (v) {
	case MH_PARSE_OK: return "ok";
	case MH_PARSE_DROP: return "drop";
	case MH_PARSE_REPLY: return "reply";
	case MH_PARSE_BE: return "be";
	}
	return "?";
}

static void print_opts(const struct mh_opts *o)
{
	unsigned int i;

	printf(" nbids=%u", o->nbids);
	for (i = 0; i < o->nbids; i++) {
		const struct mh_bid *b = &o->bids[i];

		printf(" bid=%u/status=%u/h=%d/coa=%s", b->bid, b->status, b->h,
		       b->coa_family == AF_INET6 ? str6(&b->coa6) : "-");
	}
}

static void print_rx(const struct mh_addrs *a, const struct mh_msg *m,
		     enum mh_verdict v)
{
	printf("rx type=%s verdict=%s src=%s dst=%s hao=%s rh2=%s",
	       mh_type_str(m->type), verdict_str(v), str6(&a->src),
	       str6(&a->dst), a->has_hao ? str6(&a->hao) : "-",
	       a->has_rh2 ? str6(&a->rh2) : "-");
	if (v == MH_PARSE_DROP)
		printf(" drop=%s", mh_drop_str(m->drop));
	if (m->type == MH_TYPE_BU && v != MH_PARSE_DROP) {
		printf(" seq=%u flags=0x%04x lifetime=%u", m->u.bu.seq,
		       m->u.bu.flags, m->u.bu.lifetime);
		print_opts(&m->u.bu.opts);
	} else if (m->type == MH_TYPE_BA && v != MH_PARSE_DROP) {
		printf(" status=%u seq=%u lifetime=%u", m->u.ba.status,
		       m->u.ba.seq, m->u.ba.lifetime);
		print_opts(&m->u.ba.opts);
	}
	printf("\n");
	fflush(stdout);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for one message of @type; 0 on success, 3 on timeout */
static int wait_msg(struct mhsock *s, uint8_t type, int timeout,
		    struct mh_addrs *a, struct mh_msg *m, enum mh_verdict *v)
{
	int64_t end = now_ms() + timeout;
	uint8_t buf[MH_MAX_LEN + 64];

	for (;;) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int64_t left = end - now_ms();
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&p, 1, left) <= 0)
			continue;
		n = mhsock_recv(s, buf, sizeof(buf), a);
		if (n == -EAGAIN)
			continue;
		if (n < 0) {
			printf("rx error=%s bad_csum=%llu\n", strerror(-n),
			       (unsigned long long)s->st.rx_bad_csum);
			fflush(stdout);
			continue;
		}
		*v = mh_parse(buf, n, m);
		print_rx(a, m, *v);
		if (m->type == type)
			return 0;
	}
	printf("timeout\n");
	return 3;
}

static int run_ha(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "ha", 1, 0, 'a' }, { "status", 1, 0, 's' },
		{ "no-xfrm", 0, 0, 'X' }, { "timeout", 1, 0, 't' }, { 0 }
	};
	struct in6_addr ha = any;
	struct mcoa_xfrm x = { .fd = -1 };
	int status = 0, timeout = 10000, c, err, len;
	bool use_xfrm = true;
	struct mh_addrs a, out;
	struct mh_msg m;
	struct mh_ba ba;
	struct mhsock s;
	enum mh_verdict v;
	uint8_t buf[MH_MAX_LEN];
	unsigned int i;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'a': ha = parse6(optarg); break;
		case 's': status = atoi(optarg); break;
		case 'X': use_xfrm = false; break;
		case 't': timeout = atoi(optarg); break;
		default: return 1;
		}
	}
	/* lib.sh's MCOA_WAIT_MULT: a slow (debug) kernel answers late */
	if (getenv("MCOA_WAIT_MULT") && atoi(getenv("MCOA_WAIT_MULT")) > 1)
		timeout *= atoi(getenv("MCOA_WAIT_MULT"));
	if (use_xfrm) {
		err = mcoa_xfrm_open(&x);
		if (err)
			die("xfrm open", err);
		err = mcoa_xfrm_ha_allow(&x, &ha, &any, &any);
		if (err)
			die("mcoa_xfrm_ha_allow", err);
		/* twice: must be idempotent */
		err = mcoa_xfrm_ha_allow(&x, &ha, &any, &any);
		if (err)
			die("mcoa_xfrm_ha_allow (again)", err);
	}
	err = mhsock_open(&s);
	if (err)
		die("mhsock_open", err);
	printf("ready\n");
	fflush(stdout);

	if (wait_msg(&s, MH_TYPE_BU, timeout, &a, &m, &v))
		return 3;

	memset(&ba, 0, sizeof(ba));
	ba.status = v == MH_PARSE_REPLY ? m.status : status;
	ba.seq = m.u.bu.seq;
	ba.lifetime = m.u.bu.lifetime;
	ba.opts.nbids = m.u.bu.opts.nbids;
	for (i = 0; i < ba.opts.nbids; i++) {
		ba.opts.bids[i].bid = m.u.bu.opts.bids[i].bid;
		ba.opts.bids[i].status = m.u.bu.opts.bids[i].err;
	}
	ba.opts.has_bra = true;
	ba.opts.refresh = ba.lifetime / 2;
	len = mh_build_ba(buf, sizeof(buf), &ba);
	if (len < 0)
		die("mh_build_ba", len);

	/* RFC 6275 s1.8: BA to the BU's source; via RH2 if it had a HAO */
	memset(&out, 0, sizeof(out));
	out.src = a.dst;
	out.dst = a.src;
	out.has_rh2 = a.has_hao;
	out.rh2 = a.hao;
	err = mhsock_send(&s, buf, len, &out);
	if (err)
		die("mhsock_send", err);
	printf("tx type=BA status=%u len=%d dst=%s rh2=%s\n", ba.status, len,
	       str6(&out.dst), out.has_rh2 ? str6(&out.rh2) : "-");
	if (use_xfrm) {
		err = mcoa_xfrm_ha_remove(&x, &ha, &any, &any);
		if (!err)
			err = mcoa_xfrm_flush(&x);
		if (err)
			die("xfrm cleanup", err);
		mcoa_xfrm_close(&x);
	}
	mhsock_close(&s);
	return 0;
}

static int run_mn(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "hoa", 1, 0, 'h' }, { "coa", 1, 0, 'c' }, { "ha", 1, 0, 'a' },
		{ "bid", 1, 0, 'b' }, { "seq", 1, 0, 'q' },
		{ "lifetime", 1, 0, 'l' }, { "no-hao", 0, 0, 'H' },
		{ "no-xfrm", 0, 0, 'X' }, { "kernel-csum", 0, 0, 'K' },
		{ "timeout", 1, 0, 't' }, { 0 }
	};
	struct in6_addr hoa = any, coa = any, ha = any;
	struct mcoa_xfrm x = { .fd = -1 };
	bool use_xfrm = true, hao = true, kcsum = false;
	int timeout = 5000, c, err, len;
	struct mh_bu bu = {
		.seq = 1, .lifetime = 15,
		.flags = MH_BU_F_A | MH_BU_F_H | MH_BU_F_O,
	};
	struct mh_addrs a, out;
	struct mh_msg m;
	struct mhsock s;
	enum mh_verdict v;
	uint8_t buf[MH_MAX_LEN];

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'h': hoa = parse6(optarg); break;
		case 'c': coa = parse6(optarg); break;
		case 'a': ha = parse6(optarg); break;
		case 'q': bu.seq = atoi(optarg); break;
		case 'l': bu.lifetime = mh_lifetime_units(atoi(optarg)); break;
		case 'H': hao = false; break;
		case 'X': use_xfrm = false; break;
		case 'K': kcsum = true; break;
		case 't': timeout = atoi(optarg); break;
		case 'b': {
			struct mh_bid *b = &bu.opts.bids[bu.opts.nbids];
			char *colon = strchr(optarg, ':');

			if (bu.opts.nbids == MH_MAX_BIDS)
				die("--bid", E2BIG);
			memset(b, 0, sizeof(*b));
			b->bid = atoi(optarg);
			if (colon) {
				b->coa_family = AF_INET6;
				b->coa6 = parse6(colon + 1);
			}
			bu.opts.nbids++;
			break;
		}
		default: return 1;
		}
	}
	if (use_xfrm) {
		err = mcoa_xfrm_open(&x);
		if (err)
			die("xfrm open", err);
		err = mcoa_xfrm_mn_allow(&x, &hoa, &any, &ha);
		if (!err)
			err = mcoa_xfrm_mn_allow(&x, &hoa, &any, &ha);
		if (err)
			die("mcoa_xfrm_mn_allow", err);
	}
	err = mhsock_open(&s);
	if (err)
		die("mhsock_open", err);
	if (kcsum) {
		int off = MH_CSUM_OFFSET;

		if (setsockopt(s.fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off,
			       sizeof(off)))
			die("IPV6_CHECKSUM", errno);
	}

	len = mh_build_bu(buf, sizeof(buf), &bu);
	if (len < 0)
		die("mh_build_bu", len);
	memset(&out, 0, sizeof(out));
	out.src = coa;
	out.dst = ha;
	out.has_hao = hao;
	out.hao = hoa;
	err = mhsock_send(&s, buf, len, &out);
	if (err)
		die("mhsock_send", err);
	printf("tx type=BU len=%d src=%s dst=%s hao=%s csum=0x%02x%02x\n", len,
	       str6(&coa), str6(&ha), hao ? str6(&hoa) : "-", buf[4], buf[5]);
	fflush(stdout);

	err = wait_msg(&s, MH_TYPE_BA, timeout, &a, &m, &v);
	if (use_xfrm) {
		int e = mcoa_xfrm_mn_remove(&x, &hoa, &any, &ha);

		if (!e)
			e = mcoa_xfrm_mn_remove(&x, &hoa, &any, &ha);
		if (e)
			die("mcoa_xfrm_mn_remove", e);
		mcoa_xfrm_close(&x);
	}
	mhsock_close(&s);
	return err;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mh_probe ha|mn OPTIONS (see source)\n");
		return 1;
	}
	if (!strcmp(argv[1], "ha"))
		return run_ha(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mn"))
		return run_mn(argc - 1, argv + 1);
	fprintf(stderr, "mh_probe: unknown role '%s'\n", argv[1]);
	return 1;
}

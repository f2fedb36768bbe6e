// SPDX-License-Identifier: GPL-2.0
/*
 * bu_load: Binding Update load generator for the home agent benchmark.
 *
 * Plays many mobile nodes at once: HoA i (i = 0..N-1) lives in the home
 * prefix, its care-of address k (k = 1..B) in COA_PREFIX with k in the
 * third group. Every BU is a valid home registration as a real MN sends
 * it from a CoA (RFC 6275 s.11.7.1, RFC 5648 s.5): IPv6 source = CoA,
 * a Home Address destination option carrying the HoA, A and H flags,
 * BID options with the CoA, and the RFC checksum (pseudo-header source =
 * HoA).
 *
 * Closed loop: at most WINDOW mobile nodes have a BU in flight; each
 * sends its next BU only after the BA for the previous one (the sequence
 * number must grow). With -b one BU carries all B BID options (bulk
 * registration); without it, B BUs with one BID option each, each from
 * its own CoA.
 *
 * BUs are sent through an IPPROTO_RAW socket (we write the whole IPv6
 * header, so the CoAs need not be local addresses) and BAs are read with
 * an AF_PACKET socket on the interface facing the HA: the BA carries a
 * type 2 routing header for a HoA this host does not own, which the IPv6
 * stack would drop before any socket saw it. The host should route
 * COA_PREFIX to a blackhole so that the stack drops its copy quietly.
 *
 * Output: one line of key=value pairs (see print_result()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/ip6.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mh.h"

#define MAX_BIDS	8
#define HAO_TYPE	0xc9	/* Home Address option (RFC 6275 s.6.3) */

struct cfg {
	const char *ifname;
	struct in6_addr ha, hoa_prefix, coa_prefix;
	unsigned int n, offset, window, nbids, timeout_ms, lifetime;
	bool bulk;
};

/* One emulated mobile node. */
struct mn {
	unsigned int step;	/* BUs acknowledged so far */
	uint16_t seq;		/* of the BU in flight */
	uint64_t sent_ns;
	bool active;
};

static struct cfg cfg = {
	.window = 32, .nbids = 3, .timeout_ms = 3000, .lifetime = 3600,
};
static struct mn *mns;
static uint64_t *lat_ns;	/* one per acknowledged BU */
static size_t nlat;

static struct {
	uint64_t bu_tx, ba_rx, accepted, rejected, timeouts, stray, tx_err;
	uint64_t status[256];
} st;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* prefix with the low 32 bits replaced by idx (and group 3 by k if k) */
static void make_addr(struct in6_addr *out, const struct in6_addr *prefix,
		      uint32_t idx, unsigned int k)
{
	*out = *prefix;
	if (k) {
		out->s6_addr[4] = k >> 8;
		out->s6_addr[5] = k;
	}
	out->s6_addr[12] = idx >> 24;
	out->s6_addr[13] = idx >> 16;
	out->s6_addr[14] = idx >> 8;
	out->s6_addr[15] = idx;
}

static uint32_t addr_idx(const struct in6_addr *a)
{
	return (uint32_t)a->s6_addr[12] << 24 | a->s6_addr[13] << 16 |
	       a->s6_addr[14] << 8 | a->s6_addr[15];
}

static unsigned int bus_per_mn(void)
{
	return cfg.bulk ? 1 : cfg.nbids;
}

/* Build IPv6 + Destination Options (PadN, HAO) + BU and send it. */
static int send_bu(int fd, unsigned int i)
{
	uint8_t pkt[40 + 24 + MH_MAX_LEN];
	struct mn *m = &mns[i];
	struct in6_addr hoa, src;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct mh_bu bu = {
		.seq = m->seq,
		.flags = MH_BU_F_A | MH_BU_F_H,
		.lifetime = mh_lifetime_units(cfg.lifetime),
	};
	struct ip6_hdr *ip = (struct ip6_hdr *)pkt;
	uint8_t *opt = pkt + 40, *mh = pkt + 64;
	unsigned int k, first;
	int len;

	make_addr(&hoa, &cfg.hoa_prefix, cfg.offset + i, 0);
	/* bulk: every BID from CoA 1; else BID step+1 from its own CoA */
	first = cfg.bulk ? 1 : m->step + 1;
	for (k = first; k < first + (cfg.bulk ? cfg.nbids : 1); k++) {
		struct mh_bid *b = &bu.opts.bids[bu.opts.nbids++];

		b->bid = k;
		b->coa_family = AF_INET6;
		make_addr(&b->coa6, &cfg.coa_prefix, cfg.offset + i, k);
	}
	src = bu.opts.bids[0].coa6;

	len = mh_build_bu(mh, MH_MAX_LEN, &bu);
	if (len < 0)
		return len;
	{
		uint16_t c = mh_checksum(&hoa, &cfg.ha, mh, len);

		mh[MH_CSUM_OFFSET] = c >> 8;
		mh[MH_CSUM_OFFSET + 1] = c;
	}
	/* Destination Options: NH, HdrLen=2, PadN(2 octets data), HAO (8n+6) */
	opt[0] = IPPROTO_MH;
	opt[1] = 2;
	opt[2] = 1;
	opt[3] = 2;
	opt[4] = 0;
	opt[5] = 0;
	opt[6] = HAO_TYPE;
	opt[7] = 16;
	memcpy(opt + 8, &hoa, 16);

	memset(ip, 0, sizeof(*ip));
	ip->ip6_flow = htonl(6u << 28);
	ip->ip6_plen = htons(24 + len);
	ip->ip6_nxt = IPPROTO_DSTOPTS;
	ip->ip6_hlim = 64;
	ip->ip6_src = src;
	ip->ip6_dst = cfg.ha;
	to.sin6_addr = cfg.ha;

	m->sent_ns = now_ns();
	if (sendto(fd, pkt, 64 + len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		st.tx_err++;
		return -errno;
	}
	st.bu_tx++;
	return 0;
}

static void finish(unsigned int i, unsigned int *active)
{
	mns[i].active = false;
	(*active)--;
}

/* One frame from the packet socket: a BA for one of our HoAs? */
static void on_frame(int fd, const uint8_t *p, size_t n, unsigned int *active)
{
	const struct ip6_hdr *ip = (const struct ip6_hdr *)p;
	struct in6_addr hoa;
	struct mh_msg msg;
	size_t off = 40;
	uint32_t idx;
	struct mn *m;

	if (n < 40 || (p[0] >> 4) != 6)
		return;
	/*
	 * A BA routed by the HA towards the HoA goes through the HA's mcoa
	 * tunnel: take the inner packet.
	 */
	if (ip->ip6_nxt == IPPROTO_IPV6) {
		on_frame(fd, p + 40, n - 40, active);
		return;
	}
	if (ip->ip6_nxt == IPPROTO_ROUTING) {
		/* type 2 routing header: 24 octets, the HoA at offset 8 */
		if (n < off + 24 || p[off + 2] != 2)
			return;
		if (p[off] != IPPROTO_MH)
			return;
		memcpy(&hoa, p + off + 8, 16);
		off += (p[off + 1] + 1) * 8;
	} else if (ip->ip6_nxt == IPPROTO_MH) {
		hoa = ip->ip6_dst;
	} else {
		return;
	}
	if (n < off + 8 || !IN6_ARE_ADDR_EQUAL(&ip->ip6_src, &cfg.ha))
		return;
	if (n - off < (size_t)(p[off + 1] + 1) * 8)
		return;
	if (mh_parse(p + off, (p[off + 1] + 1) * 8, &msg) != MH_PARSE_OK ||
	    msg.type != MH_TYPE_BA)
		return;

	idx = addr_idx(&hoa) - cfg.offset;
	if (idx >= cfg.n || !mns[idx].active ||
	    msg.u.ba.seq != mns[idx].seq) {
		st.stray++;
		return;
	}
	m = &mns[idx];
	st.ba_rx++;
	lat_ns[nlat++] = now_ns() - m->sent_ns;
	st.status[msg.u.ba.status]++;
	if (!mh_ba_accepted(msg.u.ba.status)) {
		st.rejected++;
		finish(idx, active);
		return;
	}
	st.accepted++;
	m->step++;
	if (m->step == bus_per_mn()) {
		finish(idx, active);
		return;
	}
	m->seq++;
	if (send_bu(fd, idx))
		finish(idx, active);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct_us(double q)
{
	size_t i;

	if (!nlat)
		return 0;
	i = (size_t)(q * (nlat - 1) + 0.5);
	return lat_ns[i] / 1000.0;
}

static void print_result(uint64_t elapsed_ns)
{
	double s = elapsed_ns / 1e9;
	unsigned int i, top = 0;

	qsort(lat_ns, nlat, sizeof(*lat_ns), cmp_u64);
	for (i = 1; i < 256; i++)
		if (st.status[i] > st.status[top])
			top = i;
	printf("hoas=%u bids=%u bulk=%d window=%u bu_tx=%llu ba_rx=%llu "
	       "accepted=%llu rejected=%llu timeouts=%llu stray=%llu "
	       "tx_err=%llu elapsed_ms=%.1f bu_per_s=%.1f bindings_per_s=%.1f "
	       "lat_p50_us=%.0f lat_p99_us=%.0f lat_max_us=%.0f "
	       "top_status=%u(%s)\n",
	       cfg.n, cfg.nbids, cfg.bulk, cfg.window,
	       (unsigned long long)st.bu_tx, (unsigned long long)st.ba_rx,
	       (unsigned long long)st.accepted,
	       (unsigned long long)st.rejected,
	       (unsigned long long)st.timeouts, (unsigned long long)st.stray,
	       (unsigned long long)st.tx_err, s * 1000,
	       s > 0 ? st.accepted / s : 0,
	       s > 0 ? (cfg.bulk ? st.accepted * cfg.nbids : st.accepted) / s : 0,
	       pct_us(0.50), pct_us(0.99), pct_us(1.0), top,
	       mh_ba_status_str(top));
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: bu_load -i IF -a HA -p HOA_PREFIX -c COA_PREFIX -n N\n"
		"               [-o OFFSET] [-w WINDOW] [-k BIDS] [-b]\n"
		"               [-l LIFETIME_S] [-t TIMEOUT_MS]\n"
		"  HoA i = HOA_PREFIX with low 32 bits OFFSET+i; CoA k of HoA i\n"
		"  = COA_PREFIX with group 3 = k and low 32 bits OFFSET+i.\n"
		"  -b: bulk, one BU with BIDS BID options per MN; else BIDS\n"
		"  BUs with one BID option each.\n");
	exit(2);
}

static void parse_addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "bu_load: '%s' is not an IPv6 address\n", s);
		exit(2);
	}
}

static unsigned int parse_uint(const char *s, unsigned int min,
			       unsigned int max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v < min || v > max) {
		fprintf(stderr, "bu_load: '%s' is not a number in %u..%u\n",
			s, min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static uint8_t frame[65536];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned int active = 0, next = 0, lo = 0, i;
	int c, tx, rx, rcvbuf = 8 << 20;
	uint64_t t0, tend;
	bool have_ha = false, have_h = false, have_c = false;

	while ((c = getopt(argc, argv, "i:a:p:c:n:o:w:k:bl:t:")) != -1) {
		switch (c) {
		case 'i': cfg.ifname = optarg; break;
		case 'a': parse_addr(optarg, &cfg.ha); have_ha = true; break;
		case 'p': parse_addr(optarg, &cfg.hoa_prefix); have_h = true; break;
		case 'c': parse_addr(optarg, &cfg.coa_prefix); have_c = true; break;
		case 'n': cfg.n = parse_uint(optarg, 1, 1u << 24); break;
		case 'o': cfg.offset = parse_uint(optarg, 0, 1u << 30); break;
		case 'w': cfg.window = parse_uint(optarg, 1, 65536); break;
		case 'k': cfg.nbids = parse_uint(optarg, 1, MAX_BIDS); break;
		case 'b': cfg.bulk = true; break;
		case 'l': cfg.lifetime = parse_uint(optarg, 4, 262140); break;
		case 't': cfg.timeout_ms = parse_uint(optarg, 1, 600000); break;
		default: usage();
		}
	}
	if (!cfg.ifname || !have_ha || !have_h || !have_c || !cfg.n)
		usage();

	mns = calloc(cfg.n, sizeof(*mns));
	lat_ns = calloc((size_t)cfg.n * cfg.nbids, sizeof(*lat_ns));
	if (!mns || !lat_ns) {
		perror("bu_load: calloc");
		return 1;
	}
	tx = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	rx = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_IPV6));
	if (tx < 0 || rx < 0) {
		perror("bu_load: socket");
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_IPV6);
	sll.sll_ifindex = if_nametoindex(cfg.ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "bu_load: no interface %s\n", cfg.ifname);
		return 1;
	}
	setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(rx, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("bu_load: bind");
		return 1;
	}

	t0 = now_ns();
	tend = t0;
	while (next < cfg.n || active) {
		struct pollfd pfd = { .fd = rx, .events = POLLIN };
		uint64_t now;
		ssize_t n;

		while (active < cfg.window && next < cfg.n) {
			struct mn *m = &mns[next];

			m->active = true;
			m->seq = 1;
			active++;
			if (send_bu(tx, next))
				finish(next, &active);
			next++;
		}
		if (poll(&pfd, 1, 10) < 0 && errno != EINTR) {
			perror("bu_load: poll");
			return 1;
		}
		while ((n = recv(rx, frame, sizeof(frame), 0)) > 0) {
			on_frame(tx, frame, n, &active);
			tend = now_ns();
		}
		/* a lost BU or BA: give that MN up, count it */
		now = now_ns();
		while (lo < next && !mns[lo].active)
			lo++;
		for (i = lo; i < next; i++) {
			if (mns[i].active &&
			    now - mns[i].sent_ns > cfg.timeout_ms * 1000000ull) {
				st.timeouts++;
				finish(i, &active);
			}
		}
	}
	print_result(tend - t0);
	return st.timeouts || st.rejected || st.tx_err ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * flowgen: steady UDP flows with sequence numbers, for the failover
 * benchmark.
 *
 *   flowgen send -s SRC -d DST -p DPORT -P SPORT0 -f FLOWS -r RATE
 *		  {-T MS | -n COUNT}
 *	FLOWS sockets (source ports SPORT0..), each sending RATE datagrams
 *	per second for MS milliseconds, or COUNT datagrams each (a fixed
 *	number of packets, whatever the clock does), or until SIGTERM, on a
 *	fixed clock. Every datagram carries (flow, seq, send time). Prints
 *	"sent=K interval_ns=I", K datagrams per flow.
 *
 *   flowgen recv -p DPORT -f FLOWS [-I IDLE_MS] [-W WAIT_MS] [-O]
 *	Counts what arrives on UDP port DPORT (what the stack delivered),
 *	and, through an AF_PACKET socket, which interface each flow's
 *	IPv6-in-IPv6 packets came in by (the path, i.e. the CoA). Stops
 *	IDLE_MS after the last datagram (or after WAIT_MS with nothing), then
 *	prints one line per flow. -O only observes the paths (no UDP socket:
 *	the packets are for another host, e.g. on the home agent, which
 *	decapsulates and forwards them) until SIGTERM or WAIT_MS. It prints
 *	"ready" once listening, then per flow:
 *	  flow=F rx=N dup=D first=S last=S holes=H maxgap_ms=G paths=if1:n,...
 *	  switch_ms=T
 *	holes: sequence numbers missing between first and last; maxgap_ms:
 *	largest send-time distance between two consecutive received
 *	datagrams minus one interval (0 when nothing was lost), i.e. how
 *	long the flow was interrupted; switch_ms: when (CLOCK_MONOTONIC, ms)
 *	the first of the flow's packets came in by an interface other than
 *	the one its first packet used (0: it never changed path).
 *
 *   flowgen now
 *	Prints CLOCK_MONOTONIC in ms, the clock of mcoad's log and of
 *	switch_ms, so a script can stamp its own actions on it.
 *
 * Both ends run in one VM, so CLOCK_MONOTONIC is shared.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip6.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC		0x6d636f61u	/* "mcoa" */
#define MAX_FLOWS	1024
#define MAX_IF		64

struct payload {
	uint32_t magic;
	uint32_t flow;
	uint32_t seq;
	uint32_t pad;
	uint64_t sent_ns;
	uint64_t interval_ns;
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned long num(const char *s, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v < min || v > max) {
		fprintf(stderr, "flowgen: '%s' is not a number in %lu..%lu\n",
			s, min, max);
		exit(2);
	}
	return v;
}

static void addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "flowgen: '%s' is not an IPv6 address\n", s);
		exit(2);
	}
}

static int do_send(int argc, char **argv)
{
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	unsigned long flows = 8, rate = 100, ms = 3000, sport0 = 20000, i;
	unsigned long count = 0;
	uint64_t interval, t0, k, ticks;
	int c, *fd;

	while ((c = getopt(argc, argv, "s:d:p:P:f:r:T:n:")) != -1) {
		switch (c) {
		case 's': addr(optarg, &src.sin6_addr); break;
		case 'd': addr(optarg, &dst.sin6_addr); break;
		case 'p': dst.sin6_port = htons(num(optarg, 1, 65535)); break;
		case 'P': sport0 = num(optarg, 1, 65535); break;
		case 'f': flows = num(optarg, 1, MAX_FLOWS); break;
		case 'r': rate = num(optarg, 1, 1000000); break;
		case 'T': ms = num(optarg, 1, 3600000); break;
		case 'n': count = num(optarg, 1, 100000000); break;
		default: return 2;
		}
	}
	if (!dst.sin6_port || sport0 + flows > 65536) {
		fprintf(stderr, "flowgen send: need -d DST -p DPORT\n");
		return 2;
	}
	fd = calloc(flows, sizeof(*fd));
	for (i = 0; i < flows; i++) {
		fd[i] = socket(AF_INET6, SOCK_DGRAM, 0);
		src.sin6_port = htons(sport0 + i);
		if (fd[i] < 0 ||
		    bind(fd[i], (struct sockaddr *)&src, sizeof(src)) < 0 ||
		    connect(fd[i], (struct sockaddr *)&dst, sizeof(dst)) < 0) {
			perror("flowgen send: socket");
			return 1;
		}
	}
	interval = 1000000000ull / rate;
	ticks = count ? count : ms * 1000000ull / interval;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	t0 = now_ns() + 1000000;
	/* SIGTERM ends the run early: what was sent so far counts */
	for (k = 0; k < ticks && !stop; k++) {
		uint64_t at = t0 + k * interval;
		struct timespec ts = {
			.tv_sec = at / 1000000000ull,
			.tv_nsec = at % 1000000000ull,
		};

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		for (i = 0; i < flows; i++) {
			struct payload p = {
				.magic = MAGIC, .flow = i, .seq = k,
				.sent_ns = now_ns(), .interval_ns = interval,
			};

			/* ENOBUFS/ECONNREFUSED must not stop the clock */
			(void)!send(fd[i], &p, sizeof(p), MSG_DONTWAIT);
		}
	}
	printf("sent=%llu interval_ns=%llu\n", (unsigned long long)k,
	       (unsigned long long)interval);
	return 0;
}

struct rec {
	uint32_t seq;
	uint64_t sent_ns;
};

struct flow {
	struct rec *r;
	size_t n, cap;
	uint64_t path[MAX_IF];	/* packets seen per ifindex */
	int first_if;		/* interface of the first packet seen */
	uint64_t switch_ns;	/* first packet by another one, 0: none */
};

static struct flow fl[MAX_FLOWS];

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Outer IPv6 -> inner IPv6 -> UDP to dport: note which interface. */
static void on_outer(const uint8_t *p, size_t n, int ifindex,
		     uint16_t dport, unsigned int flows)
{
	const struct payload *pl;
	const uint8_t *in = p + 40;
	struct flow *f;

	if (n < 40 + 40 + 8 + sizeof(*pl) || (p[0] >> 4) != 6 || p[6] != 41)
		return;
	if ((in[0] >> 4) != 6 || in[6] != IPPROTO_UDP)
		return;
	if (((in[40 + 2] << 8) | in[40 + 3]) != dport)
		return;
	pl = (const void *)(in + 48);
	if (pl->magic != MAGIC || pl->flow >= flows || ifindex >= MAX_IF ||
	    ifindex < 0)
		return;
	f = &fl[pl->flow];
	f->path[ifindex]++;
	if (!f->first_if)
		f->first_if = ifindex;
	else if (ifindex != f->first_if && !f->switch_ns)
		f->switch_ns = now_ns();
}

static void on_udp(const struct payload *p, unsigned int flows)
{
	struct flow *f;

	if (p->magic != MAGIC || p->flow >= flows)
		return;
	f = &fl[p->flow];
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		f->r = realloc(f->r, f->cap * sizeof(*f->r));
		if (!f->r) {
			perror("flowgen: realloc");
			exit(1);
		}
	}
	f->r[f->n].seq = p->seq;
	f->r[f->n].sent_ns = p->sent_ns;
	f->n++;
}

static void report(unsigned int flows, uint64_t interval)
{
	unsigned int i, j;

	for (i = 0; i < flows; i++) {
		struct flow *f = &fl[i];
		uint64_t maxgap = 0, holes = 0, dup = 0, rx = 0;
		const char *sep = "";
		char name[IF_NAMESIZE];

		qsort(f->r, f->n, sizeof(*f->r), cmp_rec);
		for (j = 0; j < f->n; j++) {
			if (j && f->r[j].seq == f->r[j - 1].seq) {
				dup++;
				continue;
			}
			rx++;
			if (!j)
				continue;
			holes += f->r[j].seq - f->r[j - 1].seq - 1;
			if (f->r[j].seq - f->r[j - 1].seq > 1) {
				uint64_t g = f->r[j].sent_ns -
					     f->r[j - 1].sent_ns - interval;

				if (g > maxgap)
					maxgap = g;
			}
		}
		printf("flow=%u rx=%llu dup=%llu first=%lld last=%lld holes=%llu "
		       "maxgap_ms=%.1f paths=", i, (unsigned long long)rx,
		       (unsigned long long)dup,
		       f->n ? (long long)f->r[0].seq : -1LL,
		       f->n ? (long long)f->r[f->n - 1].seq : -1LL,
		       (unsigned long long)holes, maxgap / 1e6);
		for (j = 0; j < MAX_IF; j++) {
			if (!f->path[j])
				continue;
			if (!if_indextoname(j, name))
				snprintf(name, sizeof(name), "if%u", j);
			printf("%s%s:%llu", sep, name,
			       (unsigned long long)f->path[j]);
			sep = ",";
		}
		printf("%s switch_ms=%.1f\n", *sep ? "" : "-",
		       f->switch_ns / 1e6);
	}
}

static int do_recv(int argc, char **argv)
{
	struct sockaddr_in6 me = { .sin6_family = AF_INET6 };
	unsigned long flows = 8, idle = 1000, wait = 20000;
	uint64_t start, last = 0, interval = 0;
	int c, u = -1, pk, rcvbuf = 8 << 20;
	bool observe = false;
	uint16_t dport = 0;

	while ((c = getopt(argc, argv, "p:f:I:W:O")) != -1) {
		switch (c) {
		case 'O': observe = true; break;
		case 'p': dport = num(optarg, 1, 65535); break;
		case 'f': flows = num(optarg, 1, MAX_FLOWS); break;
		case 'I': idle = num(optarg, 1, 600000); break;
		case 'W': wait = num(optarg, 1, 600000); break;
		default: return 2;
		}
	}
	if (!dport) {
		fprintf(stderr, "flowgen recv: need -p DPORT\n");
		return 2;
	}
	me.sin6_port = htons(dport);
	if (!observe) {
		u = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (u < 0 || bind(u, (struct sockaddr *)&me, sizeof(me)) < 0) {
			perror("flowgen recv: socket");
			return 1;
		}
		setsockopt(u, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			   sizeof(rcvbuf));
	}
	pk = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_IPV6));
	if (pk < 0) {
		perror("flowgen recv: socket");
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	setsockopt(pk, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	printf("ready\n");
	fflush(stdout);

	start = now_ns();
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = u, .events = POLLIN },
			{ .fd = pk, .events = POLLIN },
		};
		uint8_t buf[2048];
		uint64_t now;
		ssize_t n;

		if (stop)
			break;
		poll(pfd, 2, 50);
		while (u >= 0 && (n = recv(u, buf, sizeof(buf), 0)) >= 0) {
			if ((size_t)n >= sizeof(struct payload)) {
				const struct payload *p = (const void *)buf;

				on_udp(p, flows);
				interval = p->interval_ns;
				last = now_ns();
			}
		}
		for (;;) {
			struct sockaddr_ll sll;
			socklen_t sl = sizeof(sll);

			n = recvfrom(pk, buf, sizeof(buf), 0,
				     (struct sockaddr *)&sll, &sl);
			if (n < 0)
				break;
			if (sll.sll_pkttype != PACKET_OUTGOING)
				on_outer(buf, n, sll.sll_ifindex, dport, flows);
		}
		now = now_ns();
		if (last && now - last > idle * 1000000ull)
			break;
		if (!last && now - start > wait * 1000000ull)
			break;
	}
	report(flows, interval);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "send"))
		return do_send(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "recv"))
		return do_recv(argc - 1, argv + 1);
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%.1f\n", now_ns() / 1e6);
		return 0;
	}
	fprintf(stderr,
		"Usage: flowgen send -s SRC -d DST -p DPORT [-P SPORT0] [-f FLOWS]\n"
		"                    [-r RATE_PER_FLOW] [-T MS | -n COUNT]\n"
		"       flowgen recv -p DPORT [-f FLOWS] [-I IDLE_MS] [-W WAIT_MS] [-O]\n"
		"       flowgen now\n");
	return 2;
}

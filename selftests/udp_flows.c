// SPDX-License-Identifier: GPL-2.0
/*
 * udp_flows: N parallel UDP flows for the demo (a C tool: a Python start-up
 * costs tens of seconds in a loaded TCG guest).
 *
 *   udp_flows send DST N RATE SECONDS   flows sport 4001+i -> DST:5001+i
 *   udp_flows recv ADDR N               count per port until 3 s idle
 *
 * Both print "PORT COUNT" lines on stdout; send prints "sending" and recv
 * prints "ready" on stderr when they start.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXF 64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sock(const char *addr, int port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET6, addr, &sa.sin6_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("udp_flows: socket/bind");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	unsigned long cnt[MAXF] = { 0 };
	struct pollfd p[MAXF];
	int i, n;

	if (argc < 4 || (n = atoi(argv[3])) < 1 || n > MAXF) {
		fprintf(stderr, "usage: udp_flows send DST N RATE SECS | recv ADDR N\n");
		return 2;
	}
	n = atoi(argv[3]);
	if (!strcmp(argv[1], "send") && argc == 6) {
		double rate = atof(argv[4]), secs = atof(argv[5]), t0;
		struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
		char msg[64];
		long k;

		inet_pton(AF_INET6, argv[2], &dst.sin6_addr);
		for (i = 0; i < n; i++)
			p[i].fd = sock("::", 4001 + i);
		fprintf(stderr, "sending\n");
		t0 = now();
		for (k = 0; now() - t0 < secs; k++) {
			double next = t0 + (k + 1) / rate, d;

			for (i = 0; i < n; i++) {
				dst.sin6_port = htons(5001 + i);
				snprintf(msg, sizeof(msg), "mcoa-demo %d %ld", i, k);
				if (sendto(p[i].fd, msg, strlen(msg), 0,
					   (struct sockaddr *)&dst, sizeof(dst)) > 0)
					cnt[i]++;
			}
			d = next - now();
			if (d > 0)
				usleep(d * 1e6);
		}
	} else if (!strcmp(argv[1], "recv") && argc == 4) {
		double last = now() + 117;	/* 120 s for the first packet */
		char buf[2048];

		for (i = 0; i < n; i++) {
			p[i].fd = sock(argv[2], 5001 + i);
			p[i].events = POLLIN;
		}
		fprintf(stderr, "ready\n");
		while (now() - last < 3) {
			if (poll(p, n, 500) <= 0)
				continue;
			for (i = 0; i < n; i++) {
				if (!(p[i].revents & POLLIN))
					continue;
				if (recv(p[i].fd, buf, sizeof(buf), 0) > 0) {
					cnt[i]++;
					last = now();
				}
			}
		}
	} else {
		fprintf(stderr, "usage: udp_flows send DST N RATE SECS | recv ADDR N\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		printf("%d %lu\n", 5001 + i, cnt[i]);
	return 0;
}

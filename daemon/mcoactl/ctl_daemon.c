// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ctl_daemon.h"

static void daemon_usage(FILE *f)
{
	fprintf(f,
		"Usage: mcoactl [-j] daemon [socket PATH] show\n"
		"  show   the daemon's view: Binding Update List with each\n"
		"         care-of address's liveness (mobile node), or binding\n"
		"         cache and counters (home agent)\n"
		"  PATH   control socket (default $%s or %s)\n",
		MCOAD_SOCKET_ENV, MCOAD_SOCKET_DEFAULT);
}

static int daemon_request(const char *path, const char *req)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "mcoactl: socket path too long: %s\n", path);
		return 2;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "mcoactl: cannot reach mcoad at %s: %s (is it running?)\n",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (write(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "mcoactl: %s: %s\n", path, strerror(errno));
		close(fd);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	if (n < 0) {
		fprintf(stderr, "mcoactl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int ctl_daemon(int argc, char **argv, int json)
{
	const char *path = getenv(MCOAD_SOCKET_ENV);
	int i = 1;

	if (!path || !*path)
		path = MCOAD_SOCKET_DEFAULT;
	if (i + 1 < argc && !strcmp(argv[i], "socket")) {
		path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || !strcmp(argv[i], "help")) {
		daemon_usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	if (!strcmp(argv[i], "show") && i + 1 == argc)
		return daemon_request(path, json ? "show json\n" : "show\n");
	fprintf(stderr, "mcoactl: daemon: unknown command '%s'\n", argv[i]);
	daemon_usage(stderr);
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * runlock.c - the pid file lock and the control socket's path checks.
 * flock() rather than a pid compare: the lock dies with the process, so a
 * crashed mcoad never blocks the next one and a recycled pid fools no one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "runlock.h"

/*
 * Device names are per network namespace: mcoad in two namespaces may
 * both serve a "mip0" (the selftests do). Outside the namespace of pid 1
 * the lock is named DEVICE@netINODE, the namespace's inode number.
 */
void runlock_name(const char *device, char *buf, size_t len)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) == 0 &&
	    stat("/proc/1/ns/net", &init) == 0 && self.st_ino != init.st_ino)
		snprintf(buf, len, "%s@net%lu", device,
			 (unsigned long)self.st_ino);
	else
		snprintf(buf, len, "%s", device);
}

int runlock_take(const char *rundir, const char *device, char *err,
		 size_t errlen)
{
	char path[256], pid[32] = "";
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.pid", rundir,
			     device) >= sizeof(path)) {
		snprintf(err, errlen, "%s: runtime directory path too long",
			 rundir);
		return -1;
	}
	if (mkdir(rundir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "runtime directory %s: %s", rundir,
			 strerror(errno));
		return -1;
	}
	/* O_NOFOLLOW: a symlink planted there must not make us write elsewhere */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "lock file %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (e == EWOULDBLOCK)
			snprintf(err, errlen,
				 "another mcoad already runs for device %s (pid %s, lock %s)",
				 device, *pid ? pid : "unknown", path);
		else
			snprintf(err, errlen, "lock file %s: %s", path,
				 strerror(e));
		close(fd);
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		snprintf(err, errlen, "lock file %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* True when something accepts connections on the socket at path. */
static int socket_live(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, live;

	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	live = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return live;
}

int ctl_socket_prepare(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen,
			 "control socket %s: exists and is not a socket; not removing it",
			 path);
		return -1;
	}
	if (socket_live(path)) {
		snprintf(err, errlen,
			 "control socket %s: another process listens on it",
			 path);
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "control socket %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

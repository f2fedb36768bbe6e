// SPDX-License-Identifier: GPL-2.0
/* mcoad's pid file lock and control socket checks, in a scratch dir. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "kselftest_harness.h"
#include "runlock.h"

FIXTURE(rundir) {
	char dir[64];
	char path[128];
};

FIXTURE_SETUP(rundir)
{
	strcpy(self->dir, "/tmp/mcoa-runlock.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/run", self->dir);
}

FIXTURE_TEARDOWN(rundir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

/* A second mcoad for the same device is refused, naming the holder. */
TEST_F(rundir, second_daemon_same_device_refused)
{
	char err[256] = "", want[64];
	int fd, fd2;

	fd = runlock_take(self->path, "mip0", err, sizeof(err));
	ASSERT_LE(0, fd) TH_LOG("%s", err);
	/* flock: another open file description conflicts, even here */
	EXPECT_EQ(-1, runlock_take(self->path, "mip0", err, sizeof(err)));
	snprintf(want, sizeof(want), "(pid %d,", (int)getpid());
	EXPECT_NE(NULL, strstr(err, "another mcoad already runs for device mip0"));
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	/* another device is fine */
	fd2 = runlock_take(self->path, "mip1", err, sizeof(err));
	EXPECT_LE(0, fd2) TH_LOG("%s", err);
	close(fd2);
	/* the lock goes with its holder */
	close(fd);
	fd = runlock_take(self->path, "mip0", err, sizeof(err));
	EXPECT_LE(0, fd) TH_LOG("%s", err);
	close(fd);
}

static int bind_at(const char *path, bool listening)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sun.sun_path, path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -1;
	if (listening)
		listen(fd, 1);
	return fd;
}

TEST_F(rundir, regular_file_never_unlinked)
{
	char err[256] = "", sock[160];
	struct stat st;
	int fd;

	snprintf(sock, sizeof(sock), "%s/ctl", self->dir);
	fd = open(sock, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-1, ctl_socket_prepare(sock, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "is not a socket; not removing it"));
	EXPECT_EQ(0, stat(sock, &st));
}

TEST_F(rundir, stale_socket_replaced_live_one_kept)
{
	char err[256] = "", sock[160];
	struct stat st;
	int fd;

	snprintf(sock, sizeof(sock), "%s/ctl", self->dir);
	fd = bind_at(sock, true);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ctl_socket_prepare(sock, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "another process listens on it"));
	EXPECT_EQ(0, stat(sock, &st));
	close(fd);	/* now stale: nobody listens */
	EXPECT_EQ(0, ctl_socket_prepare(sock, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-1, stat(sock, &st));
	EXPECT_EQ(0, ctl_socket_prepare(sock, err, sizeof(err)));
}

TEST_HARNESS_MAIN

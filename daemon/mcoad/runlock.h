/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runlock.h - one mcoad per device, and a control socket that never
 * removes what is not its own.
 */
#ifndef MCOA_RUNLOCK_H
#define MCOA_RUNLOCK_H

#include <stddef.h>

#define RUNDIR_DEFAULT	"/run/mcoa"
/* set by systemd from RuntimeDirectory=; -r RUNDIR wins over it */
#define RUNDIR_ENV	"RUNTIME_DIRECTORY"

/* The lock's name for device: DEVICE, or DEVICE@netINODE in another netns. */
void runlock_name(const char *device, char *buf, size_t len);

/*
 * Take RUNDIR/DEVICE.pid (device: runlock_name()'s answer) with flock() and write our pid into it. Returns
 * the lock's fd (keep it open: the lock goes when the process does), or
 * -1 with a message in err, e.g. another mcoad holds it.
 */
int runlock_take(const char *rundir, const char *device, char *err,
		 size_t errlen);

/*
 * Make way for a control socket at path: a stale socket is removed; a
 * socket another process listens on, or anything that is not a socket,
 * is left alone and refused (-1, err says why).
 */
int ctl_socket_prepare(const char *path, char *err, size_t errlen);

#endif

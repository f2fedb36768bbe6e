/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcoactl daemon: ask a running mcoad for its view over its control socket
 * (Binding Update List on a mobile node, binding cache and counters on a
 * home agent).
 *
 * Wire: one request line ("show" or "show json"), then the daemon writes
 * its answer and closes the connection.
 */
#ifndef MCOA_CTL_DAEMON_H
#define MCOA_CTL_DAEMON_H

#define MCOAD_SOCKET_ENV	"MCOAD_SOCKET"
#define MCOAD_SOCKET_DEFAULT	"/run/mcoa/mcoad.sock"

/* argv[0] is "daemon". Returns a mcoactl exit code (0, 1, 2). */
int ctl_daemon(int argc, char **argv, int json);

#endif

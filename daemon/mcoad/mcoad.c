// SPDX-License-Identifier: GPL-2.0
/*
 * mcoad: Mobile IPv6 Multiple Care-of Addresses signalling daemon.
 * main(), the epoll loop, signals and the control socket.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "log.h"
#include "ipsec.h"
#include "mcoad.h"
#include "runlock.h"
#include "version.h"
#include "mh.h"
#include "rtnl.h"

enum { EV_SIGNAL = 1, EV_MH, EV_KERNEL, EV_CTL, EV_RTNL, EV_ND, EV_PROBE };

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mcoad_device_open(struct mcoad *d, uint32_t mode)
{
	const char *dev = d->cfg.device;
	char err[MCOA_NL_ERRLEN];

	d->ifindex = mcoa_ifindex(dev, err);
	if (d->ifindex < 0 && d->nl) {
		if (mcoa_link_add(dev, mode, err)) {
			log_err("create %s: %s", dev, err);
			return -1;
		}
		d->ifindex = mcoa_ifindex(dev, err);
	}
	if (d->ifindex < 0) {
		log_err("%s", err);
		return -1;
	}
	rtnl_link_up(d->rtnl, d->ifindex);
	return 0;
}

/* $RUNTIME_DIRECTORY may list several directories: the first is ours. */
static const char *runtime_dir(char *buf, size_t len)
{
	const char *env = getenv(RUNDIR_ENV);
	size_t n;

	if (!env || !*env)
		return RUNDIR_DEFAULT;
	n = strcspn(env, ":");
	if (n >= len)
		return RUNDIR_DEFAULT;
	memcpy(buf, env, n);
	buf[n] = '\0';
	return buf;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: mcoad [-c FILE] [-s SOCKET] [-r RUNDIR] [-d] [-t] [-n]\n"
		"  -c FILE    configuration (default %s)\n"
		"  -s SOCKET  control socket (overrides control-socket)\n"
		"  -r RUNDIR  runtime directory for the lock RUNDIR/DEVICE.pid\n"
		"             (default $" RUNDIR_ENV " as set by systemd, else\n"
		"             " RUNDIR_DEFAULT "); one mcoad per device\n"
		"  -d         debug logging (overrides log-level)\n"
		"  -t         check the configuration and exit\n"
		"  -n         signalling only: never touch mcoa.ko (tests the\n"
		"             Mobility Header exchange where the module is absent)\n"
		"  -h, --help, -V, --version\n"
		"Exit status: 0 done, 1 runtime failure, 2 usage or configuration\n"
		"error.\n"
		"Runs in the foreground and logs to stderr (journal-friendly).\n",
		CONFIG_DEFAULT_PATH);
}

static int ctl_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* ctl_socket_prepare() made way: never unlink blindly here */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 4) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	chmod(path, 0600);
	return fd;
}

/* One request per connection; answered synchronously (it is tiny). */
static void ctl_serve(struct mcoad *d, int lfd)
{
	char req[64] = "", *out = NULL;
	struct timeval tv = { .tv_sec = 5 };	/* slow clients (TCG) */
	size_t outlen = 0, off = 0;
	ssize_t n;
	FILE *f;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = read(fd, req, sizeof(req) - 1);
	if (n <= 0)
		goto out;
	req[n] = '\0';
	f = open_memstream(&out, &outlen);
	if (!f)
		goto out;
	if (!strncmp(req, "show", 4)) {
		bool json = strstr(req, "json") != NULL;

		if (d->cfg.role == ROLE_HA)
			ha_show(d, f, json);
		else
			mn_show(d, f, json);
	} else {
		fprintf(f, "error: unknown request\n");
	}
	fclose(f);
	while (off < outlen) {
		n = write(fd, out + off, outlen - off);
		if (n <= 0)
			break;
		off += n;
	}
	free(out);
out:
	close(fd);
}

static void kernel_event(uint8_t cmd, const struct mcoa_binding *b, void *arg)
{
	struct mcoad *d = arg;

	if (b->ifindex && b->ifindex != d->ifindex)
		return;
	if (d->cfg.role == ROLE_HA)
		ha_on_kernel_event(d, cmd, b);
	else
		mn_on_kernel_event(d, cmd, b);
}

static void mh_input(struct mcoad *d)
{
	uint8_t buf[MH_MAX_LEN + 64];
	struct mh_addrs a;
	ssize_t n;

	for (;;) {
		memset(&a, 0, sizeof(a));
		n = mhsock_recv(&d->mh, buf, sizeof(buf), &a);
		if (n == -EAGAIN)
			return;
		if (n == -EBADMSG)
			continue;
		if (n < 0) {
			log_warn("mh socket: %s", strerror(-n));
			return;
		}
		if (d->cfg.role == ROLE_HA)
			ha_on_mh(d, buf, n, &a);
		else
			mn_on_mh(d, buf, n, &a);
	}
}

static int ep_add(int ep, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int run(struct mcoad *d, int sfd, int cfd)
{
	char err[MCOA_NL_ERRLEN];
	struct epoll_event evs[8];
	int ep, n, i, ret;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || ep_add(ep, sfd, EV_SIGNAL) || ep_add(ep, d->mh.fd, EV_MH) ||
	    (d->nl && ep_add(ep, mcoa_nl_event_fd(d->nl), EV_KERNEL)) ||
	    ep_add(ep, cfd, EV_CTL) ||
	    (d->watch_fd >= 0 && ep_add(ep, d->watch_fd, EV_RTNL)) ||
	    (d->nd_fd >= 0 && ep_add(ep, d->nd_fd, EV_ND)) ||
	    (d->probe_fd >= 0 && ep_add(ep, d->probe_fd, EV_PROBE))) {
		log_err("epoll: %s", strerror(errno));
		return 1;
	}
	for (;;) {
		uint64_t next, now;
		int timeout;

		next = d->cfg.role == ROLE_HA ? ha_timer(d) : mn_timer(d);
		now = now_ms();
		if (next == UINT64_MAX)
			timeout = -1;
		else
			timeout = next > now ? (int)(next - now) : 0;
		n = epoll_wait(ep, evs, 8, timeout);
		if (n < 0 && errno != EINTR) {
			log_err("epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case EV_SIGNAL: {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) != sizeof(si))
					break;
				if (si.ssi_signo == SIGHUP)
					break;
				log_notice("signal %u: exiting; bindings stay in the kernel",
					   si.ssi_signo);
				close(ep);
				return 0;
			}
			case EV_MH:
				mh_input(d);
				break;
			case EV_KERNEL:
				ret = mcoa_nl_event_read(d->nl, kernel_event, d,
							 err);
				if (ret == -ENOBUFS)
					log_warn("kernel events lost; state may lag until the next refresh");
				else if (ret < 0)
					log_warn("kernel events: %s", err);
				break;
			case EV_CTL:
				ctl_serve(d, cfd);
				break;
			case EV_RTNL:
				mn_on_rtnl(d);
				break;
			case EV_ND:
				ha_on_ndisc(d);
				break;
			case EV_PROBE:
				mn_on_probe(d);
				break;
			}
		}
	}
}

int main(int argc, char **argv)
{
	const char *conf = CONFIG_DEFAULT_PATH, *sock = NULL, *rundir = NULL;
	char rundir_env[128], lerr[256], lockname[64];
	char err[MCOA_NL_ERRLEN];
	struct mcoad d = { .rtnl = -1, .watch_fd = -1, .nd_fd = -1,
			   .probe_fd = -1 };
	bool debug = false, check = false, nokernel = false;
	sigset_t mask;
	int opt, sfd, cfd, ret;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "c:s:r:dtnhV", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'c': conf = optarg; break;
		case 's': sock = optarg; break;
		case 'r': rundir = optarg; break;
		case 'd': debug = true; break;
		case 't': check = true; break;
		case 'n': nokernel = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("mcoad %s\n", MCOA_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	config_defaults(&d.cfg);
	if (config_load(&d.cfg, conf, stderr))
		return 2;
	if (check) {
		printf("%s: ok\n", conf);
		return 0;
	}
	if (sock) {
		if (strlen(sock) >= sizeof(d.cfg.ctl_socket)) {
			fprintf(stderr, "mcoad: -s: path too long\n");
			return 2;
		}
		strcpy(d.cfg.ctl_socket, sock);
	}
	log_init("mcoad", debug ? LOG_LVL_DEBUG : d.cfg.log_level);
	if (!rundir)
		rundir = runtime_dir(rundir_env, sizeof(rundir_env));
	/* before anything is opened: a second mcoad must change nothing */
	runlock_name(d.cfg.device, lockname, sizeof(lockname));
	if (runlock_take(rundir, lockname, lerr, sizeof(lerr)) < 0) {
		log_err("%s", lerr);
		return 1;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	if (!nokernel) {
		ret = mcoa_nl_open(&d.nl, err);
		if (ret) {
			log_err("%s", err);
			return 1;
		}
		ret = mcoa_nl_event_subscribe(d.nl, err);
		if (ret) {
			log_err("kernel events: %s", err);
			return 1;
		}
	} else {
		log_warn("-n: signalling only, mcoa.ko is left alone");
	}
	d.rtnl = rtnl_open();
	if (d.rtnl < 0) {
		log_err("rtnetlink: %s", strerror(-d.rtnl));
		return 1;
	}
	ret = mcoa_xfrm_open(&d.xfrm);
	if (ret) {
		log_err("xfrm: %s", strerror(-ret));
		return 1;
	}
	/* before the MH socket: no BU may queue up before the policies */
	if (ipsec_start(&d))
		return 1;
	ret = mhsock_open(&d.mh);
	if (ret) {
		log_err("mobility header socket: %s", strerror(-ret));
		return 1;
	}
	if (ctl_socket_prepare(d.cfg.ctl_socket, lerr, sizeof(lerr)) < 0) {
		log_err("%s", lerr);
		return 1;
	}
	cfd = ctl_listen(d.cfg.ctl_socket);
	if (cfd < 0) {
		log_err("control socket %s: %s", d.cfg.ctl_socket,
			strerror(-cfd));
		return 1;
	}
	ret = d.cfg.role == ROLE_HA ? ha_start(&d) : mn_start(&d);
	if (ret)
		return 1;
	log_notice("started as %s on %s (control socket %s)",
		   d.cfg.role == ROLE_HA ? "home agent" : "mobile node",
		   d.cfg.device, d.cfg.ctl_socket);
	ret = run(&d, sfd, cfd);
	if (d.cfg.role == ROLE_HA)
		ha_stop(&d);
	else
		mn_stop(&d);
	unlink(d.cfg.ctl_socket);
	mhsock_close(&d.mh);
	mcoa_xfrm_close(&d.xfrm);
	if (d.nl)
		mcoa_nl_close(d.nl);
	return ret;
}

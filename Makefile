# SPDX-License-Identifier: GPL-2.0
#
# mcoa: Multiple Care-of Addresses Registration (RFC 5648) for Linux.
#
#   make            kernel/mcoa.ko + daemon/mcoad/mcoad + daemon/mcoactl/mcoactl
#   make check      per kernel in scripts/kernels (6.1, 6.12): W=1/sparse
#                   build; host tests; then the selftests in one VM per kernel
#   make check-all  the same with every selftest on every kernel
#   make check-debug  every selftest on a KASAN/lockdep/kmemleak kernel
#                   built from linux-source-6.1 (long; not part of check)
#   make demo       the main job: HA + MN daemons, three uplinks, one cut
#   make bench      benchmarks (not part of check)
#   make W=1 / C=1  extra warnings / sparse, passed to Kbuild
#
# KDIR picks the kernel to build against (default: the headers of the
# first kernel in scripts/kernels, or of MCOA_KERNEL=6.12; see scripts/kver.sh).
# make check builds its own copy per kernel in build/kernel-KVER/.

# bash: kver.sh is bash, make's $(shell) is /bin/sh (dash on Debian)
KDIR ?= $(shell bash -c '. scripts/kver.sh "" >&2; echo $$KDIR')
top := $(CURDIR)
# where iproute2 looks for link plugins (Debian: multiarch lib dir)
IPLIBDIR ?= /usr/lib/$(shell gcc -print-multiarch)/ip

.PHONY: all kernel user iproute2 check check-all check-debug unit selftests demo bench install clean deps

all: kernel user iproute2

kernel:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(top)/kernel modules

user:
	$(MAKE) -C daemon

iproute2:
	$(MAKE) -C iproute2

deps:
	scripts/deps

# The module is built by scripts/check, once per kernel, so that a kernel
# it does not build for is a FAIL line in the counts, not a stop.
check: deps
	$(MAKE) user iproute2
	$(MAKE) -C selftests
	scripts/check

check-all: deps
	$(MAKE) user iproute2
	$(MAKE) -C selftests
	MCOA_CHECK_ALL=1 scripts/check

check-debug: deps
	$(MAKE) user iproute2
	$(MAKE) -C selftests
	scripts/check-debug

demo: deps
	$(MAKE) all
	$(MAKE) -C selftests
	scripts/vm -- scripts/demo-guest.sh

bench: deps
	$(MAKE) all
	$(MAKE) -C selftests
	$(MAKE) -C bench
	scripts/vm -- bench/run-guest.sh

install: all
	$(MAKE) -C $(KDIR) M=$(top)/kernel modules_install
	depmod -a
	install -D -m 0755 daemon/mcoad/mcoad $(DESTDIR)/usr/sbin/mcoad
	install -D -m 0755 daemon/mcoactl/mcoactl $(DESTDIR)/usr/sbin/mcoactl
	install -D -m 0644 daemon/mcoad/mcoad.service $(DESTDIR)/lib/systemd/system/mcoad.service
	install -D -m 0644 daemon/mcoad/mcoad.conf.example $(DESTDIR)/etc/mcoa/mcoad.conf.example
	install -D -m 0644 iproute2/link_mcoa.so $(DESTDIR)$(IPLIBDIR)/link_mcoa.so

clean:
	-$(MAKE) -C $(KDIR) M=$(top)/kernel clean
	$(MAKE) -C daemon clean
	$(MAKE) -C iproute2 clean
	$(MAKE) -C selftests clean
	rm -rf build/vm build/kernel-* build/selftests

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
#   make bench      benchmarks (not part of check), then bench-insn
#   make bench-insn the data plane in guest instructions per packet: a VM
#                   of 1 vCPU under -icount with the qemu plugin
#                   bench/insn/insn_count.so (bench/README.md)
#   make unit       the host unit tests alone (no VM)
#   make W=1 / C=1  extra warnings / sparse, passed to Kbuild
#   make man        the man pages (doc/*.scd -> roff, scdoc)
#   make install    everything under DESTDIR (the module via INSTALL_MOD_PATH;
#                   depmod only when DESTDIR is empty); install-tools and
#                   install-module do each half, install-dkms the module's
#                   source tree for DKMS (/usr/src/mcoa-VERSION)
#   make deb        Debian packages mcoa-dkms, mcoa-tools in build/deb/
#   make check-pkg  install those packages, DKMS-build the module for every
#                   kernel, run mcoa_basic.sh against the installed files in
#                   the VM, remove the packages (also the last part of check;
#                   MCOA_CHECK_NO_PKG=1 leaves it out)
#
# KDIR picks the kernel to build against (default: the headers of the
# first kernel in scripts/kernels, or of MCOA_KERNEL=6.12; see scripts/kver.sh).
# make check builds its own copy per kernel in build/kernel-KVER/.

# bash: kver.sh uses BASH_SOURCE, and make runs /bin/sh (dash on Debian)
KDIR ?= $(shell bash -c '. scripts/kver.sh ""; echo $$KDIR')
top := $(CURDIR)
# where iproute2 looks for link plugins (Debian: multiarch lib dir)
IPLIBDIR ?= /usr/lib/$(shell gcc -print-multiarch)/ip
# The release the module is installed for: the headers directory's name
# (Debian's 6.1 headers say 6.1.192 in kernel.release, the name says
# 6.1.0-57-amd64, which is what uname -r and the module's vermagic say).
kdir_name = $(notdir $(abspath $(KDIR)))
KVER ?= $(if $(filter linux-headers-%,$(kdir_name)),$(patsubst linux-headers-%,%,$(kdir_name)),$(shell cat $(KDIR)/include/config/kernel.release))
SBINDIR ?= /usr/sbin
UNITDIR ?= /lib/systemd/system
EXAMPLEDIR ?= /etc/mcoa
COMPLETIONDIR ?= /usr/share/bash-completion/completions
MANDIR ?= /usr/share/man
# The DKMS source tree: dkms.conf, kernel/, and uapi/ for -I$(src)/../uapi.
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
DKMS_VERSION ?= $(VERSION)
DKMSDIR ?= /usr/src/mcoa-$(DKMS_VERSION)

.PHONY: all tools kernel user iproute2 man check check-all check-debug check-pkg unit selftests demo bench bench-insn \
	install install-tools install-module install-dkms deb clean deps

all: kernel user iproute2 man

# Everything but the module: what mcoa-tools is built from.
tools: user iproute2 man

kernel:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(top)/kernel modules

user:
	$(MAKE) -C daemon

iproute2:
	$(MAKE) -C iproute2

man:
	$(MAKE) -C doc

deps:
	scripts/deps

# The selftests' helper programs; the host unit tests (no VM)
selftests:
	$(MAKE) -C selftests

unit:
	$(MAKE) -C selftests/unit run

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
	$(MAKE) bench-insn

# One vCPU and -icount: qemu then counts the same instructions run after
# run (multi-vCPU icount hangs here). The plugin runs in qemu on the host
# and writes the marker counts to a host path; the tree is shared into the
# guest at the same path, where bench/insn.sh reads them.
INSN_MARKS = $(CURDIR)/build/insn/marks
INSN_QEMU = -icount shift=3,sleep=on -plugin file=$(CURDIR)/bench/insn/insn_count.so,out=$(INSN_MARKS)

bench-insn: deps
	$(MAKE) all
	$(MAKE) -C selftests
	$(MAKE) -C bench
	mkdir -p build/insn
	MCOA_VM_QEMU_OPTS="$(INSN_QEMU)" scripts/vm -p 1 -t 1200 -- \
		env MCOA_BENCH_ONLY=insn MCOA_BENCH_INSN_MARKS=$(INSN_MARKS) \
		MCOA_BENCH_OUT=bench/results-insn.json bench/run-guest.sh

install: install-module install-tools

# INSTALL_MOD_PATH puts the module under DESTDIR; KERNELRELEASE, because
# the headers' own kernel.release may not name the installed kernel (see
# KVER). A staged install (DESTDIR set) runs no depmod: the index belongs to
# the target system, whose kernel package or dkms regenerates it.
install-module: kernel
	$(MAKE) -C $(KDIR) M=$(top)/kernel INSTALL_MOD_PATH=$(DESTDIR) KERNELRELEASE=$(KVER) modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools: tools
	install -D -m 0755 daemon/mcoad/mcoad $(DESTDIR)$(SBINDIR)/mcoad
	install -D -m 0755 daemon/mcoactl/mcoactl $(DESTDIR)$(SBINDIR)/mcoactl
	install -D -m 0644 daemon/mcoad/mcoad.service $(DESTDIR)$(UNITDIR)/mcoad.service
	install -D -m 0644 daemon/mcoad/mcoad.conf.example $(DESTDIR)$(EXAMPLEDIR)/mcoad.conf.example
	install -D -m 0644 iproute2/link_mcoa.so $(DESTDIR)$(IPLIBDIR)/link_mcoa.so
	install -D -m 0644 completion/mcoactl $(DESTDIR)$(COMPLETIONDIR)/mcoactl
	$(MAKE) -C doc install MANDIR=$(MANDIR)

# The sources only (no objects): dkms copies this tree and builds it.
install-dkms:
	install -d $(DESTDIR)$(DKMSDIR)/kernel $(DESTDIR)$(DKMSDIR)/uapi/linux
	install -m 0644 kernel/Kbuild kernel/*.c kernel/*.h $(DESTDIR)$(DKMSDIR)/kernel/
	install -m 0644 uapi/linux/*.h $(DESTDIR)$(DKMSDIR)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(DKMS_VERSION)/' dkms/dkms.conf > $(DESTDIR)$(DKMSDIR)/dkms.conf

deb:
	scripts/mkdeb

check-pkg: deps
	$(MAKE) -C selftests
	scripts/check-pkg

clean:
	-$(MAKE) -C $(KDIR) M=$(top)/kernel clean
	$(MAKE) -C daemon clean
	$(MAKE) -C iproute2 clean
	$(MAKE) -C doc clean
	$(MAKE) -C selftests clean
	rm -rf build/vm build/kernel-* build/selftests build/deb

# SPDX-License-Identifier: GPL-2.0
# Sourced: pick the kernel we build against and boot. KDIR wins; else the
# running kernel's build dir; else the newest installed Debian headers.
# Sets KDIR and KVER (the matching /boot/vmlinuz-KVER).
if [ -z "${KDIR:-}" ]; then
	if [ -d "/lib/modules/$(uname -r)/build" ] && [ -r "/boot/vmlinuz-$(uname -r)" ]; then
		KDIR=/lib/modules/$(uname -r)/build
	else
		KDIR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
	fi
fi
if [ -z "${KVER:-}" ] && [ -n "${KDIR:-}" ]; then
	KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$KDIR/include/generated/utsrelease.h" 2>/dev/null)
fi
export KDIR KVER

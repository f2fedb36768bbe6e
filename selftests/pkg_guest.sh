#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM of scripts/check-pkg, after the host installed the
# Debian packages (the guest sees the host's / read-only): the module is
# the one DKMS built for this kernel and loads with modprobe, mcoactl and
# the iproute2 plugin are the installed ones, then mcoa_basic.sh runs
# against the installed files only.
source "$(dirname "$0")/lib.sh"

kver=$(uname -r)
# dkms compresses like the kernel's own modules (6.12: mcoa.ko.xz)
ko=$(ls /lib/modules/"$kver"/updates/dkms/mcoa.ko* 2>/dev/null | head -n1)
export MCOACTL=/usr/sbin/mcoactl MCOAD=/usr/sbin/mcoad

test_modprobe()
{
	RET=0
	grep -q '^mcoa ' /proc/modules && rmmod mcoa
	[ -n "$ko" ] && [ "$(modinfo -n mcoa 2>/dev/null)" = "$ko" ]
	check_err $? "modinfo -n mcoa: '$(modinfo -n mcoa 2>&1)', want /lib/modules/$kver/updates/dkms/mcoa.ko*"
	modprobe mcoa
	check_err $? "modprobe mcoa failed"
	# the loaded module is that file, not some other build
	[ "$(cat /sys/module/mcoa/srcversion 2>/dev/null)" = "$(modinfo -F srcversion "$ko")" ]
	check_err $? "loaded srcversion is not $ko's"
	log_test "modprobe mcoa loads the DKMS module ($kver)"
}

test_installed_tools()
{
	local ns

	RET=0
	"$MCOACTL" --version | grep -q '^mcoactl '
	check_err $? "$MCOACTL --version"
	setup_ns ns
	# no IP_LIB_DIR: ip must find the packaged plugin in its own directory
	ip -n "$ns" link add mip9 type mcoa mode mn
	check_err $? "ip link add ... mode mn (plugin)"
	ip -n "$ns" -d link show mip9 | grep -q 'mcoa mode mn'
	check_err $? "ip -d link show: $(ip -n "$ns" -d link show mip9 2>&1)"
	"$MCOACTL" -n "$ns" link add mip8 mode ha
	check_err $? "$MCOACTL link add"
	log_test "installed mcoactl and iproute2 plugin work"
}

# Installed, the module is loaded on demand (its rtnl-link alias) when a
# device is created, even with only the capabilities of mcoad.service.
test_autoload()
{
	local ns

	RET=0
	grep -q '^mcoa ' /proc/modules && rmmod mcoa
	setup_ns ns
	# enter the netns as root (setns needs CAP_SYS_ADMIN), then drop
	ip netns exec "$ns" setpriv --inh-caps=-all --bounding-set=-all,+net_admin,+net_raw \
		ip link add mip7 type mcoa
	check_err $? "ip link add type mcoa without the module loaded"
	grep -q '^mcoa ' /proc/modules
	check_err $? "mcoa not loaded on demand"
	ip -n "$ns" link del mip7
	log_test "device creation loads the module (unit's capabilities)"
}

test_modprobe
test_installed_tools
test_autoload
defer_cleanup
rmmod mcoa 2>/dev/null
# mcoa_basic.sh insmods MCOA_KO (the DKMS file) and checks that the genl
# family is gone after rmmod, with a lookup that would load the installed
# module again: no on-demand loading while it runs, as in the tree's runs.
old=$(cat /proc/sys/kernel/modprobe)
echo /bin/false > /proc/sys/kernel/modprobe
MCOA_KO=$ko "$(dirname "$0")/mcoa_basic.sh" || EXIT_STATUS=$ksft_fail
echo "$old" > /proc/sys/kernel/modprobe
exit "$EXIT_STATUS"

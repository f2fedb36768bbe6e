#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Foundation: the module loads, `ip link add ... type mcoa` makes a device,
# the genetlink family and its multicast group resolve, and the module
# unloads cleanly with a device still present.
source "$(dirname "$0")/lib.sh"

require_command genl

test_load()
{
	RET=0
	if grep -q '^mcoa ' /proc/modules; then
		rmmod mcoa
		check_err $? "mcoa was loaded and could not be removed"
	fi
	mcoa_insmod
	check_err $? "insmod $MCOA_KO failed"
	grep -q '^mcoa ' /proc/modules
	check_err $? "mcoa not in /proc/modules after insmod"
	log_test "insmod mcoa.ko"
}

test_link()
{
	local ns

	RET=0
	setup_ns ns
	ip -n "$ns" link add mip0 type mcoa
	check_err $? "ip link add mip0 type mcoa failed"
	ip -n "$ns" -d link show mip0 | grep -qw mcoa
	check_err $? "ip -d link show does not report kind mcoa"
	ip -n "$ns" link set mip0 up
	check_err $? "cannot set mip0 up"
	ip -n "$ns" link del mip0
	check_err $? "ip link del mip0 failed"
	ip -n "$ns" link show mip0 >/dev/null 2>&1
	check_fail $? "mip0 still exists after ip link del"
	log_test "ip link add/del type mcoa"
}

test_genl_family()
{
	local out

	RET=0
	out=$(genl ctrl get name mcoa 2>&1)
	check_err $? "genl ctrl get name mcoa: $out"
	echo "$out" | grep -q 'bindings'
	check_err $? "multicast group 'bindings' missing: $out"
	log_test "genetlink family mcoa with group bindings"
}

test_unload_with_device()
{
	local ns

	RET=0
	setup_ns ns
	ip -n "$ns" link add mip1 type mcoa && ip -n "$ns" link set mip1 up
	check_err $? "cannot create mip1"
	rmmod mcoa
	check_err $? "rmmod with a live device failed"
	grep -q '^mcoa ' /proc/modules
	check_fail $? "mcoa still loaded after rmmod"
	ip -n "$ns" link show mip1 >/dev/null 2>&1
	check_fail $? "mip1 survived rmmod"
	# A dump, not `genl ctrl get name mcoa`: a get by name makes the kernel
	# request_module() the family's alias, which loads an installed
	# (DKMS) mcoa.ko and finds the family again.
	genl ctrl list 2>/dev/null | grep -qw 'Name: mcoa'
	check_fail $? "genl family still registered after rmmod"
	log_test "rmmod with a live device"
}

test_load
test_link
test_genl_family
test_unload_with_device
exit $EXIT_STATUS

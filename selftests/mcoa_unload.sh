#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teardown with live state, each one checked for a clean kernel log:
#  - rmmod while bindings exist and traffic flows in both directions: the
#    devices and the genl family go away; the module loads again and
#    works;
#  - deleting an mcoa device that holds bindings (with traffic): its
#    bindings are reported deleted with reason device-down, and a new
#    device of the same name starts empty;
#  - deleting a netns with an mcoa device, bindings and flow rules inside,
#    then rmmod.
# The VM runner also fails the run on any WARN/BUG in the kernel log; the
# checks here say which step caused it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command jq
[ -x "$MCOACTL" ] || { echo "SKIP: $MCOACTL not built"; exit $ksft_skip; }

PING_PIDS=()

# start_traffic: pings both ways, until stop_traffic.
start_traffic()
{
	ip netns exec "$cn" ping -6 -q -i 0.02 $HOA >/dev/null 2>&1 &
	PING_PIDS+=($!)
	defer kill $!
	ip netns exec "$mn" ping -6 -q -i 0.02 $CN_ADDR >/dev/null 2>&1 &
	PING_PIDS+=($!)
	defer kill $!
}

stop_traffic()
{
	local pid

	for pid in "${PING_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	PING_PIDS=()
}

# tx_total NS: packets sent over all bindings of NS's mip0.
tx_total()
{
	dp_bindings_json "$1" | jq '[.[] | .stats.tx_packets // .tx_packets] | add // 0'
}

# flowing: both ends have sent at least 20 packets through the tunnel.
flowing()
{
	[ "$(tx_total "$ha")" -ge 20 ] && [ "$(tx_total "$mn")" -ge 20 ]
}

test_rmmod_live()
{
	RET=0
	mcoa_topology
	mcoa_tunnels_static
	start_traffic
	busywait 20000 flowing
	check_err $? "no traffic through the tunnel before rmmod"
	dp_dmesg_mark
	timeout 120 rmmod mcoa
	check_err $? "rmmod with live bindings and traffic failed"
	grep -q '^mcoa ' /proc/modules
	check_fail $? "mcoa still loaded"
	ip -n "$ha" link show mip0 >/dev/null 2>&1
	check_fail $? "ha/mip0 survived rmmod"
	ip -n "$mn" link show mip0 >/dev/null 2>&1
	check_fail $? "mn/mip0 survived rmmod"
	dp_ctl "$ha" binding show dev mip0 >/dev/null 2>&1
	check_fail $? "mcoactl still works without the module"
	stop_traffic
	dp_dmesg_bad
	check_fail $? "kernel log reports a problem"
	log_test "rmmod with live bindings and traffic"

	RET=0
	mcoa_insmod
	check_err $? "insmod after rmmod failed"
	dp_ctl "$ha" link add mip0 mode ha && dp_ctl "$ha" -j binding show dev mip0 |
		jq -e 'length == 0' >/dev/null
	check_err $? "fresh device after reload is not empty or not usable"
	dp_ctl "$ha" link del mip0
	log_test "module loads again after rmmod"
}

# mon_probe FILE: add one more probe binding on ha/mip0; true once the
# monitor writing FILE has reported any added binding.
mon_probe()
{
	MON_K=$((MON_K + 1))
	dp_ctl "$ha" binding add dev mip0 hoa fd00:5::1 bid "$MON_K" \
		coa fd00:5::2 peer $HA_ADDR >/dev/null 2>&1
	grep -q '"event":"new"' "$1"
}

# has_down_event FILE BID: the monitor reported $HOA's BID deleted with
# reason device-down (jq -e would judge only the last line, so grep).
has_down_event()
{
	jq -c --argjson b "$2" --arg hoa $HOA 'select(.event == "del" and
		.binding.bid == $b and .binding.hoa == $hoa and
		.reason == "device-down")' "$1" 2>/dev/null | grep -q .
}

test_dev_del()
{
	local mon=$DP_TMP/mon.out pid n b

	RET=0
	mcoa_topology
	mcoa_tunnels_static
	ip netns exec "$ha" "$MCOACTL" -j monitor > "$mon" 2>&1 &
	pid=$!
	defer kill $pid
	MON_K=0
	busywait 60000 mon_probe "$mon" ||
		fail_now "monitor did not start: $(head -3 "$mon")"
	start_traffic
	busywait 20000 flowing
	check_err $? "no traffic through the tunnel before device deletion"
	dp_dmesg_mark
	ip -n "$ha" link del mip0
	check_err $? "ip link del mip0 with live bindings failed"
	ip -n "$mn" link del mip0
	check_err $? "ip link del mip0 (mn) with live bindings failed"
	for b in 1 2 3; do
		busywait 15000 has_down_event "$mon" $b
		check_err $? "no del event with reason device-down for BID $b: $(tail -3 "$mon")"
	done
	dp_ctl "$ha" binding show dev mip0 >/dev/null 2>&1
	check_fail $? "binding show on a deleted device succeeded"
	stop_traffic
	dp_ctl "$ha" link add mip0 mode ha
	check_err $? "re-creating mip0 failed"
	n=$(dp_ctl "$ha" -j binding show dev mip0 | jq length)
	[ "$n" = 0 ]
	check_err $? "new mip0 lists $n bindings"
	dp_dmesg_bad
	check_fail $? "kernel log reports a problem"
	log_test "device deletion with live bindings and traffic"
}

test_netns_del()
{
	local xns i

	RET=0
	setup_ns xns
	dp_ctl "$xns" link add mip0 mode ha && ip -n "$xns" link set mip0 up
	check_err $? "mip0 in a new netns failed"
	for ((i = 1; i <= 200; i++)); do
		printf 'binding add dev mip0 hoa fd00:6::%x bid %d coa fd00:7::%x peer %s\n' \
			$((i / 4)) $((i % 4 + 1)) "$i" $HA_ADDR
	done > "$DP_TMP/batch"
	dp_ctl "$xns" -b "$DP_TMP/batch"
	check_err $? "batch add in the netns failed"
	dp_ctl "$xns" flow add dev mip0 hoa fd00:6::1 fid 1 proto udp bids 2,3
	check_err $? "flow add in the netns failed"
	dp_ctl "$xns" policy set dev mip0 hoa fd00:6::1 recent
	check_err $? "policy set in the netns failed"
	dp_dmesg_mark
	ip netns del "$xns"
	check_err $? "ip netns del failed"
	timeout 120 rmmod mcoa
	check_err $? "rmmod after netns deletion failed"
	dp_dmesg_bad
	check_fail $? "kernel log reports a problem"
	log_test "netns deletion with an mcoa device inside, then rmmod"
	mcoa_insmod || fail_now "insmod after the netns test failed"
}

mcoa_load
test_rmmod_live
test_dev_del
test_netns_del
exit $EXIT_STATUS

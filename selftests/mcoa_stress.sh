#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything at once for MCOA_STRESS_SECS (default 60) seconds, on the
# three-uplink topology with static bindings:
#  - a handover storm: the bindings of the real HoA and of four more HoAs
#    move between the three CoAs in a loop (RCU replace);
#  - traffic both ways: the CN pings the HoA and the other HoAs, the MN
#    pings the CN;
#  - spoofed tunnel packets from a router;
#  - dumps (mcoactl and raw), flow rules added and removed, bindings with
#    a 1 s lifetime expiring;
# then the HA's device is deleted with traffic still running. The kernel
# must log no warning (scripts/vm checks the whole log, a debug kernel adds
# KASAN, lockdep and kmemleak), and the counters must agree with the dumps.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command jq
DUMP_CHECK=${DUMP_CHECK:-$MCOA_TOP/selftests/dump_check}
PKT6="$DP_PY $MCOA_TOP/selftests/pkt6.py"
SECS=${MCOA_STRESS_SECS:-60}
EXTRA="fd00:1::201 fd00:1::202 fd00:1::203 fd00:1::204"
PIDS=()

# bg CMD...: run CMD in the background until the end of the storm.
bg()
{
	"$@" >/dev/null 2>&1 &
	PIDS+=($!)
}

handover_storm()
{
	local i h b c f="$DP_TMP/storm"

	for ((i = 0; ; i++)); do
		c=$(( i % 3 + 1 ))
		{
			for b in 1 2 3; do
				echo "binding set dev mip0 hoa $HOA bid $b coa $(eval echo \$COA$(( (b + i) % 3 + 1 )))"
			done
			for h in $EXTRA; do
				echo "binding set dev mip0 hoa $h bid 1 coa $(eval echo \$COA$c)"
			done
		} > "$f"
		in_ns "$ha" "$MCOACTL" -b "$f"
	done
}

expiring()
{
	local i

	for ((i = 0; ; i++)); do
		in_ns "$ha" "$MCOACTL" binding add dev mip0 hoa fd00:1::300 \
			bid $(( i % 50 + 1 )) coa $COA2 peer $HA_ADDR lifetime 1
		sleep 0.05
	done
}

flow_churn()
{
	while :; do
		in_ns "$ha" "$MCOACTL" flow add dev mip0 hoa $HOA fid 5 proto udp bids 2,1
		in_ns "$ha" "$MCOACTL" flow add dev mip0 hoa $HOA fid 6 proto 58 bids 3
		in_ns "$ha" "$MCOACTL" flow del dev mip0 hoa $HOA fid 5
		in_ns "$ha" "$MCOACTL" flow del dev mip0 hoa $HOA fid 6
	done
}

dumps()
{
	while :; do
		in_ns "$ha" "$MCOACTL" -j binding show dev mip0 >/dev/null
		in_ns "$ha" "$DUMP_CHECK" mip0 fd00:1::/64 3
		in_ns "$ha" "$MCOACTL" hoa show dev mip0
		in_ns "$mn" "$MCOACTL" binding show
	done
}

spoof()
{
	while :; do
		in_ns "$r1" $PKT6 ip6ip6 fd00:11::2 $HA_ADDR 0 $HOA $CN_ADDR 0 9 20
		in_ns "$r2" $PKT6 ip6ip6 fd00:12::2 $HA_ADDR 3 fd00:1::201 $CN_ADDR 0 9 20
		sleep 0.02
	done
}

pings()
{
	local h

	while :; do
		in_ns "$cn" ping -6 -q -c 20 -i 0.01 -s 200 $HOA
		for h in $EXTRA; do
			in_ns "$cn" ping -6 -q -c 2 -i 0.01 -W 1 $h
		done
	done
}

test_storm()
{
	local h pid

	RET=0
	for h in $EXTRA; do
		dp_ctl "$ha" binding add dev mip0 hoa $h bid 1 coa $COA1 peer $HA_ADDR
		ip -n "$ha" route add $h/128 dev mip0
	done
	dp_dmesg_mark
	bg handover_storm
	bg expiring
	bg flow_churn
	bg dumps
	bg spoof
	bg pings
	bg in_ns "$mn" ping -6 -q -i 0.01 -s 100 $CN_ADDR
	sleep "$SECS"
	# the storm ends, the traffic does not: delete the HA's device under it
	for pid in "${PIDS[0]}" "${PIDS[1]}" "${PIDS[2]}" "${PIDS[3]}"; do
		kill "$pid"
	done
	wait "${PIDS[0]}" "${PIDS[1]}" "${PIDS[2]}" "${PIDS[3]}" 2>/dev/null
	busywait 10000 eval '[ -z "$(dp_ctl "$ha" binding show dev mip0 hoa fd00:1::300)" ]'
	check_err $? "bindings with a 1 s lifetime did not expire"
	consistent
	ip -n "$ha" link del mip0
	check_err $? "deleting the HA's mip0 under traffic failed"
	sleep 1
	for pid in "${PIDS[@]:4}"; do
		kill "$pid"
	done
	wait 2>/dev/null
	PIDS=()
	[ -z "$(dp_dmesg_bad)" ]
	check_err $? "kernel log: $(dp_dmesg_bad | head -5)"
	log_test "${SECS}s handover storm, traffic, spoofing, dumps, expiry, device deletion"
}

# The counters agree with what a quiet dump lists.
consistent()
{
	local n nb nh h

	n=$(dp_ctl "$ha" -j binding show dev mip0 | jq length)
	nb=$(dp_devstat "$ha" bindings)
	nb=${nb:-$(dp_ctl "$ha" -j stats dev mip0 | jq '.[0].bindings')}
	[ -n "$n" ] && [ "$n" = "$nb" ] && [ "$n" = $((3 + 4)) ]
	check_err $? "after the storm: $n bindings dumped, device counts $nb, want 7"
	nh=$(dp_ctl "$ha" -j hoa show dev mip0 | jq length)
	h=$(dp_devstat "$ha" hoas)
	[ "$nh" = "$h" ]
	check_err $? "hoa dump lists $nh, stats.hoas says $h"
	for h in 1 2 3; do
		dp_ctl "$ha" -j binding show dev mip0 hoa $HOA |
			jq -e --argjson b $h '.[] | select(.bid == $b)' >/dev/null
		check_err $? "BID $h of $HOA lost in the storm"
	done
}

mcoa_topology
mcoa_tunnels_static
busywait 30000 ip netns exec "$cn" ping -6 -c 1 -W 1 $HOA >/dev/null ||
	fail_now "CN cannot ping the HoA"
test_storm
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Binding lifetimes live in the kernel:
#  - a binding with lifetime 2 is listed with a positive remaining time,
#    disappears after 2 s (not before), and `mcoactl monitor` reports its
#    deletion with reason "expired";
#  - a binding without lifetime survives; its explicit deletion is
#    reported with reason "user";
#  - traffic no longer uses an expired binding;
#  - with thousands of HoAs, each binding goes at its own deadline: early,
#    late and never, a refresh that moves a deadline later, a change that
#    moves one earlier (the expiry wheel, kernel/bcache.c), and the device
#    reports how long its expiry runs held the lock.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command jq
[ -x "$MCOACTL" ] || { echo "SKIP: $MCOACTL not built"; exit $ksft_skip; }

MON=$DP_TMP/monitor.out
H=fd00:5::1

# mon_event EVENT BID [HOA]: the first JSON monitor line of EVENT for
# this binding (empty if none).
mon_event()
{
	local ev=$1 bid=$2 hoa=${3:-$H}

	jq -ec --arg ev "$ev" --argjson bid "$bid" --arg hoa "$hoa" '
		select(.event == $ev and .binding.bid == $bid and
		       .binding.hoa == $hoa)' \
		"$MON" 2>/dev/null | head -1
}

has_binding()
{
	dp_ctl "$ha" -j binding show dev mip0 hoa "$1" |
		jq -e --argjson bid "$2" 'any(.[]; .bid == $bid)' >/dev/null
}

# mon_probe: add one more probe binding; true once the monitor has
# reported any added binding, i.e. it is subscribed.
mon_probe()
{
	MON_K=$((MON_K + 1))
	dp_ctl "$ha" binding add dev mip0 hoa $H bid $((100 + MON_K)) \
		coa fd00:5::100 peer $HA_ADDR >/dev/null 2>&1
	grep -q '"event":"new"' "$MON"
}

start_monitor()
{
	local pid

	ip netns exec "$ha" "$MCOACTL" -j monitor > "$MON" 2>&1 &
	pid=$!
	defer kill "$pid"
	MON_K=0
	busywait 60000 mon_probe ||
		fail_now "monitor reported no event: $(head -3 "$MON")"
	dp_ctl "$ha" binding add dev mip0 hoa $H bid 10 coa fd00:5::10 \
		peer $HA_ADDR || fail_now "binding add bid 10 failed"
	busywait 30000 eval '[ -n "$(mon_event new 10)" ]' ||
		fail_now "monitor did not report binding 10: $(head -3 "$MON")"
}

test_expire()
{
	# 2 s, stretched on a slow (debug) kernel: the binding must still be
	# there when mcoactl lists it right after adding it
	local life=$((2 * ${MCOA_WAIT_MULT:-1}))
	local t0 t1 ms ev exp

	RET=0
	t0=$(date +%s%N)
	dp_ctl "$ha" binding add dev mip0 hoa $H bid 11 coa fd00:5::11 \
		peer $HA_ADDR lifetime $life
	check_err $? "binding add lifetime $life failed"
	exp=$(dp_ctl "$ha" -j binding show dev mip0 hoa $H |
		jq -r '.[] | select(.bid == 11) | .expires_ms')
	[ -n "$exp" ] && [ "$exp" -gt 0 ] && [ "$exp" -le $((life * 1000)) ]
	check_err $? "new binding lists expires '$exp' ms, want 1..$((life * 1000))"
	busywait 20000 eval '[ -n "$(mon_event del 11)" ]'
	check_err $? "no del event for bid 11 within 20 s"
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	ev=$(mon_event del 11)
	echo "$ev" | jq -e '.reason == "expired"' >/dev/null
	check_err $? "del event has no reason expired: $ev"
	[ $ms -ge $((life * 1000 - 100)) ]
	check_err $? "binding expired after $ms ms, lifetime is $life s"
	has_binding $H 11
	check_fail $? "expired binding 11 still listed"
	has_binding $H 10
	check_err $? "binding 10 without lifetime is gone"
	log_test "lifetime $life expires after ${ms} ms with a del event, reason expired"

	RET=0
	dp_ctl "$ha" binding del dev mip0 hoa $H bid 10
	check_err $? "binding del bid 10 failed"
	busywait 15000 eval '[ -n "$(mon_event del 10)" ]'
	check_err $? "no del event for bid 10"
	ev=$(mon_event del 10)
	echo "$ev" | jq -e '.reason == "user"' >/dev/null
	check_err $? "explicit delete has no reason user: $ev"
	log_test "explicit delete reports reason user"
}

# The HA stops using an expired binding: BID 2 with lifetime 2, the
# others permanent; once it expires, no downstream packet goes to CoA2.
test_expire_traffic()
{
	local s0 n2

	RET=0
	dp_ctl "$ha" binding del dev mip0 hoa $HOA bid 2 &&
		dp_ctl "$ha" binding add dev mip0 hoa $HOA bid 2 coa $COA2 \
			peer $HA_ADDR lifetime 2
	check_err $? "re-adding BID 2 with lifetime 2 failed"
	busywait 20000 eval '[ -n "$(mon_event del 2 $HOA)" ]'
	check_err $? "no del event for HoA BID 2"
	# The MN would now stop using CoA2 too (its own expiry or mcoad).
	dp_ctl "$mn" binding del dev mip0 hoa $HOA bid 2
	dp_round 42000 24 1
	check_err $DP_ECHO_OK "flows lost after BID 2 expired"
	n2=$(dp_count down 2)
	[ "$n2" = 0 ]
	check_err $? "$n2 packets still went to CoA2 after BID 2 expired"
	[ "$(wc -l < "$DP_TMP/map")" = 24 ]
	check_err $? "only $(wc -l < "$DP_TMP/map") of 24 flows reached the MN"
	log_test "traffic leaves an expired binding"
}

# count_hoas PREFIX: bindings on the HA whose HoA starts with PREFIX
count_hoas()
{
	dp_ctl "$ha" -j binding show dev mip0 |
		jq --arg p "$1" '[.[] | select(.hoa | startswith($p))] | length'
}

# 1000 HoAs whose bindings expire after L, 1000 after 2L, 1000 never; 100
# of the first kind refreshed to 3L, and one HoA of the never kind given
# lifetime L. Each kind must be gone at its deadline, not before.
test_expire_many()
{
	local l=$((3 * ${MCOA_WAIT_MULT:-1})) i c6 c7 c8 t0 ms max

	RET=0
	t0=$(date +%s%N)
	for ((i = 1; i <= 1000; i++)); do
		printf 'binding add dev mip0 hoa fd00:6::%x bid 1 coa fd00:5::%x peer %s lifetime %d\n' \
			$i $i $HA_ADDR $l
		printf 'binding add dev mip0 hoa fd00:7::%x bid 1 coa fd00:5::%x peer %s lifetime %d\n' \
			$i $i $HA_ADDR $((2 * l))
		printf 'binding add dev mip0 hoa fd00:8::%x bid 1 coa fd00:5::%x peer %s\n' \
			$i $i $HA_ADDR
	done | dp_ctl "$ha" -b -
	check_err $? "adding 3000 bindings failed"
	# fd00:6::1..64 (hex) live on until 3L; fd00:8::1 goes at L
	for ((i = 1; i <= 100; i++)); do
		printf 'binding set dev mip0 hoa fd00:6::%x bid 1 lifetime %d\n' \
			$i $((3 * l))
	done | dp_ctl "$ha" -b -
	check_err $? "refreshing 100 bindings failed"
	dp_ctl "$ha" binding set dev mip0 hoa fd00:8::1 bid 1 lifetime $l
	check_err $? "giving fd00:8::1 a lifetime failed"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ $ms -lt $((l * 1000 - 500)) ]; then
		c6=$(count_hoas fd00:6::)
		[ "$c6" = 1000 ]
		check_err $? "$c6 of 1000 bindings with lifetime $l s left after $ms ms"
	fi
	busywait $((l * 4000)) eval '[ "$(count_hoas fd00:6::)" = 100 ]'
	check_err $? "$(count_hoas fd00:6::) of fd00:6:: left after their $l s, want the 100 refreshed"
	busywait 5000 eval '[ "$(count_hoas fd00:8::)" = 999 ]'
	check_err $? "fd00:8::1 given lifetime $l did not expire ($(count_hoas fd00:8::) left)"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ $ms -lt $((2 * l * 1000 - 500)) ]; then
		c7=$(count_hoas fd00:7::)
		[ "$c7" = 1000 ]
		check_err $? "$c7 of 1000 bindings with lifetime $((2 * l)) s left after $ms ms"
	fi
	busywait $((l * 4000)) eval '[ "$(count_hoas fd00:7::)" = 0 ]'
	check_err $? "$(count_hoas fd00:7::) bindings with lifetime $((2 * l)) s outlived it"
	c6=$(count_hoas fd00:6::)
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ $ms -lt $((3 * l * 1000 - 500)) ]; then
		[ "$c6" = 100 ]
		check_err $? "$c6 of the 100 refreshed bindings left after $ms ms, lifetime $((3 * l)) s"
	fi
	busywait $((l * 4000)) eval '[ "$(count_hoas fd00:6::)" = 0 ]'
	check_err $? "$(count_hoas fd00:6::) refreshed bindings outlived $((3 * l)) s"
	c8=$(count_hoas fd00:8::)
	[ "$c8" = 999 ]
	check_err $? "$c8 of 999 bindings without lifetime left"
	max=$(dp_devstat "$ha" gc_max_us)
	[ -n "$max" ] && [ "$max" -gt 0 ]
	check_err $? "device reports no expiry run (gc_max_us '$max')"
	log_test "3000 HoAs: each expires at its deadline (L=$l s, 2L, refreshed 3L, shortened, never); longest expiry run $max us"
	printf 'binding del dev mip0 hoa fd00:8::%x bid 1\n' $(seq 2 1000) |
		dp_ctl "$ha" -b - >/dev/null
}

mcoa_topology
mcoa_tunnels_static
dp_echo_start "$mn" $HOA
start_monitor
test_expire
test_expire_traffic
test_expire_many
exit $EXIT_STATUS

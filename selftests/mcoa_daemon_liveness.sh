#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Uplinks that fail silently: with mcoad on both ends and three uplinks,
# one uplink keeps its carrier but loses every packet (netem loss 100%),
# once on the mobile node's side (MN -> HA dead) and once on the router's
# side (HA -> MN dead). The MN's Echo probes from that CoA go unanswered:
# the CoA is found dead within (probe-misses + 1) x probe-interval, its
# kernel binding goes at once, its BID is de-registered at the HA by a BU
# from a live CoA, flows on the other uplinks lose nothing and the moved
# ones resume. Without the netem the CoA comes back by itself: registered,
# in both kernels, carrying flows again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

require_command jq
require_command tc

FLOWGEN=${FLOWGEN:-$MCOA_TOP/bench/flowgen}
[ -x "$FLOWGEN" ] || { echo "SKIP: $FLOWGEN not built (make -C bench flowgen)"; exit $ksft_skip; }

# A slow (debug) kernel stretches time by MCOA_WAIT_MULT: the probes'
# interval and the flows' duration grow by it, their rate shrinks by it
# (KASAN under TCG cannot carry 1,200 datagrams a second).
M=${MCOA_WAIT_MULT:-1}
PI=$((400 * M))	# probe-interval, ms
PM=3		# probe-misses
PR=2		# probe-recover
# liveness.h: dead at most (misses + 1) x interval after the loss began;
# the slack is for a loaded TCG guest (the daemon's loop, mcoactl, tc)
BOUND_MS=$(( (PM + 1) * PI ))
SLACK_MS=${MCOA_LIVENESS_SLACK_MS:-$((1200 * M))}
NF=24		# flows each way
RATE=$((25 / M > 5 ? 25 / M : 5))	# datagrams per second and flow
COUNT=$((RATE * 10 * M))		# datagrams per flow: 10 s x M

# up_ms: CLOCK_BOOTTIME in ms, the clock of mcoad's log stamps
# (CLOCK_MONOTONIC: the same in a guest that never suspends)
up_ms() { local u; read -r u _ < /proc/uptime; echo $(( 10#${u/./} * 10 )); }
# log_ms PATTERN: the stamp (ms) of the last mn.log line matching PATTERN
log_ms()
{
	grep -F "$1" "$D/mn.log" | tail -n 1 |
		sed -E 's/^mcoad\[([0-9]+)\.([0-9]{3})\].*/\1\2/; s/^0+//'
}

mn_bid() { mn_view | jq -c ".bul[] | select(.bid == $1)"; }
mn_state() { mn_bid "$1" | jq -r .state; }
mn_live() { mn_bid "$1" | jq -r .live; }
mn_probe() { mn_bid "$1" | jq -r ".probe.$2"; }

# flows_start TAG COUNT: NF flows each way, COUNT datagrams each:
#   CN -> HoA port 7000, received (and their path seen) on the MN;
#   HoA -> CN port 7001, received on the CN, their path seen on the HA.
flows_start()
{
	local tag=$1 count=$2 f

	ip netns exec "$mn" "$FLOWGEN" recv -p 7000 -f $NF -I 4000 -W 60000 \
		> "$D/dn.$tag" 2>&1 &
	FL_RDN=$!
	ip netns exec "$cn" "$FLOWGEN" recv -p 7001 -f $NF -I 4000 -W 60000 \
		> "$D/up.$tag" 2>&1 &
	FL_RUP=$!
	ip netns exec "$ha" "$FLOWGEN" recv -O -p 7001 -f $NF -W 120000 \
		> "$D/uppath.$tag" 2>&1 &
	FL_OBS=$!
	defer kill "$FL_RDN" "$FL_RUP" "$FL_OBS"
	for f in dn up uppath; do
		busywait 20000 grep -q ready "$D/$f.$tag" ||
			fail_now "flowgen recv ($f) did not start: $(cat "$D/$f.$tag")"
	done
	ip netns exec "$cn" "$FLOWGEN" send -s $CN_ADDR -d $HOA -p 7000 \
		-P 20000 -f $NF -r $RATE -n "$count" > "$D/dn.send.$tag" 2>&1 &
	FL_SDN=$!
	ip netns exec "$mn" "$FLOWGEN" send -s $HOA -d $CN_ADDR -p 7001 \
		-P 30000 -f $NF -r $RATE -n "$count" > "$D/up.send.$tag" 2>&1 &
	FL_SUP=$!
	defer kill "$FL_SDN" "$FL_SUP"
}

flows_wait()
{
	wait "$FL_SDN" "$FL_SUP"
	# the receivers stop 4 s after their last datagram
	wait "$FL_RDN" "$FL_RUP"
	kill -TERM "$FL_OBS" 2>/dev/null
	wait "$FL_OBS"
}

# flows_check TAG COUNT DEAD_DN DEAD_UP: per flow and direction, whether
# it ever used the dead uplink (DEAD_DN: the MN's interface for CN -> MN,
# DEAD_UP: the HA's for MN -> CN; "-" for none). Prints
#   "DIR flows N moved M lost_moved L lost_other O unresumed U start_lost S"
# for each direction. Paths of MN -> CN flows come from the HA's observer.
# A flow's losses count from its first datagram received: what the very
# first ones meet (neighbour discovery of the proxied HoA on the CN, a
# loaded guest starting five programs) comes before the uplink fails and
# is not what is tested; it is shown as start_lost.
flows_check()
{
	local tag=$1 count=$2

	awk -v count="$count" -v dead="$3" -v dir=down '
		/^flow=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			n++; lost = v["rx"] ? count - v["first"] - v["rx"] : count
			st += v["rx"] ? v["first"] : 0
			if (index(v["paths"], dead ":")) {
				moved++; lm += lost
				if (v["last"] != count - 1) unres++
			} else { lo += lost; if (lost) print "# " dir " other flow lost: " $0 } }
		END { printf "%s flows %d moved %d lost_moved %d lost_other %d unresumed %d start_lost %d\n",
			dir, n, moved, lm, lo, unres, st }' "$D/dn.$tag"
	awk -v count="$count" -v dead="$4" -v dir=up '
		FNR == NR && /^flow=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			path[v["flow"]] = v["paths"]; next }
		/^flow=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			n++; lost = v["rx"] ? count - v["first"] - v["rx"] : count
			st += v["rx"] ? v["first"] : 0
			if (index(path[v["flow"]], dead ":")) {
				moved++; lm += lost
				if (v["last"] != count - 1) unres++
			} else { lo += lost; if (lost) print "# " dir " other flow lost: " $0 " path " path[v["flow"]] } }
		END { printf "%s flows %d moved %d lost_moved %d lost_other %d unresumed %d start_lost %d\n",
			dir, n, moved, lm, lo, unres, st }' "$D/uppath.$tag" "$D/up.$tag"
}

# field LINE KEY: the number after KEY in a flows_check line
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<< "$1"; }

kstat() { kbind "$1" | jq -r ".[] | select(.bid == $2) | .stats.$3 // .$3 // 0"; }

test_probing()
{
	local b

	RET=0
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$ha" "1 2 3"
	check_err $? "HA kernel: '$(kbids "$ha")'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	for b in 1 2 3; do
		busywait 10000 eval '[ "$(mn_probe '$b' answered)" -ge 3 ]'
		check_err $? "bid $b: $(mn_bid $b | jq -c .probe)"
		[ "$(mn_live $b)" = alive ] && [ "$(mn_state $b)" = bound ]
		check_err $? "bid $b: $(mn_bid $b | jq -c '[.state, .live]')"
	done
	# one Echo per interval from each CoA, answered by the HA itself
	in_ns "$mn" "$MCOACTL" daemon socket "$D/mn.sock" show | grep -q "bid 2 .* probe alive sent"
	check_err $? "text view: $(in_ns "$mn" "$MCOACTL" daemon socket "$D/mn.sock" show | grep 'bid 2')"
	log_test "every CoA probed and alive; bindings 1 2 3 at both ends"
}

# blackhole TAG NAME NS DEV DEAD_DN DEAD_UP: netem loss 100% on NS/DEV
# while flows run; BID 2 must be found dead and leave both kernels.
blackhole()
{
	local tag=$1 name=$2 ns=$3 dev=$4 dead_dn=$5 dead_up=$6
	local t_cut det dn up bid2tx deaths l

	RET=0
	deaths=$(mn_probe 2 deaths)
	ping_hoa 2	# the CN's neighbour entry of the HoA (proxied), fresh
	flows_start "$tag" $COUNT
	# flows are running on every binding, BID 2 included
	bid2tx=$(kstat "$ha" 2 tx_packets)
	busywait 20000 eval '[ "$(kstat "$ha" 2 tx_packets)" -ge $((bid2tx + 50)) ]'
	check_err $? "no flow on bid 2 at the HA ($(kstat "$ha" 2 tx_packets) packets)"
	tc -n "$ns" qdisc add dev "$dev" root netem loss 100%
	t_cut=$(up_ms)
	ip -n "$ns" link show "$dev" | grep -q LOWER_UP
	check_err $? "$dev lost its carrier: not the case under test"

	busywait $((BOUND_MS + SLACK_MS + 3000)) eval '[ "$(mn_state 2)" = dead ]'
	check_err $? "bid 2 not found dead: $(mn_bid 2 | jq -c '[.state, .live, .probe]')"
	# from the netem in place to the daemon's verdict, on one clock
	det=$(( $(log_ms "CoA $COA2 (if2, bid 2) dead") - t_cut ))
	echo "# $name: bid 2 dead ${det} ms after the netem (bound ${BOUND_MS} ms + ${SLACK_MS} ms slack)"
	[ "$det" -ge 0 ] && [ "$det" -le $((BOUND_MS + SLACK_MS)) ]
	check_err $? "detected after ${det} ms, bound ${BOUND_MS} + ${SLACK_MS} ms"
	[ "$(mn_live 2)" = dead ] && [ "$(mn_probe 2 deaths)" = $((deaths + 1)) ]
	check_err $? "bid 2: $(mn_bid 2 | jq -c '[.live, .probe]')"
	# the MN stopped at once; the HA after the BU from a live CoA
	[ "$(kbids "$mn")" = "1 3" ]
	check_err $? "MN kernel still has: '$(kbids "$mn")'"
	wait_kbids "$ha" "1 3" 5000
	check_err $? "HA kernel still has: '$(kbids "$ha")'"
	wait_ha_bids "1 3" 5000
	check_err $? "HA cache: '$(ha_bids)'"
	grep -q "CoA $COA2 (if2, bid 2) dead" "$D/mn.log" &&
		grep -q "bid 2 (if2) out of service" "$D/mn.log"
	check_err $? "no log line for the change"

	flows_wait
	flows_check "$tag" $COUNT "$dead_dn" "$dead_up" > "$D/check.$tag"
	grep '^#' "$D/check.$tag"
	dn=$(grep '^down' "$D/check.$tag")
	up=$(grep '^up' "$D/check.$tag")
	echo "# $name: $dn"
	echo "# $name: $up"
	for l in "$dn" "$up"; do
		[ "$(field "$l" flows)" = $NF ] && [ "$(field "$l" lost_other)" = 0 ]
		check_err $? "flows on the other uplinks lost packets: $l"
		[ "$(field "$l" moved)" -ge 1 ] && [ "$(field "$l" unresumed)" = 0 ]
		check_err $? "moved flows did not resume: $l"
	done
	log_test "$name: dead CoA found in time, out of both kernels, flows move"
	LAST_DET_MS=$det
}

# restore TAG NAME NS DEV: without the netem, BID 2 is registered and used
# again
restore()
{
	local tag=$1 name=$2 ns=$3 dev=$4 t0 dn up l

	RET=0
	tc -n "$ns" qdisc del dev "$dev" root
	t0=$(up_ms)
	busywait 15000 eval '[ "$(mn_state 2)" = bound ] && [ "$(mn_live 2)" = alive ]'
	check_err $? "bid 2: $(mn_bid 2 | jq -c '[.state, .live, .probe]')"
	wait_kbids "$mn" "1 2 3" 5000
	check_err $? "MN kernel: '$(kbids "$mn")'"
	wait_kbids "$ha" "1 2 3" 5000
	check_err $? "HA kernel: '$(kbids "$ha")'"
	[ "$(kcoa "$ha" 2)" = "$COA2" ]
	check_err $? "HA bid 2 coa: $(kcoa "$ha" 2)"
	grep -q "CoA $COA2 (if2, bid 2) alive again" "$D/mn.log"
	check_err $? "no log line for the recovery"
	echo "# $name: bid 2 alive $(( $(log_ms "CoA $COA2 (if2, bid 2) alive again") - t0 )) ms," \
		"bound again $(( $(log_ms "bid 2 bound:") - t0 )) ms after the netem went"
	# used again, both ways, and nothing lost now that all three work
	ping_hoa 2
	flows_start "$tag-back" 60
	flows_wait
	flows_check "$tag-back" 60 if2 ha2 > "$D/check.$tag-back"
	grep '^#' "$D/check.$tag-back"
	dn=$(grep '^down' "$D/check.$tag-back")
	up=$(grep '^up' "$D/check.$tag-back")
	echo "# $name back: $dn"
	echo "# $name back: $up"
	for l in "$dn" "$up"; do
		[ "$(field "$l" moved)" -ge 1 ]
		check_err $? "no flow uses if2 again: $l"
		[ "$(field "$l" lost_other)" = 0 ] && [ "$(field "$l" lost_moved)" = 0 ]
		check_err $? "packets lost with all uplinks back: $l"
	done
	log_test "$name: CoA back by itself, registered and used again"
}

test_counters()
{
	local sent ans lost

	RET=0
	# one view: the counters of one instant
	read -r sent ans lost <<< "$(mn_bid 2 | jq -r '.probe | "\(.sent) \(.answered) \(.lost)"')"
	# two outages of at least probe-misses lost probes each
	[ "$lost" -ge $((2 * PM)) ] && [ "$(mn_probe 2 deaths)" = 2 ] &&
		[ "$(mn_probe 2 recoveries)" = 2 ]
	check_err $? "bid 2: $(mn_bid 2 | jq -c .probe)"
	# every probe is answered, lost, or the one in flight
	[ $((ans + lost)) -ge $((sent - 1)) ] && [ $((ans + lost)) -le "$sent" ]
	check_err $? "bid 2: sent $sent answered $ans lost $lost"
	[ "$(mn_probe 1 deaths)" = 0 ] && [ "$(mn_probe 3 deaths)" = 0 ]
	check_err $? "a live uplink was found dead: $(mn_view | jq -c '[.bul[] | [.bid, .probe.deaths]]')"
	log_test "per-CoA counters: sent = answered + lost (+1 in flight)"
}

daemon_setup
start_ha
start_mn "probe-interval $PI" "probe-misses $PM" "probe-recover $PR"
# neighbours and routes warm before the flows count
ping_hoa 3
test_probing
blackhole mnside "MN side (if2 egress, MN -> HA lost)" "$mn" if2 if2 ha2
restore mnside "MN side" "$mn" if2
blackhole rside "router side (r2 dn egress, HA -> MN lost)" "$r2" dn if2 ha2
restore rside "router side" "$r2" dn
test_counters
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

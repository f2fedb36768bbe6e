# SPDX-License-Identifier: GPL-2.0
# Figure 6: an uplink that fails silently. mcoad on both ends (default
# probing: probe-interval 500 ms, probe-misses 3), three uplinks, the CN
# sends LV_FLOWS sequence-numbered UDP flows of exactly LV_COUNT datagrams
# each (LV_RATE a second) to the HoA. Once the HA has tunnelled LV_CUT_PKTS
# packets through BID 2 (a packet count, not a time), r2's interface
# towards the MN drops everything (netem loss 100%) while the link stays
# up: HA -> MN over uplink 2 is dead. Figures, per run:
#   detect_ms   netem in place -> the MN declares the CoA dead (mcoad's log
#               clock; bound: (misses + 1) x interval = 2000 ms)
#   ha_ms       netem in place -> the HA's kernel binding of BID 2 deleted
#               (the MN's de-registration BU from a live CoA)
#   moved_lost  datagrams lost on the flows that used uplink 2, all of them
#               (per flow: moved_lost / moved_flows); surv_lost on the
#               others (must be 0)
#   recover_ms  netem removed -> BID 2 bound again at the MN
# Sourced by run-guest.sh after lib.sh; uses selftests/daemon_lib.sh for
# the daemons, in a topology of its own.

LV_RUNS=${MCOA_BENCH_LV_RUNS:-3}
LV_FLOWS=${MCOA_BENCH_LV_FLOWS:-12}
LV_RATE=${MCOA_BENCH_LV_RATE:-100}
LV_COUNT=${MCOA_BENCH_LV_COUNT:-600}
LV_CUT_PKTS=${MCOA_BENCH_LV_CUT_PKTS:-200}
LV_PORT=7100

lv_meta()
{
	meta lv.detect_ms "liveness" ms "silent uplink found dead (bound 2000 ms)"
	meta lv.ha_ms "liveness" ms "silent uplink -> HA binding deleted"
	meta lv.moved_flows "liveness" flows "flows on the dead CoA (of $LV_FLOWS)"
	meta lv.moved_lost "liveness" pkts "lost on moved flows, all ($LV_COUNT pkts/flow)"
	meta lv.moved_lost_flow "liveness" pkts "lost per moved flow"
	meta lv.surv_lost "liveness" pkts "lost on the other flows (must be 0)"
	meta lv.recover_ms "liveness" ms "uplink back -> BID bound again"
}

lv_na_all()
{
	local id

	for id in detect_ms ha_ms moved_flows moved_lost moved_lost_flow surv_lost recover_ms; do
		na lv.$id "$1"
	done
}

lv_up_ms() { local u; read -r u _ < /proc/uptime; echo $(( 10#${u/./} * 10 )); }

# lv_log_ms FILE PATTERN: stamp (ms) of FILE's last line with PATTERN
lv_log_ms()
{
	grep -F "$2" "$1" | tail -n 1 |
		sed -E 's/^mcoad\[([0-9]+)\.([0-9]{3})\].*/\1\2/; s/^0+//'
}

lv_tx2() { kbind "$ha" | jq -r '.[] | select(.bid == 2) | .stats.tx_packets // .tx_packets // 0'; }

# lv_flows NAME PORT SPORT0 FLOWS RATE COUNT CUT_PKTS: flowgen's receiver
# on the MN (output in $BENCH_TMP/NAME.recv) and its sender on the CN, in
# the background (LV_RPID, LV_SPID); returns once the HA has tunnelled
# CUT_PKTS of them through BID 2, the moment to cut uplink 2.
lv_flows()
{
	local name=$1 port=$2 sport=$3 flows=$4 rate=$5 count=$6 cut=$7 tx0

	ip netns exec "$mn" "$BENCH_DIR/flowgen" recv -p "$port" \
		-f "$flows" -I 3000 -W 60000 > "$BENCH_TMP/$name.recv" 2>&1 &
	LV_RPID=$!
	busywait 10000 grep -q ready "$BENCH_TMP/$name.recv"
	ping_hoa 2	# the CN's neighbour entry of the proxied HoA
	tx0=$(lv_tx2)
	ip netns exec "$cn" "$BENCH_DIR/flowgen" send -s $CN_ADDR \
		-d $HOA -p "$port" -P "$sport" -f "$flows" \
		-r "$rate" -n "$count" > "$BENCH_TMP/$name.send" 2>&1 &
	LV_SPID=$!
	busywait 30000 eval '[ "$(lv_tx2)" -ge $((tx0 + cut)) ]'
}

lv_bound2() { mn_view | jq -e '.bul[] | select(.bid == 2 and .state == "bound")' >/dev/null; }

# lv_setup: the daemons' topology of its own, mcoad on both ends, three
# bindings registered; sets LV_UP (bench/fo_daemon.sh runs in it too), or
# prints why not and fails. lv_teardown stops the daemons.
lv_setup()
{
	local reason

	LV_UP=
	if ! reason=$(have_mcoa); then
		echo "$reason"
		return 1
	fi
	if [ ! -x "$BENCH_DIR/flowgen" ] || [ ! -x "$MCOAD" ]; then
		echo "bench/flowgen or daemon/mcoad/mcoad not built"
		return 1
	fi
	source "$MCOA_TOP/selftests/daemon_lib.sh"
	daemon_setup >&2
	start_ha >&2
	start_mn >&2
	if ! wait_kbids "$ha" "1 2 3" 30000; then
		echo "the daemons did not register 3 bindings: HA '$(kbids "$ha")'"
		return 1
	fi
	LV_UP=1
}

lv_teardown()
{
	[ -n "${LV_UP:-}" ] || return 0
	stop_daemon "$MN_PID"
	stop_daemon "$HA_PID"
}

bench_liveness()
{
	local r t_cut t_back det hams rec out slost moved mlost

	lv_meta
	if [ -z "${LV_UP:-}" ]; then
		lv_na_all "$LV_WHY"
		return
	fi
	note "liveness: $LV_FLOWS flows x $LV_COUNT datagrams at $LV_RATE/s CN -> MN, mcoad on both ends (probe-interval 500 ms, probe-misses 3); r2's link to the MN drops everything after $LV_CUT_PKTS packets of BID 2, carrier up"

	for ((r = 1; r <= LV_RUNS; r++)); do
		blog "liveness run $r/$LV_RUNS"
		busywait 20000 lv_bound2
		wait_kbids "$ha" "1 2 3" 20000
		lv_flows lv $LV_PORT 21000 "$LV_FLOWS" "$LV_RATE" "$LV_COUNT" "$LV_CUT_PKTS"
		tc -n "$r2" qdisc add dev dn root netem loss 100%
		t_cut=$(lv_up_ms)
		busywait 15000 eval '[ "$(kbids "$ha")" = "1 3" ]'
		wait "$LV_SPID"
		wait "$LV_RPID"
		det=$(( $(lv_log_ms "$D/mn.log" "CoA $COA2 (if2, bid 2) dead") - t_cut ))
		hams=$(( $(lv_log_ms "$D/ha.log" "bid 2 removed") - t_cut ))
		tc -n "$r2" qdisc del dev dn root
		t_back=$(lv_up_ms)
		busywait 20000 lv_bound2
		rec=$(( $(lv_log_ms "$D/mn.log" "bid 2 bound:") - t_back ))
		out=$(awk -v count="$LV_COUNT" '
			/^flow=/ {
				for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
				# from the first datagram in: the start is not failover
				lost = v["rx"] ? count - v["first"] - v["rx"] : count
				if (index(v["paths"], "if2:")) { moved++; mlost += lost }
				else slost += lost
			}
			END { printf "%d %d %d\n", slost, moved, mlost }' "$BENCH_TMP/lv.recv")
		read -r slost moved mlost <<< "$out"
		blog "  detect $det ms, HA $hams ms, moved flows $moved lost $mlost, others lost $slost, recover $rec ms"
		[ $r = 1 ] && sed 's/^/    /' "$BENCH_TMP/lv.recv" >&2
		if ! grep -q '^flow=' "$BENCH_TMP/lv.recv" || [ "$det" -lt 0 ]; then
			[ $r = 1 ] && lv_na_all "no flows received or no detection: $(head -c 160 "$BENCH_TMP/lv.recv")"
			continue
		fi
		sample lv.detect_ms "$det"
		sample lv.ha_ms "$hams"
		sample lv.moved_flows "$moved"
		sample lv.moved_lost "$mlost"
		sample lv.surv_lost "$slost"
		sample lv.recover_ms "$rec"
		[ "$moved" -gt 0 ] && sample lv.moved_lost_flow "$(calc "$mlost / $moved")"
	done
}

# SPDX-License-Identifier: GPL-2.0
# Figure 7: failover driven by the daemons, split into its steps. mcoad on
# both ends, three uplinks bound; the CN sends FD_FLOWS sequence-numbered
# UDP flows of exactly FD_COUNT datagrams each (FD_RATE a second) to the
# HoA. Once the HA has tunnelled FD_CUT_PKTS packets through BID 2 (a
# packet count, not a time), the MN's uplink if2 goes down. Nothing else
# is done by the script: mcoad notices, takes BID 2 out of the MN's kernel,
# de-registers it by a BU from a live CoA, the HA's mcoad deletes the
# kernel binding, and the HA's hashing moves the flows of BID 2 to the
# other CoAs. Every step is stamped on CLOCK_MONOTONIC, the clock of
# mcoad's log, of `flowgen now` and of flowgen's switch_ms, all in one VM,
# in ms after the script's stamp just before `ip link set if2 down`:
#   cmd        `ip link set if2 down` returned (spawning ip under TCG is
#              most of it: the link went down somewhere before this)
#   detect     the MN's mcoad sees the link down (rtnetlink)
#   mn_kernel  BID 2 out of the MN's kernel: the MN's own upstream flows
#              move here, before any signalling
#   bu         the de-registration BU sent
#   ha_bu      the BU in at the HA
#   ha_kernel  the HA's kernel binding of BID 2 deleted
#   ba         the BA in at the MN
#   first_new  the first packet of a moved flow by its new CoA (flowgen
#              switch_ms; the latest of the moved flows)
# and, derived: rtt = ba - bu (the MN-HA signalling round trip), and
# resume = first_new - detect, the goal being resume <= rtt + 10 ms
# (over_rtt = resume - rtt). Lost datagrams are counted per flow (not in
# a time window): on moved flows (those in flight to the dead uplink
# until ha_kernel) and on the others (must be 0). The MN sends as many
# flows upstream to the CN at the same time: what they lose, and their
# longest gap, is what is sent by if2 until mn_kernel.
# Sourced by run-guest.sh after liveness.sh, with its daemons running.

FD_RUNS=${MCOA_BENCH_FD_RUNS:-3}
FD_FLOWS=${MCOA_BENCH_FD_FLOWS:-12}
FD_RATE=${MCOA_BENCH_FD_RATE:-100}
FD_COUNT=${MCOA_BENCH_FD_COUNT:-500}
FD_CUT_PKTS=${MCOA_BENCH_FD_CUT_PKTS:-150}
FD_PORT=7200
FD_STEPS="cmd detect mn_kernel bu ha_bu ha_kernel ba first_new"

fd_meta()
{
	meta fd.cmd_ms "failover (daemons)" ms "stamp -> ip link set if2 down returned"
	meta fd.detect_ms "failover (daemons)" ms "-> MN's mcoad sees if2 down"
	meta fd.mn_kernel_ms "failover (daemons)" ms "-> BID 2 out of the MN's kernel"
	meta fd.bu_ms "failover (daemons)" ms "-> de-registration BU sent"
	meta fd.ha_bu_ms "failover (daemons)" ms "-> BU in at the HA"
	meta fd.ha_kernel_ms "failover (daemons)" ms "-> HA kernel binding deleted"
	meta fd.ba_ms "failover (daemons)" ms "-> BA in at the MN"
	meta fd.first_new_ms "failover (daemons)" ms "-> first packet on the new path (last moved flow)"
	meta fd.rtt_ms "failover (daemons)" ms "MN-HA signalling round trip (BA - BU)"
	meta fd.resume_ms "failover (daemons)" ms "resume after the MN noticed (first_new - detect)"
	meta fd.over_rtt_ms "failover (daemons)" ms "resume minus round trip (goal <= 10)"
	meta fd.moved_flows "failover (daemons)" flows "flows on the cut CoA (of $FD_FLOWS)"
	meta fd.moved_lost_flow "failover (daemons)" pkts "lost per moved flow ($FD_RATE/s)"
	meta fd.surv_lost "failover (daemons)" pkts "lost on the other flows (must be 0)"
	meta fd.up_lost "failover (daemons)" pkts "upstream MN -> CN: lost, all $FD_FLOWS flows"
	meta fd.up_gap_ms "failover (daemons)" ms "upstream MN -> CN: longest gap of a flow"
}

fd_na_all()
{
	local id

	for id in $FD_STEPS rtt resume over_rtt; do
		na "fd.${id}_ms" "$1"
	done
	for id in moved_flows moved_lost_flow surv_lost up_lost up_gap_ms; do
		na "fd.$id" "$1"
	done
}

fd_now() { "$BENCH_DIR/flowgen" now | cut -d. -f1; }

# fd_log_first FILE PATTERN T: the stamp (ms) of FILE's first line with
# PATTERN stamped at T or later; empty when there is none
fd_log_first()
{
	grep -F "$2" "$1" |
		sed -nE 's/^mcoad\[([0-9]+)\.([0-9]{3})\].*/\1\2/p' |
		awk -v t="$3" '$1 + 0 >= t + 0 { print $1 + 0; exit }'
}

fd_restore()
{
	ip -n "$mn" link set if2 up
	ip -n "$mn" route replace default via fd00:22::1 dev if2 table 102
	busywait 20000 lv_bound2 && wait_kbids "$ha" "1 2 3" 20000
}

bench_fo_daemon()
{
	local r t0 out slost moved mlost last step v uplost upgap
	local -A at

	fd_meta
	if [ -z "${LV_UP:-}" ]; then
		fd_na_all "${LV_WHY:-the daemons of the liveness section are not running}"
		return
	fi
	note "failover (daemons): $FD_FLOWS flows x $FD_COUNT datagrams at $FD_RATE/s CN -> MN; the MN's if2 goes down after $FD_CUT_PKTS packets of BID 2; mcoad does the rest; steps in ms after a stamp taken just before ip link set if2 down"
	for ((r = 1; r <= FD_RUNS; r++)); do
		blog "failover (daemons) run $r/$FD_RUNS"
		if ! fd_restore; then
			[ $r = 1 ] && fd_na_all "BID 2 not bound again: HA '$(kbids "$ha")'"
			break
		fi
		# upstream: the CN receives what the MN sends from its HoA
		ip netns exec "$cn" "$BENCH_DIR/flowgen" recv -p $((FD_PORT + 1)) \
			-f "$FD_FLOWS" -I 3000 -W 60000 > "$BENCH_TMP/fd.uprecv" 2>&1 &
		local uprpid=$!
		busywait 10000 grep -q ready "$BENCH_TMP/fd.uprecv"
		ip netns exec "$mn" "$BENCH_DIR/flowgen" send -s $HOA \
			-d $CN_ADDR -p $((FD_PORT + 1)) -P 23000 -f "$FD_FLOWS" \
			-r "$FD_RATE" -n "$FD_COUNT" > "$BENCH_TMP/fd.upsend" 2>&1 &
		local upspid=$!
		lv_flows fd $FD_PORT 22000 "$FD_FLOWS" "$FD_RATE" "$FD_COUNT" "$FD_CUT_PKTS"
		at=()
		t0=$(fd_now)
		ip -n "$mn" link set if2 down
		at[cmd]=$(fd_now)
		busywait 15000 eval '[ "$(kbids "$ha")" = "1 3" ]'
		wait "$LV_SPID" "$upspid"
		wait "$LV_RPID" "$uprpid"
		at[detect]=$(fd_log_first "$D/mn.log" "link if2 (bid 2) down" "$t0")
		at[mn_kernel]=$(fd_log_first "$D/mn.log" "bid 2 removed from the data plane" "$t0")
		at[bu]=$(fd_log_first "$D/mn.log" "BU seq" "$t0")
		at[ha_bu]=$(fd_log_first "$D/ha.log" "BU from" "$t0")
		at[ha_kernel]=$(fd_log_first "$D/ha.log" "bid 2 removed" "$t0")
		at[ba]=$(fd_log_first "$D/mn.log" "BA seq" "$t0")
		out=$(awk -v count="$FD_COUNT" '
			/^flow=/ {
				for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
				lost = v["rx"] ? count - v["first"] - v["rx"] : count
				if (index(v["paths"], "if2:")) {
					moved++; mlost += lost
					if (v["switch_ms"] + 0 > sw) sw = v["switch_ms"] + 0
					if (v["switch_ms"] + 0 == 0) never++
				} else slost += lost
			}
			END { printf "%d %d %d %d %d\n", slost, moved, mlost, sw, never }' "$BENCH_TMP/fd.recv")
		read -r slost moved mlost last v <<< "$out"
		read -r uplost upgap <<< "$(awk -v count="$FD_COUNT" '
			/^flow=/ {
				for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
				lost += v["rx"] ? count - v["first"] - v["rx"] : count
				if (v["maxgap_ms"] + 0 > gap) gap = v["maxgap_ms"] + 0
				n++
			}
			END { printf "%d %.1f\n", n ? lost : -1, gap }' "$BENCH_TMP/fd.uprecv")"
		[ "$v" = 0 ] && [ "$moved" -gt 0 ] && at[first_new]=$last
		blog "  $(for step in $FD_STEPS; do printf '%s %s ' "$step" "$(( ${at[$step]:-$t0} - t0 ))"; done)ms; moved flows $moved lost $mlost, others lost $slost, upstream lost $uplost (longest gap $upgap ms)"
		[ $r = 1 ] && sed 's/^/    /' "$BENCH_TMP/fd.recv" >&2
		for step in $FD_STEPS; do
			if [ -z "${at[$step]:-}" ]; then
				blog "  no stamp for $step: run left out"
				[ $r = 1 ] && { tail -n 30 "$D/mn.log"; tail -n 20 "$D/ha.log"; } >&2
				continue 2
			fi
		done
		for step in $FD_STEPS; do
			sample "fd.${step}_ms" "$(( at[$step] - t0 ))"
		done
		sample fd.rtt_ms "$(( at[ba] - at[bu] ))"
		sample fd.resume_ms "$(( at[first_new] - at[detect] ))"
		sample fd.over_rtt_ms "$(( at[first_new] - at[detect] - (at[ba] - at[bu]) ))"
		sample fd.moved_flows "$moved"
		sample fd.moved_lost_flow "$(calc "$mlost / $moved")"
		sample fd.surv_lost "$slost"
		if [ "$uplost" -ge 0 ]; then
			sample fd.up_lost "$uplost"
			sample fd.up_gap_ms "$upgap"
		fi
	done
	fd_restore
}

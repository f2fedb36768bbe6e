# SPDX-License-Identifier: GPL-2.0
# Figure 5: failover. The HoA has three bindings (hash policy); the CN
# sends FO_FLOWS steady UDP flows (FO_RATE datagrams/s each, sequence
# numbered) to the HoA. At FO_CUT_MS the MN's uplink if2 goes down and
# BID 2 is deleted on the HA with mcoactl, as the HA daemon does when the
# MN deregisters it. bench/flowgen at the MN tells, per flow, which
# interface (CoA) its packets came in by and which sequence numbers are
# missing:
#   survivors  flows that never used if2: packets lost must be 0, and
#              none may change path (rendezvous hashing moves only the
#              flows of the lost binding)
#   moved      flows that used if2: how long they were interrupted (ms,
#              from send timestamps around the gap) and packets lost
# "reaction" is the time from the link going down to mcoactl returning;
# the outage of moved flows minus the reaction is what the data plane
# itself adds.

FO_RUNS=${MCOA_BENCH_FO_RUNS:-3}
FO_FLOWS=${MCOA_BENCH_FO_FLOWS:-12}
FO_RATE=${MCOA_BENCH_FO_RATE:-100}
FO_CUT_MS=${MCOA_BENCH_FO_CUT_MS:-1500}
FO_AFTER_MS=${MCOA_BENCH_FO_AFTER_MS:-1500}
FO_MS=60000	# upper bound; the sender is stopped FO_AFTER_MS after the delete
FO_PORT=7000

fo_meta()
{
	meta fo.surv_lost "failover" pkts "packets lost on surviving paths (must be 0)"
	meta fo.surv_moved "failover" flows "surviving flows that changed path (must be 0)"
	meta fo.moved_flows "failover" flows "flows on the cut CoA (of $FO_FLOWS)"
	meta fo.resume_ms "failover" ms "moved flows resume after (max over flows)"
	meta fo.reaction_ms "failover" ms "link down -> binding deleted (script, mcoactl)"
	meta fo.linkdown_ms "failover" ms "of which: ip link set if2 down"
	meta fo.dataplane_ms "failover" ms "resume minus reaction (data plane's own delay)"
	meta fo.moved_lost "failover" pkts "packets lost on moved flows"
}

fo_na_all()
{
	local id

	for id in surv_lost surv_moved moved_flows resume_ms reaction_ms linkdown_ms dataplane_ms moved_lost; do
		na fo.$id "$1"
	done
}

fo_reset()
{
	ip -n "$mn" link set if2 up
	ip -n "$mn" route replace default via fd00:22::1 dev if2 table 102
	ctl "$ha" binding add dev mip0 hoa $HOA bid 2 coa $COA2 peer $HA_ADDR 2>/dev/null
	ctl "$mn" binding add dev mip0 hoa $HOA bid 2 coa $COA2 peer $HA_ADDR link if2 2>/dev/null
	busywait 5000 ip netns exec "$ha" ping -c1 -W1 -q $COA2 >/dev/null 2>&1
}

fo_ready()
{
	grep -q ready "$BENCH_TMP/fo.recv"
}

bench_failover()
{
	local reason r rpid spid sent tcut tdown tdel out slost smoved moved resume mlost

	fo_meta
	if ! reason=$(have_mcoa); then
		fo_na_all "$reason"
		return
	fi
	if [ ! -x "$BENCH_DIR/flowgen" ]; then
		fo_na_all "bench/flowgen not built (make -C bench)"
		return
	fi
	if ! ctl "$ha" binding show dev mip0 hoa $HOA 2>/dev/null | grep -q 'bid 3'; then
		fo_na_all "mcoa bindings for the HoA are not in place (data plane setup failed)"
		return
	fi
	note "failover: $FO_FLOWS flows x $FO_RATE pkt/s, cut of if2 at ${FO_CUT_MS} ms, BID 2 deleted on the HA by mcoactl (static, no daemon), sender stopped ${FO_AFTER_MS} ms later"

	for ((r = 1; r <= FO_RUNS; r++)); do
		blog "failover run $r/$FO_RUNS"
		fo_reset
		: > "$BENCH_TMP/fo.recv"
		ip netns exec "$mn" "$BENCH_DIR/flowgen" recv -p $FO_PORT \
			-f "$FO_FLOWS" -I 1500 -W 60000 \
			> "$BENCH_TMP/fo.recv" 2>&1 &
		rpid=$!
		busywait 5000 fo_ready
		ip netns exec "$cn" "$BENCH_DIR/flowgen" send -s $CN_ADDR \
			-d $HOA -p $FO_PORT -P 20000 -f "$FO_FLOWS" \
			-r "$FO_RATE" -T "$FO_MS" > "$BENCH_TMP/fo.send" 2>&1 &
		spid=$!
		# the experiment's timeline, not a wait for a condition
		sleep "$(calc "$FO_CUT_MS / 1000")"
		tcut=$(now_ns)
		ip -n "$mn" link set if2 down
		tdown=$(now_ns)
		ctl "$ha" binding del dev mip0 hoa $HOA bid 2
		tdel=$(now_ns)
		sleep "$(calc "$FO_AFTER_MS / 1000")"
		kill -TERM "$spid"
		wait "$spid"
		wait "$rpid"
		ctl "$mn" binding del dev mip0 hoa $HOA bid 2 2>/dev/null
		[ $r = 1 ] && sed 's/^/    /' "$BENCH_TMP/fo.recv" >&2
		sent=$(sed -n 's/^sent=\([0-9]*\).*/\1/p' "$BENCH_TMP/fo.send")
		if [ -z "$sent" ]; then
			[ $r = 1 ] && fo_na_all "flowgen send failed: $(head -c 160 "$BENCH_TMP/fo.send")"
			continue
		fi
		out=$(awk -v sent="$sent" -v cut=if2 '
			/^flow=/ {
				rx = 0; paths = ""; gap = 0; holes = 0; last = -1
				for (i = 1; i <= NF; i++) {
					split($i, kv, "=")
					if (kv[1] == "rx") rx = kv[2]
					if (kv[1] == "paths") paths = kv[2]
					if (kv[1] == "maxgap_ms") gap = kv[2]
					if (kv[1] == "holes") holes = kv[2]
					if (kv[1] == "last") last = kv[2]
				}
				np = split(paths, p, ",")
				if (index(paths, cut ":")) {
					moved++; mlost += sent - rx
					if (gap > resume) resume = gap
				} else {
					# from its first packet on: the start of a
					# run (neighbour discovery) is not failover
					slost += holes + (sent - 1 - last)
					if (np > 1) smoved++
				}
			}
			END { printf "%d %d %d %.1f %d\n", slost, smoved, moved, resume, mlost }
		' "$BENCH_TMP/fo.recv")
		read -r slost smoved moved resume mlost <<< "$out"
		blog "  survivors lost $slost, survivors moved $smoved, moved flows $moved, resume ${resume} ms, moved lost $mlost, reaction $(( (tdel - tcut) / 1000000 )) ms"
		if ! grep -q '^flow=' "$BENCH_TMP/fo.recv"; then
			[ $r = 1 ] && fo_na_all "receiver got nothing: $(head -c 160 "$BENCH_TMP/fo.recv")"
			continue
		fi
		sample fo.surv_lost "$slost"
		sample fo.surv_moved "$smoved"
		sample fo.moved_flows "$moved"
		sample fo.reaction_ms "$(calc "($tdel - $tcut) / 1e6")"
		sample fo.linkdown_ms "$(calc "($tdown - $tcut) / 1e6")"
		if [ "$moved" -gt 0 ]; then
			sample fo.resume_ms "$resume"
			sample fo.moved_lost "$mlost"
			sample fo.dataplane_ms "$(calc "$resume - ($tdel - $tcut) / 1e6")"
		fi
		cp "$BENCH_TMP/fo.recv" "$BENCH_TMP/fo.recv.$r"
	done
	fo_reset
}

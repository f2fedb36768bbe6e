# SPDX-License-Identifier: GPL-2.0
# Figure 2: the cost of CoA selection alone, per packet.
#
# mcoa.ko times the HoA lookup + mcoa_select() of the transmit path in a
# loop on a synthetic UDP packet to a HoA (a new source port, i.e. a new
# flow, every call) and, in the same call, the kernel's symmetric flow
# hash alone as the peer (debugfs
# mcoa/select_bench, kernel/selbench.c). Configurations, on a device of
# its own in namespace "sel":
#   1 binding, 3 bindings with rendezvous hashing, 3 bindings with
#   SEL_RULES flow rules of which only the last matches, 3 bindings with
#   policy "recent", and 3 bindings among SEL_BIG more HoAs x 3 bindings.
# The ratio select/hash is what carries over from TCG to hardware.

SEL_ITER=${MCOA_BENCH_SEL_ITER:-200000}
SEL_RUNS=${MCOA_BENCH_SEL_RUNS:-5}
SEL_RULES=${MCOA_BENCH_RULES:-50}
SEL_BIG=${MCOA_BENCH_BIG_HOAS:-100000}
SEL_HOA=fd00:1::100
SEL_FILE=/sys/kernel/debug/mcoa/select_bench
SEL_CONFS="one hash rules recent big"

sel_meta()
{
	meta sel.one.ns "selection alone" ns/pkt "1 binding"
	meta sel.hash.ns "selection alone" ns/pkt "3 bindings, rendezvous hashing"
	meta sel.rules.ns "selection alone" ns/pkt "3 bindings, $SEL_RULES flow rules (the last matches)"
	meta sel.recent.ns "selection alone" ns/pkt "3 bindings, policy recent"
	meta sel.big.ns "selection alone" ns/pkt "3 bindings hashing, +$SEL_BIG HoAs x3 installed"
	meta sel.flowhash.ns "selection alone" ns/pkt "peer: the kernel's symmetric flow hash alone"
	meta sel.hash.ratio "selection ratio" x "3 bindings hashing / flow hash"
	meta sel.rules.ratio "selection ratio" x "$SEL_RULES flow rules / flow hash"
	meta sel.rule1.ns "selection alone" ns/pkt "per flow rule tried ((rules - hash) / $SEL_RULES)"
}

sel_na_all()
{
	local c

	for c in $SEL_CONFS flowhash; do
		na sel.$c.ns "$1"
	done
	na sel.hash.ratio "$1"; na sel.rules.ratio "$1"; na sel.rule1.ns "$1"
}

# sel_time: one timed call; sets SEL_NS and SEL_HASH_NS.
sel_time()
{
	local ifindex out

	ifindex=$(ip netns exec "$sel" cat /sys/class/net/mip0/ifindex)
	# nsenter, not ip netns exec: that one mounts a fresh /sys for the
	# netns, without debugfs under it. The file works in the writer's netns.
	nsenter --net="/run/netns/$sel" sh -c "echo '$ifindex $SEL_HOA $SEL_ITER' > $SEL_FILE" \
		2>"$BENCH_TMP/sel.werr" || return 1
	out=$(cat "$SEL_FILE")
	SEL_NS=$(sed -n 's/.*select_ns=\([0-9]*\).*/\1/p' <<< "$out")
	SEL_HASH_NS=$(sed -n 's/.*hash_ns=\([0-9]*\).*/\1/p' <<< "$out")
	SEL_CHOSEN=$(sed -n 's/.*selected=\([-0-9,]*\).*/\1/p' <<< "$out")
	[ -n "$SEL_NS" ] && [ -n "$SEL_HASH_NS" ]
}

sel_bids()
{
	local op=$1 b; shift

	for b in "$@"; do
		if [ "$op" = add ]; then
			ctl "$sel" binding add dev mip0 hoa $SEL_HOA bid "$b" \
				coa fd00:2$b::2 peer fd00:1::1 || return 1
		else
			ctl "$sel" binding del dev mip0 hoa $SEL_HOA bid "$b" || return 1
		fi
	done
}

sel_rules()
{
	local i

	for ((i = 1; i < SEL_RULES; i++)); do
		echo "flow add dev mip0 hoa $SEL_HOA fid $i pri $i proto udp dport $((20000 + i)) bids 2"
	done
	# the packets go to port 9: only the last rule matches
	echo "flow add dev mip0 hoa $SEL_HOA fid $SEL_RULES pri $SEL_RULES proto udp dport 9 bids 3,1"
}

sel_unrules()
{
	local i

	for ((i = 1; i <= SEL_RULES; i++)); do
		echo "flow del dev mip0 hoa $SEL_HOA fid $i"
	done
}

sel_big()
{
	awk -v n="$SEL_BIG" 'BEGIN {
		for (i = 0; i < n; i++)
			for (b = 1; b <= 3; b++)
				printf "binding add dev mip0 hoa fd00:600::%x:%x bid %d coa fd00:7%d::%x:%x\n",
					int(i / 65536), i % 65536, b, b, int(i / 65536), i % 65536
	}' | ctl "$sel" -b -
}

# sel_point CONF: one sample of CONF (+ the flow hash peer)
sel_point()
{
	if ! sel_time; then
		[ $r = 1 ] && na sel.$1.ns "select_bench write failed: $(head -c 120 "$BENCH_TMP/sel.werr")"
		return 1
	fi
	sample sel.$1.ns "$SEL_NS"
	sample sel.flowhash.ns "$SEL_HASH_NS"
	eval "SEL_LAST_$1=$SEL_NS SEL_LAST_H_$1=$SEL_HASH_NS"
}

bench_select()
{
	local reason r

	sel_meta
	if ! reason=$(have_mcoa); then
		sel_na_all "$reason"
		return
	fi
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	if [ ! -w "$SEL_FILE" ]; then
		sel_na_all "no $SEL_FILE (mcoa.ko built without CONFIG_DEBUG_FS?)"
		return
	fi
	setup_ns sel
	if ! ctl "$sel" link add mip0 mode ha 2>"$BENCH_TMP/sel.err"; then
		sel_na_all "mcoactl link add failed: $(head -c 160 "$BENCH_TMP/sel.err")"
		return
	fi
	ip -n "$sel" link set mip0 up
	sel_rules > "$BENCH_TMP/sel.rules"
	sel_unrules > "$BENCH_TMP/sel.unrules"
	note "selection alone: HoA lookup + mcoa_select() timed in the kernel over $SEL_ITER packets of new flows, next to the kernel's symmetric flow hash alone in the same call (debugfs mcoa/select_bench)"

	for ((r = 1; r <= SEL_RUNS; r++)); do
		blog "selection run $r/$SEL_RUNS"
		sel_bids add 1 || { sel_na_all "binding add failed"; return; }
		sel_point one
		sel_bids add 2 3 || { sel_na_all "binding add failed"; return; }
		sel_point hash &&
			sample sel.hash.ratio "$(calc "$SEL_NS / $SEL_HASH_NS")"
		if ctl "$sel" -b "$BENCH_TMP/sel.rules" 2>"$BENCH_TMP/sel.err"; then
			# the matching rule sends everything to BID 3
			if sel_point rules && [ "$SEL_CHOSEN" = 3 ]; then
				sample sel.rules.ratio "$(calc "$SEL_NS / $SEL_HASH_NS")"
				[ -n "${SEL_LAST_hash:-}" ] &&
					sample sel.rule1.ns "$(calc "($SEL_NS - $SEL_LAST_hash) / $SEL_RULES")"
			fi
		else
			[ $r = 1 ] && na sel.rules.ns "flow add failed: $(head -c 120 "$BENCH_TMP/sel.err")"
		fi
		ctl "$sel" -b "$BENCH_TMP/sel.unrules" 2>/dev/null
		ctl "$sel" policy set dev mip0 hoa $SEL_HOA recent
		sel_point recent
		ctl "$sel" binding flush dev mip0 hoa $SEL_HOA
		ctl "$sel" policy set dev mip0 hoa $SEL_HOA hash
	done

	blog "selection: installing $SEL_BIG HoAs x 3 bindings"
	if ! sel_big 2>"$BENCH_TMP/sel.err"; then
		na sel.big.ns "mcoactl -b failed: $(head -c 120 "$BENCH_TMP/sel.err")"
		return
	fi
	sel_bids add 1 2 3
	for ((r = 1; r <= SEL_RUNS; r++)); do
		sel_point big
	done
	ctl "$sel" binding flush dev mip0
}

# SPDX-License-Identifier: GPL-2.0
# Figure 4: Binding Updates handled per second by mcoad as home agent.
#
# Two namespaces of their own: "sha" runs mcoad (role ha, home prefix
# fd00:1::/64 on a dummy home link, so any HoA of the prefix is
# accepted), "slg" runs bench/bu_load, which plays SIG_HOAS mobile nodes
# per run, each registering 3 CoAs (fd00:41:k::/64 style, routed to slg)
# either with one bulk BU carrying 3 BID options or with 3 BUs of one BID
# option each. Every run uses fresh HoAs, so each BU is a first
# registration (proxy ND entry, host route and kernel bindings created).
# bu_load keeps SIG_WINDOW mobile nodes in flight (closed loop); BA
# latency is from sending a BU to reading its BA, under that load.
#
# The runs are repeated with the HA already holding SIG_LEVELS mobile
# nodes (x 3 bindings, filled in by bulk BUs that are not measured), so
# the figures show what the size of the binding cache costs a BU: the
# last level's BU/s as a percentage drop from the first's.

SIG_HOAS=${MCOA_BENCH_SIG_HOAS:-500}
SIG_RUNS=${MCOA_BENCH_SIG_RUNS:-3}
SIG_WINDOW=${MCOA_BENCH_SIG_WINDOW:-16}
SIG_LEVELS=${MCOA_BENCH_SIG_LEVELS:-500 10000 100000}

sig_levels_last() { local l; for l in $SIG_LEVELS; do :; done; echo "$l"; }

sig_meta()
{
	local m l

	for l in $SIG_LEVELS; do
		for m in single bulk; do
			meta sig.$l.$m.bu_s "signalling" BU/s "BUs handled/s, $m ($SIG_HOAS new MNs x 3 BIDs, window $SIG_WINDOW), $l MNs registered"
			meta sig.$l.$m.bind_s "signalling" bindings/s "bindings registered/s, $m, $l MNs registered"
			meta sig.$l.$m.p50_us "signalling" us "BA latency p50, $m, $l MNs registered"
			meta sig.$l.$m.p99_us "signalling" us "BA latency p99, $m, $l MNs registered"
		done
	done
	for m in single bulk; do
		meta sig.$m.drop_pct "signalling" % "BU/s drop, $m, ${SIG_LEVELS%% *} -> $(sig_levels_last) MNs registered (medians)"
	done
	meta sig.fill_s "signalling" s "registering the MNs of the levels (bulk, unmeasured)"
}

sig_na_all()
{
	local m id l

	for l in $SIG_LEVELS; do
		for m in single bulk; do
			for id in bu_s bind_s p50_us p99_us; do
				na sig.$l.$m.$id "$1"
			done
		done
	done
	for m in single bulk; do
		na sig.$m.drop_pct "$1"
	done
}

# median of the numbers on stdin
sig_median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# kv LINE KEY: value of KEY=VALUE in a bu_load result line.
kv()
{
	sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<< "$1"
}

sig_ready()
{
	ip -n "$sha" link show mip0 >/dev/null 2>&1 &&
		ip -n "$sha" xfrm state 2>/dev/null | grep -q .
}

# sig_diag: what the HA saw, when no BA came back.
sig_diag()
{
	{
		echo "--- mcoad log (tail)"
		tail -n 20 "$BENCH_TMP/mcoad.log"
		echo "--- HA lg counters"
		ip -n "$sha" -s link show lg | sed -n '3,6p'
		echo "--- HA IPv6 MIB (non-zero)"
		ip netns exec "$sha" nstat -az 2>/dev/null |
			awk '$1 ~ /^Ip6(In|Out)|^Icmp6(In|Out)/ && $2 > 0'
		echo "--- HA routes"
		ip -n "$sha" -6 route show | grep -v '^fe80'
		echo "--- HA xfrm"
		ip -n "$sha" xfrm state | head -n 8
		ip -n "$sha" xfrm policy | head -n 8
		echo "--- HA daemon view"
		ctl "$sha" daemon socket "$BENCH_TMP/mcoad-ha.sock" show 2>&1 | head -n 15
	} >&2
}

bench_signalling()
{
	local conf=$BENCH_TMP/ha.conf sock=$BENCH_TMP/mcoad-ha.sock
	local reason r m out off=0 pid id

	sig_meta
	if ! reason=$(have_mcoa); then
		sig_na_all "$reason"
		return
	fi
	if [ ! -x "$MCOAD" ]; then
		sig_na_all "daemon/mcoad/mcoad not built"
		return
	fi
	if [ ! -x "$BENCH_DIR/bu_load" ]; then
		sig_na_all "bench/bu_load not built (make -C bench)"
		return
	fi
	setup_ns sha slg
	ip link add hl netns "$sha" type dummy
	veth_pair "$sha" lg "$slg" lg0
	ip -n "$sha" -batch - <<-EOF
		addr add $HA_ADDR/64 dev hl nodad
		link set hl up
		addr add fd00:40::1/64 dev lg nodad
		link set lg up
		route add fd00:41::/32 via fd00:40::2
	EOF
	ip -n "$slg" -batch - <<-EOF
		addr add fd00:40::2/64 dev lg0 nodad
		link set dev lg0 up
		route add default via fd00:40::1
		route add blackhole fd00:41::/32
	EOF
	ip netns exec "$sha" sysctl -qw net.ipv6.conf.all.forwarding=1
	cat > "$conf" <<-EOF
		role ha
		device mip0
		home-agent $HA_ADDR
		home-prefix fd00:1::/64
		home-link hl
		log-level ${MCOA_BENCH_SIG_LOG:-warn}
		control-socket $sock
		max-lifetime 3600
		allow-mcoa yes
		allow-bulk yes
		# a load generator: no HoA count or per-source rate limit
		max-hoas 0
		max-bu-rate 0
		# the home link is a dummy: no DAD (else every fresh HoA waits
		# 1 s, 8 at a time, and the figure measures that wait)
		dad no
		# bu_load sends unprotected BUs for thousands of HoAs: this
		# measures BU processing, not ESP
		ipsec no
	EOF
	ip netns exec "$sha" "$MCOAD" -c "$conf" > "$BENCH_TMP/mcoad.log" 2>&1 &
	pid=$!
	defer kill "$pid"
	if ! busywait 10000 sig_ready; then
		sig_na_all "mcoad (ha) did not come up: $(tail -c 200 "$BENCH_TMP/mcoad.log" | tr '\n' ' ')"
		kill "$pid" 2>/dev/null
		return
	fi
	note "signalling: mcoad as HA in its own netns; bu_load sends valid BUs (HAO, A+H, BID options with CoA) from fresh HoAs each run; latency = BU sent to BA read"

	local have=0 fill t0 lvl first last
	declare -A bus
	for lvl in $SIG_LEVELS; do
		# fill the cache up to the level: fresh HoAs, bulk, unmeasured
		fill=$((lvl - have))
		if [ "$fill" -gt 0 ]; then
			blog "signalling: registering $fill more MNs (level $lvl)"
			t0=$(date +%s)
			out=$(ip netns exec "$slg" "$BENCH_DIR/bu_load" -i lg0 \
				-a $HA_ADDR -p fd00:1:: -c fd00:41:: \
				-n "$fill" -o $((0x10000 + off)) -w 64 -k 3 -b 2>&1)
			off=$((off + fill))
			have=$((have + fill))
			blog "  $out"
			sample sig.fill_s $(( $(date +%s) - t0 ))
			if [ "$(kv "$out" rejected)" != 0 ] || [ "$(kv "$out" timeouts)" != 0 ]; then
				note "signalling fill to $lvl: $(kv "$out" rejected) rejected, $(kv "$out" timeouts) timeouts"
			fi
		fi
		for ((r = 1; r <= SIG_RUNS; r++)); do
			for m in single bulk; do
				blog "signalling, $lvl MNs registered, run $r/$SIG_RUNS: $m"
				out=$(ip netns exec "$slg" "$BENCH_DIR/bu_load" -i lg0 \
					-a $HA_ADDR -p fd00:1:: -c fd00:41:: \
					-n "$SIG_HOAS" -o $((0x10000 + off)) -w "$SIG_WINDOW" \
					-k 3 $([ $m = bulk ] && echo -b) 2>&1)
				off=$((off + SIG_HOAS))
				have=$((have + SIG_HOAS))
				blog "  $out"
				if [ "$(kv "$out" accepted)" = "" ] || [ "$(kv "$out" accepted)" = 0 ]; then
					[ $r = 1 ] && {
						for id in bu_s bind_s p50_us p99_us; do
							na sig.$lvl.$m.$id "no BU accepted ($(kv "$out" timeouts) timeouts, top status $(kv "$out" top_status))"
						done
						sig_diag
					}
					continue
				fi
				if [ "$(kv "$out" rejected)" != 0 ] || [ "$(kv "$out" timeouts)" != 0 ]; then
					note "signalling $lvl run $r $m: $(kv "$out" rejected) rejected, $(kv "$out" timeouts) timeouts (top status $(kv "$out" top_status))"
				fi
				bus[$lvl.$m]+="$(kv "$out" bu_per_s) "
				sample sig.$lvl.$m.bu_s "$(kv "$out" bu_per_s)"
				sample sig.$lvl.$m.bind_s "$(kv "$out" bindings_per_s)"
				sample sig.$lvl.$m.p50_us "$(kv "$out" lat_p50_us)"
				sample sig.$lvl.$m.p99_us "$(kv "$out" lat_p99_us)"
			done
		done
	done
	for m in single bulk; do
		first=$(tr ' ' '\n' <<< "${bus[${SIG_LEVELS%% *}.$m]:-}" | grep . | sig_median)
		last=$(tr ' ' '\n' <<< "${bus[$(sig_levels_last).$m]:-}" | grep . | sig_median)
		if [ -n "$first" ] && [ -n "$last" ]; then
			sample sig.$m.drop_pct "$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.1f", (a - b) * 100 / a }')"
		else
			na sig.$m.drop_pct "a level has no figure"
		fi
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	ctl "$sha" binding flush dev mip0 2>/dev/null
}

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

SIG_HOAS=${MCOA_BENCH_SIG_HOAS:-500}
SIG_RUNS=${MCOA_BENCH_SIG_RUNS:-3}
SIG_WINDOW=${MCOA_BENCH_SIG_WINDOW:-16}

sig_meta()
{
	local m

	for m in single bulk; do
		meta sig.$m.bu_s "signalling" BU/s "BUs handled/s, $m ($SIG_HOAS MNs x 3 BIDs, window $SIG_WINDOW)"
		meta sig.$m.bind_s "signalling" bindings/s "bindings registered/s, $m"
		meta sig.$m.p50_us "signalling" us "BA latency p50, $m"
		meta sig.$m.p99_us "signalling" us "BA latency p99, $m"
	done
}

sig_na_all()
{
	local m id

	for m in single bulk; do
		for id in bu_s bind_s p50_us p99_us; do
			na sig.$m.$id "$1"
		done
	done
}

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

	for ((r = 1; r <= SIG_RUNS; r++)); do
		for m in single bulk; do
			blog "signalling run $r/$SIG_RUNS: $m"
			out=$(ip netns exec "$slg" "$BENCH_DIR/bu_load" -i lg0 \
				-a $HA_ADDR -p fd00:1:: -c fd00:41:: \
				-n "$SIG_HOAS" -o $((0x10000 + off)) -w "$SIG_WINDOW" \
				-k 3 $([ $m = bulk ] && echo -b) 2>&1)
			off=$((off + SIG_HOAS))
			blog "  $out"
			if [ "$(kv "$out" accepted)" = "" ] || [ "$(kv "$out" accepted)" = 0 ]; then
				[ $r = 1 ] && {
					for id in bu_s bind_s p50_us p99_us; do
						na sig.$m.$id "no BU accepted ($(kv "$out" timeouts) timeouts, top status $(kv "$out" top_status))"
					done
					sig_diag
				}
				continue
			fi
			if [ "$(kv "$out" rejected)" != 0 ] || [ "$(kv "$out" timeouts)" != 0 ]; then
				note "signalling run $r $m: $(kv "$out" rejected) rejected, $(kv "$out" timeouts) timeouts (top status $(kv "$out" top_status))"
			fi
			sample sig.$m.bu_s "$(kv "$out" bu_per_s)"
			sample sig.$m.bind_s "$(kv "$out" bindings_per_s)"
			sample sig.$m.p50_us "$(kv "$out" lat_p50_us)"
			sample sig.$m.p99_us "$(kv "$out" lat_p99_us)"
		done
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	ctl "$sha" binding flush dev mip0 2>/dev/null
}

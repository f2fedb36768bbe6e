# SPDX-License-Identifier: GPL-2.0
# Figure 1: data plane packets/s, as ratios against ip6tnl (selection alone: select.sh).
#
# Traffic: the kernel's pktgen in the CN namespace sends UDP (random
# source port per packet, so many flows) straight onto the CN's home-link
# veth towards an address behind the HA. The HA forwards it into a tunnel
# to the MN, across r1 (and r2, r3 with three bindings), where it is
# decapsulated and handed to UDP. What counts is what the MN's UDP layer
# received (Udp6 InDatagrams + NoPorts + InErrors in the MN's netns),
# over a fixed window while pktgen runs flat out: the pipeline's capacity.
#
# Peers measured in the same run, interleaved run by run:
#   ip6tnl   the kernel's ip6ip6 tunnel, HA -> CoA1, no encaplimit option
#            (the same 40-octet outer header mcoa adds), to fd00:1::200
#   mcoa1    mcoa, the HoA with one binding (BID 1)
#   mcoa3    mcoa, three bindings, per-flow rendezvous hashing
#   mcoa3r50 as mcoa3 plus 50 flow rules, the matching one tried last
#   mcoa3big as mcoa3 with 100,000 more HoAs x 3 bindings installed
# Sizes are IPv6 packet sizes (inner): 64 and 1400 octets.

DP_RUNS=${MCOA_BENCH_DP_RUNS:-3}
DP_SECS=${MCOA_BENCH_DP_SECS:-2}
DP_WARM=${MCOA_BENCH_DP_WARM:-0.5}
DP_SIZES=${MCOA_BENCH_DP_SIZES:-64 1400}
DP_BIG_HOAS=${MCOA_BENCH_BIG_HOAS:-100000}
DP_RULES=${MCOA_BENCH_RULES:-50}
DP_T6_ADDR=fd00:1::200
DP_PORT=9

dp_meta()
{
	local s

	for s in $DP_SIZES; do
		meta dp.ip6tnl.$s.pps "data plane" pkt/s "ip6tnl (ip6ip6), $s B"
		meta dp.mcoa1.$s.pps "data plane" pkt/s "mcoa 1 binding, $s B"
		meta dp.mcoa3.$s.pps "data plane" pkt/s "mcoa 3 bindings hash, $s B"
		meta dp.mcoa3r50.$s.pps "data plane" pkt/s "mcoa 3 bindings + $DP_RULES flow rules, $s B"
		meta dp.mcoa3big.$s.pps "data plane" pkt/s "mcoa 3 bindings, +${DP_BIG_HOAS} HoAs x3 installed, $s B"
		meta dp.ip6tnl_big.$s.pps "data plane" pkt/s "ip6tnl beside the big cache, $s B"
		meta dp.mcoa1.$s.ratio "data plane ratio" x "mcoa 1 binding / ip6tnl, $s B"
		meta dp.mcoa3.$s.ratio "data plane ratio" x "mcoa 3 bindings hash / ip6tnl, $s B"
		meta dp.mcoa3r50.$s.ratio "data plane ratio" x "mcoa 3 + $DP_RULES rules / ip6tnl, $s B"
		meta dp.mcoa3big.$s.ratio "data plane ratio" x "mcoa 3, ${DP_BIG_HOAS} HoAs installed / ip6tnl, $s B"
	done
	meta dp.big.add_s "data plane" s "install ${DP_BIG_HOAS} HoAs x3 bindings (mcoactl -b)"
}

# udp_rx NS: every UDP datagram the namespace's stack took in.
udp_rx()
{
	ip netns exec "$1" awk '/^Udp6(InDatagrams|NoPorts|InErrors)[ \t]/ { s += $2 }
		END { print s + 0 }' /proc/net/snmp6
}

# dp_pktgen SIZE DST: (re)configure pktgen on the CN's hl.
dp_pktgen()
{
	local size=$(( $1 + 14 ))	# pktgen counts the Ethernet header

	ip netns exec "$cn" bash -c "
		pg() { echo \"\$2\" > /proc/net/pktgen/\$1; }
		pg kpktgend_0 rem_device_all
		pg kpktgend_0 'add_device hl'
		pg hl 'count 0'
		pg hl 'clone_skb 0'
		pg hl 'delay 0'
		pg hl 'pkt_size $size'
		pg hl 'src6 $CN_ADDR'
		pg hl 'dst6 $2'
		pg hl 'dst_mac $DP_HA_MAC'
		pg hl 'udp_dst_min $DP_PORT'
		pg hl 'udp_dst_max $DP_PORT'
		pg hl 'udp_src_min 1024'
		pg hl 'udp_src_max 65000'
		pg hl 'flag UDPSRC_RND'
		pg hl 'flag UDPCSUM'
		grep -q 'Result: OK' /proc/net/pktgen/hl
	"
}

# dp_rate NS BASE: true once NS has taken in more UDP than BASE.
dp_rate_above()
{
	[ "$(udp_rx "$1")" -gt "$2" ]
}

# dp_measure DST SIZE: received packets/s at the MN, "" when nothing came.
dp_measure()
{
	local dst=$1 size=$2 base pid pps

	if ! dp_pktgen "$size" "$dst"; then
		blog "pktgen refused its configuration"
		return 1
	fi
	base=$(udp_rx "$mn")
	ip netns exec "$cn" sh -c 'echo start > /proc/net/pktgen/pgctrl' &
	pid=$!
	if busywait 5000 dp_rate_above "$mn" "$base"; then
		sleep "$DP_WARM"
		# one process reads, times and reads again: no exec in the window
		pps=$(ip netns exec "$mn" bash -c '
			c() { awk "/^Udp6(InDatagrams|NoPorts|InErrors)[ \t]/ { s += \$2 } END { print s + 0 }" /proc/net/snmp6; }
			a=$(c); t0=$(date +%s%N); sleep '"$DP_SECS"'; b=$(c); t1=$(date +%s%N)
			echo $(( (b - a) * 1000000000 / (t1 - t0) ))')
	fi
	ip netns exec "$cn" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
	wait "$pid" 2>/dev/null
	[ -n "${pps:-}" ] && [ "$pps" -gt 0 ] || return 1
	echo "$pps"
}

dp_setup_ip6tnl()
{
	modprobe -q ip6_tunnel || return 1
	ip -n "$ha" -6 tunnel add t6 mode ip6ip6 local $HA_ADDR remote $COA1 \
		encaplimit none || return 1
	ip -n "$mn" -6 tunnel add t6 mode ip6ip6 local $COA1 remote $HA_ADDR \
		encaplimit none || return 1
	ip -n "$ha" link set t6 up &&
	ip -n "$ha" route add $DP_T6_ADDR/128 dev t6 &&
	ip -n "$mn" link set t6 up &&
	ip -n "$mn" addr add $DP_T6_ADDR/128 dev t6 nodad
}

# dp_setup_mcoa: mip0 on both ends, the HoA on the MN, 3 bindings.
dp_setup_mcoa()
{
	local i coa

	ctl "$ha" link add mip0 mode ha && ctl "$mn" link add mip0 mode mn ||
		return 1
	ip -n "$ha" link set mip0 up &&
	ip -n "$ha" route add $HOA/128 dev mip0 &&
	ip -n "$ha" neigh add proxy $HOA dev hl &&
	ip -n "$mn" link set mip0 up &&
	ip -n "$mn" addr add $HOA/128 dev mip0 nodad || return 1
	# real senders on the home link (failover's CN) resolve the HoA
	ip netns exec "$ha" sysctl -qw net.ipv6.conf.hl.proxy_ndp=1
	for i in 1 2 3; do
		coa=$(eval echo \$COA$i)
		ctl "$ha" binding add dev mip0 hoa $HOA bid $i coa $coa \
			peer $HA_ADDR || return 1
		ctl "$mn" binding add dev mip0 hoa $HOA bid $i coa $coa \
			peer $HA_ADDR link if$i || return 1
	done
	ctl "$ha" policy set dev mip0 hoa $HOA hash >/dev/null 2>&1 || true
}

# dp_ha_bids "2 3" add|del
dp_ha_bids()
{
	local i coa

	for i in $1; do
		coa=$(eval echo \$COA$i)
		if [ "$2" = add ]; then
			ctl "$ha" binding add dev mip0 hoa $HOA bid $i coa $coa \
				peer $HA_ADDR
		else
			ctl "$ha" binding del dev mip0 hoa $HOA bid $i
		fi
	done
}

# dp_rules add|del: DP_RULES flow rules on the HoA at the HA; pktgen's
# packets (UDP to DP_PORT) match only the last one tried (pri 1000, BID 2).
# Also the insn section's mcoa3f.
dp_rules()
{
	local i f=$BENCH_TMP/rules.$1

	for ((i = 1; i < DP_RULES; i++)); do
		if [ "$1" = add ]; then
			echo "flow add dev mip0 hoa $HOA fid $i pri $i proto udp dport $((1000 + i)) bids 1"
		else
			echo "flow del dev mip0 hoa $HOA fid $i"
		fi
	done > "$f"
	if [ "$1" = add ]; then
		echo "flow add dev mip0 hoa $HOA fid $DP_RULES pri 1000 proto udp dport $DP_PORT bids 2" >> "$f"
	else
		echo "flow del dev mip0 hoa $HOA fid $DP_RULES" >> "$f"
	fi
	ctl "$ha" -b "$f"
}

# dp_point ID DST SIZE REP: measure one configuration, record pps and,
# against the ip6tnl figure of the same run, the ratio.
dp_point()
{
	local id=$1 dst=$2 size=$3 pps

	if pps=$(dp_measure "$dst" "$size"); then
		sample dp.$id.$size.pps "$pps"
		eval "DP_LAST_${id}_$size=$pps"
		blog "  $id $size B: $pps pkt/s"
	else
		eval "DP_LAST_${id}_$size="
		blog "  $id $size B: nothing arrived"
		echo "$id" >> "$BENCH_TMP/dp.fail.$size"
	fi
}

# dp_ratio ID SIZE [PEER]: mcoa/ip6tnl of the last run, when both exist.
dp_ratio()
{
	local a b peer=${3:-ip6tnl}

	eval "a=\${DP_LAST_${1}_$2:-} b=\${DP_LAST_${peer}_$2:-}"
	[ -n "$a" ] && [ -n "$b" ] && sample dp.$1.$2.ratio "$(calc "$a / $b")"
}

# dp_na_all IDS REASON: mark every figure of those configurations n/a.
dp_na_all()
{
	local ids=$1 reason=$2 id s

	for id in $ids; do
		for s in $DP_SIZES; do
			na dp.$id.$s.pps "$reason"
			case $id in
			ip6tnl*) ;;
			*) na dp.$id.$s.ratio "$reason";;
			esac
		done
	done
}

# dp_big_install [N [ID]]: N (DP_BIG_HOAS) more HoAs x 3 bindings on the
# HA, in one mcoactl -b batch; the time it took is a sample of ID
# (dp.big.add_s). Also the insn section's mcoa3big.
dp_big_install()
{
	local n=${1:-$DP_BIG_HOAS} id=${2:-dp.big.add_s}
	local f=$BENCH_TMP/big.batch t0 t1

	awk -v n="$n" -v peer=$HA_ADDR 'BEGIN {
		for (h = 0; h < n; h++)
			for (k = 1; k <= 3; k++)
				printf "binding add dev mip0 hoa fd00:300::%x:%x bid %d " \
				       "coa fd00:40%d::%x:%x peer %s\n",
				       int(h / 65536), h % 65536, k, k,
				       int(h / 65536), h % 65536, peer
	}' > "$f"
	t0=$(now_ns)
	ctl "$ha" -b "$f" || return 1
	t1=$(now_ns)
	rm -f "$f"
	sample "$id" "$(calc "($t1 - $t0) / 1e9")"
}

bench_dataplane()
{
	local reason r s have_t6=1 have_m=1

	dp_meta
	if ! modprobe -q pktgen; then
		dp_na_all "ip6tnl mcoa1 mcoa3 mcoa3r50 mcoa3big ip6tnl_big" \
			"pktgen module not available"
		na dp.big.add_s "no pktgen"
		return
	fi
	DP_HA_MAC=$(ip netns exec "$ha" cat /sys/class/net/hl/address)
	# pktgen's thread runs on CPU 0; RPS hands what arrives at the HA
	# to CPU 1, whose backlog then carries it through every hop: one CPU
	# generates, the other forwards, encapsulates and decapsulates flat
	# out, and the rate counted is that CPU's.
	if [ "$(nproc)" -ge 2 ]; then
		ip netns exec "$ha" sh -c 'echo 2 > /sys/class/net/hl/queues/rx-0/rps_cpus' &&
			note "data plane: pktgen on CPU 0, the packets' whole path on CPU 1 (RPS at the HA's home link)"
	fi
	if ! dp_setup_ip6tnl; then
		have_t6=0
		dp_na_all ip6tnl "ip6tnl setup failed"
	fi
	if ! reason=$(have_mcoa); then
		have_m=0
	elif ! dp_setup_mcoa 2>"$BENCH_TMP/mcoa.err"; then
		have_m=0
		reason="mcoa device/binding setup failed: $(head -c 160 "$BENCH_TMP/mcoa.err" | tr '\n' ' ')"
	fi
	if [ $have_m = 0 ]; then
		dp_na_all "mcoa1 mcoa3 mcoa3r50 mcoa3big ip6tnl_big" "$reason"
		na dp.big.add_s "$reason"
	fi
	note "data plane: pktgen, random UDP source port, window ${DP_SECS}s after ${DP_WARM}s warm-up, counted by the MN's UDP layer; sizes are inner IPv6 packet sizes"

	for ((r = 1; r <= DP_RUNS; r++)); do
		blog "data plane run $r/$DP_RUNS"
		for s in $DP_SIZES; do
			[ $have_t6 = 1 ] && dp_point ip6tnl $DP_T6_ADDR $s
		done
		[ $have_m = 1 ] || continue
		for s in $DP_SIZES; do
			dp_point mcoa3 $HOA $s
			dp_ratio mcoa3 $s
		done
		if dp_rules add >/dev/null 2>"$BENCH_TMP/rules.err"; then
			for s in $DP_SIZES; do
				dp_point mcoa3r50 $HOA $s
				dp_ratio mcoa3r50 $s
			done
			dp_rules del >/dev/null 2>&1
		else
			[ $r = 1 ] && dp_na_all mcoa3r50 "flow add failed: $(head -c 120 "$BENCH_TMP/rules.err")"
			DP_LAST_mcoa3r50_64=
		fi
		dp_ha_bids "2 3" del
		for s in $DP_SIZES; do
			dp_point mcoa1 $HOA $s
			dp_ratio mcoa1 $s
		done
		dp_ha_bids "2 3" add
	done

	[ $have_m = 1 ] || return 0
	blog "installing $DP_BIG_HOAS HoAs x 3 bindings"
	if ! dp_big_install 2>"$BENCH_TMP/big.err"; then
		dp_na_all "mcoa3big ip6tnl_big" "mcoactl -b of the big cache failed: $(head -c 160 "$BENCH_TMP/big.err")"
		na dp.big.add_s "mcoactl -b failed"
	else
		for ((r = 1; r <= DP_RUNS; r++)); do
			blog "data plane (big cache) run $r/$DP_RUNS"
			for s in $DP_SIZES; do
				[ $have_t6 = 1 ] && dp_point ip6tnl_big $DP_T6_ADDR $s
				dp_point mcoa3big $HOA $s
				dp_ratio mcoa3big $s ip6tnl_big
			done
		done
	fi
	blog "flushing the big cache"
	ctl "$ha" binding flush dev mip0
	dp_ha_bids "1 2 3" add
}

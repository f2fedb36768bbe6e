# SPDX-License-Identifier: GPL-2.0
# Figure: data plane cost in guest instructions per packet, counted by the
# qemu TCG plugin bench/insn/insn_count.so (make bench-insn runs the VM
# with it, 1 vCPU and -icount). Unlike packets/s this does not depend on
# how loaded the host is. See bench/README.md, "Instructions per packet".
#
# A window is bracketed by two markers (bench/insn/mark, a coprocess of
# the shell in the CN namespace, so no fork or exec falls inside): marker;
# pktgen sends exactly N packets (writing "start" to pgctrl returns once
# pktgen is done; the single CPU has gone idle by then, so every packet
# has been carried to its drop point); marker. The plugin appends the
# instruction count at each marker to $MCOA_BENCH_INSN_MARKS. Each window
# of N packets is paired with one of 1 packet, same setup, and
#   insn/pkt = (I(N) - median I(1)) / (N - 1)
# so what pktgen's start and the markers cost once cancels out.
#
# The packets are dropped by a tc u32 filter at one of four points,
# which splits the path (one kernel runs every namespace, so a window
# counts the whole path up to the drop):
#   hl   HA ingress on the home link        pktgen + veth (common to all)
#   tx   HA egress on ha1..3                + forwarding + encapsulation
#   pre  MN ingress on if1..3               + ha->r_i->mn (outer packet)
#   rx   MN ingress on the tunnel (t6/mip0) + decapsulation
# Figures: path = rx stage (CN to MN, decapsulated); TX = tx - hl (the
# HA's forwarding and encapsulation); RX = rx - pre (the MN's outer
# IPv6 input, tunnel lookup, decapsulation). Every drop count is checked:
# a window where not all N packets reached the drop point is not used.
# Neighbours on the path are permanent: no neighbour probe in a window.
#
# Knobs: MCOA_BENCH_INSN_MARKS (the plugin's out= file; without it the
# section is n/a), MCOA_BENCH_INSN_PKTS (2000), MCOA_BENCH_INSN_RUNS (5),
# MCOA_BENCH_INSN_SIZE (64, inner IPv6 packet size),
# MCOA_BENCH_INSN_PREFIXES (100000, mcoa1p/mcoa1n), MCOA_BENCH_INSN_HOAS
# (100000, mcoa3big), MCOA_BENCH_RULES (50, mcoa3f; dataplane.sh's).

IN_MARKS=${MCOA_BENCH_INSN_MARKS:-}
IN_PKTS=${MCOA_BENCH_INSN_PKTS:-2000}
IN_RUNS=${MCOA_BENCH_INSN_RUNS:-5}
IN_SIZE=${MCOA_BENCH_INSN_SIZE:-64}
IN_MARK=${BENCH_DIR}/insn/mark
IN_CFGS="ip6tnl mcoa1 mcoa3 mcoa3f mcoa3big mcoa1p mcoa1n"
# mcoa3f: mcoa3 plus DP_RULES flow rules on the HoA, only the last one
# tried matching (dataplane.sh's dp_rules, as its mcoa3r50).
# mcoa3big: mcoa3 with IN_HOAS more HoAs x 3 bindings on the HA
# (dataplane.sh's dp_big_install, as its mcoa3big), flushed afterwards.
IN_HOAS=${MCOA_BENCH_INSN_HOAS:-100000}
# mcoa1p/mcoa1n: the mcoa1 setup with IN_PREFIXES mobile network prefixes
# of other HoAs on the HA (one length, /48), to the HoA (an exact lookup
# must not pay for them) and to an address in a prefix of the MN's HoA
# (the longest-prefix lookup, on both ends).
IN_PREFIXES=${MCOA_BENCH_INSN_PREFIXES:-100000}
IN_MNP=fd00:100::
IN_MNP_DST=fd00:100::10
IN_STAGES="hl tx pre rx"

in_label()
{
	case $1 in
	ip6tnl) echo "ip6tnl (ip6ip6)";;
	mcoa1) echo "mcoa 1 binding";;
	mcoa3) echo "mcoa 3 bindings hash";;
	mcoa3f) echo "mcoa 3 bindings + $DP_RULES flow rules";;
	mcoa3big) echo "mcoa 3 bindings, +$IN_HOAS HoAs x3 installed";;
	mcoa1p) echo "mcoa 1 binding, $IN_PREFIXES prefixes, to the HoA";;
	mcoa1n) echo "mcoa 1 binding, $IN_PREFIXES prefixes, to a prefix";;
	esac
}

in_meta()
{
	local c l

	meta insn.base "insn/packet" insn/pkt "pktgen + veth to the HA (drop at HA ingress), $IN_SIZE B"
	for c in $IN_CFGS; do
		l=$(in_label $c)
		meta insn.$c.path "insn/packet" insn/pkt "$l, CN -> MN decapsulated, $IN_SIZE B"
		meta insn.$c.tx "insn/packet" insn/pkt "$l, TX: HA forward + encapsulate, $IN_SIZE B"
		meta insn.$c.rx "insn/packet" insn/pkt "$l, RX: MN decapsulate, $IN_SIZE B"
	done
	meta insn.big.add_s "insn/packet" s "install $IN_HOAS HoAs x3 bindings (mcoactl -b), guest clock under -icount"
	for c in $IN_CFGS; do
		[ $c = ip6tnl ] && continue
		l=$(in_label $c)
		meta insn.$c.path.ratio "insn/packet ratio" x "$l / ip6tnl, CN -> MN"
		meta insn.$c.tx.ratio "insn/packet ratio" x "$l / ip6tnl, TX (encapsulate)"
		meta insn.$c.rx.ratio "insn/packet ratio" x "$l / ip6tnl, RX (decapsulate)"
	done
	# issue's target: the big cache costs the HA's TX at most 3%
	meta insn.mcoa3big.tx.vs3 "insn/packet ratio" x "$(in_label mcoa3big) / mcoa 3 bindings, TX (target <= 1.03)"
}

in_na_all()
{
	local c

	na insn.base "$1"
	for c in $IN_CFGS; do
		na insn.$c.path "$1"
		na insn.$c.tx "$1"
		na insn.$c.rx "$1"
		[ $c = ip6tnl ] && continue
		na insn.$c.path.ratio "$1"
		na insn.$c.tx.ratio "$1"
		na insn.$c.rx.ratio "$1"
	done
	na insn.mcoa3big.tx.vs3 "$1"
	na insn.big.add_s "$1"
}

# in_na_cfg CFG REASON: every figure of one mcoa configuration n/a.
in_na_cfg()
{
	local i

	for i in path tx rx path.ratio tx.ratio rx.ratio; do
		na insn.$1.$i "$2"
	done
	if [ $1 = mcoa3big ] || [ $1 = mcoa3 ]; then
		na insn.mcoa3big.tx.vs3 "$2"
	fi
}

# in_stage_devs STAGE CFG: "NS DEV HOOK" lines, where that stage drops.
in_stage_devs()
{
	local i

	case $1 in
	hl) echo "$ha hl ingress";;
	tx) for i in 1 2 3; do echo "$ha ha$i egress"; done;;
	pre) for i in 1 2 3; do echo "$mn if$i ingress"; done;;
	rx) if [ "$2" = ip6tnl ]; then
		echo "$mn t6 ingress"
	    else
		echo "$mn mip0 ingress"
	    fi;;
	esac
}

# in_stage_proto STAGE: the IPv6 next header the stage drops: the UDP
# packets themselves before encapsulation and after decapsulation, the
# ip6ip6 packets (41) in between. Nothing else is dropped (ND, MLD, a
# stray packet of the kernel's own), so the drop count is exactly pktgen's.
in_stage_proto()
{
	case $1 in
	hl|rx) echo 17;;
	*) echo 41;;
	esac
}

# in_drop STAGE CFG add|del: the drop filters of a stage.
in_drop()
{
	local ns dev hook

	while read -r ns dev hook; do
		if [ "$3" = add ]; then
			tc -n "$ns" filter add dev "$dev" $hook protocol ipv6 \
				u32 match ip6 protocol "$(in_stage_proto "$1")" 0xff \
				action drop || return 1
		else
			tc -n "$ns" filter del dev "$dev" $hook 2>/dev/null
		fi
	done < <(in_stage_devs "$1" "$2")
}

# in_dropped STAGE CFG: packets the stage's filters have dropped so far
# (the clsact qdiscs' drop counters).
in_dropped()
{
	local ns dev hook n sum=0

	while read -r ns dev hook; do
		n=$(tc -n "$ns" -s qdisc show dev "$dev" |
			sed -n '/clsact/,$ s/.*(dropped \([0-9]*\),.*/\1/p' | head -n1)
		sum=$((sum + ${n:-0}))
	done < <(in_stage_devs "$1" "$2")
	echo $sum
}

# in_neigh_permanent: the forward path's neighbours as permanent entries
# (HA -> r_i, r_i -> MN), so that a drop filter never starves ND.
in_neigh_permanent()
{
	local i r mac

	for i in 1 2 3; do
		r=$(eval echo \$r$i)
		mac=$(ip netns exec "$r" cat /sys/class/net/up/address)
		ip -n "$ha" neigh replace fd00:1$i::2 lladdr "$mac" dev ha$i nud permanent ||
			return 1
		mac=$(ip netns exec "$mn" cat /sys/class/net/if$i/address)
		ip -n "$r" neigh replace fd00:2$i::2 lladdr "$mac" dev dn nud permanent ||
			return 1
	done
}

# in_windows R N: in the CN namespace, R pairs of windows (1 packet, then
# N packets), 4 markers per pair. pktgen is configured already.
in_windows()
{
	ip netns exec "$cn" bash -c '
		coproc M { exec "$0" -s; }
		mark() { echo >&"${M[1]}"; read -r -u "${M[0]}" _; }
		pg=/proc/net/pktgen
		for ((k = 0; k < $1; k++)); do
			for n in 1 $2; do
				echo "count $n" > $pg/hl
				mark
				echo start > $pg/pgctrl
				mark
			done
		done
		eval "exec ${M[1]}>&-"
		wait
	' "$IN_MARK" "$1" "$2"
}

# in_marks_count: lines the plugin has written so far
in_marks_count()
{
	awk '/^[0-9]/ { n++ } END { print n + 0 }' "$IN_MARKS" 2>/dev/null || echo 0
}

# in_point CFG STAGE DST: R per-packet figures, into IN_V_<cfg>_<stage>_<k>
in_point()
{
	local cfg=$1 stage=$2 dst=$3 before after d0 d1 want k a b c d base

	in_drop "$stage" "$cfg" add || { blog "  $cfg/$stage: tc drop failed"; return 1; }
	dp_pktgen "$IN_SIZE" "$dst" || { in_drop "$stage" "$cfg" del; return 1; }
	# warm-up (routes, neighbour and flow state): not counted
	ip netns exec "$cn" sh -c 'echo "count 200" > /proc/net/pktgen/hl &&
		echo start > /proc/net/pktgen/pgctrl'
	before=$(in_marks_count)
	d0=$(in_dropped "$stage" "$cfg")
	in_windows "$IN_RUNS" "$IN_PKTS"
	d1=$(in_dropped "$stage" "$cfg")
	after=$(in_marks_count)
	in_drop "$stage" "$cfg" del
	want=$((IN_RUNS * (IN_PKTS + 1)))
	if [ $((d1 - d0)) -ne $want ]; then
		blog "  $cfg/$stage: $((d1 - d0)) of $want packets reached the drop point"
		echo "$cfg/$stage: $((d1 - d0)) of $want packets reached the drop point" \
			>> "$BENCH_TMP/insn.fail"
		return 1
	fi
	if [ $((after - before)) -ne $((4 * IN_RUNS)) ]; then
		blog "  $cfg/$stage: $((after - before)) markers seen, $((4 * IN_RUNS)) expected"
		echo "$cfg/$stage: $((after - before)) markers, $((4 * IN_RUNS)) expected" \
			>> "$BENCH_TMP/insn.fail"
		return 1
	fi
	# markers before+1 .. after: per pair a b (1 packet), c d (N packets).
	# The 1-packet baseline is the median of the point's R such windows:
	# it is what varies most (idle wake-ups while pktgen's writer sleeps).
	grep '^[0-9]' "$IN_MARKS" | sed -n "$((before + 1)),${after}p" |
		awk '{ printf "%s%s", $2, (NR % 4 ? " " : "\n") }' > "$BENCH_TMP/insn.w"
	base=$(awk '{ print $2 - $1 }' "$BENCH_TMP/insn.w" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	k=0
	while read -r a b c d; do
		k=$((k + 1))
		eval "IN_V_${cfg}_${stage}_$k=$(calc "(($d - $c) - $base) / ($IN_PKTS - 1)")"
	done < "$BENCH_TMP/insn.w"
	blog "  $cfg/$stage: $(in_get $cfg $stage 1) insn/pkt; 1-packet windows $(awk '{ printf "%d ", $2 - $1 }' "$BENCH_TMP/insn.w")insn, $IN_PKTS-packet $(awk '{ printf "%d ", $4 - $3 }' "$BENCH_TMP/insn.w")insn"
}

in_get()
{
	eval "echo \${IN_V_$1_$2_$3:-}"
}

# in_samples: figures from the per-stage values, pair k with pair k
in_samples()
{
	local c k p t r pre hl base tp tt tr

	for ((k = 1; k <= IN_RUNS; k++)); do
		base=$(in_get ip6tnl hl $k)
		[ -n "$base" ] && sample insn.base "$base"
		for c in $IN_CFGS; do
			p=$(in_get $c rx $k) pre=$(in_get $c pre $k)
			t=$(in_get $c tx $k) hl=$(in_get $c hl $k)
			[ -n "$p" ] && sample insn.$c.path "$p"
			[ -n "$t" ] && [ -n "$hl" ] && sample insn.$c.tx "$(calc "$t - $hl")"
			[ -n "$p" ] && [ -n "$pre" ] && sample insn.$c.rx "$(calc "$p - $pre")"
			[ $c = ip6tnl ] && continue
			tp=$(in_get ip6tnl rx $k) tt=$(in_get ip6tnl tx $k)
			tr=$(in_get ip6tnl pre $k) r=$(in_get ip6tnl hl $k)
			[ -n "$p" ] && [ -n "$tp" ] && sample insn.$c.path.ratio "$(calc "$p / $tp")"
			[ -n "$t" ] && [ -n "$hl" ] && [ -n "$tt" ] && [ -n "$r" ] &&
				sample insn.$c.tx.ratio "$(calc "($t - $hl) / ($tt - $r)")"
			[ -n "$p" ] && [ -n "$pre" ] && [ -n "$tp" ] && [ -n "$tr" ] &&
				sample insn.$c.rx.ratio "$(calc "($p - $pre) / ($tp - $tr)")"
		done
		t=$(in_get mcoa3big tx $k) hl=$(in_get mcoa3big hl $k)
		tt=$(in_get mcoa3 tx $k) r=$(in_get mcoa3 hl $k)
		[ -n "$t" ] && [ -n "$hl" ] && [ -n "$tt" ] && [ -n "$r" ] &&
			sample insn.mcoa3big.tx.vs3 "$(calc "($t - $hl) / ($tt - $r)")"
	done
}

# in_cfg CFG DST: every stage of one configuration
# in_prefixes add|del: IN_PREFIXES /48s of 400 other HoAs on the HA, and
# IN_MNP/48 of the MN's HoA on both ends (routed into mip0 on the HA).
in_prefixes()
{
	local i

	if [ "$1" = del ]; then
		for ((i = 1; i <= 400; i++)); do
			printf 'hoa del dev mip0 hoa fd00:2::%x\n' $i
		done | ctl "$ha" -b - &&
		ctl "$ha" prefix del $IN_MNP/48 dev mip0 &&
		ctl "$mn" prefix del $IN_MNP/48 dev mip0 &&
		ip -n "$ha" -6 route del $IN_MNP/48 dev mip0
		return
	fi
	for ((i = 0; i < IN_PREFIXES; i++)); do
		printf 'prefix add fd01:%x:%x::/48 dev mip0 hoa fd00:2::%x\n' \
			$((i >> 16)) $((i & 0xffff)) $((i % 400 + 1))
	done | ctl "$ha" -b - &&
	ctl "$ha" prefix add $IN_MNP/48 dev mip0 hoa $HOA &&
	ctl "$mn" prefix add $IN_MNP/48 dev mip0 hoa $HOA &&
	ip -n "$ha" -6 route add $IN_MNP/48 dev mip0
}

in_cfg()
{
	local s

	for s in $IN_STAGES; do
		in_point "$1" "$s" "$2" || true
	done
}

bench_insn()
{
	local reason have_m=1 i d ns dev hook

	in_meta
	if [ -z "$IN_MARKS" ] || [ ! -f "$IN_MARKS" ]; then
		in_na_all "not run under the insn_count plugin (make bench-insn)"
		return
	fi
	if [ ! -x "$IN_MARK" ]; then
		in_na_all "bench/insn/mark not built"
		return
	fi
	# the plugin must see a marker: one probe
	i=$(in_marks_count)
	"$IN_MARK"
	if [ "$(in_marks_count)" -ne $((i + 1)) ]; then
		in_na_all "the insn_count plugin saw no marker"
		return
	fi
	if ! modprobe -q pktgen; then
		in_na_all "pktgen module not available"
		return
	fi
	if [ "$(nproc)" -ne 1 ]; then
		note "insn/packet: $(nproc) CPUs; the counts are exact only with 1 vCPU under -icount"
	fi
	DP_HA_MAC=$(ip netns exec "$ha" cat /sys/class/net/hl/address)
	# the data plane section, when it ran first, set the tunnels up
	if ! ip -n "$ha" link show t6 >/dev/null 2>&1 && ! dp_setup_ip6tnl; then
		in_na_all "ip6tnl setup failed"
		return
	fi
	if ! reason=$(have_mcoa); then
		have_m=0
	elif ip -n "$ha" link show mip0 >/dev/null 2>&1; then
		:
	elif ! dp_setup_mcoa 2>"$BENCH_TMP/mcoa.err"; then
		have_m=0
		reason="mcoa setup failed: $(head -c 160 "$BENCH_TMP/mcoa.err" | tr '\n' ' ')"
	fi
	if ! in_neigh_permanent; then
		in_na_all "permanent neighbours failed"
		return
	fi
	for d in hl tx pre rx; do
		for c in ip6tnl mcoa1; do
			while read -r ns dev hook; do
				tc -n "$ns" qdisc replace dev "$dev" clsact 2>/dev/null
			done < <(in_stage_devs $d $c)
		done
	done
	modprobe -q cls_u32; modprobe -q act_gact
	note "insn/packet: guest instructions counted by the qemu plugin bench/insn/insn_count.so, 1 vCPU, -icount; $IN_PKTS-packet windows minus 1-packet windows, $IN_RUNS pairs per point; TX = drop after encapsulation minus drop at HA ingress, RX = drop after decapsulation minus drop before it (bench/README.md)"

	blog "insn/packet: ip6tnl"
	in_cfg ip6tnl $DP_T6_ADDR
	if [ $have_m = 1 ]; then
		blog "insn/packet: mcoa 3 bindings"
		in_cfg mcoa3 $HOA
		blog "insn/packet: mcoa 3 bindings + $DP_RULES flow rules"
		if dp_rules add >/dev/null 2>"$BENCH_TMP/rules.err"; then
			in_cfg mcoa3f $HOA
			dp_rules del >/dev/null 2>&1
		else
			in_na_cfg mcoa3f "flow add failed: $(head -c 120 "$BENCH_TMP/rules.err" | tr '\n' ' ')"
			dp_rules del >/dev/null 2>&1
		fi
		blog "insn/packet: installing $IN_HOAS HoAs x 3 bindings"
		if dp_big_install "$IN_HOAS" insn.big.add_s 2>"$BENCH_TMP/big.err"; then
			blog "insn/packet: mcoa 3 bindings among $IN_HOAS more HoAs"
			in_cfg mcoa3big $HOA
		else
			in_na_cfg mcoa3big "mcoactl -b of the big cache failed: $(head -c 160 "$BENCH_TMP/big.err" | tr '\n' ' ')"
			na insn.big.add_s "mcoactl -b failed"
		fi
		blog "insn/packet: flushing the big cache"
		# every HoA's bindings go, the bench HoA's too: back to mcoa3
		ctl "$ha" binding flush dev mip0
		dp_ha_bids "1 2 3" add
		ctl "$ha" policy set dev mip0 hoa $HOA hash >/dev/null 2>&1 || true
		dp_ha_bids "2 3" del
		blog "insn/packet: mcoa 1 binding"
		in_cfg mcoa1 $HOA
		blog "insn/packet: mcoa 1 binding beside $IN_PREFIXES prefixes"
		if in_prefixes add 2>"$BENCH_TMP/prefix.err"; then
			in_cfg mcoa1p $HOA
			in_cfg mcoa1n $IN_MNP_DST
			in_prefixes del
		else
			echo "prefixes: $(head -c 160 "$BENCH_TMP/prefix.err" | tr '\n' ' ')" \
				>> "$BENCH_TMP/insn.fail"
		fi
		dp_ha_bids "2 3" add
	fi
	in_samples
	if [ $have_m = 0 ]; then
		for c in $IN_CFGS; do
			[ $c = ip6tnl ] || in_na_cfg $c "$reason"
		done
		na insn.big.add_s "$reason"
	fi
	if [ -s "$BENCH_TMP/insn.fail" ]; then
		note "insn/packet: points not used: $(tr '\n' ';' < "$BENCH_TMP/insn.fail")"
	fi
}

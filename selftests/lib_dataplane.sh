# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the data-plane selftests (mcoa_dataplane.sh,
# mcoa_security.sh, mcoa_expire.sh, mcoa_scale.sh, mcoa_unload.sh).
# Source lib.sh first.
#
# Traffic: UDP flows from the CN to an echo server on the MN's HoA, one
# flow per CN source port, sent by python3 with only the stdlib, so every
# flow is known by its port on the wire. Captures: one tcpdump per router,
# on its MN-facing interface "dn", which sees the tunnel in both
# directions; the outer headers tell which CoA a packet used.

DP_ECHO_PORT=7777
DP_TMP=$(mktemp -d /tmp/mcoa-dp.XXXXXX)
defer rm -rf "$DP_TMP"
DP_PY=/usr/bin/python3
DP_CAP_PIDS=()

# --- python snippets (stdlib only) -----------------------------------------

# echo ADDR PORT: UDP echo server, forever.
DP_PY_ECHO='
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
	data, peer = s.recvfrom(2048)
	s.sendto(data, peer)
'

# send SRC DST DPORT SPORT0 NFLOWS PKTS TIMEOUT_S [TCLASS]: PKTS datagrams
# on each of NFLOWS flows (source ports SPORT0..), then wait for the
# echoes. Prints "SPORT ECHOES" per flow. Exits 0 when every flow got
# every echo back.
DP_PY_SEND='
import select, socket, sys, time
src, dst, dport, sport0, n, pkts, tmo = sys.argv[1:8]
dport, sport0, n, pkts, tmo = int(dport), int(sport0), int(n), int(pkts), float(tmo)
tclass = int(sys.argv[8], 0) if len(sys.argv) > 8 else None
socks = {}
for i in range(n):
	s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	if tclass is not None:
		s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, tclass)
	s.bind((src, sport0 + i))
	s.connect((dst, dport))
	s.setblocking(False)
	socks[s.fileno()] = (s, sport0 + i)
got = {sp: 0 for _, sp in socks.values()}
for k in range(pkts):
	for s, sp in socks.values():
		s.send(b"mcoa %d %d" % (sp, k))
end = time.monotonic() + tmo
while sum(got.values()) < n * pkts:
	left = end - time.monotonic()
	if left <= 0:
		break
	r, _, _ = select.select(list(socks), [], [], left)
	for fd in r:
		s, sp = socks[fd]
		try:
			while True:
				s.recv(2048)
				got[sp] += 1
		except (BlockingIOError, ConnectionRefusedError):
			pass
for sp in sorted(got):
	print(sp, got[sp])
sys.exit(0 if all(v == pkts for v in got.values()) else 1)
'

# oneshot SRC DST DPORT: one datagram, no answer expected.
DP_PY_ONESHOT='
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(b"mcoa verify", (sys.argv[2], int(sys.argv[3])))
'

# --- traffic ----------------------------------------------------------------

# dp_echo_start NS ADDR: UDP echo server on ADDR:$DP_ECHO_PORT in NS.
dp_echo_start()
{
	local ns=$1 addr=$2 pid

	ip netns exec "$ns" $DP_PY -c "$DP_PY_ECHO" "$addr" $DP_ECHO_PORT &
	pid=$!
	defer kill "$pid"
	busywait 60000 dp_udp_listening "$ns" $DP_ECHO_PORT ||
		fail_now "echo server on [$addr]:$DP_ECHO_PORT did not start"
}

dp_udp_listening()
{
	ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q .
}

# dp_send NS SRC DST SPORT0 NFLOWS PKTS [TCLASS]: flows to the echo
# server; output in $DP_TMP/send.out ("SPORT ECHOES" lines).
dp_send()
{
	local ns=$1 src=$2 dst=$3 sport0=$4 n=$5 pkts=$6

	shift 6
	ip netns exec "$ns" $DP_PY -c "$DP_PY_SEND" "$src" "$dst" \
		$DP_ECHO_PORT "$sport0" "$n" "$pkts" 30 "$@" > "$DP_TMP/send.out"
}

# dp_oneshot NS SRC DST DPORT
dp_oneshot()
{
	ip netns exec "$1" $DP_PY -c "$DP_PY_ONESHOT" "$2" "$3" "$4"
}

# --- captures -----------------------------------------------------------------

# dp_cap_start NAME NS IF: capture IPv6-in-IPv6 on NS/IF to $DP_TMP/NAME.pcap.
dp_cap_start()
{
	local name=$1 ns=$2 dev=$3 pid

	rm -f "$DP_TMP/$name.pcap" "$DP_TMP/$name.err"
	ip netns exec "$ns" tcpdump -i "$dev" --immediate-mode -n -U -s 256 \
		-w "$DP_TMP/$name.pcap" 'ip6 proto 41' 2> "$DP_TMP/$name.err" &
	pid=$!
	DP_CAP_PIDS+=("$pid")
	defer kill "$pid"
	busywait 60000 grep -q 'listening on' "$DP_TMP/$name.err" ||
		fail_now "tcpdump on $ns/$dev did not start: $(cat "$DP_TMP/$name.err")"
}

# dp_cap_stop: stop every running capture and wait for the files.
dp_cap_stop()
{
	local pid

	for pid in "${DP_CAP_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	DP_CAP_PIDS=()
}

# dp_cap_text NAME: one line per tunnel packet:
#   "OUTER_SRC OUTER_DST INNER_SRC INNER_DST SPORT DPORT"
# (ports are "-" for a non-UDP inner packet).
dp_cap_text()
{
	tcpdump -tnr "$DP_TMP/$1.pcap" 2>/dev/null | awk '
	$1 == "IP6" && $5 == "IP6" {
		osrc = $2; odst = $4; sub(/:$/, "", odst)
		isrc = $6; idst = $8; sub(/:$/, "", idst)
		sp = "-"; dp = "-"
		if ($9 == "UDP,") {
			sp = isrc; sub(/.*\./, "", sp); sub(/\.[0-9]+$/, "", isrc)
			dp = idst; sub(/.*\./, "", dp); sub(/\.[0-9]+$/, "", idst)
		}
		print osrc, odst, isrc, idst, sp, dp
	}'
}

# dp_cap_count_total NAME...: number of tunnel packets in these captures.
dp_cap_count_total()
{
	local n=0 f

	for f in "$@"; do
		n=$((n + $(tcpdump -nr "$DP_TMP/$f.pcap" 2>/dev/null | wc -l)))
	done
	echo $n
}

# dp_cap_has_total N NAME...: true once the captures hold >= N packets.
dp_cap_has_total()
{
	local want=$1; shift

	[ "$(dp_cap_count_total "$@")" -ge "$want" ]
}

# --- the three-CoA round ------------------------------------------------------

# dp_round SPORT0 NFLOWS PKTS: capture on r1..r3 (those DP_CAP_ROUTERS
# names, when a router's link is down), send NFLOWS flows of PKTS
# echoed datagrams from the CN to the HoA, stop. Then:
#   $DP_TMP/down  "SPORT R" per downstream packet (HA -> CoA_R)
#   $DP_TMP/up    "SPORT R" per upstream packet (CoA_R -> HA), SPORT = CN port
#   $DP_TMP/bad   every packet whose outer or inner header is wrong for the
#                 router it was seen on
#   $DP_TMP/map   "SPORT R" per flow (downstream), "SPORT SPLIT" if a flow
#                 used more than one CoA
#   DP_ECHO_OK    0 if every datagram was echoed
dp_round()
{
	local sport0=$1 n=$2 pkts=$3 i coa t0

	t0=$(date +%s)
	rm -f "$DP_TMP"/r[123].pcap
	for i in ${DP_CAP_ROUTERS:-1 2 3}; do
		dp_cap_start r$i "$(eval echo \$r$i)" dn
	done
	dp_send "$cn" $CN_ADDR $HOA "$sport0" "$n" "$pkts"
	DP_ECHO_OK=$?
	# Every echoed datagram crossed the tunnel twice; wait until tcpdump
	# has written them all before stopping it.
	busywait 20000 dp_cap_has_total $((2 * $(awk '{s += $2} END {print s + 0}' \
		"$DP_TMP/send.out"))) $(printf 'r%s ' ${DP_CAP_ROUTERS:-1 2 3})
	dp_cap_stop

	: > "$DP_TMP/down"; : > "$DP_TMP/up"; : > "$DP_TMP/bad"
	for i in 1 2 3; do
		coa=$(eval echo \$COA$i)
		dp_cap_text r$i | awk -v r=$i -v ha=$HA_ADDR -v coa=$coa \
			-v cn=$CN_ADDR -v hoa=$HOA -v dir="$DP_TMP" '
		$1 == ha && $2 == coa && $3 == cn && $4 == hoa {
			print $5, r >> (dir "/down"); next
		}
		$1 == coa && $2 == ha && $3 == hoa && $4 == cn {
			print $6, r >> (dir "/up"); next
		}
		{ print "r" r ": " $0 >> (dir "/bad") }'
	done
	awk '{ if (!($1 in m)) m[$1] = $2; else if (m[$1] != $2) m[$1] = "SPLIT" }
	     END { for (f in m) print f, m[f] }' "$DP_TMP/down" | sort -n > "$DP_TMP/map"
	echo "# round $sport0 x$n: echo rc $DP_ECHO_OK, per CoA (down/up):" \
		"$(dp_count down 1)/$(dp_count up 1)" \
		"$(dp_count down 2)/$(dp_count up 2)" \
		"$(dp_count down 3)/$(dp_count up 3), $(( $(date +%s) - t0 )) s"
}

# dp_map_of SPORT [FILE]: the R a flow used (from $DP_TMP/map by default).
dp_map_of()
{
	awk -v f="$1" '$1 == f { print $2 }' "${2:-$DP_TMP/map}"
}

# dp_count FILE R: packets in FILE (down/up) that went through router R.
dp_count()
{
	awk -v r="$2" '$2 == r { n++ } END { print n + 0 }' "$DP_TMP/$1"
}

# --- mcoactl ------------------------------------------------------------------

# dp_ctl NS ARGS...: mcoactl in NS.
dp_ctl()
{
	local ns=$1; shift

	ip netns exec "$ns" "$MCOACTL" "$@"
}

# dp_bindings_json NS [HOA]: the bindings of HOA (default $HOA) on mip0 as
# JSON; filtered in the kernel, so it stays cheap beside a million others.
dp_bindings_json()
{
	dp_ctl "$1" -j binding show dev mip0 hoa "${2:-$HOA}"
}

# dp_bstat JSONFILE BID KEY [HOA]: a binding's counter (e.g. tx_packets) from
# a saved `binding show -j`; empty if absent.
dp_bstat()
{
	jq -r --argjson bid "$2" --arg k "$3" --arg hoa "${4:-$HOA}" '
		.[] | select(.bid == $bid and .hoa == $hoa) |
		(.stats[$k] // .[$k] // empty)' "$1"
}

# dp_snap NS NAME: save the bindings of $HOA on NS's mip0 to $DP_TMP/NAME.json.
dp_snap()
{
	dp_bindings_json "$1" > "$DP_TMP/$2.json" ||
		fail_now "mcoactl -j binding show in $1 failed"
}

# dp_delta A B BID KEY [HOA]: counter growth between two snapshots.
dp_delta()
{
	local a b

	a=$(dp_bstat "$DP_TMP/$1.json" "$3" "$4" "$5")
	b=$(dp_bstat "$DP_TMP/$2.json" "$3" "$4" "$5")
	[ -n "$a" ] && [ -n "$b" ] || { echo "missing"; return 1; }
	echo $((b - a))
}

# dp_rx_grew NS SNAP BID: BID's rx_packets in NS is above snapshot SNAP.
dp_rx_grew()
{
	local a b

	a=$(dp_bstat "$DP_TMP/$2.json" "$3" rx_packets)
	b=$(dp_bindings_json "$1" | dp_bstat /dev/stdin "$3" rx_packets)
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]
}

# dp_devstat NS KEY: a device counter (mcoactl -j stats dev mip0).
dp_devstat()
{
	dp_ctl "$1" -j stats dev mip0 | jq -r --arg k "$2" \
		'(if type == "array" then .[0] else . end) |
		 (.stats[$k] // .[$k] // empty)'
}

# dp_both BINDING-ARGS...: the same mcoactl command on the HA and the MN.
dp_both()
{
	dp_ctl "$ha" "$@" && dp_ctl "$mn" "$@"
}

# dp_bind_add NS BID: BID i -> CoA i as mcoa_tunnels_static sets it.
dp_bind_add()
{
	local ns=$1 bid=$2 coa

	coa=$(eval echo \$COA$bid)
	if [ "$ns" = "$mn" ]; then
		dp_ctl "$ns" binding add dev mip0 hoa $HOA bid "$bid" coa "$coa" \
			peer $HA_ADDR link if"$bid"
	else
		dp_ctl "$ns" binding add dev mip0 hoa $HOA bid "$bid" coa "$coa" \
			peer $HA_ADDR
	fi
}

# --- kernel log ---------------------------------------------------------------

dp_dmesg_mark()
{
	DP_DMESG_LINES=$(dmesg | wc -l)
}

# dp_dmesg_bad: new kernel log lines since dp_dmesg_mark that report a bug.
dp_dmesg_bad()
{
	dmesg | tail -n +$((DP_DMESG_LINES + 1)) | grep -E \
		'BUG:|WARNING:|Oops|general protection|UBSAN|refcount_t:|list_(add|del) corruption|waiting for .* to become free|still has objects'
}

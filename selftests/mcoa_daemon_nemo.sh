#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NEMO basic support (RFC 3963) over MCoA with real daemons on both ends:
# a LAN namespace behind the mobile node, which is a mobile router
# ("mobile-router yes", explicit mode: the BU carries the prefix):
#   cn ---- ha ---- r1/r2/r3 ---- mn (mobile router) ---- lan
#                                      fd00:77::1/64       fd00:77::10..13
#  - the bulk BU carries R and the Mobile Network Prefix option, the BA
#    has R and status 0 (decoded by tshark), the HA's kernel holds the
#    prefix for the router's HoA, routed into mip0;
#  - UDP flows from the CN to four LAN hosts are spread over the three
#    uplinks (captures on r1..r3 and the HA's per-binding counters agree),
#    every echo from the LAN comes back;
#  - hand-made BUs: R from a HoA that is no mobile router gets 140, a
#    malformed prefix 141, a prefix the router may not claim 142; an
#    allowed one is delegated, and goes with its last binding; one the
#    kernel holds for another HoA gets 143 and leaves no binding;
#  - cutting one uplink moves only the flows it carried;
#  - a restarted HA daemon recovers the prefix from the kernel;
#  - a router restarted in implicit mode sends R without the prefix option
#    and gets the HA's configured prefix.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command jq
require_command tshark
require_command tcpdump
require_command "$DP_PY"

MNP=fd00:77::/64
LAN_GW=fd00:77::1
LAN_HOSTS="fd00:77::10 fd00:77::11 fd00:77::12 fd00:77::13"
MR2=fd00:1::200		# another mobile router, may claim fd00:99::/64
NOMR=fd00:1::300	# no mobile-router line: a mobile node
NPER=6			# flows per LAN host: 24 in all, P(a BID gets none) < 1e-4
PKTS=2
SP0=42000

# echo PORT ADDR...: one UDP echo socket per address, so each answer
# leaves from the address it was sent to.
PY_ECHO='
import select, socket, sys
port, addrs = int(sys.argv[1]), sys.argv[2:]
socks = []
for a in addrs:
	s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	s.bind((a, port))
	socks.append(s)
while True:
	r, _, _ = select.select(socks, [], [])
	for s in r:
		data, peer = s.recvfrom(2048)
		s.sendto(data, peer)
'

# send SRC DPORT SPORT0 NPER PKTS TIMEOUT DST...: NPER flows to each DST,
# source ports SPORT0.. (unique over all flows); "DST SPORT ECHOES" per
# flow; exit 0 when every datagram came back.
PY_SEND='
import select, socket, sys, time
src, dport, sport0, n, pkts, tmo = sys.argv[1:7]
dport, sport0, n, pkts, tmo = int(dport), int(sport0), int(n), int(pkts), float(tmo)
socks = {}
sp = sport0
for d in sys.argv[7:]:
	for i in range(n):
		s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
		s.bind((src, sp))
		s.connect((d, dport))
		s.setblocking(False)
		socks[s.fileno()] = (s, d, sp)
		sp += 1
got = {v[2]: 0 for v in socks.values()}
for k in range(pkts):
	for s, d, p in socks.values():
		s.send(b"nemo %d %d" % (p, k))
end = time.monotonic() + tmo
while sum(got.values()) < len(got) * pkts:
	left = end - time.monotonic()
	if left <= 0:
		break
	r, _, _ = select.select(list(socks), [], [], left)
	for fd in r:
		s, d, p = socks[fd]
		try:
			while True:
				s.recv(2048)
				got[p] += 1
		except (BlockingIOError, ConnectionRefusedError):
			pass
for s, d, p in sorted(socks.values(), key=lambda v: v[2]):
	print(d, p, got[p])
sys.exit(0 if all(v == pkts for v in got.values()) else 1)
'

lan_setup()
{
	local a

	setup_ns lan
	veth_pair "$mn" lan0 "$lan" eth0
	ip -6 -n "$mn" -batch - <<-EOF || fail_now "mn lan0"
		addr add $LAN_GW/64 dev lan0 nodad
		link set lan0 up
	EOF
	for a in $LAN_HOSTS; do
		ip -6 -n "$lan" addr add "$a/64" dev eth0 nodad ||
			fail_now "lan address $a"
	done
	ip -6 -n "$lan" link set eth0 up
	ip -6 -n "$lan" route add default via $LAN_GW || fail_now "lan route"
	ip netns exec "$lan" $DP_PY -c "$PY_ECHO" $DP_ECHO_PORT $LAN_HOSTS &
	defer kill "$!"
	busywait 60000 dp_udp_listening "$lan" $DP_ECHO_PORT ||
		fail_now "echo server in the LAN did not start"
}

# kprefixes NS: "PREFIX HOA" lines of the kernel's prefix table, sorted
kprefixes()
{
	ip netns exec "$1" "$MCOACTL" -j prefix show dev mip0 |
		jq -r '.[] | "\(.prefix) \(.hoa)"' | sort
}

# ha_prefixes HOA: the prefixes the HA daemon holds for HOA
ha_prefixes()
{
	ha_view | jq -r --arg h "$1" \
		'[.cache[] | select(.hoa == $h) | .prefixes[]?] | join(" ")'
}

# nemo_round [ROUTERS]: capture on those routers (default 1 2 3), send the
# flows, then $DP_TMP/down and /up hold "SPORT R" per tunnel packet,
# $DP_TMP/map "SPORT R" per flow (SPLIT when it used two CoAs), /bad what
# was seen with wrong headers; NR_ECHO_OK is the sender's status.
nemo_round()
{
	local routers=${1:-1 2 3} i coa

	rm -f "$DP_TMP"/r[123].pcap
	for i in $routers; do
		dp_cap_start r$i "$(eval echo \$r$i)" dn
	done
	# shellcheck disable=SC2086
	ip netns exec "$cn" $DP_PY -c "$PY_SEND" $CN_ADDR $DP_ECHO_PORT $SP0 \
		$NPER $PKTS 30 $LAN_HOSTS > "$DP_TMP/send.out"
	NR_ECHO_OK=$?
	busywait 20000 dp_cap_has_total \
		$((2 * $(awk '{s += $3} END {print s + 0}' "$DP_TMP/send.out"))) \
		$(printf 'r%s ' $routers)
	dp_cap_stop
	: > "$DP_TMP/down"; : > "$DP_TMP/up"; : > "$DP_TMP/bad"
	for i in $routers; do
		coa=$(eval echo \$COA$i)
		dp_cap_text r$i | awk -v r=$i -v ha=$HA_ADDR -v coa=$coa \
			-v cn=$CN_ADDR -v dir="$DP_TMP" '
		$1 == ha && $2 == coa && $3 == cn && index($4, "fd00:77::") == 1 {
			print $5, r >> (dir "/down"); next
		}
		$1 == coa && $2 == ha && index($3, "fd00:77::") == 1 && $4 == cn {
			print $6, r >> (dir "/up"); next
		}
		{ print "r" r ": " $0 >> (dir "/bad") }'
	done
	awk '{ if (!($1 in m)) m[$1] = $2; else if (m[$1] != $2) m[$1] = "SPLIT" }
	     END { for (f in m) print f, m[f] }' "$DP_TMP/down" | sort -n > "$DP_TMP/map"
	echo "# round: echo rc $NR_ECHO_OK, down/up per CoA:" \
		"$(dp_count down 1)/$(dp_count up 1)" \
		"$(dp_count down 2)/$(dp_count up 2)" \
		"$(dp_count down 3)/$(dp_count up 3)"
}

test_registration()
{
	local out

	RET=0
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	busywait 10000 eval '[ "$(kprefixes "$ha")" = "$MNP $HOA" ]'
	check_err $? "HA kernel prefixes: '$(kprefixes "$ha")'"
	[ "$(kprefixes "$mn")" = "$MNP $HOA" ]
	check_err $? "MN kernel prefixes: '$(kprefixes "$mn")'"
	[ "$(ha_prefixes $HOA)" = "$MNP" ]
	check_err $? "HA daemon holds '$(ha_prefixes $HOA)' for $HOA"
	ip -6 -n "$ha" route show "$MNP" | grep -q "dev mip0"
	check_err $? "HA route for $MNP: '$(ip -6 -n "$ha" route show "$MNP")'"
	ip -6 -n "$mn" route show from "$MNP" | grep -q "default .*dev mip0"
	check_err $? "MN source route: '$(ip -6 -n "$mn" route show from "$MNP")'"
	log_test "mobile router registered: prefix delegated on both ends, routed"

	RET=0
	cap_stop ha
	# the first BU: R, O, three BIDs, the prefix
	out=$(tshark_mh ha "mip6.mhtype == 5" mip6.nemo.bu.r_flag mip6.bu.b_flag \
		mip6.bi.bid mip6.nemo.mnp.mnp mip6.nemo.mnp.pfl | head -n 1)
	[ "$out" = "1 1 1,2,3 fd00:77:: 64" ]
	check_err $? "first BU decoded as '$out'"
	out=$(tshark_mh ha "mip6.mhtype == 6" mip6.ba.status mip6.nemo.ba.r_flag |
		head -n 1)
	[ "$out" = "0 1" ]
	check_err $? "first BA decoded as '$out' (want status 0, R 1)"
	log_test "tshark: BU with R and the MNP option, BA with R and status 0"
}

test_lan_flows()
{
	local i d c bad sum=0

	RET=0
	dp_snap "$ha" ha0
	nemo_round
	dp_snap "$ha" ha1
	check_err $NR_ECHO_OK "not every datagram was echoed: $(awk '$3 != '$PKTS'' "$DP_TMP/send.out" | head -3 | tr '\n' ' ')"
	bad=$(head -3 "$DP_TMP/bad")
	[ -z "$bad" ]
	check_err $? "tunnel packets with wrong outer/inner headers: $bad"
	grep -q SPLIT "$DP_TMP/map"
	check_fail $? "a flow was split over several CoAs"
	[ "$(wc -l < "$DP_TMP/map")" -eq $((4 * NPER)) ]
	check_err $? "only $(wc -l < "$DP_TMP/map") of $((4 * NPER)) flows seen in the tunnels"
	for i in 1 2 3; do
		d=$(dp_count down $i)
		[ "$d" -gt 0 ]
		check_err $? "no flow to the LAN used CoA$i (r$i)"
		c=$(dp_delta ha0 ha1 $i tx_packets)
		[ "$c" = "$d" ]
		check_err $? "HA binding $i tx_packets grew by $c, r$i saw $d packets"
		sum=$((sum + ${c//[^0-9]/0}))
	done
	[ "$sum" -eq $((4 * NPER * PKTS)) ]
	check_err $? "HA bindings sent $sum packets, want $((4 * NPER * PKTS))"
	log_test "CN flows to 4 LAN hosts spread over the 3 uplinks (counters agree)"

	RET=0
	[ "$(wc -l < "$DP_TMP/up")" -eq $((4 * NPER * PKTS)) ]
	check_err $? "$(wc -l < "$DP_TMP/up") replies from the LAN in the tunnels, want $((4 * NPER * PKTS))"
	[ "$(awk '{print $2}' "$DP_TMP/up" | sort -u | wc -l)" -ge 2 ]
	check_err $? "all LAN replies used one uplink"
	log_test "LAN replies come back through the mobile router's CoAs"
	cp "$DP_TMP/map" "$DP_TMP/mapA"
}

test_hand_made_bus()
{
	local a out

	# the BAs come back by RH2 to these HoAs: the MN netns must own them
	for a in $MR2 $NOMR; do
		ip -6 -n "$mn" addr add $a/128 dev mip0 home nodad ||
			fail_now "address $a on the MN"
	done
	RET=0
	out=$(bu --hoa $NOMR --src $COA1 --seq 1 -R --bid 1,coa=$COA1)
	[ "${out%% seq*}" = "BA status 140" ] && [ "${out% R}" = "$out" ]
	check_err $? "R from a mobile node: '$out' (want 140, no R)"
	out=$(bu --hoa $MR2 --src $COA1 --seq 1 -R --bid 1,coa=$COA1 \
		--mnp fd00:99::/0)
	[ "${out%% seq*}" = "BA status 141" ] && [ "${out% R}" != "$out" ]
	check_err $? "prefix length 0: '$out' (want 141 with R)"
	out=$(bu --hoa $MR2 --src $COA1 --seq 2 -R --bid 1,coa=$COA1 \
		--mnp fd00:99::1/64)
	[ "${out%% seq*}" = "BA status 141" ]
	check_err $? "bits past the length: '$out' (want 141)"
	out=$(bu --hoa $MR2 --src $COA1 --seq 3 -R --bid 1,coa=$COA1 \
		--mnp fd00:99::/64 --mnp fd00:88::/64)
	[ "${out%% seq*}" = "BA status 142" ] && [ "${out% R}" != "$out" ]
	check_err $? "unauthorized prefix: '$out' (want 142 with R)"
	out=$(bu --hoa $MR2 --src $COA1 --seq 4 -R --bid 1,coa=$COA1 \
		--mnp $MNP)
	[ "${out%% seq*}" = "BA status 142" ]
	check_err $? "another router's prefix: '$out' (want 142)"
	[ "$(kprefixes "$ha")" = "$MNP $HOA" ]
	check_err $? "refused BUs changed the prefix table: '$(kprefixes "$ha")'"
	log_test "hand-made BUs: 140 (no mobile router), 141 (bad prefix), 142 (not its own)"

	RET=0
	out=$(bu --hoa $MR2 --src $COA1 --seq 5 -R --bid 1,coa=$COA1 \
		--mnp fd00:99::/64)
	[ "$out" = "BA status 0 seq 5 lifetime 60 bids 1:0 R" ]
	check_err $? "allowed prefix: '$out'"
	busywait 5000 eval '[ "$(kprefixes "$ha" | grep -c $MR2)" = 1 ]'
	check_err $? "MR2's prefix not in the kernel: '$(kprefixes "$ha")'"
	out=$(bu --hoa $MR2 --src $COA1 --seq 6 -R --lifetime 0 --bid 1)
	[ "${out%% seq*}" = "BA status 0" ]
	check_err $? "de-registration: '$out'"
	busywait 5000 eval '[ "$(kprefixes "$ha")" = "$MNP $HOA" ]'
	check_err $? "MR2's prefix did not go with its binding: '$(kprefixes "$ha")'"
	ip -6 -n "$ha" route show fd00:99::/64 | grep -q .
	check_fail $? "route to fd00:99::/64 left on the HA"
	log_test "an allowed prefix is delegated and goes with the last binding"

	# the kernel holds the prefix for someone else already: 143, and the
	# router is left with no binding at all
	RET=0
	ip netns exec "$ha" "$MCOACTL" prefix add fd00:99::/64 dev mip0 \
		hoa fd00:1::400
	check_err $? "mcoactl prefix add on the HA failed"
	out=$(bu --hoa $MR2 --src $COA1 --seq 7 -R --bid 1,coa=$COA1 \
		--mnp fd00:99::/64)
	[ "${out%% seq*}" = "BA status 143" ] && [ "${out% R}" != "$out" ]
	check_err $? "prefix held by another HoA: '$out' (want 143 with R)"
	[ -z "$(kbind "$ha" | jq -r --arg h $MR2 '.[] | select(.hoa == $h) | .bid')" ]
	check_err $? "MR2 kept a binding after 143: $(kbind "$ha" | jq -c '[.[] | {hoa, bid}]')"
	[ "$(kprefixes "$ha" | grep fd00:99)" = "fd00:99::/64 fd00:1::400" ]
	check_err $? "the other HoA's prefix was touched: '$(kprefixes "$ha")'"
	ip netns exec "$ha" "$MCOACTL" prefix del fd00:99::/64 dev mip0
	log_test "a prefix the kernel gives another HoA: 143, no binding left"
}

test_uplink_cut()
{
	local f a b on2=0 moved=0

	RET=0
	ip -n "$mn" link set if2 down
	wait_ha_bids "1 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$ha" "1 3"
	check_err $? "HA kernel: '$(kbids "$ha")'"
	nemo_round "1 3"
	check_err $NR_ECHO_OK "flows to the LAN lost after losing if2"
	while read -r f a; do
		b=$(dp_map_of "$f")
		if [ "$a" = 2 ]; then
			on2=$((on2 + 1))
			[ "$b" = 1 ] || [ "$b" = 3 ]
			check_err $? "flow $f was on BID 2, now on '$b'"
		else
			[ "$b" = "$a" ] || moved=$((moved + 1))
		fi
	done < "$DP_TMP/mapA"
	[ $moved = 0 ]
	check_err $? "$moved flows moved though their uplink stayed"
	[ $on2 -gt 0 ]
	check_err $? "no flow was on BID 2 before the cut: nothing to check"
	log_test "cutting uplink 2 moves only its $on2 flows to the LAN"
	ip -n "$mn" link set if2 up
	ip -n "$mn" route replace default via fd00:22::1 dev if2 table 102
	wait_ha_bids "1 2 3"
}

test_ha_restart()
{
	RET=0
	stop_daemon "$HA_PID" KILL
	start_ha "${HA_LINES[@]}"
	busywait 10000 grep -q "recovered prefix $MNP of $HOA" "$D/ha.log"
	check_err $? "restarted HA did not recover $MNP"
	busywait 5000 eval '[ "$(ha_prefixes $HOA)" = "$MNP" ]'
	check_err $? "restarted HA holds '$(ha_prefixes $HOA)' for $HOA"
	[ "$(kprefixes "$ha")" = "$MNP $HOA" ]
	check_err $? "HA kernel prefixes after restart: '$(kprefixes "$ha")'"
	ip netns exec "$cn" ping -6 -q -c 3 -i 0.2 -W 2 fd00:77::12 >/dev/null 2>&1
	check_err $? "CN cannot ping a LAN host after the HA restart"
	log_test "restarted HA recovers the prefix from the kernel, LAN reachable"
}

# r_bas: how many accepting BAs with R the HA has logged for $HOA
r_bas() { grep -c "BA to .*(hoa $HOA) seq .* status 0 .*, R$" "$D/ha.log"; }

test_implicit_mode()
{
	local n out

	RET=0
	stop_daemon "$MN_PID" KILL
	n=$(r_bas)
	cap_start "$ha" ha2
	start_mn "mobile-router yes" "mobile-network $MNP" "nemo-mode implicit"
	# the restarted MN bootstraps again (O=1) at once
	busywait 20000 eval '[ "$(r_bas)" -gt $n ]'
	check_err $? "no BA with R for the restarted router: $(tail -n 3 "$D/ha.log")"
	cap_stop ha2
	out=$(tshark_mh ha2 "mip6.mhtype == 5" mip6.nemo.bu.r_flag \
		mip6.nemo.mnp.pfl | head -n 1)
	[ "${out% }" = 1 ]
	check_err $? "implicit mode BU decoded as '$out' (want R, no MNP option)"
	out=$(tshark_mh ha2 "mip6.mhtype == 6" mip6.ba.status mip6.nemo.ba.r_flag |
		head -n 1)
	[ "$out" = "0 1" ]
	check_err $? "BA decoded as '$out' (want status 0, R 1)"
	[ "$(kprefixes "$ha")" = "$MNP $HOA" ] && [ "$(kprefixes "$mn")" = "$MNP $HOA" ]
	check_err $? "prefixes: HA '$(kprefixes "$ha")', MN '$(kprefixes "$mn")'"
	ip netns exec "$cn" ping -6 -q -c 3 -i 0.2 -W 2 fd00:77::13 >/dev/null 2>&1
	check_err $? "CN cannot ping a LAN host in implicit mode"
	log_test "implicit mode: BU with R and no prefix option, HA's prefixes, LAN reachable"
}

HA_LINES=("dad no" "mobile-router $HOA $MNP" "mobile-router $MR2 fd00:99::/64")

daemon_setup
lan_setup
cap_start "$ha" ha
start_ha "${HA_LINES[@]}"
start_mn "mobile-router yes" "mobile-network $MNP"
test_registration
test_lan_flows
test_hand_made_bus
test_uplink_cut
test_ha_restart
test_implicit_mode
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Data plane over three CoAs (topology in lib.sh / DESIGN.md):
#  - UDP flows from the CN reach the HoA over all three CoAs; the outer
#    headers seen on r1..r3 are HA -> CoA_i, every flow sticks to one CoA,
#    and the HA's per-binding tx counters match the captures;
#  - the MN's echoes leave by the interface of the CoA they carry (outer
#    source CoA_i seen on r_i only) and match the MN's and HA's counters;
#  - deleting BID 2 moves only BID 2's flows; adding it back restores them
#    (rendezvous hashing);
#  - flow rules steer a flow to the first live BID of their list and fall
#    back to the next one when it is deleted;
#  - among 63 rules, rules for one port (indexed by port in the kernel)
#    and port-range rules still match in priority order, both ways;
#  - policy "recent" sends everything over the binding the MN used last;
#  - a binding whose link loses its carrier carries none of the MN's
#    flows until the carrier is back;
#  - path MTU: a smaller link behind the HA makes the HA learn the CoA's
#    path MTU from the router's Packet Too Big, and the CN then gets a
#    Packet Too Big with that MTU minus the 40-octet outer header.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command tcpdump
require_command jq
require_command "$DP_PY"
[ -x "$MCOACTL" ] || { echo "SKIP: $MCOACTL not built"; exit $ksft_skip; }

NFLOWS=24	# P(a given BID gets no flow) = (2/3)^24 < 1e-4
PKTS=2
SP0=41000

test_three_coas()
{
	local i d u bad c

	RET=0
	dp_snap "$ha" ha0
	dp_snap "$mn" mn0
	dp_round $SP0 $NFLOWS $PKTS
	dp_snap "$ha" ha1
	dp_snap "$mn" mn1

	check_err $DP_ECHO_OK "not every datagram was echoed: $(tr '\n' ' ' < "$DP_TMP/send.out")"
	bad=$(head -5 "$DP_TMP/bad")
	[ -z "$bad" ]
	check_err $? "tunnel packets with wrong outer/inner headers: $bad"
	grep -q SPLIT "$DP_TMP/map"
	check_fail $? "a flow was split over several CoAs: $(grep SPLIT "$DP_TMP/map" | head -3)"
	[ "$(wc -l < "$DP_TMP/map")" -eq $NFLOWS ]
	check_err $? "only $(wc -l < "$DP_TMP/map") of $NFLOWS flows seen on the routers"
	for i in 1 2 3; do
		d=$(dp_count down $i)
		[ "$d" -gt 0 ]
		check_err $? "no downstream flow used CoA$i (r$i)"
		c=$(dp_delta ha0 ha1 $i tx_packets)
		[ "$c" = "$d" ]
		check_err $? "HA binding $i tx_packets grew by $c, r$i saw $d packets"
	done
	log_test "CN flows reach the HoA over all three CoAs, HA counters match"

	RET=0
	[ "$(wc -l < "$DP_TMP/up")" -eq $((NFLOWS * PKTS)) ]
	check_err $? "$(wc -l < "$DP_TMP/up") upstream tunnel packets, want $((NFLOWS * PKTS))"
	for i in 1 2 3; do
		u=$(dp_count up $i)
		c=$(dp_delta mn0 mn1 $i tx_packets)
		[ "$c" = "$u" ]
		check_err $? "MN binding $i tx_packets grew by $c, r$i saw $u packets from CoA$i"
		c=$(dp_delta ha0 ha1 $i rx_packets)
		[ "$c" = "$u" ]
		check_err $? "HA binding $i rx_packets grew by $c, r$i saw $u packets from CoA$i"
	done
	[ "$(awk '{print $2}' "$DP_TMP/up" | sort -u | wc -l)" -ge 2 ]
	check_err $? "all MN replies used one CoA: $(awk '{print $2}' "$DP_TMP/up" | sort | uniq -c | tr '\n' ' ')"
	log_test "MN replies leave by the interface of their CoA"

	# The MN counts what arrives on CoA_i against binding i.
	RET=0
	for i in 1 2 3; do
		d=$(dp_count down $i)
		c=$(dp_delta mn0 mn1 $i rx_packets)
		[ "$c" = "$d" ]
		check_err $? "MN binding $i rx_packets grew by $c, r$i carried $d packets to CoA$i"
	done
	log_test "MN per-binding rx counters follow the receiving CoA"
	cp "$DP_TMP/map" "$DP_TMP/mapA"
}

test_rendezvous()
{
	local f a b c moved=0 on2=0

	RET=0
	dp_both binding del dev mip0 hoa $HOA bid 2
	check_err $? "binding del bid 2 failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost after deleting BID 2: $(tr '\n' ' ' < "$DP_TMP/send.out")"
	cp "$DP_TMP/map" "$DP_TMP/mapB"
	while read -r f a; do
		b=$(dp_map_of "$f" "$DP_TMP/mapB")
		if [ "$a" = 2 ]; then
			on2=$((on2 + 1))
			[ "$b" = 1 ] || [ "$b" = 3 ]
			check_err $? "flow $f was on BID 2, now on '$b'"
		else
			[ "$b" = "$a" ]
			check_err $? "flow $f moved from BID $a to '$b' though BID $a stayed"
			[ "$b" = "$a" ] || moved=$((moved + 1))
		fi
	done < "$DP_TMP/mapA"
	[ $on2 -gt 0 ]
	check_err $? "no flow was on BID 2 before the delete: nothing to check"
	log_test "deleting BID 2 moves only its $on2 flows (${moved} others moved)"

	RET=0
	dp_bind_add "$ha" 2 && dp_bind_add "$mn" 2
	check_err $? "re-adding BID 2 failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost after re-adding BID 2"
	while read -r f a; do
		c=$(dp_map_of "$f")
		b=$(dp_map_of "$f" "$DP_TMP/mapB")
		[ "$c" = "$b" ] || [ "$c" = 2 ]
		check_err $? "flow $f went from BID $b to $c when BID 2 came back"
		[ "$c" = "$a" ]
		check_err $? "flow $f is on BID $c, was on $a with the same bindings"
	done < "$DP_TMP/mapA"
	log_test "re-adding BID 2 takes back exactly its flows"
}

mn_carrier() { ip -n "$mn" link show dev if2 | grep -q LOWER_UP; }

# The MN's own flows leave a binding whose link loses its carrier at once
# (kernel, no daemon here) and come back with the carrier. An HA flow rule
# keeps BID 2 out of the downstream meanwhile (the HA still accepts what
# the MN sends from CoA2), so that only the MN's choice is under test:
# every echo must still arrive.
test_no_carrier()
{
	local n2

	RET=0
	dp_ctl "$ha" flow add dev mip0 hoa $HOA fid 9 bids 1,3
	check_err $? "HA flow rule bids 1,3"
	dp_round $SP0 $NFLOWS $PKTS
	n2=$(dp_count up 2)
	[ "$n2" -gt 0 ]
	check_err $? "no MN echo used BID 2 with the carrier up: nothing to check"
	ip -n "$r2" link set dev dn down
	busywait 5000 eval '! mn_carrier'
	check_err $? "if2 kept its carrier"
	dp_snap "$mn" mn0
	DP_CAP_ROUTERS="1 3" dp_round $SP0 $NFLOWS $PKTS
	dp_snap "$mn" mn1
	check_err $DP_ECHO_OK "echoes lost with if2 without carrier: $(tr '\n' ' ' < "$DP_TMP/send.out")"
	[ "$(dp_delta mn0 mn1 2 tx_packets)" = 0 ]
	check_err $? "the MN sent $(dp_delta mn0 mn1 2 tx_packets) packets on BID 2 without carrier"
	log_test "MN: the $n2 echoes on BID 2 move to the other CoAs when if2 loses its carrier"

	RET=0
	ip -n "$r2" link set dev dn up
	busywait 5000 mn_carrier
	check_err $? "if2 did not get its carrier back"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "echoes lost after the carrier came back"
	[ "$(dp_count up 2)" = "$n2" ]
	check_err $? "$(dp_count up 2) echoes on BID 2 after the carrier came back, $n2 before"
	dp_ctl "$ha" flow del dev mip0 hoa $HOA fid 9
	check_err $? "HA flow rule del"
	log_test "MN: with the carrier back, BID 2 carries the same $n2 echoes again"
}

# next_bid B: 1 -> 2 -> 3 -> 1
next_bid()
{
	echo $(($1 % 3 + 1))
}

test_flow_rules()
{
	local f fa x y r0 k c pk other=0

	# F: the first flow, steered to two BIDs other than its hash choice.
	f=$SP0
	fa=$(dp_map_of $f "$DP_TMP/mapA")
	x=$(next_bid "$fa"); y=$(next_bid "$x")
	# R: four other flows, all steered to BID fa's neighbour y.
	r0=$((SP0 + 10))

	RET=0
	dp_ctl "$ha" flow add dev mip0 hoa $HOA fid 1 pri 10 proto udp \
		sport $f-$f bids $x,$y
	check_err $? "flow add fid 1 failed"
	dp_ctl "$ha" flow add dev mip0 hoa $HOA fid 2 pri 20 proto udp \
		dst $HOA/128 sport $r0-$((r0 + 3)) bids $y
	check_err $? "flow add fid 2 failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost with flow rules"
	c=$(dp_map_of $f)
	[ "$c" = "$x" ]
	check_err $? "flow $f (hash: BID $fa) is on BID $c, rule says $x,$y"
	for ((k = r0; k < r0 + 4; k++)); do
		c=$(dp_map_of $k)
		[ "$c" = "$y" ]
		check_err $? "flow $k is on BID $c, range rule says $y"
	done
	while read -r k c; do
		[ "$k" = "$f" ] && continue
		[ "$k" -ge $r0 ] && [ "$k" -lt $((r0 + 4)) ] && continue
		[ "$(dp_map_of "$k")" = "$c" ] || other=$((other + 1))
	done < "$DP_TMP/mapA"
	[ $other = 0 ]
	check_err $? "$other flows without a rule moved"
	pk=$(dp_ctl "$ha" -j flow show dev mip0 hoa $HOA |
		jq -r '.[] | select(.fid == 1) | .packets')
	[ "$pk" = "$PKTS" ]
	check_err $? "rule fid 1 counted '$pk' packets, want $PKTS"
	log_test "flow rules steer flows to the first BID of their list"

	RET=0
	dp_both binding del dev mip0 hoa $HOA bid "$x"
	check_err $? "binding del bid $x failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost after deleting BID $x"
	c=$(dp_map_of $f)
	[ "$c" = "$y" ]
	check_err $? "flow $f is on BID $c after BID $x went, rule says $x,$y"
	log_test "flow rule falls back to the next BID when the first is deleted"

	dp_ctl "$ha" flow del dev mip0 hoa $HOA fid 1
	dp_ctl "$ha" flow del dev mip0 hoa $HOA fid 2
	dp_bind_add "$ha" "$x" && dp_bind_add "$mn" "$x" ||
		fail_now "cannot re-add BID $x"
}

# flows_off BID SPORT...: how many of these flows the last round did not
# see on BID
flows_off()
{
	local bid=$1 k n=0

	shift
	for k in "$@"; do
		[ "$(dp_map_of "$k")" = "$bid" ] || n=$((n + 1))
	done
	echo $n
}

# Rules for a single destination port sit in buckets by port
# (kernel/flow_index.c), range rules beside them: whichever comes first
# in priority must win, across both.
test_flow_index()
{
	local f=$SP0 r0=$((SP0 + 10)) i k n rest=()

	for ((k = SP0 + 1; k < SP0 + NFLOWS; k++)); do
		[ $k -ge $r0 ] && [ $k -lt $((r0 + 4)) ] && continue
		rest+=("$k")
	done
	RET=0
	{
		# 60 port rules that match nothing here, around every bucket
		for ((i = 1; i <= 60; i++)); do
			echo "flow add dev mip0 hoa $HOA fid $((100 + i)) pri $i proto udp dport $((2000 + i)) bids 3"
		done
		echo "flow add dev mip0 hoa $HOA fid 1 pri 100 proto udp sport $f-$f bids 1"
		echo "flow add dev mip0 hoa $HOA fid 2 pri 200 proto udp sport $r0-$((r0 + 3)) bids 2"
		echo "flow add dev mip0 hoa $HOA fid 3 pri 300 proto udp dport $DP_ECHO_PORT bids 3"
	} | dp_ctl "$ha" -b -
	check_err $? "adding 63 flow rules failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost with 63 flow rules"
	n=$(flows_off 1 $f)
	check_err $n "flow $f is on BID $(dp_map_of $f), its range rule (before the port rule) says 1"
	n=$(flows_off 2 $(seq $r0 $((r0 + 3))))
	check_err $n "$n of the range rule's 4 flows are not on BID 2"
	n=$(flows_off 3 "${rest[@]}")
	check_err $n "$n of ${#rest[@]} flows are not on BID 3, the port rule's"
	log_test "63 flow rules: range rules before a port rule win, the port rule takes the rest"

	RET=0
	dp_ctl "$ha" flow add dev mip0 hoa $HOA fid 4 pri 50 proto udp \
		dport $DP_ECHO_PORT sport $f-$f bids 2
	check_err $? "flow add fid 4 failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost with 64 flow rules"
	n=$(flows_off 2 $f)
	check_err $n "flow $f is on BID $(dp_map_of $f), the port rule before its range rule says 2"
	n=$(flows_off 3 "${rest[@]}")
	check_err $n "$n of ${#rest[@]} flows left the port rule's BID 3"
	dp_ctl "$ha" flow del dev mip0 hoa $HOA fid 4
	dp_round $SP0 $NFLOWS $PKTS
	n=$(flows_off 1 $f)
	check_err $n "flow $f is on BID $(dp_map_of $f) after fid 4 went, want 1 again"
	log_test "a port rule before a range rule wins; deleting it gives the flow back"

	for i in 1 2 3 $(seq 101 160); do
		echo "flow del dev mip0 hoa $HOA fid $i"
	done | dp_ctl "$ha" -b - >/dev/null
}

# dp_all_on R: true if every flow of the last round went through router R.
dp_all_on()
{
	[ "$(awk -v r="$1" '$2 != r' "$DP_TMP/map" | wc -l)" = 0 ] &&
		[ "$(wc -l < "$DP_TMP/map")" -gt 0 ]
}

test_policy_recent()
{
	local b o

	RET=0
	dp_ctl "$ha" policy set dev mip0 hoa $HOA recent
	check_err $? "policy set recent failed"
	# Everything the HA sends leaves by the binding signalling verified
	# last. Data from the MN on another BID must not move it: a tunnel
	# packet's outer source proves nothing.
	for b in 3 1; do
		o=$((b == 3 ? 1 : 2))
		dp_ctl "$ha" binding set dev mip0 hoa $HOA bid $b verify
		check_err $? "binding set bid $b verify failed"
		dp_ctl "$mn" flow add dev mip0 hoa $HOA fid 9 src $HOA/128 bids $o
		check_err $? "MN flow add bids $o failed"
		dp_snap "$ha" pre
		dp_oneshot "$mn" $HOA $CN_ADDR 9
		busywait 20000 dp_rx_grew "$ha" pre "$o"
		check_err $? "HA did not receive the MN's datagram on BID $o"
		dp_round $((SP0 + 100)) 12 $PKTS
		check_err $DP_ECHO_OK "flows lost with policy recent (BID $b)"
		dp_all_on $b
		check_err $? "signalling verified BID $b, data came on $o, HA sent: $(tr '\n' ' ' < "$DP_TMP/map")"
		dp_ctl "$mn" flow del dev mip0 hoa $HOA fid 9
	done
	log_test "policy recent follows signalling, not the MN's data packets"

	RET=0
	dp_ctl "$ha" policy set dev mip0 hoa $HOA hash
	check_err $? "policy set hash failed"
	dp_round $SP0 $NFLOWS $PKTS
	check_err $DP_ECHO_OK "flows lost after policy hash"
	cmp -s "$DP_TMP/map" "$DP_TMP/mapA"
	check_err $? "back on policy hash, flows differ from the first round"
	log_test "policy hash restores the rendezvous spread"
}

pmtu_of()
{
	ip -n "$cn" -6 route get $HOA | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

# CN pings with DF (IPv6 routers never fragment); returns when the CN has
# learnt MTU $1 for the HoA.
cn_learns_pmtu()
{
	ip netns exec "$cn" ping -6 -c 1 -W 1 -s 1400 -M do $HOA >/dev/null 2>&1
	[ "$(pmtu_of)" = "$1" ]
}

test_pmtu()
{
	local ha_pmtu

	RET=0
	# ICMPv6 to the HoA goes over BID 1, i.e. r1, whose MN side is 1400
	dp_ctl "$ha" flow add dev mip0 hoa $HOA fid 7 proto 58 bids 1
	check_err $? "flow rule for ICMPv6"
	ip -n "$r1" link set dev dn mtu 1400
	ip -n "$mn" link set dev if1 mtu 1400
	[ -z "$(pmtu_of)" ]
	check_err $? "the CN has a path MTU for the HoA before the test: $(pmtu_of)"
	busywait 20000 cn_learns_pmtu 1360
	check_err $? "CN path MTU to the HoA '$(pmtu_of)', want 1360 (1400 - 40)"
	# transmit updated the route it got the packet by (netif_keep_dst):
	# the HA's forwarding path now answers too-big packets itself
	ha_pmtu=$(ip -n "$ha" -6 route get $HOA | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
	[ "$ha_pmtu" = 1360 ]
	check_err $? "the HA's route to the HoA has MTU '$ha_pmtu', want 1360"
	ip netns exec "$cn" ping -6 -c 1 -W 5 -s 1300 -M do $HOA >/dev/null
	check_err $? "a 1348-octet packet does not reach the HoA under the new MTU"
	ip -n "$r1" link set dev dn mtu 1500
	ip -n "$mn" link set dev if1 mtu 1500
	dp_ctl "$ha" flow del dev mip0 hoa $HOA fid 7
	log_test "Packet Too Big from behind the HA reaches the CN with MTU 1360"
}

mn_pmtu_of()
{
	ip -n "$mn" -6 route get $CN_ADDR from $HOA | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

# The MN's own ping with DF; true once the MN's route to the CN through
# mip0 carries MTU $1.
mn_learns_pmtu()
{
	ip netns exec "$mn" ping -6 -c 1 -W 1 -s 1400 -M do -I $HOA $CN_ADDR >/dev/null 2>&1
	[ "$(mn_pmtu_of)" = "$1" ]
}

test_pmtu_mn()
{
	RET=0
	# The MN's ICMPv6 leaves over BID 1; r1's link towards the HA is 1400.
	dp_ctl "$mn" flow add dev mip0 hoa $HOA fid 7 proto 58 bids 1
	check_err $? "MN flow rule for ICMPv6"
	ip -n "$r1" link set dev up mtu 1400
	ip -n "$ha" link set dev ha1 mtu 1400
	# test_pmtu's 1400-octet echo replies may have taught the MN 1360
	# already (when its hash put them on BID 1): start from nothing
	ip -n "$mn" -6 route flush cache
	[ -z "$(mn_pmtu_of)" ]
	check_err $? "the MN has a path MTU to the CN before the test: $(mn_pmtu_of)"
	busywait 20000 mn_learns_pmtu 1360
	check_err $? "MN path MTU to the CN '$(mn_pmtu_of)', want 1360 (1400 - 40)"
	ip netns exec "$mn" ping -6 -c 1 -W 5 -s 1300 -M do -I $HOA $CN_ADDR >/dev/null
	check_err $? "a 1348-octet packet from the MN does not reach the CN"
	ip -n "$r1" link set dev up mtu 1500
	ip -n "$ha" link set dev ha1 mtu 1500
	dp_ctl "$mn" flow del dev mip0 hoa $HOA fid 7
	log_test "MN egress: the tunnel path MTU reaches the MN's own sockets"
}

mcoa_topology
mcoa_tunnels_static
dp_echo_start "$mn" $HOA
ip netns exec "$cn" ping -6 -c 1 -W 5 $HOA >/dev/null ||
	busywait 30000 ip netns exec "$cn" ping -6 -c 1 -W 1 $HOA >/dev/null ||
	fail_now "CN cannot ping the HoA"

# DP_TESTS picks a subset when debugging; three_coas always runs first (the
# others compare against its flow map).
test_three_coas
for t in ${DP_TESTS:-rendezvous flow_rules flow_index policy_recent no_carrier pmtu pmtu_mn}; do
	test_$t
done
exit $EXIT_STATUS

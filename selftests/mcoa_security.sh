#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Decapsulation only accepts what a binding vouches for:
#  - HA: a tunnel packet whose outer source is not a CoA of the inner
#    source's HoA is dropped and counted in rx_spoofed; this covers a CoA
#    of another HoA, an address that is no CoA at all, and the CoA of a
#    deleted binding. The same crafted path with a matching HoA passes
#    (positive control).
#  - MN: a tunnel packet whose outer source is not the HA is dropped and
#    counted.
#  - HA: a tunnel packet from a bound CoA sent to another of the HA's
#    addresses than the binding's (the peer) is dropped too.
#  - RFC 6040: a CE outer header on a Not-ECT inner packet is dropped and
#    counted; on an ECT inner packet it is delivered.
#  - A Packet Too Big that quotes no packet of a binding (forged: any
#    destination) changes no path MTU and is counted; the genuine one is
#    tested in mcoa_dataplane.sh (test_pmtu).
#  - The kernel's own ip6tnl keeps working in the same netns as mcoa, and
#    mcoa does not count (or eat) its packets.
# Spoofed packets are made by a plain ip6tnl on a router, or by pkt6.py.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command jq
[ -x "$MCOACTL" ] || { echo "SKIP: $MCOACTL not built"; exit $ksft_skip; }

HOA2=fd00:1::200
PKT6="$DP_PY $MCOA_TOP/selftests/pkt6.py"

# echo_reqs NS: ICMPv6 echo requests received by NS so far.
echo_reqs()
{
	ip netns exec "$1" awk '$1 == "Icmp6InEchos" { print $2 }' /proc/net/snmp6
}

# spoof_tunnel NS NAME LOCAL REMOTE INNER_ADDR ROUTE: an ip6tnl on NS that
# sends INNER_ADDR-sourced packets for ROUTE to REMOTE from LOCAL.
spoof_tunnel()
{
	ip -n "$1" -batch - <<-EOF
		link add $2 type ip6tnl mode ip6ip6 local $3 remote $4 encaplimit none
		addr add $5/128 dev $2 nodad
		link set $2 up
		route add $6/128 dev $2 src $5
	EOF
}

# spoof_ping NS SRC DST: 3 pings that must not be answered.
spoof_ping()
{
	! ip netns exec "$1" ping -6 -c 3 -i 0.3 -W 1 -I "$2" "$3" >/dev/null 2>&1
}

test_positive_control()
{
	local rx

	RET=0
	dp_ctl "$ha" binding add dev mip0 hoa $HOA2 bid 1 coa fd00:11::2 \
		peer $HA_ADDR
	check_err $? "binding add for $HOA2 failed"
	ip -n "$ha" route add $HOA2/128 dev mip0 &&
		ip -n "$ha" neigh add proxy $HOA2 dev hl
	check_err $? "route/proxy ND for $HOA2 on the HA failed"
	spoof_tunnel "$r1" t0 fd00:11::2 $HA_ADDR $HOA2 $CN_ADDR
	check_err $? "ip6tnl t0 on r1 failed"
	ip netns exec "$r1" ping -6 -c 2 -i 0.3 -W 3 -I $HOA2 $CN_ADDR >/dev/null
	check_err $? "crafted tunnel with a matching HoA/CoA did not pass"
	rx=$(dp_bindings_json "$ha" $HOA2 | dp_bstat /dev/stdin 1 rx_packets $HOA2)
	[ -n "$rx" ] && [ "$rx" -ge 2 ]
	check_err $? "HA binding of $HOA2 counted rx_packets '$rx', want >= 2"
	log_test "crafted tunnel packet from a bound CoA passes (control)"
}

# spoof_case NAME NS SRC [NS-OF-MCOA]: 3 pings from SRC over NS's tunnel
# must fail, leave the CN untouched and raise rx_spoofed by >= 3.
spoof_case()
{
	local name=$1 ns=$2 src=$3 dev=${4:-$ha} dst=${5:-$CN_ADDR} \
	      target=${6:-$cn} s0 s1 e0 e1

	s0=$(dp_devstat "$dev" rx_spoofed)
	e0=$(echo_reqs "$target")
	spoof_ping "$ns" "$src" "$dst"
	check_err $? "spoofed pings were answered"
	s1=$(dp_devstat "$dev" rx_spoofed)
	e1=$(echo_reqs "$target")
	[ -n "$s0" ] && [ -n "$s1" ] && [ $((s1 - s0)) -ge 3 ]
	check_err $? "rx_spoofed went from '$s0' to '$s1', want +3"
	[ "$e0" = "$e1" ]
	check_err $? "target got $((e1 - e0)) echo requests through the spoof"
	log_test "$name"
}

test_spoof_other_hoa()
{
	RET=0
	# r1's t0 (outer source fd00:11::2, a CoA of HOA2 only) now carries
	# packets from HOA.
	ip -n "$r1" -batch - <<-EOF
		addr add $HOA/128 dev t0 nodad
	EOF
	check_err $? "adding $HOA on r1/t0 failed"
	spoof_case "HA drops a CoA of another HoA (rx_spoofed)" "$r1" $HOA
}

test_spoof_unknown_coa()
{
	RET=0
	spoof_tunnel "$r2" t0 fd00:12::2 $HA_ADDR $HOA $CN_ADDR
	check_err $? "ip6tnl t0 on r2 failed"
	spoof_case "HA drops an outer source that is no CoA (rx_spoofed)" "$r2" $HOA
}

test_spoof_stale_coa()
{
	RET=0
	# Make the MN send everything from CoA3, then forget BID 3 on the HA:
	# the MN's packets now come from a CoA without a binding.
	dp_ctl "$mn" flow add dev mip0 hoa $HOA fid 1 src $HOA/128 bids 3
	check_err $? "MN flow add failed"
	ip netns exec "$mn" ping -6 -c 2 -i 0.3 -W 3 $CN_ADDR >/dev/null
	check_err $? "MN cannot reach the CN over BID 3"
	dp_ctl "$ha" binding del dev mip0 hoa $HOA bid 3
	check_err $? "binding del bid 3 (ha) failed"
	spoof_case "HA drops packets from the CoA of a deleted binding" "$mn" $HOA
	dp_bind_add "$ha" 3
	busywait 30000 ip netns exec "$mn" ping -6 -c 1 -W 1 $CN_ADDR >/dev/null
	check_err $? "MN cannot reach the CN after BID 3 came back"
	dp_ctl "$mn" flow del dev mip0 hoa $HOA fid 1
	log_test "HA accepts BID 3 again once it is re-added"
}

test_spoof_mn()
{
	RET=0
	# r3 pretends to be the HA forwarding the CN's packets to CoA3.
	spoof_tunnel "$r3" t1 fd00:23::1 $COA3 $CN_ADDR $HOA
	check_err $? "ip6tnl t1 on r3 failed"
	spoof_case "MN drops tunnel packets not from its HA (rx_spoofed)" \
		"$r3" $CN_ADDR "$mn" $HOA "$mn"
}

test_ip6tnl_beside()
{
	local s0 s1 d0 d1

	RET=0
	ip -n "$ha" -batch - <<-EOF && ip -n "$r3" -batch - <<-EOF2
		link add tnl6 type ip6tnl mode ip6ip6 local fd00:13::1 remote fd00:13::2
		addr add fd00:98::1/64 dev tnl6 nodad
		link set tnl6 up
	EOF
		link add tnl6 type ip6tnl mode ip6ip6 local fd00:13::2 remote fd00:13::1
		addr add fd00:98::2/64 dev tnl6 nodad
		link set tnl6 up
	EOF2
	check_err $? "ip6tnl tnl6 setup failed"
	s0=$(dp_devstat "$ha" rx_spoofed)
	d0=$(dp_devstat "$ha" rx_dropped)
	ip netns exec "$ha" ping -6 -c 3 -i 0.3 -W 3 fd00:98::2 >/dev/null
	check_err $? "ip6tnl ping HA -> r3 failed beside mcoa"
	ip netns exec "$r3" ping -6 -c 3 -i 0.3 -W 3 fd00:98::1 >/dev/null
	check_err $? "ip6tnl ping r3 -> HA failed beside mcoa"
	s1=$(dp_devstat "$ha" rx_spoofed)
	d1=$(dp_devstat "$ha" rx_dropped)
	[ -n "$s0" ] && [ "$s0" = "$s1" ] && [ "$d0" = "$d1" ]
	check_err $? "mcoa counted ip6tnl traffic: rx_spoofed $s0 -> $s1, rx_dropped $d0 -> $d1"
	ip netns exec "$cn" ping -6 -c 2 -i 0.3 -W 3 $HOA >/dev/null
	check_err $? "mcoa traffic CN -> HoA broken beside ip6tnl"
	log_test "kernel ip6tnl works beside mcoa in the same netns"
}

# ha_rx_bid1: packets BID 1 delivered on the HA so far.
ha_rx_bid1()
{
	dp_bindings_json "$ha" $HOA | dp_bstat /dev/stdin 1 rx_packets $HOA
}

test_wrong_local()
{
	local s0 s1 r0 r1

	RET=0
	s0=$(dp_devstat "$ha" rx_spoofed)
	r0=$(ha_rx_bid1)
	# From CoA1 (bound, peer $HA_ADDR) to the HA's fd00:11::1 instead.
	in_ns "$mn" $PKT6 ip6ip6 $COA1 fd00:11::1 0 $HOA $CN_ADDR 0 9 5
	check_err $? "pkt6.py ip6ip6 failed"
	busywait 5000 eval '[ "$(dp_devstat "$ha" rx_spoofed)" -ge $((s0 + 5)) ]'
	check_err $? "rx_spoofed $s0 -> $(dp_devstat "$ha" rx_spoofed), want +5"
	r1=$(ha_rx_bid1)
	[ "$r0" = "$r1" ]
	check_err $? "BID 1 delivered $((r1 - r0)) packets sent to the wrong HA address"
	# the same packets to the binding's own peer address pass
	in_ns "$mn" $PKT6 ip6ip6 $COA1 $HA_ADDR 0 $HOA $CN_ADDR 0 9 5
	busywait 5000 eval '[ "$(ha_rx_bid1)" -ge $((r0 + 5)) ]'
	check_err $? "BID 1 rx $r0 -> $(ha_rx_bid1) for packets to the peer, want +5"
	s1=$(dp_devstat "$ha" rx_spoofed)
	[ "$s1" -ge $((s0 + 5)) ] && [ "$s1" -lt $((s0 + 10)) ]
	check_err $? "rx_spoofed $s0 -> $s1: the control packets were counted"
	log_test "HA drops tunnel packets sent to another address than the binding's"
}

test_ecn()
{
	local e0 r0

	RET=0
	e0=$(dp_devstat "$ha" rx_ecn_dropped)
	r0=$(ha_rx_bid1)
	in_ns "$mn" $PKT6 ip6ip6 $COA1 $HA_ADDR 0x03 $HOA $CN_ADDR 0 9 4
	check_err $? "pkt6.py ip6ip6 failed"
	busywait 5000 eval '[ "$(dp_devstat "$ha" rx_ecn_dropped)" = $((e0 + 4)) ]'
	check_err $? "rx_ecn_dropped $e0 -> $(dp_devstat "$ha" rx_ecn_dropped), want +4"
	[ "$(ha_rx_bid1)" = "$r0" ]
	check_err $? "CE on Not-ECT was delivered ($r0 -> $(ha_rx_bid1))"
	log_test "RFC 6040: CE outer on a Not-ECT inner packet is dropped"

	RET=0
	in_ns "$mn" $PKT6 ip6ip6 $COA1 $HA_ADDR 0x03 $HOA $CN_ADDR 0x02 9 4
	busywait 5000 eval '[ "$(ha_rx_bid1)" -ge $((r0 + 4)) ]'
	check_err $? "CE on ECT(0) not delivered: rx $r0 -> $(ha_rx_bid1)"
	[ "$(dp_devstat "$ha" rx_ecn_dropped)" = $((e0 + 4)) ]
	check_err $? "CE on ECT(0) counted as an ECN drop"
	log_test "RFC 6040: CE outer on an ECT inner packet is delivered"
}

# pmtu_to NS DST: the path MTU NS has learnt towards DST, empty if none.
pmtu_to()
{
	ip -n "$1" -6 route get "$2" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}

test_forged_ptb()
{
	local i0 v=fd00:12::2

	RET=0
	[ -z "$(pmtu_to "$ha" $v)" ]
	check_err $? "HA has a path MTU towards $v before the test"
	i0=$(dp_devstat "$ha" err_ignored)
	# From the home link: "your tunnel packet to $v was too big".
	in_ns "$cn" $PKT6 ptb $HA_ADDR 1280 $HA_ADDR $v $CN_ADDR $HOA
	check_err $? "pkt6.py ptb failed"
	busywait 5000 eval '[ "$(dp_devstat "$ha" err_ignored)" = $((i0 + 1)) ]'
	check_err $? "err_ignored $i0 -> $(dp_devstat "$ha" err_ignored), want +1"
	[ -z "$(pmtu_to "$ha" $v)" ]
	check_err $? "forged Packet Too Big set the HA's MTU to $v: $(pmtu_to "$ha" $v)"
	# quoting a real binding's CoA but another local address: forged too
	in_ns "$cn" $PKT6 ptb $HA_ADDR 1280 fd00:12::1 $COA1 $CN_ADDR $HOA
	busywait 5000 eval '[ "$(dp_devstat "$ha" err_ignored)" = $((i0 + 2)) ]'
	check_err $? "err_ignored $i0 -> $(dp_devstat "$ha" err_ignored), want +2"
	[ -z "$(pmtu_to "$ha" $COA1)" ]
	check_err $? "forged Packet Too Big set the HA's MTU to $COA1: $(pmtu_to "$ha" $COA1)"
	log_test "HA ignores a Packet Too Big that quotes no packet of a binding"
}

mcoa_topology
mcoa_tunnels_static
busywait 30000 ip netns exec "$cn" ping -6 -c 1 -W 1 $HOA >/dev/null ||
	fail_now "CN cannot ping the HoA"

test_positive_control
test_wrong_local
test_ecn
test_forged_ptb
test_spoof_other_hoa
test_spoof_unknown_coa
test_spoof_stale_coa
test_spoof_mn
test_ip6tnl_beside
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mobile network prefixes (RFC 3963) in the kernel, set by mcoactl: the MN
# is a mobile router with a LAN namespace behind it (fd00:100::/48, hosts
# fd00:100::10..13), the prefix delegated to its HoA on both ends, three
# static bindings.
#  - prefix-new refuses a bad prefix, a missing HoA, a prefix held by this
#    or another HoA, each with a message naming it, and changes nothing;
#  - flows from the CN to several LAN hosts are spread over the three
#    CoAs; every tunnel packet on r_i is HA <-> CoA_i with a LAN host
#    inside; the LAN's replies come back;
#  - the longest prefix wins (a /64 inside the /48 delegated to another
#    HoA takes its traffic, and gives it back when deleted);
#  - the HA drops, and counts as spoofed, a tunnel packet from the MR's
#    CoA whose inner source is outside its prefixes, and one from another
#    HoA's CoA with an inner source inside them; the MR sends nothing for
#    a LAN source outside its prefix;
#  - deleting one binding moves only its flows;
#  - events announce prefixes, hoa del takes them with it, and 100,000
#    prefixes of 400 other HoAs leave the MR's traffic unchanged.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dataplane.sh"

require_command tcpdump
require_command jq
require_command "$DP_PY"
[ -x "$MCOACTL" ] || { echo "SKIP: $MCOACTL not built"; exit $ksft_skip; }

PKT6="$DP_PY $MCOA_TOP/selftests/pkt6.py"
MNP=fd00:100::
MNP_LEN=48
LAN_HOSTS="fd00:100::10 fd00:100::11 fd00:100::12 fd00:100::13"
HOA2=fd00:1::200
FLOWS_PER_HOST=8	# 32 flows: P(a BID gets none) = (2/3)^32 < 3e-6
PKTS=2
SP0=42000

# lan_setup: the LAN behind the MN and the prefix on both ends.
lan_setup()
{
	local h

	setup_ns lan
	veth_pair "$mn" lan0 "$lan" eth0
	in_ns "$mn" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -6 -n "$mn" -batch - <<-EOF || fail_now "mn lan setup"
		addr add fd00:100::1/64 dev lan0 nodad
		link set lan0 up
	EOF
	for h in $LAN_HOSTS; do
		ip -n "$lan" -6 addr add $h/64 dev eth0 nodad || fail_now "lan addr $h"
	done
	ip -6 -n "$lan" -batch - <<-EOF || fail_now "lan setup"
		link set eth0 up
		route add default via fd00:100::1
	EOF
	ip -n "$ha" -6 route add $MNP/$MNP_LEN dev mip0 || fail_now "ha route to the MNP"
	dp_ctl "$ha" prefix add $MNP/$MNP_LEN dev mip0 hoa $HOA || fail_now "ha prefix add"
	dp_ctl "$mn" prefix add $MNP/$MNP_LEN dev mip0 hoa $HOA || fail_now "mn prefix add"
	for h in $LAN_HOSTS; do
		dp_echo_start "$lan" $h
	done
}

nprefixes() { dp_devstat "$1" prefixes; }

# refused WANT-MESSAGE MCOACTL-ARGS...: on the HA, fails naming it, and
# the prefix count does not move.
refused()
{
	local want=$1 n0 out

	shift
	n0=$(nprefixes "$ha")
	out=$(dp_ctl "$ha" "$@" 2>&1)
	if [ $? = 0 ]; then
		check_err 1 "'$*' was accepted"
	elif [[ $out != *"$want"* ]]; then
		check_err 1 "'$*': '$out', want '$want'"
	fi
	[ "$(nprefixes "$ha")" = "$n0" ]
	check_err $? "'$*' changed the prefix count $n0 -> $(nprefixes "$ha")"
}

test_refused()
{
	RET=0
	refused "bits set past plen" prefix add fd00:100::1/48 dev mip0 hoa $HOA
	refused "global unicast" prefix add ff0e::/16 dev mip0 hoa $HOA
	refused "global unicast" prefix add fe80::/64 dev mip0 hoa $HOA
	refused "missing \"hoa HOA\"" prefix add fd00:300::/48 dev mip0
	refused "length 1..128" prefix add ::/0 dev mip0 hoa $HOA
	refused "already delegated to this hoa" prefix add $MNP/$MNP_LEN dev mip0 hoa $HOA
	refused "delegated to another hoa" prefix add $MNP/$MNP_LEN dev mip0 hoa $HOA2
	refused "delegated to another hoa" prefix del $MNP/$MNP_LEN dev mip0 hoa $HOA2
	refused "not delegated" prefix del fd00:300::/48 dev mip0
	[ "$(dp_ctl "$ha" -j prefix show dev mip0 | jq -r '.[] | "\(.prefix) \(.hoa)"')" = \
		"$MNP/$MNP_LEN $HOA" ]
	check_err $? "prefix show: $(dp_ctl "$ha" -j prefix show dev mip0)"
	log_test "prefix-new/del refuse bad requests with a message, change nothing"
}

# lan_round: FLOWS_PER_HOST flows from the CN to each LAN host, captured on
# r1..r3. Sets ROUND_OK (0: every echo came back) and writes
#   $DP_TMP/lmap  "HOST SPORT R" per flow (downstream)
#   $DP_TMP/lbad  tunnel packets whose headers are wrong for their router
lan_round()
{
	local i h n=0 sp=$SP0 coa total=0

	ROUND_OK=0
	for i in 1 2 3; do
		dp_cap_start r$i "$(eval echo \$r$i)" dn
	done
	for h in $LAN_HOSTS; do
		dp_send "$cn" $CN_ADDR $h $sp $FLOWS_PER_HOST $PKTS || ROUND_OK=1
		total=$((total + $(awk '{s += $2} END {print s + 0}' "$DP_TMP/send.out")))
		sp=$((sp + FLOWS_PER_HOST))
	done
	busywait 20000 dp_cap_has_total $((2 * total)) r1 r2 r3
	dp_cap_stop
	: > "$DP_TMP/ldown"; : > "$DP_TMP/lbad"
	for i in 1 2 3; do
		coa=$(eval echo \$COA$i)
		dp_cap_text r$i | awk -v r=$i -v ha=$HA_ADDR -v coa=$coa \
			-v cn=$CN_ADDR -v hosts=" $LAN_HOSTS " -v dir="$DP_TMP" '
		$1 == ha && $2 == coa && $3 == cn && index(hosts, " " $4 " ") {
			print $4, $5, r >> (dir "/ldown"); next
		}
		$1 == coa && $2 == ha && index(hosts, " " $3 " ") && $4 == cn { next }
		{ print "r" r ": " $0 >> (dir "/lbad") }'
	done
	awk '{ k = $1 " " $2; if (!(k in m)) m[k] = $3; else if (m[k] != $3) m[k] = "SPLIT" }
	     END { for (k in m) print k, m[k] }' "$DP_TMP/ldown" | sort > "$DP_TMP/lmap"
	echo "# lan round: echo rc $ROUND_OK, $total echoes, flows per CoA:" \
		"$(awk '$3 == 1' "$DP_TMP/lmap" | wc -l)" \
		"$(awk '$3 == 2' "$DP_TMP/lmap" | wc -l)" \
		"$(awk '$3 == 3' "$DP_TMP/lmap" | wc -l)"
}

test_lan_spread()
{
	local i n nflows=$((4 * FLOWS_PER_HOST))

	RET=0
	dp_snap "$ha" ha0
	lan_round
	dp_snap "$ha" ha1
	check_err $ROUND_OK "echoes lost: $(tr '\n' ' ' < "$DP_TMP/send.out")"
	[ ! -s "$DP_TMP/lbad" ]
	check_err $? "tunnel packets with wrong headers: $(head -n 3 "$DP_TMP/lbad")"
	[ "$(wc -l < "$DP_TMP/lmap")" = $nflows ] && ! grep -q SPLIT "$DP_TMP/lmap"
	check_err $? "want $nflows flows each on one CoA: $(tr '\n' ';' < "$DP_TMP/lmap")"
	for i in 1 2 3; do
		n=$(dp_delta ha0 ha1 $i tx_packets)
		[ "$n" -gt 0 ] 2>/dev/null
		check_err $? "the HA sent $n packets over BID $i"
	done
	cp "$DP_TMP/lmap" "$DP_TMP/lmap0"
	log_test "CN -> 4 LAN hosts: $nflows flows over 3 CoAs, replies come back"
}

hoa2_tx() { dp_bindings_json "$ha" $HOA2 | dp_bstat /dev/stdin 1 tx_packets $HOA2; }

test_longest_match()
{
	local t0 t1

	RET=0
	dp_ctl "$ha" binding add dev mip0 hoa $HOA2 bid 1 coa $COA3 peer $HA_ADDR
	check_err $? "binding of HoA2"
	dp_ctl "$ha" prefix add fd00:100:0:5::/64 dev mip0 hoa $HOA2
	check_err $? "prefix add /64 for HoA2"
	t0=$(hoa2_tx)
	in_ns "$cn" $DP_PY -c "$DP_PY_ONESHOT" $CN_ADDR fd00:100:0:5::1 9
	in_ns "$cn" $DP_PY -c "$DP_PY_ONESHOT" $CN_ADDR fd00:100:0:6::1 9
	busywait 5000 eval '[ "$(hoa2_tx)" -ge $((t0 + 1)) ]'
	check_err $? "HoA2's /64 did not take fd00:100:0:5::1 ($t0 -> $(hoa2_tx))"
	dp_ctl "$ha" prefix del fd00:100:0:5::/64 dev mip0 hoa $HOA2
	check_err $? "prefix del /64"
	t1=$(hoa2_tx)
	[ "$t1" = $((t0 + 1)) ]
	check_err $? "HoA2 carried $((t1 - t0)) packets, want 1 (not the /48's)"
	in_ns "$cn" $DP_PY -c "$DP_PY_ONESHOT" $CN_ADDR fd00:100:0:5::1 9
	lan_round
	check_err $ROUND_OK "echoes lost after the /64 went"
	[ "$(hoa2_tx)" = "$t1" ]
	check_err $? "HoA2 still carries the /64's traffic after its deletion"
	log_test "the longest prefix wins; its deletion hands the traffic back"
}

test_spoofed()
{
	local s0 r0 t0

	RET=0
	s0=$(dp_devstat "$ha" rx_spoofed)
	r0=$(dp_bindings_json "$ha" | dp_bstat /dev/stdin 1 rx_packets)
	# from the MR's own CoA, an inner source outside its prefixes
	in_ns "$mn" $PKT6 ip6ip6 $COA1 $HA_ADDR 0 fd00:200::5 $CN_ADDR 0 9 5
	check_err $? "pkt6.py ip6ip6 failed"
	busywait 5000 eval '[ "$(dp_devstat "$ha" rx_spoofed)" -ge $((s0 + 5)) ]'
	check_err $? "outside the prefix: rx_spoofed $s0 -> $(dp_devstat "$ha" rx_spoofed), want +5"
	[ "$(dp_bindings_json "$ha" | dp_bstat /dev/stdin 1 rx_packets)" = "$r0" ]
	check_err $? "a packet from outside the prefix was delivered"
	# from HoA2's CoA (not one of the MR's), a source inside the MR's prefix
	ip -n "$mn" -6 addr add fd00:23::99/64 dev if3 nodad
	ip -n "$mn" -6 rule add from fd00:23::99 lookup 103 pref 104
	dp_ctl "$ha" binding set dev mip0 hoa $HOA2 bid 1 coa fd00:23::99
	check_err $? "HoA2's binding to fd00:23::99"
	in_ns "$mn" $PKT6 ip6ip6 fd00:23::99 $HA_ADDR 0 fd00:100::10 $CN_ADDR 0 9 5
	busywait 5000 eval '[ "$(dp_devstat "$ha" rx_spoofed)" -ge $((s0 + 10)) ]'
	check_err $? "through another HoA's CoA: rx_spoofed $s0 -> $(dp_devstat "$ha" rx_spoofed), want +10"
	# the same through the MR's CoA passes
	in_ns "$mn" $PKT6 ip6ip6 $COA1 $HA_ADDR 0 fd00:100::10 $CN_ADDR 0 9 5
	busywait 5000 eval '[ "$(dp_bindings_json "$ha" | dp_bstat /dev/stdin 1 rx_packets)" -ge $((r0 + 5)) ]'
	check_err $? "a LAN source through the MR's CoA was not delivered"
	log_test "HA: a source outside the prefix, or the prefix via another HoA's CoA, is spoofed"

	RET=0
	t0=$(dp_devstat "$mn" tx_no_binding)
	ip -n "$lan" -6 addr add fd00:200::5/64 dev eth0 nodad
	in_ns "$lan" $DP_PY -c "$DP_PY_ONESHOT" fd00:200::5 $CN_ADDR 9
	busywait 5000 eval '[ "$(dp_devstat "$mn" tx_no_binding)" -ge $((t0 + 1)) ]'
	check_err $? "MR: tx_no_binding $t0 -> $(dp_devstat "$mn" tx_no_binding) for a LAN source outside the prefix"
	ip -n "$lan" -6 addr del fd00:200::5/64 dev eth0
	log_test "MR: a LAN source outside the prefix is not tunnelled"
}

test_cut_uplink()
{
	local moved kept wrong

	RET=0
	dp_ctl "$ha" binding del dev mip0 hoa $HOA bid 2 &&
		dp_ctl "$mn" binding del dev mip0 hoa $HOA bid 2
	check_err $? "binding del BID 2"
	lan_round
	check_err $ROUND_OK "echoes lost without BID 2"
	# every flow of BID 1 or 3 stayed, every flow of BID 2 moved
	kept=$(join -j1 <(awk '{print $1 "/" $2, $3}' "$DP_TMP/lmap0" | sort) \
		<(awk '{print $1 "/" $2, $3}' "$DP_TMP/lmap" | sort) |
		awk '$2 != 2 && $2 != $3' | wc -l)
	moved=$(awk '$3 == 2' "$DP_TMP/lmap" | wc -l)
	wrong=$(awk '$3 == 2' "$DP_TMP/lmap0" | wc -l)
	[ "$kept" = 0 ] && [ "$moved" = 0 ] && [ "$wrong" -gt 0 ]
	check_err $? "$kept flows of BIDs 1/3 moved, $moved still on BID 2 ($wrong were)"
	dp_bind_add "$ha" 2 && dp_bind_add "$mn" 2
	check_err $? "binding add BID 2"
	lan_round
	cmp -s "$DP_TMP/lmap0" "$DP_TMP/lmap"
	check_err $? "flows did not return to their CoAs with BID 2 back"
	log_test "cutting one uplink moves only its $wrong flows; they come back"
}

test_events_and_lifetime()
{
	local i n0

	RET=0
	# HoA2 has its binding from test_longest_match, unless run alone
	dp_ctl "$ha" binding add dev mip0 hoa $HOA2 bid 1 coa $COA3 peer $HA_ADDR 2>/dev/null
	in_ns "$ha" "$MCOACTL" -j monitor dev mip0 > "$DP_TMP/mon" 2>&1 &
	defer kill $!
	# the monitor has joined once a binding event reaches it
	busywait 10000 eval 'dp_ctl "$ha" binding set dev mip0 hoa $HOA2 bid 1 prio 1;
		grep -q "\"change\"" "$DP_TMP/mon"'
	check_err $? "monitor did not start: $(cat "$DP_TMP/mon")"
	dp_ctl "$ha" prefix add fd00:400::/56 dev mip0 hoa $HOA2
	busywait 5000 grep -q '"event":"prefix-new".*"prefix":"fd00:400::/56".*"hoa":"'$HOA2'"' "$DP_TMP/mon"
	check_err $? "no prefix-new event: $(cat "$DP_TMP/mon")"
	dp_ctl "$ha" hoa del dev mip0 hoa $HOA2
	check_err $? "hoa del HoA2"
	busywait 5000 grep -q '"event":"prefix-del".*"prefix":"fd00:400::/56"' "$DP_TMP/mon"
	check_err $? "no prefix-del event with hoa del: $(cat "$DP_TMP/mon")"
	[ "$(dp_ctl "$ha" -j prefix show dev mip0 hoa $HOA2)" = "[]" ]
	check_err $? "HoA2's prefix survived hoa del"
	log_test "prefix events; hoa del takes the HoA's prefixes with it"

	# 100,000 prefixes of 400 other HoAs (250 each, under the per-HoA
	# limit of 256), one length: nothing of the MR changes
	RET=0
	n0=$(nprefixes "$ha")
	for ((i = 0; i < 100000; i++)); do
		printf 'prefix add fd01:%x:%x::/48 dev mip0 hoa fd00:2::%x\n' \
			$((i >> 16)) $((i & 0xffff)) $((i / 250 + 1))
	done > "$DP_TMP/many"
	dp_ctl "$ha" -b "$DP_TMP/many"
	check_err $? "100,000 prefix add lines"
	[ "$(nprefixes "$ha")" = $((n0 + 100000)) ]
	check_err $? "prefixes $n0 -> $(nprefixes "$ha"), want +100000"
	lan_round
	check_err $ROUND_OK "echoes lost beside 100,000 prefixes"
	cmp -s "$DP_TMP/lmap0" "$DP_TMP/lmap"
	check_err $? "the MR's flows moved beside 100,000 prefixes"
	for ((i = 1; i <= 400; i++)); do
		printf 'hoa del dev mip0 hoa fd00:2::%x\n' $i
	done > "$DP_TMP/many"
	dp_ctl "$ha" -b "$DP_TMP/many"
	check_err $? "hoa del of 400 HoAs with 100,000 prefixes"
	[ "$(nprefixes "$ha")" = "$n0" ]
	check_err $? "prefixes $(nprefixes "$ha") after hoa del, want $n0"
	log_test "100,000 prefixes of 400 other HoAs: the MR's flows do not move"

	RET=0
	# device removal with prefixes left in it (mcoa_unload.sh does the
	# same for bindings): the module's WARN_ON and kmemleak would tell
	ip -n "$mn" link del mip0
	check_err $? "link del mip0 on the MR with its prefix"
	[ "$(dmesg | grep -c 'WARNING.*mcoa')" = 0 ]
	check_err $? "WARN in the kernel log"
	log_test "an mcoa device with prefixes is deleted cleanly"
}

mcoa_topology
mcoa_tunnels_static
lan_setup
busywait 30000 ip netns exec "$cn" ping -6 -c 1 -W 1 fd00:100::10 >/dev/null ||
	fail_now "CN cannot ping a LAN host"

test_refused
test_lan_spread
for t in ${PREFIX_TESTS:-longest_match spoofed cut_uplink events_and_lifetime}; do
	test_$t
done
exit $EXIT_STATUS

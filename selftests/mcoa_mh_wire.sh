#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mobility Header on the wire, without the daemon: mh_probe (mh.c, mhsock.c,
# xfrm.c) sends a BU with a Home Address option and BID options from a CoA,
# the HA side answers a BA with a type 2 routing header. tshark decodes the
# capture independently; mh_csum.py checks every MH checksum.
#
#   mn (if1 fd00:21::2, HoA fd00:1::100 "home") --- (ha1 fd00:21::1) ha
#                                                   (hl  fd00:1::1)
source "$(dirname "$0")/lib.sh"

PROBE=$MCOA_TOP/selftests/mh_probe
CSUM=$MCOA_TOP/selftests/mh_csum.py
HA=fd00:1::1
HOA=fd00:1::100
COA=fd00:21::2
TMP=$(mktemp -d)
defer rm -rf "$TMP"

require_command tshark
require_command tcpdump
[ -x "$PROBE" ] || { echo "SKIP: $PROBE not built"; exit "$ksft_skip"; }

setup()
{
	setup_ns mn ha
	ip -n "$mn" link add if1 type veth peer name ha1 netns "$ha"
	ip -n "$mn" link set if1 up
	ip -n "$ha" link set ha1 up
	ip -n "$ha" link add hl type dummy
	ip -n "$ha" link set hl up
	ip -n "$mn" addr add $COA/64 dev if1 nodad
	ip -n "$ha" addr add fd00:21::1/64 dev ha1 nodad
	ip -n "$ha" addr add $HA/64 dev hl nodad
	# RH2 is only delivered to an address flagged IFA_F_HOMEADDRESS
	ip -n "$mn" addr add $HOA/128 dev lo home nodad
	ip -n "$mn" route add fd00:1::/64 via fd00:21::1 dev if1
	busywait 30000 ip netns exec "$mn" ping -6 -c1 -W1 $HA >/dev/null
}

# capture_start FILE: tcpdump on the HA's link until capture_stop.
# --immediate-mode: otherwise packets wait in the capture ring's current
# block (up to 1 s) and are lost when tcpdump is killed right after them.
capture_start()
{
	ip netns exec "$ha" tcpdump -i ha1 --immediate-mode -U -w "$1" ip6 >/dev/null \
		2>"$1.err" &
	CAP_PID=$!
	busywait 60000 grep -q "listening on" "$1.err"
}

capture_stop()
{
	kill "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
}

# probe_ha LOGFILE ARGS...: HA side in the background, returns when ready
probe_ha()
{
	local log=$1; shift

	ip netns exec "$ha" "$PROBE" ha --ha $HA "$@" >"$log" 2>&1 &
	HA_PID=$!
	busywait 60000 grep -q "^ready" "$log"
}

# tshark is slow to start under TCG: decode once, then look fields up.
TS_FIELDS=(mip6.mhtype ipv6.src ipv6.dst ipv6.opt.mipv6.home_address
	   ipv6.opt.type mip6.hlen mip6.bu.seqnr mip6.bu.a_flag mip6.bu.h_flag
	   mip6.bu.b_flag mip6.bu.lifetime mip6.mobility_opt.len mip6.bi.bid
	   mip6.bi.coa_ipv6 mip6.bi.h_flag mip6.bi.status ipv6.routing.type
	   ipv6.routing.segleft ipv6.routing.mipv6.home_address mip6.ba.status
	   mip6.ba.seqnr mip6.ba.lifetime mip6.bra.interval _ws.malformed
	   _ws.expert.message)

# decode PCAP: one line per MH packet (ICMP quotes left out) in $TS
decode()
{
	local f args=()

	for f in "${TS_FIELDS[@]}"; do
		args+=(-e "$f")
	done
	TS=$TMP/fields.txt
	tshark -r "$1" -Y 'mipv6 && !icmpv6' -T fields -E separator='|' \
		-E aggregator=, -E occurrence=a "${args[@]}" >"$TS" 2>/dev/null
	cp "$1" "$MCOA_TOP/build/selftests/" 2>/dev/null
}

# tsf MHTYPE FIELD: the value(s) of FIELD in the first MH of that type
tsf()
{
	local i

	for i in "${!TS_FIELDS[@]}"; do
		[ "${TS_FIELDS[i]}" = "$2" ] && break
	done
	awk -F'|' -v t="$1" -v c=$((i + 1)) '$1 == t { print $c; exit }' "$TS"
}

test_no_xfrm_drops_hao()
{
	local log=$TMP/ha0.log rc

	RET=0
	probe_ha "$log" --no-xfrm --timeout 2000
	check_err $? "HA probe did not start"
	ip netns exec "$mn" "$PROBE" mn --hoa $HOA --coa $COA --ha $HA \
		--bid 1:$COA --no-xfrm --timeout 500 >/dev/null 2>&1
	wait "$HA_PID"
	rc=$?
	[ "$rc" -eq 3 ]
	check_err $? "HAO reached the socket without XFRM state (rc $rc): $(cat "$log")"
	log_test "no RO state: kernel drops the BU with HAO"
}

test_bu_ba()
{
	local hlog=$TMP/ha.log mlog=$TMP/mn.log v

	CAP=$TMP/cap.pcap
	RET=0
	capture_start "$CAP"
	check_err $? "tcpdump did not start"
	probe_ha "$hlog"
	check_err $? "HA probe did not start: $(cat "$hlog")"
	ip netns exec "$mn" "$PROBE" mn --hoa $HOA --coa $COA --ha $HA \
		--seq 4660 --lifetime 60 \
		--bid 1:$COA --bid 2:fd00:22::2 --bid 3 >"$mlog" 2>&1
	check_err $? "MN probe got no BA: $(cat "$mlog")"
	wait "$HA_PID"
	check_err $? "HA probe failed: $(cat "$hlog")"
	capture_stop
	log_test "BU with HAO from CoA, BA with RH2 back (mh_probe)"

	RET=0
	grep -q "^rx type=BU verdict=ok src=$COA dst=$HA hao=$HOA rh2=- seq=4660 flags=0xc040 lifetime=15 nbids=3 bid=1/status=0/h=0/coa=$COA bid=2/status=0/h=0/coa=fd00:22::2 bid=3/status=0/h=0/coa=-$" "$hlog"
	check_err $? "HA view of the BU: $(grep '^rx' "$hlog")"
	grep -q "^rx type=BA verdict=ok src=$HA dst=$COA hao=- rh2=$HOA status=0 seq=4660 lifetime=15 nbids=3 bid=1/status=0/h=0/coa=- bid=2/status=0/h=0/coa=- bid=3/status=0/h=0/coa=-$" "$mlog"
	check_err $? "MN view of the BA: $(grep '^rx' "$mlog")"
	log_test "mhsock reports wire addresses, HAO and RH2"

	decode "$CAP"
	echo "	[tshark done at ${SECONDS}s]"

	RET=0
	v=$(tsf 5 ipv6.src)
	[ "$v" = "$COA" ]; check_err $? "BU ipv6.src '$v'"
	v=$(tsf 5 ipv6.opt.mipv6.home_address)
	[ "$v" = "$HOA" ]; check_err $? "BU HAO '$v'"
	v=$(tsf 5 ipv6.opt.type)
	[ "$v" = "0x01,0xc9" ]; check_err $? "BU dst opt types '$v'"
	v=$(tsf 5 mip6.hlen)
	[ "$v" = 8 ]; check_err $? "BU HdrLen '$v' (want 8: 72 octets)"
	v=$(tsf 5 mip6.bu.seqnr)
	[ "$v" = 4660 ]; check_err $? "BU seq '$v'"
	v=$(tsf 5 mip6.bu.a_flag),$(tsf 5 mip6.bu.h_flag),$(tsf 5 mip6.bu.b_flag)
	[ "$v" = "1,1,1" ]; check_err $? "BU A,H,O(=B in tshark) flags '$v'"
	v=$(tsf 5 mip6.bu.lifetime)
	[ "$v" = 15 ]; check_err $? "BU lifetime '$v'"
	v=$(tsf 5 mip6.mobility_opt.len)
	[ "$v" = "4,20,0,20,4,0" ]; check_err $? "BU option lengths '$v'"
	v=$(tsf 5 mip6.bi.bid)
	[ "$v" = "1,2,3" ]; check_err $? "BU BIDs '$v'"
	v=$(tsf 5 mip6.bi.coa_ipv6)
	[ "$v" = "$COA,fd00:22::2" ]; check_err $? "BU BID CoAs '$v'"
	v=$(tsf 5 mip6.bi.h_flag)
	[ "$v" = "0,0,0" ]; check_err $? "BU BID H flags '$v'"
	log_test "tshark: BU, HAO, BID options (len 20/20/4)"

	RET=0
	v=$(tsf 6 ipv6.dst)
	[ "$v" = "$COA" ]; check_err $? "BA ipv6.dst '$v'"
	v=$(tsf 6 ipv6.routing.type)
	[ "$v" = 2 ]; check_err $? "BA routing type '$v'"
	v=$(tsf 6 ipv6.routing.segleft)
	[ "$v" = 1 ]; check_err $? "BA RH2 segments left '$v'"
	v=$(tsf 6 ipv6.routing.mipv6.home_address)
	[ "$v" = "$HOA" ]; check_err $? "BA RH2 HoA '$v'"
	v=$(tsf 6 mip6.ba.status)
	[ "$v" = 0 ]; check_err $? "BA status '$v'"
	v=$(tsf 6 mip6.ba.seqnr)
	[ "$v" = 4660 ]; check_err $? "BA seq '$v'"
	v=$(tsf 6 mip6.ba.lifetime)
	[ "$v" = 15 ]; check_err $? "BA lifetime '$v'"
	v=$(tsf 6 mip6.bra.interval)
	[ "$v" = 7 ]; check_err $? "BA refresh '$v'"
	v=$(tsf 6 mip6.bi.bid)
	[ "$v" = "1,2,3" ]; check_err $? "BA BIDs '$v'"
	v=$(tsf 6 mip6.bi.status)
	[ "$v" = "0,0,0" ]; check_err $? "BA BID status '$v'"
	v=$(tsf 6 mip6.mobility_opt.len)
	[ "$v" = "2,4,4,4,4" ]; check_err $? "BA option lengths '$v'"
	log_test "tshark: BA, RH2, BRA, echoed BID options"

	RET=0
	v=$(tsf 5 _ws.malformed)$(tsf 5 _ws.expert.message)
	v=$v$(tsf 6 _ws.malformed)$(tsf 6 _ws.expert.message)
	[ -z "$v" ]; check_err $? "tshark complains: '$v'"
	"$CSUM" "$CAP" >"$TMP/csum.log"
	check_err $? "checksums: $(cat "$TMP/csum.log")"
	grep -q "^mh type=5 csum=ok src=$HOA dst=$HA opts=1:4,35:20,1:0,35:20,35:4,1:0$" "$TMP/csum.log"
	check_err $? "BU bytes: $(grep 'type=5' "$TMP/csum.log")"
	grep -q "^mh type=6 csum=ok src=$HA dst=$HOA opts=2:2,35:4,35:4,35:4,1:4$" "$TMP/csum.log"
	check_err $? "BA bytes: $(grep 'type=6' "$TMP/csum.log")"
	log_test "tshark: no malformed; type 35 and checksums right (mh_csum.py)"
}

# What does the kernel compute with a HAO in IPV6_DSTOPTS? (the reason
# mhsock.c checksums in user space). Prints the finding and asserts that
# the HA's receive path (mhsock, kernel-verified checksum) and the
# independent mh_csum.py agree on it: a bad checksum is dropped and
# counted, a good one delivered.
test_kernel_csum_with_hao()
{
	local hlog=$TMP/hak.log cap=$TMP/kcsum.pcap res rx

	RET=0
	capture_start "$cap"
	probe_ha "$hlog" --timeout 5000
	ip netns exec "$mn" "$PROBE" mn --hoa $HOA --coa $COA --ha $HA \
		--bid 1:$COA --kernel-csum --timeout 500 >/dev/null 2>&1
	wait "$HA_PID"
	capture_stop
	res=$("$CSUM" "$cap" | grep 'type=5' | head -1)
	echo "	kernel-filled checksum of a BU with HAO: ${res:-no BU captured}"
	echo "	HA: $(grep -m1 '^rx' "$hlog")"
	rx=$(grep -m1 '^rx' "$hlog")
	case "$res" in
	*csum=bad*)	[[ "$rx" == *bad_csum=1* ]] ;;
	*csum=ok*)	[[ "$rx" == "rx type=BU"* ]] ;;
	*)		false ;;
	esac
	check_err $? "mh_csum.py '${res:-no BU captured}' but HA '$rx'"
	log_test "kernel checksum with HAO cmsg: mh_csum.py and the HA agree"
}

for step in setup test_no_xfrm_drops_hao test_bu_ba test_kernel_csum_with_hao; do
	$step
	echo "	[$step done at ${SECONDS}s]"
done
exit "$EXIT_STATUS"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Home agent rules of RFC 5648 s.6.2, driven with hand-made BUs (bu_send)
# against a real mcoad: BA status and echoed BID options (checked by
# bu_send and, independently, by tshark on the HA), kernel bindings, proxy
# ND and the HoA route.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

require_command jq
require_command tshark
require_command tcpdump
[ -x "$BU_SEND" ] || { echo "SKIP: $BU_SEND not built"; exit $ksft_skip; }

# expect_ba NAME EXPECTED-BA-LINE BU-ARGS...
expect_ba()
{
	local name=$1 want=$2 got; shift 2

	got=$(bu "$@")
	[ "$got" = "$want" ]
	check_err $? "$name: got '$got', want '$want'"
}

proxy_present() { ip -n "$ha" -6 neigh show proxy | grep -q "$HOA"; }
route_present() { ip -n "$ha" -6 route show "$HOA/128" | grep -q mip0; }

test_bulk()
{
	RET=0
	# no A flag: a home registration is acknowledged anyway
	expect_ba "bulk" "BA status 0 seq 10 lifetime 60 bids 1:0,2:0,3:0" \
		--src "$COA1" --seq 10 --lifetime 60 -O --no-ack \
		--bid "1,coa=$COA1" --bid "2,coa=$COA2" --bid "3,coa=$COA3"
	[ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "kernel bindings: $(kbids "$ha")"
	[ "$(kcoa "$ha" 2)" = "$COA2" ]
	check_err $? "bid 2 coa $(kcoa "$ha" 2)"
	[ "$(kbind "$ha" | jq -r '.[0].lifetime')" = 60 ]
	check_err $? "kernel lifetime not 60"
	proxy_present
	check_err $? "no proxy ND entry for the HoA"
	route_present
	check_err $? "no route for the HoA via mip0"
	log_test "bulk registration: 3 BIDs, BA echoes BID options, kernel, proxy ND, route"
}

test_lifetime_policy()
{
	RET=0
	expect_ba "policy" "BA status 0 seq 11 lifetime 120 bids 1:0" \
		--src "$COA1" --seq 11 --lifetime 4000 --bid 1
	log_test "lifetime granted by policy (max-lifetime 120)"
}

test_update()
{
	RET=0
	expect_ba "update" "BA status 0 seq 12 lifetime 60 bids 2:0" \
		--src "$COA1" --seq 12 --bid "2,coa=fd00:22::99"
	[ "$(kcoa "$ha" 2)" = "fd00:22::99" ]
	check_err $? "bid 2 not moved: $(kcoa "$ha" 2)"
	[ "$(kcoa "$ha" 1)" = "$COA1" ] && [ "$(kcoa "$ha" 3)" = "$COA3" ]
	check_err $? "other bindings changed"
	expect_ba "update back" "BA status 0 seq 13 lifetime 60 bids 2:0" \
		--src "$COA1" --seq 13 --bid "2,coa=$COA2"
	log_test "per-BID update leaves other bindings alone"
}

test_partial()
{
	RET=0
	expect_ba "partial" "BA status 4 seq 14 lifetime 60 bids 1:0,9:167" \
		--src "$COA1" --seq 14 --bid 1 --bid 9
	[ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "kernel bindings: $(kbids "$ha")"
	log_test "bulk partial failure: BA 4 NOTCOMPLETE, per-BID 167"
}

test_selective_dereg()
{
	RET=0
	expect_ba "dereg" "BA status 0 seq 15 lifetime 0 bids 3:0" \
		--src "$COA1" --seq 15 --lifetime 0 --bid 3
	[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel bindings: $(kbids "$ha")"
	expect_ba "dereg unknown" "BA status 133 seq 16 lifetime 0 bids 7:0" \
		--src "$COA1" --seq 16 --lifetime 0 --bid 7
	[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel bindings changed by a refused BU"
	log_test "selective de-registration, 133 for an unknown BID"
}

test_seq()
{
	RET=0
	expect_ba "old seq" "BA status 135 seq 15 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 3 --bid 1
	expect_ba "half window" "BA status 135 seq 15 lifetime 0 bids 1:0" \
		--src "$COA1" --seq $((15 + 32768)) --bid 1
	log_test "sequence number out of window: 135 with the last accepted"
}

test_malformed()
{
	RET=0
	expect_ba "len 12" "BA status 164 seq 17 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 17 --bid 1 --bid 2,len=12
	[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel bindings changed by a malformed BU"
	log_test "malformed BID option: 164, nothing changes"
}

test_legacy()
{
	RET=0
	expect_ba "legacy" "BA status 0 seq 20 lifetime 60 bids -" \
		--src "$COA3" --seq 20
	[ "$(kbind "$ha" | jq -r 'length, .[0].legacy, .[0].coa' | tr '\n' ' ')" = "1 true $COA3 " ]
	check_err $? "kernel: $(kbind "$ha" | jq -c '[.[] | {bid, coa, legacy}]')"
	expect_ba "165" "BA status 165 seq 21 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 21 --bid "1,coa=$COA1"
	expect_ba "O replaces" "BA status 0 seq 22 lifetime 60 bids 1:0,2:0" \
		--src "$COA1" --seq 22 -O --bid "1,coa=$COA1" --bid "2,coa=$COA2"
	[ "$(kbind "$ha" | jq -r '[.[].legacy] | any')" = false ] &&
		[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel after O: $(kbind "$ha" | jq -c '[.[] | {bid, legacy}]')"
	log_test "legacy BU replaces all; 165 without O; O replaces the legacy one"
}

test_overwrite()
{
	RET=0
	expect_ba "O" "BA status 0 seq 23 lifetime 60 bids 3:0" \
		--src "$COA1" --seq 23 -O --bid "3,coa=$COA3"
	[ "$(kbids "$ha")" = "3" ]
	check_err $? "kernel bindings: $(kbids "$ha")"
	log_test "O flag replaces every binding"
}

test_dereg_all()
{
	RET=0
	expect_ba "dereg all" "BA status 0 seq 24 lifetime 0 bids -" \
		--src "$COA1" --seq 24 --lifetime 0
	[ -z "$(kbids "$ha")" ]
	check_err $? "kernel bindings left: $(kbids "$ha")"
	proxy_present
	check_fail $? "proxy ND entry still there"
	route_present
	check_fail $? "HoA route still there"
	log_test "de-registration of all: bindings, proxy ND and route removed"
}

test_tshark()
{
	local out

	RET=0
	cap_stop ha
	# the bulk BA: status 0, three BID options 1,2,3 all with status 0
	out=$(tshark_mh ha "mip6.mhtype == 6 && mip6.ba.seqnr == 10" \
		mip6.ba.status mip6.bi.bid mip6.bi.status)
	[ "$out" = "0 1,2,3 0,0,0" ]
	check_err $? "bulk BA decoded as '$out'"
	out=$(tshark_mh ha "mip6.mhtype == 6 && mip6.ba.seqnr == 14" \
		mip6.ba.status mip6.bi.bid mip6.bi.status)
	[ "$out" = "4 1,9 0,167" ]
	check_err $? "partial BA decoded as '$out'"
	# BU seq 10 carried the O flag (Wireshark calls it B) and three CoAs
	out=$(tshark_mh ha "mip6.mhtype == 5 && mip6.bu.seqnr == 10" \
		mip6.bu.b_flag mip6.bi.coa_ipv6)
	[ "$out" = "1 $COA1,$COA2,$COA3" ]
	check_err $? "bulk BU decoded as '$out'"
	log_test "tshark: BA status and BID options on the wire"
}

test_policy_refusals()
{
	RET=0
	stop_daemon "$HA_PID"
	start_ha "allow-bulk no"
	expect_ba "168" "BA status 168 seq 30 lifetime 0 bids 1:0,2:0" \
		--src "$COA1" --seq 30 --bid "1,coa=$COA1" --bid "2,coa=$COA2"
	expect_ba "single ok" "BA status 0 seq 31 lifetime 60 bids 1:0" \
		--src "$COA1" --seq 31 --bid "1,coa=$COA1"
	stop_daemon "$HA_PID"
	start_ha "allow-mcoa no"
	expect_ba "166" "BA status 166 seq 32 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 32 --bid "1,coa=$COA1"
	log_test "166 MCOA PROHIBITED and 168 BULK PROHIBITED by configuration"
}

daemon_setup
cap_start "$ha" ha
start_ha "max-lifetime 120"
test_bulk
test_lifetime_policy
test_update
test_partial
test_selective_dereg
test_seq
test_malformed
test_legacy
test_overwrite
test_dereg_all
test_tshark
test_policy_refusals
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Home agent rules of RFC 5648 s.6.2, driven with hand-made BUs (bu_send)
# against a real mcoad: BA status and echoed BID options (checked by
# bu_send and, independently, by tshark on the HA), kernel bindings, proxy
# ND and the HoA route.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

CSUM=$MCOA_TOP/selftests/mh_csum.py

require_command jq
require_command tshark
require_command tcpdump
[ -x "$BU_SEND" ] || { echo "SKIP: $BU_SEND not built"; exit $ksft_skip; }

# Lifetimes that outlast the test on a slow (debug) kernel too: times
# MCOA_WAIT_MULT, at most mcoad's default max-lifetime (300 s)
LT=$((60 * ${MCOA_WAIT_MULT:-1}))
[ "$LT" -le 300 ] || LT=300
MAXLT=$((2 * LT))
BU_LIFETIME=$LT		# daemon_lib.sh's bu()

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
ll_proxy_present() { ip -n "$ha" -6 neigh show proxy | grep -q "^fe80::100 "; }

test_bulk()
{
	RET=0
	# no A flag: a home registration is acknowledged anyway
	expect_ba "bulk" "BA status 0 seq 10 lifetime $LT bids 1:0,2:0,3:0" \
		--src "$COA1" --seq 10 --lifetime $LT -O -L --no-ack \
		--bid "1,coa=$COA1" --bid "2,coa=$COA2" --bid "3,coa=$COA3"
	[ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "kernel bindings: $(kbids "$ha")"
	[ "$(kcoa "$ha" 2)" = "$COA2" ]
	check_err $? "bid 2 coa $(kcoa "$ha" 2)"
	[ "$(kbind "$ha" | jq -r '.[0].lifetime')" = "$LT" ]
	check_err $? "kernel lifetime not $LT"
	proxy_present
	check_err $? "no proxy ND entry for the HoA"
	route_present
	check_err $? "no route for the HoA via mip0"
	# L flag: the link-local address with the HoA's IID is defended too
	ll_proxy_present
	check_err $? "no proxy ND entry for fe80::100 (L flag)"
	log_test "bulk registration: 3 BIDs, BA echoes BID options, kernel, proxy ND (+L), route"
}

test_lifetime_policy()
{
	RET=0
	expect_ba "policy" "BA status 0 seq 11 lifetime $MAXLT bids 1:0" \
		--src "$COA1" --seq 11 --lifetime 4000 --bid 1
	log_test "lifetime granted by policy (max-lifetime $MAXLT)"
}

test_update()
{
	RET=0
	expect_ba "update" "BA status 0 seq 12 lifetime $LT bids 2:0" \
		--src "$COA1" --seq 12 --bid "2,coa=fd00:22::99"
	[ "$(kcoa "$ha" 2)" = "fd00:22::99" ]
	check_err $? "bid 2 not moved: $(kcoa "$ha" 2)"
	[ "$(kcoa "$ha" 1)" = "$COA1" ] && [ "$(kcoa "$ha" 3)" = "$COA3" ]
	check_err $? "other bindings changed"
	expect_ba "update back" "BA status 0 seq 13 lifetime $LT bids 2:0" \
		--src "$COA1" --seq 13 --bid "2,coa=$COA2"
	log_test "per-BID update leaves other bindings alone"
}

test_partial()
{
	RET=0
	expect_ba "partial" "BA status 4 seq 14 lifetime $LT bids 1:0,9:167" \
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
	# issue 10 item 1: H=0 against home bindings is a type change
	expect_ba "H=0" "BA status 139 seq 40 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 40 --no-home --bid 1
	log_test "sequence number out of window: 135 with the last accepted; H=0: 139"
}

test_malformed()
{
	RET=0
	expect_ba "len 12" "BA status 164 seq 17 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 17 --bid 1 --bid 2,len=12
	[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel bindings changed by a malformed BU"
	# issue 10 item 4: an old BU gets 135 even when it is also malformed
	expect_ba "old and malformed" "BA status 135 seq 15 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 3 --bid 1 --bid 2,len=12
	log_test "malformed BID option: 164 after the sequence check, nothing changes"
}

test_legacy()
{
	RET=0
	expect_ba "legacy" "BA status 0 seq 20 lifetime $LT bids -" \
		--src "$COA3" --seq 20
	[ "$(kbind "$ha" | jq -r 'length, .[0].legacy, .[0].coa' | tr '\n' ' ')" = "1 true $COA3 " ]
	check_err $? "kernel: $(kbind "$ha" | jq -c '[.[] | {bid, coa, legacy}]')"
	expect_ba "165" "BA status 165 seq 21 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 21 --bid "1,coa=$COA1"
	expect_ba "O replaces" "BA status 0 seq 22 lifetime $LT bids 1:0,2:0" \
		--src "$COA1" --seq 22 -O --bid "1,coa=$COA1" --bid "2,coa=$COA2"
	[ "$(kbind "$ha" | jq -r '[.[].legacy] | any')" = false ] &&
		[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel after O: $(kbind "$ha" | jq -c '[.[] | {bid, legacy}]')"
	log_test "legacy BU replaces all; 165 without O; O replaces the legacy one"
}

test_overwrite()
{
	RET=0
	expect_ba "O" "BA status 0 seq 23 lifetime $LT bids 3:0" \
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
	# the tombstone lasts MAX_DELETE_BCE_TIMEOUT (10 s) from here: its
	# BU goes at once, not after the checks below (seconds each on a
	# debug kernel)
	TOMB_BA=$(bu --src "$COA1" --seq 23 -O --bid "3,coa=$COA3")
	[ -z "$(kbids "$ha")" ]
	check_err $? "kernel bindings left: $(kbids "$ha")"
	proxy_present
	check_fail $? "proxy ND entry still there"
	route_present
	check_fail $? "HoA route still there"
	ll_proxy_present
	check_fail $? "proxy ND entry for fe80::100 still there"
	log_test "de-registration of all: bindings, proxy ND and route removed"
}

# issue 10: MAX_DELETE_BCE_TIMEOUT; the BU went in test_dereg_all
test_tombstone()
{
	local want="BA status 135 seq 24 lifetime 0 bids 3:0"

	RET=0
	[ "$TOMB_BA" = "$want" ]
	check_err $? "delayed old BU: got '$TOMB_BA', want '$want'"
	[ -z "$(kbids "$ha")" ] && ! proxy_present
	check_err $? "an old BU re-created the binding: $(kbids "$ha")"
	log_test "tombstone: a delayed old BU after de-registration gets 135"
}

# issue 10: a BU must never take an address that is in use
test_address_in_use()
{
	local got

	RET=0
	# the BAs go to those HoAs by RH2, which the MN does not own: count
	bu --src "$COA1" --hoa "$HA_ADDR" --seq 41 --bid "1,coa=$COA1" \
		--wait 500 >/dev/null
	bu --src "$COA1" --hoa fd00:1:: --seq 42 --bid "1,coa=$COA1" \
		--wait 500 >/dev/null
	bu --src "$COA1" --hoa fd00:1::fdff:ffff:ffff:fffe --seq 43 \
		--bid "1,coa=$COA1" --wait 500 >/dev/null
	# the correspondent's address: duplicate address detection finds it
	bu --src "$COA1" --hoa "$CN_ADDR" --seq 45 --bid "1,coa=$COA1" \
		--wait 500 >/dev/null
	busywait 5000 eval '[ "$(ha_view | jq -c "[.stats.status[\"134\"], .stats.status[\"129\"]]")" = "[2,2]" ]'
	check_err $? "statuses 134, 129 counted: $(ha_view | jq -c .stats.status), want 134: 2, 129: 2"
	grep -q "$CN_ADDR is in use on hl" "$D/ha.log"
	check_err $? "DAD did not find $CN_ADDR"
	# the correspondent registers its own address, without HAO: dropped
	got=$(ip netns exec "$cn" "$BU_SEND" --ha "$HA_ADDR" --hoa "$CN_ADDR" \
		--src "$CN_ADDR" --no-hao --seq 44 --bid "1,coa=$COA1" --wait 1500)
	[ "$got" = "no BA" ]
	check_err $? "BU without HAO answered: $got"
	[ "$(ha_view | jq -r .stats.dropped_no_hao)" = 1 ]
	check_err $? "dropped_no_hao: $(ha_view | jq -c .stats)"
	[ -z "$(kbids "$ha")" ]
	check_err $? "kernel bindings: $(kbind "$ha" | jq -c '[.[] | {hoa, bid}]')"
	! ip -n "$ha" -6 neigh show proxy | grep -qE "fd00:1::(1|10|fdff:ffff:ffff:fffe)? "
	check_err $? "proxy ND for an address in use: $(ip -n "$ha" -6 neigh show proxy)"
	ip netns exec "$cn" ping -6 -q -c 1 -W 2 "$HA_ADDR" >/dev/null
	check_err $? "the correspondent lost the HA"
	log_test "HA address and CN (DAD) 134, reserved anycast 129, registration without HAO dropped"
}

# A HoA the kernel holds a binding of that the HA did not make (here an
# operator's static one) is not a BU's to take: 129, the binding stays.
test_operator_binding()
{
	local n129 got

	RET=0
	in_ns "$ha" "$MCOACTL" binding add dev mip0 hoa fd00:1::600 bid 1 \
		coa fd00:21::9 peer "$HA_ADDR" || fail_now "static binding"
	n129=$(ha_view | jq '.stats.status["129"] // 0')
	# the BA goes to fd00:1::600 by RH2, which the MN does not own: count
	bu --src "$COA1" --hoa fd00:1::600 --seq 50 --bid "1,coa=$COA1" \
		--wait 500 >/dev/null
	busywait 5000 eval '[ "$(ha_view | jq ".stats.status[\"129\"] // 0")" = $((n129 + 1)) ]'
	check_err $? "129 not counted: $(ha_view | jq -c .stats.status), had $n129"
	got=$(kbind "$ha" | jq -r '.[] | select(.hoa == "fd00:1::600") | "\(.bid) \(.coa) \(.lifetime)"')
	[ "$got" = "1 fd00:21::9 0" ]
	check_err $? "static binding changed: '$got'"
	grep -q "fd00:1::600: the kernel holds 1 binding(s) of it that this home agent did not make: 129" "$D/ha.log"
	check_err $? "no log line for the refusal"
	! ip -n "$ha" -6 neigh show proxy | grep -q "^fd00:1::600 "
	check_err $? "proxy ND for the operator's HoA"
	in_ns "$ha" "$MCOACTL" binding del dev mip0 hoa fd00:1::600 bid 1
	log_test "BU for a HoA with an operator's static binding: 129, binding untouched"
}

# issue 10: Binding Error status 1 for a HAO without binding, rate limited
test_binding_error()
{
	local got tx lim t0 el max

	RET=0
	got=$(bu --src "$COA1" --type 0 --wait 2000)
	[ "$got" = "BE status 1 hoa $HOA" ]
	check_err $? "BRR with HAO, no binding: got '$got'"
	# the HAO is checked before the type: status 1, not 2
	got=$(bu --src "$COA1" --type 30 --wait 2000)
	[ "$got" = "BE status 1 hoa $HOA" ]
	check_err $? "unknown type with HAO, no binding: got '$got'"
	got=$(bu --src "$COA1" --no-hao --type 30 --wait 2000)
	[ "$got" = "BE status 2 hoa ::" ]
	check_err $? "unknown type without HAO: got '$got'"
	tx=$(ha_view | jq .stats.be_tx)
	lim=$(ha_view | jq .stats.be_limited)
	t0=$(date +%s%3N)
	bu --src "$COA1" --type 0 --count 50 --wait 0 >/dev/null
	busywait 5000 eval '[ $(( $(ha_view | jq .stats.be_tx) + $(ha_view | jq .stats.be_limited) )) -ge $((tx + lim + 50)) ]'
	check_err $? "50 BRRs with HAO not all seen: $(ha_view | jq -c .stats)"
	# a burst of 10, then one per 100 ms (ha_bu.h) while the 50 came in:
	# about 1 s here, seconds on a debug kernel
	el=$(( $(date +%s%3N) - t0 ))
	max=$(( 10 + el / 100 + 1 ))
	[ $(( $(ha_view | jq .stats.be_tx) - tx )) -le $max ] &&
		{ [ "$el" -ge 4000 ] || [ "$(ha_view | jq .stats.be_limited)" -gt "$lim" ]; }
	check_err $? "Binding Errors not rate limited: at most $max in $el ms: $(ha_view | jq -c .stats)"
	log_test "Binding Error 1 for a HAO without binding (2 without HAO), rate limited"
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
	# every BA: checksum right by mh_csum.py's independent code, and its
	# BID options without CoA (length 4, RFC 5648 s.4.3; issue 10 item 5)
	"$CSUM" "$D/ha.pcap" > "$D/csum.log"
	out=$(grep -c '^mh type=6 csum=ok ' "$D/csum.log")
	[ "$out" -ge 15 ]
	check_err $? "$out good BAs: $(grep 'type=6' "$D/csum.log" | head -3)"
	! grep '^mh type=6 ' "$D/csum.log" | grep -qE 'csum=bad|35:(8|20)'
	check_err $? "bad BA: $(grep '^mh type=6 ' "$D/csum.log" | grep -E 'csum=bad|35:(8|20)' | head -3)"
	grep -q '^mh type=6 csum=ok .*opts=35:4,35:4,35:4' "$D/csum.log"
	check_err $? "bulk BA options: $(grep -m1 'type=6' "$D/csum.log")"
	log_test "tshark: BA status and BID options on the wire; BA checksums (mh_csum.py)"
}

test_policy_refusals()
{
	RET=0
	stop_daemon "$HA_PID"
	start_ha "allow-bulk no"
	expect_ba "168" "BA status 168 seq 30 lifetime 0 bids 1:0,2:0" \
		--src "$COA1" --seq 30 --bid "1,coa=$COA1" --bid "2,coa=$COA2"
	expect_ba "single ok" "BA status 0 seq 31 lifetime $LT bids 1:0" \
		--src "$COA1" --seq 31 --bid "1,coa=$COA1"
	stop_daemon "$HA_PID"
	start_ha "allow-mcoa no"
	expect_ba "166" "BA status 166 seq 32 lifetime 0 bids 1:0" \
		--src "$COA1" --seq 32 --bid "1,coa=$COA1"
	log_test "166 MCOA PROHIBITED and 168 BULK PROHIBITED by configuration"
}

# issue 11: limits. max-bindings-per-hoa: 130 in the BID options over it
# (BA 4), a refresh at the limit goes through; max-bu-rate: a flood from
# one source is dropped unanswered and counted
test_limits()
{
	local rx tx dropped answered

	RET=0
	stop_daemon "$HA_PID"
	start_ha "max-bindings-per-hoa 2" "max-bu-rate 5"
	[ "$(ha_view | jq -c .limits)" = '{"max_bindings_per_hoa":2,"max_hoas_per_source":16,"max_hoas":10000,"max_bu_rate":5}' ]
	check_err $? "limits shown: $(ha_view | jq -c .limits)"
	expect_ba "3 BIDs, 2 allowed" "BA status 4 seq 50 lifetime $LT bids 1:0,2:0,3:130" \
		--src "$COA1" --seq 50 --lifetime $LT -O \
		--bid "1,coa=$COA1" --bid "2,coa=$COA2" --bid "3,coa=$COA3"
	[ "$(kbids "$ha")" = "1 2" ]
	check_err $? "kernel bindings over the limit: $(kbids "$ha")"
	expect_ba "refresh at the limit" "BA status 4 seq 51 lifetime $LT bids 1:0,2:0,3:130" \
		--src "$COA1" --seq 51 --lifetime $LT --bid 1 --bid 2 --bid "3,coa=$COA3"
	[ "$(ha_view | jq -c '[.stats.refused_bindings_per_hoa, .stats.status["4"]]')" = "[2,2]" ]
	check_err $? "refused_bindings_per_hoa: $(ha_view | jq -c .stats)"
	# 30 BUs back to back from one source: at most 5 a second (10 if
	# they straddle a second) are answered, the others dropped
	rx=$(ha_view | jq .stats.bu_rx)
	tx=$(ha_view | jq .stats.ba_tx)
	bu --src "$COA2" --seq 52 --lifetime $LT --bid 1 --count 30 --wait 0 >/dev/null
	busywait 5000 eval '[ "$(ha_view | jq .stats.bu_rx)" -ge $((rx + 30)) ]'
	check_err $? "30 BUs not all received: $(ha_view | jq -c .stats)"
	dropped=$(ha_view | jq .stats.dropped_bu_rate)
	answered=$(( $(ha_view | jq .stats.ba_tx) - tx ))
	[ "$dropped" -ge 20 ] && [ $((dropped + answered)) = 30 ]
	check_err $? "rate limit: $dropped dropped, $answered answered of 30"
	log_test "limits: max-bindings-per-hoa 130 per BID, max-bu-rate drops a flood ($dropped of 30)"
}

daemon_setup
cap_start "$ha" ha
start_ha "max-lifetime $MAXLT"
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
test_tombstone
test_address_in_use
test_operator_binding
test_binding_error
test_tshark
test_policy_refusals
test_limits
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

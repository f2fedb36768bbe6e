#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mobile node rules of RFC 5648 s.5 with real daemons on both ends:
# bootstrap bulk registration with O, traffic, an uplink going down
# (selective de-registration, flows move) and coming back, BRR answered,
# retransmission backoff, fallback to RFC 6275 on 166.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

require_command jq
require_command tshark
require_command tcpdump
require_command tc

mn_state() { mn_view | jq -r ".bul[] | select(.bid == $1) | .state"; }

test_bootstrap()
{
	local out

	RET=0
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	[ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "HA kernel: '$(kbids "$ha")'"
	[ "$(kbind "$mn" | jq -r '.[] | select(.bid == 2) | .link_dev')" = if2 ]
	check_err $? "MN binding 2 does not leave by if2"
	# one BU registered everything: O set, three BID options with CoAs
	cap_stop ha
	out=$(tshark_mh ha "mip6.mhtype == 5" mip6.bu.b_flag mip6.bi.bid \
		mip6.bi.coa_ipv6 | head -n 1)
	[ "$out" = "1 1,2,3 $COA1,$COA2,$COA3" ]
	check_err $? "first BU decoded as '$out'"
	log_test "bootstrap: one bulk BU with O and 3 CoAs; kernels agree"
}

test_traffic()
{
	RET=0
	ping_hoa 5
	check_err $? "CN cannot ping the HoA"
	log_test "traffic CN <-> HoA through the HA and the tunnels"
}

test_link_down()
{
	RET=0
	ip -n "$mn" link set if2 down
	wait_kbids "$mn" "1 3" 3000
	check_err $? "MN kernel still has: '$(kbids "$mn")'"
	wait_ha_bids "1 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$ha" "1 3"
	check_err $? "HA kernel: '$(kbids "$ha")'"
	ping_hoa 5
	check_err $? "no traffic after losing if2"
	log_test "uplink down: selective de-registration of BID 2, traffic stays"
}

test_link_up()
{
	RET=0
	ip -n "$mn" link set if2 up
	ip -n "$mn" route replace default via fd00:22::1 dev if2 table 102
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	[ "$(kcoa "$ha" 2)" = "$COA2" ]
	check_err $? "HA bid 2 coa: $(kcoa "$ha" 2)"
	ping_hoa 3
	check_err $? "no traffic after if2 came back"
	log_test "uplink back: BID 2 registered again"
}

# log_time: the seconds stamp of an mcoad log line on stdin
log_time() { sed -E 's/^mcoad\[([0-9]+\.[0-9]+)\].*/\1/'; }

# bu_after T: time of the MN's first BU sent after T
bu_after()
{
	grep "BU seq" "$D/mn.log" | log_time |
		awk -v t="$1" '$1 + 0 > t + 0 { print; exit }'
}

test_brr()
{
	local brr_t bu_t

	RET=0
	# max-lifetime 12 and brr-lead 10: the HA asks at 6 s, before the
	# MN's own refresh at 80 %
	busywait 15000 eval '[ "$(ha_view | jq .stats.brr_tx)" -ge 1 ]'
	check_err $? "HA sent no BRR"
	busywait 5000 eval '[ "$(mn_view | jq .stats.brr_rx)" -ge 1 ]'
	check_err $? "MN got no BRR"
	# the BRR (at half the 12 s) is answered at once, not by the MN's own
	# refresh at 80 % (seconds later): a BU must follow it within 1 s
	brr_t=$(grep -m1 "BRR for" "$D/mn.log" | log_time)
	busywait 5000 eval '[ -n "$(bu_after "$brr_t")" ]'
	bu_t=$(bu_after "$brr_t")
	awk -v a="$brr_t" -v b="$bu_t" -v m="${MCOA_WAIT_MULT:-1}" 'BEGIN { exit !(b != "" && b - a < m) }'
	check_err $? "BRR at ${brr_t}s answered by a BU at '${bu_t}'s"
	sleep 8		# one more lifetime: the bindings must survive it
	[ "$(ha_bids)" = "1 2 3" ] && [ "$(kbids "$mn")" = "1 2 3" ]
	check_err $? "bindings lost: HA '$(ha_bids)' MN '$(kbids "$mn")'"
	log_test "BRR before expiry answered; bindings refreshed"
}

# issue 10: the first uplink is up but loses every packet; signalling
# goes over the others and every binding stays registered
test_blackholed_uplink()
{
	local acc

	RET=0
	stop_daemon "$MN_PID"
	ip netns exec "$mn" "$MCOACTL" binding flush dev mip0
	tc -n "$mn" qdisc add dev if1 root netem loss 100%
	check_err $? "no netem on if1"
	# without probes (mcoa_daemon_liveness.sh takes a dead uplink out):
	# the BUs alone must get around it
	start_mn "probe no"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	wait_ha_bids "1 2 3"
	check_err $? "HA: '$(ha_bids)'"
	# lifetime 12 s: two more accepted BUs (refreshes, BRR answers)
	acc=$(ha_view | jq .stats.accepted)
	busywait 25000 eval '[ "$(ha_view | jq .stats.accepted)" -ge $((acc + 2)) ]'
	check_err $? "no refresh got through: accepted $(ha_view | jq .stats.accepted)"
	[ "$(ha_bids)" = "1 2 3" ] && [ "$(kbids "$mn")" = "1 2 3" ]
	check_err $? "bindings lost: HA '$(ha_bids)' MN '$(kbids "$mn")'"
	tc -n "$mn" qdisc del dev if1 root
	log_test "first uplink blackholed: BUs over the others, all bindings stay"
}

test_retransmit()
{
	local t

	RET=0
	stop_daemon "$HA_PID"
	stop_daemon "$MN_PID"
	ip netns exec "$mn" "$MCOACTL" binding flush dev mip0
	: > "$D/mn.log"
	start_mn "lifetime 60"
	busywait 9000 eval '[ "$(grep -c "BU seq" "$D/mn.log")" -ge 3 ]'
	check_err $? "fewer than 3 BU transmissions"
	# intervals between the first three transmissions: ~1.5 s then ~3 s
	t=$(grep "BU seq" "$D/mn.log" | head -n 3 |
		sed -E 's/^mcoad\[([0-9]+\.[0-9]+)\].*/\1/' |
		awk 'NR > 1 { printf "%.1f ", $1 - p } { p = $1 }')
	awk -v t="$t" 'BEGIN { split(t, a, " ");
		exit !(a[1] >= 1.3 && a[1] <= 2.0 && a[2] >= 2.8 && a[2] <= 3.6) }'
	check_err $? "retransmission intervals '$t', want ~1.5 ~3"
	log_test "retransmission: InitialBindackTimeoutFirstReg 1.5 s, doubling"
}

test_fallback_166()
{
	local bid coa

	RET=0
	start_ha "allow-mcoa no"
	busywait 20000 eval '[ "$(kbind "$ha" | jq -r ".[0].legacy")" = true ]'
	check_err $? "no legacy binding at the HA: $(kbind "$ha" | jq -c .)"
	[ "$(mn_view | jq -r .mcoa)" = false ]
	check_err $? "MN still in MCoA mode"
	# the link bound is the one whose BU the new HA answered first
	# (retransmissions rotate): any one of them, and only that one
	coa=$(kbind "$ha" | jq -r '.[0].coa')
	bid=$(mn_view | jq -r ".bul[] | select(.coa == \"$coa\") | .bid")
	[ -n "$bid" ]
	check_err $? "HA legacy CoA '$coa' is none of the MN's"
	wait_kbids "$mn" "$bid"
	check_err $? "MN kernel: '$(kbids "$mn")', want bid '$bid' ($coa)"
	# issue 10 item 7: the other links are not "pending" for ever
	[ "$(mn_view | jq -c '[.bul[] | select(.state == "bound") | .bid]')" = "[$bid]" ] &&
		[ "$(mn_view | jq '[.bul[] | select(.state == "unused")] | length')" = 2 ]
	check_err $? "MN view: $(mn_view | jq -c '[.bul[] | [.bid, .state]]')"
	[ "$(grep -c "does not do MCoA" "$D/mn.log")" = 1 ]
	check_err $? "fallback notices: $(grep -c "does not do MCoA" "$D/mn.log")"
	ping_hoa 3
	check_err $? "no traffic in legacy mode"
	log_test "166: MN falls back to one RFC 6275 binding, others unused"
}

daemon_setup
cap_start "$ha" ha
start_ha "max-lifetime 12" "brr-lead 10"
start_mn
test_bootstrap
test_traffic
test_link_down
test_link_up
test_brr
test_blackholed_uplink
test_retransmit
test_fallback_166
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Daemon restarts lose nothing: bindings live in mcoa.ko with their
# lifetimes and the parked sequence number; traffic keeps flowing while a
# daemon is down; the restarted daemon rebuilds its state from the dump.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

require_command jq

PING_PID=

# ping_start: 0.2 s interval ping from the CN, results in $D/ping.txt
ping_start()
{
	ip netns exec "$cn" ping -6 -i 0.2 -W 2 "$HOA" > "$D/ping.txt" 2>&1 &
	PING_PID=$!
	defer kill "$PING_PID"
}

# ping_stop: prints "sent received"
ping_stop()
{
	kill -INT "$PING_PID" 2>/dev/null
	wait "$PING_PID" 2>/dev/null
	sed -nE 's/^([0-9]+) packets transmitted, ([0-9]+) received.*/\1 \2/p' \
		"$D/ping.txt"
}

test_ha_restart()
{
	local seq after

	RET=0
	seq=$(ha_view | jq -r '.cache[0].seq')
	stop_daemon "$HA_PID" KILL
	[ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "HA kernel lost bindings with the daemon: '$(kbids "$ha")'"
	sleep 1
	start_ha "max-lifetime 60"
	[ "$(ha_bids)" = "1 2 3" ]
	check_err $? "restarted HA recovered '$(ha_bids)'"
	# what the HA took back from the kernel, not its live view: on a slow
	# (debug) kernel the MN's next refresh may already have been accepted
	after=$(awk '/^=== start/ { s = "" } /recovered .*binding\(s\), seq / { s = $NF }
		END { print s }' "$D/ha.log")
	[ "$after" = "$seq" ]
	check_err $? "sequence number not recovered: $seq before, '$after' recovered ($(ha_view))"
	grep -q "recovered 3 binding" "$D/ha.log"
	check_err $? "no recovery message in the log"
	log_test "HA killed and restarted: bindings and sequence number recovered"
}

test_mn_restart()
{
	local before

	RET=0
	before=$(ha_view | jq -r '.stats.accepted')
	stop_daemon "$MN_PID"
	[ "$(kbids "$mn")" = "1 2 3" ]
	check_err $? "MN kernel lost bindings with the daemon"
	start_mn
	# the new daemon bootstraps (O=1) with the next sequence number: the
	# HA accepts it at once (no 135 round trip)
	busywait 10000 eval '[ "$(ha_view | jq -r .stats.accepted)" -gt '"$before"' ]'
	check_err $? "restarted MN not accepted"
	[ "$(ha_view | jq -r '.stats.status["135"] // 0')" = 0 ]
	check_err $? "HA answered 135: the MN did not resume its sequence numbers"
	[ "$(mn_view | jq -r '[.bul[] | select(.state == "bound")] | length')" = 3 ]
	check_err $? "MN BUL: $(mn_view | jq -c '[.bul[] | {bid, state}]')"
	log_test "MN restarted: resumes sequence numbers and bindings"
}

test_no_loss()
{
	local r

	RET=0
	r=$(ping_stop)
	set -- $r
	[ -n "$1" ] && [ "$1" -gt 10 ] && [ "$1" = "$2" ]
	check_err $? "ping during restarts: sent/received '$r'"
	log_test "no packet lost while the daemons restarted ($r)"
}

# issue 11: a restarted HA applies its policy to what the kernel holds.
# Adopted: the MN's bindings, and one with more lifetime left than
# max-lifetime, capped. Left alone (neither adopted nor deleted): a
# permanent static binding, a HoA outside home-prefix, a link-local CoA,
# a tunnel from another address than the HA's.
test_restart_policy()
{
	local hoas

	RET=0
	stop_daemon "$HA_PID" KILL
	in_ns "$ha" "$MCOACTL" -b - <<-EOF || fail_now "static bindings"
		binding add dev mip0 hoa fd00:1::200 bid 1 coa fd00:21::9 peer $HA_ADDR
		binding add dev mip0 hoa fd00:9::1 bid 1 coa fd00:21::9 peer $HA_ADDR lifetime 100
		binding add dev mip0 hoa fd00:1::300 bid 1 coa fe80::9 link hl peer $HA_ADDR lifetime 100
		binding add dev mip0 hoa fd00:1::400 bid 1 coa fd00:21::9 peer $HA_ADDR lifetime 3000
		binding add dev mip0 hoa fd00:1::500 bid 1 coa fd00:21::9 peer fd00:1::fe lifetime 100
	EOF
	start_ha "max-lifetime 60"
	hoas=$(ha_view | jq -r '[.cache[].hoa] | sort | join(" ")')
	[ "$hoas" = "$HOA fd00:1::400" ]
	check_err $? "adopted HoAs: '$hoas'"
	[ "$(ha_view | jq -r ".cache[] | select(.hoa == \"$HOA\") | [.bindings[].bid] | sort | map(tostring) | join(\" \")")" = "1 2 3" ]
	check_err $? "the MN's bindings not adopted: $(ha_view | jq -c .cache)"
	[ "$(kbind "$ha" | jq -r '[.[].hoa] | unique | length')" = 6 ]
	check_err $? "kernel HoAs: $(kbind "$ha" | jq -c '[.[] | {hoa, bid}]')"
	[ "$(kbind "$ha" | jq -r '.[] | select(.hoa == "fd00:1::400") | .lifetime, (.expires_ms <= 60000)' | tr '\n' ' ')" = "60 true " ]
	check_err $? "not capped in the kernel: $(kbind "$ha" | jq -c '.[] | select(.hoa == "fd00:1::400")')"
	[ "$(kbind "$ha" | jq -r '.[] | select(.hoa == "fd00:1::200") | .lifetime, .expires_ms' | tr '\n' ' ')" = "0 null " ]
	check_err $? "static binding changed: $(kbind "$ha" | jq -c '.[] | select(.hoa == "fd00:1::200")')"
	grep -q "left alone in the kernel: fd00:1::200 bid 1 coa fd00:21::9 (permanent" "$D/ha.log" &&
		grep -q "left alone in the kernel: fd00:9::1 bid 1 coa fd00:21::9 (HoA outside home-prefix" "$D/ha.log" &&
		grep -q "left alone in the kernel: fd00:1::300 bid 1 coa fe80::9 (CoA not" "$D/ha.log" &&
		grep -q "left alone in the kernel: fd00:1::500 bid 1 coa fd00:21::9 (tunnel not from this HA's address)" "$D/ha.log" &&
		grep -q "fd00:1::400 bid 1: .* capped to max-lifetime (60 s)" "$D/ha.log" &&
		grep -q "left 4 binding(s) alone in the kernel (not adopted, not deleted): 1 permanent, 1 HoA outside home-prefix, 1 bad CoA, 0 home or BID 0, 1 other tunnel address" "$D/ha.log"
	check_err $? "log: $(grep -E 'left|capped|recovered' "$D/ha.log" | tail -12)"
	# what is left alone gets no proxy ND from the daemon; adopted does
	! ip -n "$ha" -6 neigh show proxy | grep -qE "^fd00:1::(200|300|500) "
	check_err $? "proxy ND for a binding left alone: $(ip -n "$ha" -6 neigh show proxy)"
	ip -n "$ha" -6 neigh show proxy | grep -q "^fd00:1::400 "
	check_err $? "no proxy ND for the adopted fd00:1::400"
	log_test "HA restart applies its policy: capped, static and foreign bindings left alone, logged"
}

daemon_setup
start_ha "max-lifetime 60"
start_mn
wait_ha_bids "1 2 3" || fail_now "no registration: $(dump_logs)"
wait_kbids "$mn" "1 2 3" || fail_now "MN kernel: $(kbids "$mn")"
busywait 5000 ping_hoa 1
ping_start
test_ha_restart
test_mn_restart
test_no_loss
test_restart_policy
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

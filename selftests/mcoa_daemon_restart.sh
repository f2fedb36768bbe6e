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
	after=$(ha_view | jq -r '.cache[0].seq')
	[ "$after" = "$seq" ]
	check_err $? "sequence number not recovered: $seq before, $after after ($(ha_view))"
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
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

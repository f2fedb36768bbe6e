#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dumps that race with changes say so. NSTABLE bindings that never change
# sit beside a churn of others added and deleted in a loop; meanwhile
#  - a raw dump (dump_check, no retry) either lists every stable binding
#    or carries NLM_F_DUMP_INTR, and at least one dump is flagged (the
#    flag works);
#  - mcoactl, which dumps again on the flag, always lists every stable
#    binding exactly once while changes come in bursts (under changes
#    that never pause it gives up after 16 tries, says so and exits 1).
source "$(dirname "$0")/lib.sh"

require_command jq
DUMP_CHECK=${DUMP_CHECK:-$MCOA_TOP/selftests/dump_check}
[ -x "$DUMP_CHECK" ] || { echo "SKIP: $DUMP_CHECK not built"; exit $ksft_skip; }

NSTABLE=${MCOA_DUMP_STABLE:-3000}
NCHURN=300
TMP=$(mktemp -d)
defer rm -rf "$TMP"

ctl() { in_ns "$ns" timeout 120 "$MCOACTL" "$@"; }

# churn [PAUSE]: add then delete NCHURN bindings of fd00:c::/64, forever,
# resting PAUSE seconds between rounds (a home agent between bursts).
churn()
{
	local i pause=${1:-0}

	for ((i = 1; i <= NCHURN; i++)); do
		echo "binding add dev mip0 hoa fd00:c::$i bid 1 coa fd00:21::$i"
	done > "$TMP/add"
	sed 's/^binding add \(.* bid 1\) .*/binding del \1/' "$TMP/add" > "$TMP/del"
	while :; do
		in_ns "$ns" "$MCOACTL" -b "$TMP/add" >/dev/null 2>&1
		in_ns "$ns" "$MCOACTL" -b "$TMP/del" >/dev/null 2>&1
		[ "$pause" = 0 ] || sleep "$pause"
	done
}

setup()
{
	local i

	mcoa_load
	setup_ns ns
	ctl link add mip0 mode ha || fail_now "mcoactl link add"
	ip -n "$ns" link set mip0 up
	for ((i = 1; i <= NSTABLE; i++)); do
		printf 'binding add dev mip0 hoa fd00:5::%x bid 1 coa fd00:22::%x\n' $i $i
	done > "$TMP/stable"
	ctl -b "$TMP/stable" || fail_now "loading $NSTABLE stable bindings"
}

test_raw_dumps_flagged()
{
	local pid torn=0 bad=0 n intr

	RET=0
	churn &
	pid=$!
	defer kill $pid
	# under load the churn can start after 30 dumps are over: wait for
	# it, then dump in rounds of 30 until one raced (at most 5 rounds)
	busywait 30000 eval 'in_ns "$ns" "$MCOACTL" binding show dev mip0 | grep -q "fd00:c::"'
	check_err $? "the churn never started"
	: > "$TMP/raw"
	for ((n = 0; n < 5; n++)); do
		in_ns "$ns" "$DUMP_CHECK" mip0 fd00:5::/64 30 >> "$TMP/raw"
		check_err $? "dump_check failed"
		awk '$2 == 1 { f = 1 } END { exit !f }' "$TMP/raw" && break
	done
	kill $pid; wait $pid 2>/dev/null
	while read -r n intr; do
		if [ "$intr" = 1 ]; then
			torn=$((torn + 1))
		elif [ "$n" != "$NSTABLE" ]; then
			bad=$((bad + 1))
		fi
	done < "$TMP/raw"
	[ $bad = 0 ]
	check_err $? "$bad unflagged dumps missed or repeated stable bindings: $(tr '\n' ' ' < "$TMP/raw")"
	[ $torn -ge 1 ]
	check_err $? "no dump racing with the churn was flagged NLM_F_DUMP_INTR"
	echo "# $torn of $(wc -l < "$TMP/raw") dumps flagged torn"
	log_test "a dump that raced with changes is flagged; an unflagged one is whole"
}

test_mcoactl_redumps()
{
	local pid i n bad=0

	RET=0
	churn 0.5 &
	pid=$!
	defer kill $pid
	for ((i = 0; i < 8; i++)); do
		n=$(ctl -j binding show dev mip0 |
			jq '[.[] | select(.hoa | startswith("fd00:5::"))] | length')
		[ "$n" = "$NSTABLE" ] || { bad=$((bad + 1)); echo "# dump $i: $n"; }
	done
	kill $pid; wait $pid 2>/dev/null
	[ $bad = 0 ]
	check_err $? "$bad of 8 mcoactl dumps did not list the $NSTABLE stable bindings once"
	log_test "mcoactl dumps again when the kernel flags a torn dump"
}

setup
test_raw_dumps_flagged
test_mcoactl_redumps
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side test of scripts/vm (issue 14): a guest that never finishes must
# not outlive the timeout. `scripts/vm -t LIMIT -- sleep infinity` has to
# return 125 by LIMIT + SLACK seconds (the guest's boot counts against the
# limit, the slack covers the kill and qemu's exit), leave no process of its
# run behind (qemu above all), and keep the guest's console log.
#
#   scripts/tests/vm-timeout.sh [-k KVER] [LIMIT]     (default 60)
#
# Costs one VM boot. Prints TEST lines for scripts/check.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kopt=()
[ "${1:-}" = -k ] && { kopt=(-k "$2"); shift 2; }
lim=${1:-60}
slack=20
. "$top/scripts/kver.sh" "${kopt[1]:-}" || exit 1
mkdir -p "$top/build"
log=$top/build/vm-timeout.log
rc=0

result() {	# result OK|FAIL "what"
	printf 'TEST: [%s] %-60s [%s]\n' "$KVER" "$2" "$([ "$1" = OK ] && echo " OK " || echo FAIL)"
	[ "$1" = OK ] || rc=1
}

# Every process of the run inherits this variable: it finds them without
# knowing how scripts/vm arranges its children.
tag=mcoa-vm-timeout-$$-$RANDOM
tagged() {
	local p
	for p in /proc/[0-9]*; do
		grep -qxz "MCOA_VM_TEST_TAG=$tag" "$p/environ" 2>/dev/null && echo "${p#/proc/}"
	done
}

t0=$(date +%s)
MCOA_VM_TEST_TAG=$tag "$top/scripts/vm" "${kopt[@]}" -t "$lim" -- sleep infinity > "$log" 2>&1 &
pid=$!
# Block until scripts/vm exits, or give up at LIMIT + SLACK.
timeout $((lim + slack)) tail --pid="$pid" -f /dev/null
if kill -0 "$pid" 2>/dev/null; then
	vm_rc=none
else
	wait "$pid"; vm_rc=$?
fi
secs=$(( $(date +%s) - t0 ))
left=$(tagged)

if [ "$vm_rc" = 125 ] && [ "$secs" -ge "$lim" ]; then
	result OK "scripts/vm -t $lim on a hung guest: rc 125 after ${secs} s"
else
	tail -n 20 "$log" | sed 's/^/# /'
	result FAIL "scripts/vm -t $lim on a hung guest: rc $vm_rc after ${secs} s (want 125, $lim-$((lim + slack)) s)"
fi
if [ -z "$left" ]; then
	result OK "nothing of the timed-out run is left running"
else
	# shellcheck disable=SC2086
	ps -o pid,pgid,sid,etime,args -p "$(echo $left | tr ' ' ,)" | sed 's/^/# /'
	result FAIL "nothing of the timed-out run is left running"
	# ours, by pid: do not leave them eating the CPU
	# shellcheck disable=SC2086
	kill -KILL $left 2>/dev/null
fi
console=$top/build/vm/$pid/console
if grep -q 'Linux version' "$console" 2>/dev/null; then
	result OK "the guest's console is kept in build/vm/<run>/console"
else
	result FAIL "the guest's console is kept in build/vm/<run>/console"
fi
exit $rc

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side test of the debug kernel and scripts/vm's log scan, for
# make check-debug: a module with one deliberate bug per load (kbugs/) must
# make every detector report (KASAN, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP,
# DEBUG_OBJECTS_RCU_HEAD, kmemleak) and scripts/vm turn them into rc 124.
# Without this, a debug kernel that silently lacks a detector, or a scan that
# misses its words, would let check-debug pass on a buggy module.
# Also checks that modprobe of a built-in (bridge) succeeds in that guest.
#
#   scripts/tests/debug-detect.sh TREE      (a tree from scripts/debug-kernel)
#
# Costs one boot of the debug kernel. Prints TEST lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:?usage: debug-detect.sh TREE}
kver=$(cat "$tree/include/config/kernel.release")
out=$top/build/kbugs-$kver
rc=0
result() {	# result OK|FAIL "what"
	printf 'TEST: [%s] %-60s [%s]\n' "$kver" "$2" "$([ "$1" = OK ] && echo " OK " || echo FAIL)"
	[ "$1" = OK ] || rc=1
}

rm -rf "$out"; mkdir -p "$out"
cp "$top/scripts/tests/kbugs/kbugs.c" "$top/scripts/tests/kbugs/Kbuild" "$out/"
if ! make -C "$tree" M="$out" modules > "$out/build.log" 2>&1; then
	tail -n 20 "$out/build.log"
	result FAIL "kbugs.ko builds against the debug kernel"
	exit 1
fi
# Order matters: the first lockdep report turns lockdep off (so the RCU
# check goes first), and a KASAN report taints the kernel in a way that
# turns lockdep off too (so it goes last).
cat > "$out/guest.sh" <<-GUEST
	modprobe bridge && echo "kbugs: modprobe bridge ok"
	for b in rcu lockdep sleep rcuhead leak kasan; do
		insmod $out/kbugs.ko bug=\$b && rmmod kbugs
	done
	exit 0
GUEST
"$top/scripts/vm" -K "$tree" -t "${MCOA_DEBUG_DETECT_TIMEOUT:-1800}" -- bash "$out/guest.sh" > "$out/vm.log" 2>&1 &
pid=$!
wait "$pid"; vm_rc=$?
dmesg=$top/build/vm/$pid/dmesg
if [ "$vm_rc" = 124 ]; then
	result OK "scripts/vm returns 124 when the guest kernel reports bugs"
else
	tail -n 20 "$out/vm.log"
	result FAIL "scripts/vm returns 124 when the guest kernel reports bugs (rc $vm_rc)"
fi
if grep -q 'kbugs: modprobe bridge ok' "$out/vm.log"; then
	result OK "modprobe of a built-in (bridge) works in the guest"
else
	result FAIL "modprobe of a built-in (bridge) works in the guest"
fi
for what in "PROVE_RCU:suspicious RCU usage" "PROVE_LOCKING:possible circular locking" \
	"DEBUG_ATOMIC_SLEEP:sleeping function called from invalid context" \
	"DEBUG_OBJECTS_RCU_HEAD:ODEBUG: activate active" "kmemleak:unreferenced object" "KASAN:BUG: KASAN"; do
	if grep -q "${what#*:}" "$dmesg" 2>/dev/null; then
		result OK "${what%%:*} reports ('${what#*:}')"
	else
		result FAIL "${what%%:*} reports ('${what#*:}')"
	fi
done
exit $rc

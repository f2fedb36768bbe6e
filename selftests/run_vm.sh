#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM: every TEST_PROGS entry (or those named on the command
# line) in order, each under the per-test timeout from ./settings, and
# keeps build/selftests/KVER/summary ("passed failed skipped", rewritten
# after each test) for scripts/check. A test's result lines are "TEST: name [ OK ]|[FAIL]|[SKIP]";
# shown here as "TEST: [KVER] name ...". A test that exits non-zero without
# a FAIL line counts as one failure of its own.
#
# MCOA_TIMEOUT_MULT multiplies the per-test timeout (slow debug kernels).
# MCOA_SUMMARY names another summary file, for VMs that run side by side
# on one kernel (scripts/check-debug's shards).
# MCOA_QUEUE (a directory in the shared tree) makes VMs that run side by
# side share one list: a VM runs a test only if it is the first to create
# MCOA_QUEUE/NAME (mkdir is atomic on the host's file system), so each test
# runs once, in whichever VM is free first.
# MCOA_KO defaults to the module scripts/kbuild built for the running
# kernel (build/kernel-KVER/mcoa.ko), else kernel/mcoa.ko.
cd "$(dirname "$0")" || exit 1
here=$PWD
kver=$(uname -r)
out=$here/../build/selftests/$kver
mkdir -p "$out"
summary=${MCOA_SUMMARY:-$out/summary}
timeout=$(( $(sed -n 's/^timeout=//p' settings) * ${MCOA_TIMEOUT_MULT:-1} ))
if [ -z "${MCOA_KO:-}" ] && [ -f "$here/../build/kernel-$kver/mcoa.ko" ]; then
	MCOA_KO=$(cd "$here/../build/kernel-$kver" && pwd)/mcoa.ko
	export MCOA_KO
fi
echo "# kernel $kver, module ${MCOA_KO:-kernel/mcoa.ko}, per-test timeout ${timeout}s"
# An installed mcoa.ko (DKMS, make install-module) is what the kernel's
# request_module() would load after a test's rmmod, not the tree's: say so.
inst=$(modinfo -n mcoa 2>/dev/null) && echo "# note: an installed module is on this kernel's path: $inst"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || read -ra tests <<< "$(make -s list)"

pass=0 fail=0 skip=0 n=0
echo "TAP version 13"
[ -n "${MCOA_QUEUE:-}" ] || echo "1..${#tests[@]}"
for t in "${tests[@]}"; do
	[ -z "${MCOA_QUEUE:-}" ] || mkdir "$MCOA_QUEUE/$t" 2>/dev/null || continue
	n=$((n + 1))
	log=$out/${t%.sh}.log
	t0=$(date +%s)
	# A fresh process group per test, so a timeout kills its children too.
	timeout -k 10 "$timeout" setsid "./$t" 2>&1 | tee "$log" |
		sed -e "s/^TEST: /TEST: [$kver] /" -e 's/^/# /'
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - t0 ))
	p=$(grep -c '^TEST: .*\[ OK \]' "$log")
	f=$(grep -c '^TEST: .*\[FAIL\]' "$log")
	s=$(grep -c '^TEST: .*\[SKIP\]' "$log")
	case $rc in
	0|1) [ "$rc" = 1 ] && [ "$f" = 0 ] && f=1;;
	4) [ $((p + f + s)) = 0 ] && s=1;;
	124|137) echo "# $t: timed out after ${timeout}s"; f=$((f + 1));;
	*) [ "$f" = 0 ] && f=1;;
	esac
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$rc" = 4 ]; then
		echo "ok $n selftests: mcoa: $t # SKIP"
	elif [ "$rc" = 0 ] && [ "$f" = 0 ]; then
		echo "ok $n selftests: mcoa: $t (${secs}s)"
	else
		echo "not ok $n selftests: mcoa: $t (rc $rc, ${secs}s)"
	fi
	# after every test: when the VM is stopped at its timeout, the tests
	# that finished still count (scripts/check adds one failure for the stop)
	echo "$pass $fail $skip" > "$summary"
done
[ -z "${MCOA_QUEUE:-}" ] || echo "1..$n"
# Last: unload. A leaked object in one of the module's slab caches shows up
# as a BUG line at rmmod, which scripts/vm catches in the guest kernel log.
if grep -q '^mcoa ' /proc/modules; then
	if rmmod mcoa; then
		echo "TEST: [$kver] rmmod mcoa after the run                         [ OK ]"
		pass=$((pass + 1))
	else
		echo "TEST: [$kver] rmmod mcoa after the run                         [FAIL]"
		fail=$((fail + 1))
	fi
fi
echo "$pass $fail $skip" > "$summary"
[ "$fail" = 0 ]

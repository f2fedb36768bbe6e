#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mcoa benchmarks, run as root inside one VM by `make bench`
# (scripts/vm -- bench/run-guest.sh), from the repository root.
#
# Prints a table and writes bench/results.json. Every figure is the
# median of several runs with min and max; speed is given as ratios
# against a peer measured in the same run (the kernel's ip6tnl), never
# as pass/fail. A part that is missing or broken gives "n/a (reason)"
# for its figures and the rest carries on. See bench/README.md.
#
# Knobs (environment; defaults fit ~15 min under TCG):
#   MCOA_BENCH_ONLY        sections to run: dataplane select failover
#                          signalling bcache liveness fodaemon (default: these, in
#                          that order),
#                          insn (only in its own VM: make bench-insn)
#   MCOA_BENCH_DP_RUNS (3) MCOA_BENCH_DP_SECS (2) MCOA_BENCH_DP_SIZES
#   MCOA_BENCH_BIG_HOAS (100000) MCOA_BENCH_RULES (50)
#   MCOA_BENCH_SEL_ITER (200000) MCOA_BENCH_SEL_RUNS (5)
#   MCOA_BENCH_FO_RUNS (3) MCOA_BENCH_FO_FLOWS (12) MCOA_BENCH_FO_RATE (200)
#   MCOA_BENCH_SIG_RUNS (3) MCOA_BENCH_SIG_HOAS (500) MCOA_BENCH_SIG_WINDOW
#   MCOA_BENCH_BINDINGS (1000000) MCOA_BENCH_BC_RUNS (3) MCOA_BENCH_GETS
#   MCOA_BENCH_INSN_MARKS MCOA_BENCH_INSN_PKTS (2000) MCOA_BENCH_INSN_RUNS (5)
#   MCOA_BENCH_INSN_PREFIXES (100000) MCOA_BENCH_INSN_HOAS (100000)
#   MCOA_BENCH_LV_RUNS (3) MCOA_BENCH_LV_FLOWS (12) MCOA_BENCH_LV_RATE (100)
#   MCOA_BENCH_LV_COUNT (600 datagrams a flow) MCOA_BENCH_LV_CUT_PKTS (200)
#   MCOA_BENCH_OUT (bench/results.json)
#   MCOA_VM_MODE           TCG or KVM, if the runner knows (else detected)
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../selftests/lib.sh"
source "$here/lib_bench.sh"
source "$here/dataplane.sh"
source "$here/select.sh"
source "$here/failover.sh"
source "$here/signalling.sh"
source "$here/bcache.sh"
source "$here/insn.sh"
source "$here/liveness.sh"
source "$here/fo_daemon.sh"

OUT=${MCOA_BENCH_OUT:-$here/results.json}
ONLY=${MCOA_BENCH_ONLY:-dataplane select failover signalling bcache liveness fodaemon}
defer rm -f "$BENCH_RAW"

want()
{
	case " $ONLY " in *" $1 "*) return 0;; esac
	return 1
}

t_start=$(date +%s)
mode=$(vm_mode)
blog "mcoa bench: kernel $(uname -r), $mode, $(nproc) CPUs, sections: $ONLY"

if want dataplane || want failover || want insn; then
	bench_topology
fi
want dataplane && bench_dataplane
want select && bench_select
if want failover; then
	# without the data plane section, set the tunnels up here
	if ! want dataplane && have_mcoa >/dev/null; then
		dp_setup_mcoa 2>/dev/null
	fi
	bench_failover
fi
want signalling && bench_signalling
want bcache && bench_bcache
want insn && bench_insn
# last: they make a topology of their own, with mcoad on both ends
# (lv_setup: in this shell, so the daemons' variables stay set)
if want liveness || want fodaemon; then
	lv_setup > "$BENCH_TMP/lv.why" || true
	LV_WHY=$(cat "$BENCH_TMP/lv.why")
	want liveness && bench_liveness
	want fodaemon && bench_fo_daemon
	lv_teardown
fi

if [ "$ONLY" != insn ]; then
	note "TCG emulates the CPU: absolute numbers are 10-50x below hardware; the ratios against ip6tnl from the same run are what carries over (bench/README.md)"
fi
/usr/bin/python3 "$here/report.py" "$BENCH_RAW" "$OUT" \
	kernel="$(uname -r)" vm_mode="$mode" cpus="$(nproc)" \
	date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	duration_s="$(( $(date +%s) - t_start ))" \
	mem_total_kb="$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
blog "bench done in $(( $(date +%s) - t_start )) s"
exit 0

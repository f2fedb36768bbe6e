# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the bench sections. Source selftests/lib.sh first.
#
# Results are raw samples appended to $BENCH_RAW, one per line, tab
# separated; bench/report.py turns them into the table and results.json:
#   meta  ID  SECTION  UNIT  LABEL      what a figure is (once per ID)
#   s     ID  VALUE                     one run's value
#   na    ID  REASON                    the figure could not be measured
#   note  TEXT                          a line printed under the table
# A figure is the median of its samples, with min and max.

BENCH_DIR=${BENCH_DIR:-$MCOA_TOP/bench}
BENCH_RAW=${BENCH_RAW:-$(mktemp /tmp/mcoa-bench-raw.XXXXXX)}
BENCH_TMP=$(mktemp -d /tmp/mcoa-bench.XXXXXX)
defer rm -rf "$BENCH_TMP"

meta()
{
	printf 'meta\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$BENCH_RAW"
}

sample()
{
	printf 's\t%s\t%s\n' "$1" "$2" >> "$BENCH_RAW"
}

# na ID REASON...: the figure is not available; say why.
na()
{
	local id=$1; shift
	printf 'na\t%s\t%s\n' "$id" "$*" >> "$BENCH_RAW"
	echo "bench: $id: n/a ($*)" >&2
}

note()
{
	printf 'note\t%s\n' "$*" >> "$BENCH_RAW"
}

# log MSG: progress on stderr with guest uptime, so slow steps show.
blog()
{
	printf '[%7s] %s\n' "$(cut -d' ' -f1 /proc/uptime)" "$*" >&2
}

now_ns()
{
	date +%s%N
}

# calc EXPR: floating point arithmetic (awk), printed with 6 significant
# digits; "nan" when EXPR divides by zero.
calc()
{
	awk "BEGIN { d = ($1); printf \"%.6g\n\", d }" 2>/dev/null || echo nan
}

# vm_mode: KVM or TCG. scripts/vm may export MCOA_VM_MODE; else look at
# the guest: a KVM guest logs "Hypervisor detected: KVM" (and offers
# kvm-clock); qemu's TCG sets the CPUID hypervisor bit but no signature.
vm_mode()
{
	local hv

	if [ -n "${MCOA_VM_MODE:-}" ]; then
		echo "$MCOA_VM_MODE"
		return
	fi
	hv=$(dmesg 2>/dev/null | sed -n 's/.*Hypervisor detected: //p' | head -n1)
	if [ "$hv" = KVM ] || grep -qs kvm-clock \
		/sys/devices/system/clocksource/clocksource0/available_clocksource; then
		echo KVM
	elif [ -n "$hv" ]; then
		echo "$hv"
	elif grep -qw hypervisor /proc/cpuinfo; then
		echo TCG
	else
		echo "bare metal"
	fi
}

# mem_available_kb
mem_available_kb()
{
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}

# mcoa_slab_bytes: bytes held by the slab caches of mcoa.ko (their names
# contain "mcoa"), as "OBJECTS BYTES". SLUB may merge a cache into
# another of the same size; /sys/kernel/slab/NAME is then a link to the
# shared cache, and its numbers include other users (idle here).
mcoa_slab_bytes()
{
	local d objs size total_o=0 total_b=0 seen=" " real

	for d in /sys/kernel/slab/*mcoa*; do
		[ -e "$d" ] || continue
		real=$(readlink -f "$d")
		case $seen in *" $real "*) continue;; esac
		seen+="$real "
		objs=$(cut -d' ' -f1 "$real/objects")
		size=$(cat "$real/slab_size")
		total_o=$((total_o + objs))
		total_b=$((total_b + objs * size))
	done
	echo "$total_o $total_b"
}

# mcoa_slab_names: "name(objsize, merged into X)" for the report.
mcoa_slab_names()
{
	local d out=""

	for d in /sys/kernel/slab/*mcoa*; do
		[ -e "$d" ] || continue
		out+="$(basename "$d")=$(cat "$d/object_size")B"
		[ -L "$d" ] && out+="(merged:$(basename "$(readlink -f "$d")"))"
		out+=" "
	done
	echo "${out:-none}"
}

# have_mcoa: mcoa.ko loads and mcoactl exists; prints the reason if not.
have_mcoa()
{
	if [ ! -x "$MCOACTL" ]; then
		echo "daemon/mcoactl/mcoactl not built"
		return 1
	fi
	if ! grep -q '^mcoa ' /proc/modules; then
		if [ ! -f "$MCOA_KO" ]; then
			echo "kernel/mcoa.ko not built"
			return 1
		fi
		modprobe -q ip6_tunnel 2>/dev/null
		if ! insmod "$MCOA_KO" 2>"$BENCH_TMP/insmod.err"; then
			echo "insmod mcoa.ko failed: $(head -c 200 "$BENCH_TMP/insmod.err")"
			return 1
		fi
	fi
	return 0
}

# ctl NS ARGS...: mcoactl in a namespace, errors to stderr.
ctl()
{
	local ns=$1; shift
	ip netns exec "$ns" "$MCOACTL" "$@"
}

# bench_topology: mcoa_topology of selftests/lib.sh, with two work-arounds
# for its ip -batch input (harmless once lib.sh is fixed, reported to the
# lead): "link set up up" names no device ("up" is a keyword), so the
# r_i's "up"/"dn" links get "dev"; and "rule add from IPV6" needs -6
# (ip rule defaults to IPv4). Every batch of the topology is IPv6 only.
bench_topology()
{
	ip()
	{
		if [[ " $* " == *" -batch "* ]]; then
			sed -E 's/^([[:space:]]*link set) (up|dn) /\1 dev \2 /' |
				command ip -6 "$@"
		else
			command ip "$@"
		fi
	}
	mcoa_topology
	unset -f ip
}

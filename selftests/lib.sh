# SPDX-License-Identifier: GPL-2.0
# Shared helpers for mcoa selftests, in the spirit of the kernel's
# tools/testing/selftests/net/lib.sh (same names, same exit-code contract),
# written for this project.
#
# Exit codes: 0 pass, 1 fail, 4 skip (ksft_*).
# Results: log_test prints "TEST: <name> [ OK ]|[FAIL]|[SKIP]"; run_vm.sh
# counts those lines.

ksft_pass=0
ksft_fail=1
ksft_skip=4

MCOA_TOP=${MCOA_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MCOACTL=${MCOACTL:-$MCOA_TOP/daemon/mcoactl/mcoactl}
MCOAD=${MCOAD:-$MCOA_TOP/daemon/mcoad/mcoad}
MCOA_KO=${MCOA_KO:-$MCOA_TOP/kernel/mcoa.ko}

RET=0
EXIT_STATUS=0
NS_LIST=()
__DEFER=()

# ---- cleanup stack -------------------------------------------------------
# defer CMD...: run CMD at exit, last registered first.
defer()
{
	local q
	printf -v q '%q ' "$@"
	__DEFER+=("$q")
}

defer_cleanup()
{
	local i
	for ((i = ${#__DEFER[@]} - 1; i >= 0; i--)); do
		eval "${__DEFER[i]}" >/dev/null 2>&1 || true
	done
	__DEFER=()
}
trap defer_cleanup EXIT

# ---- results -------------------------------------------------------------
check_err()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -ne 0 ]; then
		RET=$err
		retmsg=$msg
	fi
}

check_fail()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -eq 0 ]; then
		RET=1
		retmsg=$msg
	fi
}

log_test()
{
	local name=$1

	if [ "$RET" -eq "$ksft_skip" ]; then
		printf "TEST: %-60s [SKIP]\n" "$name"
		[ -n "${retmsg:-}" ] && echo "	${retmsg}"
	elif [ "$RET" -ne 0 ]; then
		printf "TEST: %-60s [FAIL]\n" "$name"
		[ -n "${retmsg:-}" ] && echo "	${retmsg}"
		# again after the logs a failing test dumps (dump_logs)
		FAILED_TESTS+="FAILED: $name${retmsg:+: $retmsg}"$'\n'
		EXIT_STATUS=$ksft_fail
	else
		printf "TEST: %-60s [ OK ]\n" "$name"
	fi
	RET=0
	retmsg=
}

# fail_now MSG: a precondition broke; the test cannot continue.
fail_now()
{
	echo "FATAL: $*" >&2
	exit $ksft_fail
}

require_command()
{
	command -v "$1" >/dev/null || { echo "SKIP: $1 not installed"; exit $ksft_skip; }
}

# busywait TIMEOUT_MS CMD...: poll CMD until it succeeds or time runs out.
# MCOA_WAIT_MULT (default 1) stretches every wait on a slow debug kernel.
busywait()
{
	local timeout_ms=$(( $1 * ${MCOA_WAIT_MULT:-1} )); shift
	local start now

	start=$(date +%s%N)
	while true; do
		"$@" && return 0
		now=$(date +%s%N)
		(( (now - start) / 1000000 > timeout_ms )) && return 1
		sleep 0.05
	done
}

# ---- namespaces ----------------------------------------------------------
# setup_ns VAR...: make a netns per name, store its name in $VAR.
setup_ns()
{
	local __var __ns

	for __var in "$@"; do
		__ns=$__var-$(mktemp -u XXXXXX)
		ip netns add "$__ns" || fail_now "ip netns add $__ns"
		defer ip netns del "$__ns"
		NS_LIST+=("$__ns")
		ip -n "$__ns" link set lo up
		ip netns exec "$__ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.keep_addr_on_down=1 \
			net.ipv6.conf.default.keep_addr_on_down=1
		# The caller's variable, not ours: hence the __ prefixes above.
		printf -v "$__var" '%s' "$__ns"
	done
}

# ---- module --------------------------------------------------------------
# mcoa_insmod: insmod the tree's module after modprobing what it links
# against (tunnel6 and friends): insmod alone does not resolve dependencies.
mcoa_insmod()
{
	local dep

	for dep in $(modinfo -F depends "$MCOA_KO" | tr ',' ' '); do
		modprobe -q "$dep" || return 1
	done
	modprobe -q ip6_tunnel 2>/dev/null	# so the kernel's ip6tnl sits beside us
	insmod "$MCOA_KO"
}

mcoa_load()
{
	grep -q '^mcoa ' /proc/modules && return 0
	mcoa_insmod || fail_now "insmod $MCOA_KO"
}

# ---- topology (DESIGN.md) ------------------------------------------------
#   cn(hl) ---- (hl)ha(ha1) ---- (up)r1(dn) ---- (if1)mn   CoA1 fd00:21::2
#                   (ha2) ---- (up)r2(dn) ---- (if2)mn   CoA2 fd00:22::2
#                   (ha3) ---- (up)r3(dn) ---- (if3)mn   CoA3 fd00:23::2
HA_ADDR=fd00:1::1
CN_ADDR=fd00:1::10
HOA=fd00:1::100
COA1=fd00:21::2
COA2=fd00:22::2
COA3=fd00:23::2

# veth_pair NS1 IF1 NS2 IF2
veth_pair()
{
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
		fail_now "veth $1/$2 - $3/$4"
}

mcoa_topology()
{
	local i

	setup_ns cn ha r1 r2 r3 mn
	veth_pair "$cn" hl "$ha" hl
	for i in 1 2 3; do
		veth_pair "$ha" ha$i "$(eval echo \$r$i)" up
		veth_pair "$(eval echo \$r$i)" dn "$mn" if$i
	done
	for n in "$ha" "$r1" "$r2" "$r3"; do
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.forwarding=1
	done

	ip -6 -n "$cn" -batch - <<-EOF || fail_now "cn setup"
		addr add $CN_ADDR/64 dev hl nodad
		link set hl up
		route add default via $HA_ADDR
	EOF
	ip -6 -n "$ha" -batch - <<-EOF || fail_now "ha setup"
		addr add $HA_ADDR/64 dev hl nodad
		link set hl up
		addr add fd00:11::1/64 dev ha1 nodad
		addr add fd00:12::1/64 dev ha2 nodad
		addr add fd00:13::1/64 dev ha3 nodad
		link set ha1 up
		link set ha2 up
		link set ha3 up
		route add fd00:21::/64 via fd00:11::2
		route add fd00:22::/64 via fd00:12::2
		route add fd00:23::/64 via fd00:13::2
	EOF
	for i in 1 2 3; do
		ip -6 -n "$(eval echo \$r$i)" -batch - <<-EOF || fail_now "r$i setup"
			addr add fd00:1$i::2/64 dev up nodad
			addr add fd00:2$i::1/64 dev dn nodad
			link set dev up up
			link set dev dn up
			route add default via fd00:1$i::1
		EOF
	done
	ip -6 -n "$mn" -batch - <<-EOF || fail_now "mn setup"
		addr add $COA1/64 dev if1 nodad
		addr add $COA2/64 dev if2 nodad
		addr add $COA3/64 dev if3 nodad
		link set if1 up
		link set if2 up
		link set if3 up
		route add default via fd00:21::1 dev if1 table 101
		route add default via fd00:22::1 dev if2 table 102
		route add default via fd00:23::1 dev if3 table 103
		rule add from $COA1 lookup 101 pref 101
		rule add from $COA2 lookup 102 pref 102
		rule add from $COA3 lookup 103 pref 103
	EOF
}

# in_ns NS CMD...: shorthand
in_ns()
{
	local ns=$1; shift
	ip netns exec "$ns" "$@"
}

# mcoa_tunnels_static: mip0 on ha (mode ha) and mn (mode mn), the HoA on
# mn's mip0, HA-side route + proxy ND for the HoA, MN default route through
# mip0, and bindings BID i -> CoA i (i = 1..3) on both ends, set by mcoactl.
# Pass a list of BIDs to install only those (e.g. "mcoa_tunnels_static 1 3").
mcoa_tunnels_static()
{
	local bids=${*:-1 2 3} i coa

	mcoa_load
	in_ns "$ha" "$MCOACTL" link add mip0 mode ha || fail_now "mcoactl link add (ha)"
	in_ns "$mn" "$MCOACTL" link add mip0 mode mn || fail_now "mcoactl link add (mn)"
	ip -6 -n "$ha" -batch - <<-EOF || fail_now "ha tunnel setup"
		link set mip0 up
		route add $HOA/128 dev mip0
		neigh add proxy $HOA dev hl
	EOF
	in_ns "$ha" sysctl -qw net.ipv6.conf.hl.proxy_ndp=1
	ip -6 -n "$mn" -batch - <<-EOF || fail_now "mn tunnel setup"
		link set mip0 up
		addr add $HOA/128 dev mip0 nodad home
		route add default dev mip0 src $HOA
	EOF
	for i in $bids; do
		coa=$(eval echo \$COA$i)
		in_ns "$ha" "$MCOACTL" binding add dev mip0 hoa $HOA bid $i coa $coa \
			peer $HA_ADDR || fail_now "ha binding $i"
		in_ns "$mn" "$MCOACTL" binding add dev mip0 hoa $HOA bid $i coa $coa \
			peer $HA_ADDR link if$i || fail_now "mn binding $i"
	done
}

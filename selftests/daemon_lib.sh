# SPDX-License-Identifier: GPL-2.0
# Helpers for the mcoad selftests (mcoa_daemon_*.sh) and the demo: real
# daemons in the lib.sh topology, their views, kernel bindings, captures.
# Sourced after lib.sh.

BU_SEND=${BU_SEND:-$MCOA_TOP/selftests/bu_send}
D=$(mktemp -d /tmp/mcoad.XXXXXX)
defer rm -rf "$D"
HA_PID=
MN_PID=
# What start_ha/start_mn add unless their lines say "ipsec", "sa" or "ike":
# most daemon tests send hand-made unprotected BUs, so "ipsec no";
# mcoa_ipsec.sh sets the keys here (the same lines for both daemons).
DAEMON_SECURITY=${DAEMON_SECURITY:-ipsec no}

# security_lines LINES...: DAEMON_SECURITY unless LINES carry their own
security_lines()
{
	printf '%s\n' "$@" | grep -qE '^(ipsec|sa|ike) ' ||
		printf '%s\n' "$DAEMON_SECURITY"
}

# daemon_setup: topology, module, mip0 on both ends, the MN's HoA (with the
# "home" flag so RH2 is accepted) and its default route through mip0.
daemon_setup()
{
	mcoa_topology
	mcoa_load
	in_ns "$ha" "$MCOACTL" link add mip0 mode ha || fail_now "mip0 on ha"
	in_ns "$mn" "$MCOACTL" link add mip0 mode mn || fail_now "mip0 on mn"
	ip -6 -n "$mn" -batch - <<-EOF || fail_now "mn mip0 setup"
		link set mip0 up
		addr add $HOA/128 dev mip0 home nodad
		route add default dev mip0 src $HOA
	EOF
	ip -n "$ha" link set mip0 up
}

# start_ha [CONFIG LINES...]
start_ha()
{
	{
		echo "role ha"
		echo "home-agent $HA_ADDR"
		echo "home-prefix fd00:1::/64"
		echo "home-link hl"
		echo "control-socket $D/ha.sock"
		printf '%s\n' "$@"
		security_lines "$@"
	} > "$D/ha.conf"
	echo "=== start $(date +%T)" >> "$D/ha.log"
	ip netns exec "$ha" "$MCOAD" -d -c "$D/ha.conf" >> "$D/ha.log" 2>&1 &
	HA_PID=$!
	defer kill -9 "$HA_PID"
	busywait 30000 eval "ha_view >/dev/null 2>&1" || { cat "$D/ha.log"; fail_now "mcoad (ha) did not start"; }
}

# start_mn [CONFIG LINES...]  (links if1..if3 = BID 1..3 unless given)
start_mn()
{
	{
		echo "role mn"
		echo "home-agent $HA_ADDR"
		echo "home-prefix fd00:1::/64"
		echo "home-address $HOA"
		echo "control-socket $D/mn.sock"
		printf '%s\n' "$@"
		security_lines "$@"
		printf '%s\n' "$@" | grep -q '^link ' ||
			printf 'link if%d bid %d\n' 1 1 2 2 3 3
	} > "$D/mn.conf"
	echo "=== start $(date +%T)" >> "$D/mn.log"
	ip netns exec "$mn" "$MCOAD" -d -c "$D/mn.conf" >> "$D/mn.log" 2>&1 &
	MN_PID=$!
	defer kill -9 "$MN_PID"
	busywait 30000 eval "mn_view >/dev/null 2>&1" || { cat "$D/mn.log"; fail_now "mcoad (mn) did not start"; }
}

# stop_daemon PID [SIGNAL]
stop_daemon()
{
	kill -"${2:-TERM}" "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

ha_view() { ip netns exec "$ha" "$MCOACTL" -j daemon socket "$D/ha.sock" show; }
mn_view() { ip netns exec "$mn" "$MCOACTL" -j daemon socket "$D/mn.sock" show; }

# ha_bids: BIDs in the HA daemon's cache, sorted, space separated
ha_bids()
{
	ha_view | jq -r '[.cache[].bindings[].bid] | sort | map(tostring) | join(" ")'
}

# kbind NS: the kernel's bindings (JSON array)
kbind() { ip netns exec "$1" "$MCOACTL" -j binding show dev mip0; }

# kbids NS: BIDs the kernel holds, sorted, space separated
kbids()
{
	kbind "$1" | jq -r '[.[].bid] | sort | map(tostring) | join(" ")'
}

# kcoa NS BID
kcoa() { kbind "$1" | jq -r ".[] | select(.bid == $2) | .coa"; }

# wait_bids NS|ha-daemon "1 2 3" [MS]
wait_kbids() { busywait "${3:-30000}" eval '[ "$(kbids '"$1"')" = "'"$2"'" ]'; }
wait_ha_bids() { busywait "${2:-30000}" eval '[ "$(ha_bids)" = "'"$1"'" ]'; }

# bu BU_SEND-ARGS...: a hand-made BU from the MN's namespace; prints the
# BA line (lifetime BU_LIFETIME when set, else bu_send's 60 s; a
# --lifetime in ARGS wins)
bu()
{
	ip netns exec "$mn" "$BU_SEND" --ha "$HA_ADDR" --hoa "$HOA" \
		${BU_LIFETIME:+--lifetime "$BU_LIFETIME"} "$@"
}

# cap_start NS NAME [IF]: capture everything in NS (all interfaces, or IF)
cap_start()
{
	ip netns exec "$1" tcpdump -i "${3:-any}" --immediate-mode -U -n -s 0 -w "$D/$2.pcap" \
		>/dev/null 2>"$D/$2.tcpdump" &
	eval "CAP_$2=$!"
	defer kill "$!"
	busywait 30000 grep -q listening "$D/$2.tcpdump"
}

cap_stop()
{
	local pid
	eval "pid=\$CAP_$1"
	sleep 0.3	# let the last packets reach the file
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# tshark_mh NAME FILTER FIELDS...: decode MH messages of a capture
tshark_mh()
{
	local name=$1 filter=$2; shift 2
	local f args=()

	for f in "$@"; do args+=(-e "$f"); done
	tshark -n -r "$D/$name.pcap" -Y "$filter" -T fields -E separator=' ' \
		-E aggregator=, "${args[@]}" 2>/dev/null |
		sed 's/\bTrue\b/1/g; s/\bFalse\b/0/g'
}

# ping_hoa [COUNT]: the CN reaches the MN's HoA through the HA
ping_hoa()
{
	ip netns exec "$cn" ping -6 -q -c "${1:-3}" -i 0.2 -W 2 "$HOA" >/dev/null 2>&1
}

dump_logs()
{
	echo "---- ha.log"; tail -n 40 "$D/ha.log" 2>/dev/null
	echo "---- mn.log"; tail -n 40 "$D/mn.log" 2>/dev/null
	# last, where a reader of the output's tail (CI's excerpt) sees them
	printf '%s' "${FAILED_TESTS:-}"
}

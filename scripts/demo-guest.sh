#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mcoa demo, run inside the VM by `make demo`:
#   scripts/vm -- scripts/demo-guest.sh
# A home agent and a mobile node with three uplinks, each running mcoad.
# The MN registers its three CoAs in one bulk BU, UDP flows from the CN
# spread over the three paths, uplink 2 is cut (its flows move, the others
# lose nothing), the uplink comes back and is registered again. The MN is
# a mobile router (RFC 3963): a LAN behind it is reached over its CoAs.
# Last, uplink 2 goes silent with its link up (netem loss 100%): the MN's
# probes find it dead, it is de-registered from a live CoA, and it comes
# back by itself once the loss is gone.
# Exits non-zero as soon as a step fails.
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/selftests/lib.sh"
source "$top/selftests/daemon_lib.sh"

NFLOWS=${NFLOWS:-12}
RATE=${RATE:-20}		# packets per second per flow
FLOWS=$top/selftests/udp_flows
T0=$(date +%s.%N)

step()
{
	printf '\n== [%5.1fs] %s\n' \
		"$(echo "$(date +%s.%N) - $T0" | bc)" "$*"
}

die()
{
	echo "DEMO FAILED: $*"
	dump_logs
	exit 1
}

bindings_table()
{
	echo "home agent binding cache (mcoad) + kernel counters:"
	printf '  %-4s %-14s %-9s %-10s\n' BID CoA lifetime tx-packets
	ha_view | jq -r '.cache[].bindings[] | "\(.bid) \(.coa) \(.lifetime)"' |
	while read -r bid coa lt; do
		printf '  %-4s %-14s %-9s %-10s\n' "$bid" "$coa" "${lt}s" \
			"$(kbind "$ha" | jq -r ".[] | select(.bid == $bid) | .stats.tx_packets // 0")"
	done
	echo "mobile node binding update list (mcoad):"
	mn_view | jq -r '.bul[] | "  BID \(.bid) \(.ifname) \(.coa) \(.state)"'
}

# flows_run NAME SECONDS [ACTION-AT-1s...]: NFLOWS UDP flows CN -> HoA
# (source ports 4001.., destination ports 5001..), captured on r1..r3.
flows_run()
{
	local name=$1 secs=$2 i pids=(); shift 2

	for i in 1 2 3; do
		ip netns exec "$(eval echo \$r$i)" tcpdump -i dn -n -U -w \
			"$D/$name-r$i.pcap" ip6 >/dev/null 2>"$D/$name-r$i.err" &
		pids+=($!)
	done
	for i in 1 2 3; do
		busywait 60000 grep -q listening "$D/$name-r$i.err" || die "tcpdump r$i"
	done
	ip netns exec "$mn" "$FLOWS" recv "$HOA" "$NFLOWS" \
		>"$D/$name.rx" 2>"$D/$name.rx.err" &
	local rx=$!
	busywait 60000 grep -q ready "$D/$name.rx.err" ||
		die "receiver did not start: $(cat "$D/$name.rx.err")"
	ip netns exec "$cn" "$FLOWS" send "$HOA" "$NFLOWS" "$RATE" "$secs" \
		>"$D/$name.tx" 2>"$D/$name.tx.err" &
	local tx=$!
	if [ $# -gt 0 ]; then
		busywait 60000 grep -q sending "$D/$name.tx.err"
		sleep 1
		"$@"
	fi
	wait "$tx"
	wait "$rx"
	sleep 0.5
	for p in "${pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null; done
	# which path (router) carried each flow
	for i in 1 2 3; do
		tcpdump -n -r "$D/$name-r$i.pcap" 2>/dev/null |
			grep -oE "$HOA\.50[0-9][0-9]" | sed 's/.*\.//' |
			sort | uniq -c | awk -v r=$i '{ print $2, r, $1 }'
	done > "$D/$name.paths"
}

# flows_table NAME: per flow: paths used, sent, received, lost
flows_table()
{
	local name=$1

	printf '  %-6s %-12s %-6s %-6s %-5s\n' flow "path(pkts)" sent recv lost
	join "$D/$name.tx" "$D/$name.rx" | while read -r port sent recv; do
		local paths
		paths=$(awk -v p="$port" '$1 == p { printf "CoA%s(%s) ", $2, $3 }' \
			"$D/$name.paths")
		printf '  %-6s %-12s %-6s %-6s %-5s\n' "$port" "${paths:--}" \
			"$sent" "$recv" $((sent - recv))
	done
	echo "  flows per CoA: $(for i in 1 2 3; do
		printf 'CoA%s=%s ' $i "$(awk -v r=$i '$2 == r' "$D/$name.paths" | wc -l)"
	done)"
}

# lost_on NAME PATHSPEC: total loss of flows that used only those paths
flow_path() { awk -v p="$2" '$1 == p { print $2 }' "$D/$1.paths" | sort -u | tr '\n' ' '; }

require_command jq
require_command tcpdump
[ -x "$FLOWS" ] || die "$FLOWS not built (make -C selftests)"

MNP=fd00:77::/64		# the mobile network behind the MN
LAN_HOST=fd00:77::10

step "topology: cn - ha - r1/r2/r3 - mn - lan (7 network namespaces), mcoa.ko"
daemon_setup
setup_ns lan
veth_pair "$mn" lan0 "$lan" eth0
ip -6 -n "$mn" addr add fd00:77::1/64 dev lan0 nodad && ip -n "$mn" link set lan0 up &&
	ip -6 -n "$lan" addr add $LAN_HOST/64 dev eth0 nodad && ip -n "$lan" link set eth0 up &&
	ip -6 -n "$lan" route add default via fd00:77::1 || die "the LAN behind the MN"
step "start mcoad on the home agent and on the mobile node, BU/BA under ESP (manual keys)"
# the same two lines in both configs: the direction names the sender
key() { echo "0x$(od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n')"; }
SA_MN_HA="sa $HOA mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) $(key 20) 128"
SA_HA_MN="sa $HOA ha-to-mn spi 0x2001 aead rfc4106(gcm(aes)) $(key 20) 128"
start_ha "max-lifetime 120" "mobile-router $HOA $MNP" "$SA_MN_HA" "$SA_HA_MN"
start_mn "lifetime 60" "mobile-router yes" "mobile-network $MNP" "$SA_MN_HA" "$SA_HA_MN"
wait_ha_bids "1 2 3" 60000 || die "the MN did not register its three CoAs"
wait_kbids "$mn" "1 2 3" || die "MN kernel bindings: $(kbids "$mn")"
grep -m1 "BU seq" "$D/mn.log" | sed 's/^/  mn: /'
grep -m1 "BA to" "$D/ha.log" | sed 's/^/  ha: /'
echo "  ha: $(ip -n "$ha" xfrm state | grep -c 'proto esp') ESP SAs; $(ha_view | jq -c .ipsec)"
bindings_table

step "phase 1: $NFLOWS UDP flows CN -> HoA for 4 s over three CoAs"
flows_run p1 4
flows_table p1
for f in $(cut -d' ' -f1 "$D/p1.tx"); do
	[ "$(awk -v p=$f '$1 == p' "$D/p1.tx")" = "$(awk -v p=$f '$1 == p' "$D/p1.rx")" ] ||
		die "flow $f lost packets with all uplinks up"
done
used=$(cut -d' ' -f2 "$D/p1.paths" | sort -u | wc -l)
echo "  flows spread over $used of 3 paths"
[ "$used" -ge 2 ] || die "flows did not spread"

cut_if2()
{
	ip -n "$mn" link set if2 down
	echo "  [t+1s] mn: ip link set if2 down"
}
step "phase 2: same flows for 5 s; uplink 2 (if2) is cut after 1 s"
flows_run p2 5 cut_if2
wait_ha_bids "1 3" || die "BID 2 not de-registered at the HA: $(ha_bids)"
flows_table p2
bindings_table
bad=0
while read -r port sent recv; do
	p1=$(flow_path p1 "$port")
	if [ "$p1" != "2 " ] && [ "$sent" != "$recv" ]; then
		echo "  flow $port (CoA$p1) lost $((sent - recv)) packets"
		bad=1
	fi
	if [ "$p1" = "2 " ] && [ "$(flow_path p2 "$port")" = "2 " ]; then
		echo "  flow $port did not move off CoA2"
		bad=1
	fi
done < <(join "$D/p2.tx" "$D/p2.rx")
[ $bad = 0 ] || die "flows on the surviving uplinks lost packets"
echo "  OK: flows of CoA2 moved; flows on CoA1/CoA3 lost nothing"

step "phase 3: uplink 2 returns and is registered again"
ip -n "$mn" link set if2 up
ip -n "$mn" route replace default via fd00:22::1 dev if2 table 102
wait_ha_bids "1 2 3" || die "BID 2 not registered again: $(ha_bids)"
wait_kbids "$mn" "1 2 3" || die "MN kernel: $(kbids "$mn")"
grep "BU seq" "$D/mn.log" | tail -n 1 | sed 's/^/  mn: /'
flows_run p3 4
flows_table p3
bindings_table
while read -r port sent recv; do
	[ "$sent" = "$recv" ] || die "flow $port lost packets after re-registration"
done < <(join "$D/p3.tx" "$D/p3.rx")

step "phase 4: the LAN behind the mobile router ($MNP, delegated by the BA with R)"
echo "  ha kernel: $(in_ns "$ha" "$MCOACTL" prefix show dev mip0)"
echo "  mn kernel: $(in_ns "$mn" "$MCOACTL" prefix show dev mip0)"
busywait 20000 in_ns "$cn" ping -6 -c 1 -W 1 $LAN_HOST >/dev/null ||
	die "the CN cannot reach the LAN host $LAN_HOST"
echo "  cn: ping $LAN_HOST (a host on the LAN): $(in_ns "$cn" ping -6 -c 3 -i 0.3 -W 2 $LAN_HOST | grep -o '[0-9]* received')"

silent_if2()
{
	tc -n "$mn" qdisc add dev if2 root netem loss 100%
	echo "  [t+1s] mn: tc qdisc add dev if2 root netem loss 100% (if2 stays up)"
}
step "phase 5: uplink 2 goes silent, link up: the probes find it dead"
flows_run p5 6 silent_if2
wait_ha_bids "1 3" || die "the silent CoA2 was not de-registered: $(ha_bids)"
grep -m1 "probe: CoA .* dead" "$D/mn.log" | sed 's/^/  mn: /'
flows_table p5
bad=0
while read -r port sent recv; do
	p1=$(flow_path p1 "$port")
	if [ "$p1" != "2 " ] && [ "$sent" != "$recv" ]; then
		echo "  flow $port (CoA$p1) lost $((sent - recv)) packets"
		bad=1
	fi
done < <(join "$D/p5.tx" "$D/p5.rx")
[ $bad = 0 ] || die "flows on the live uplinks lost packets"
echo "  OK: flows of CoA1/CoA3 lost nothing; CoA2's moved after detection"
tc -n "$mn" qdisc del dev if2 root
wait_ha_bids "1 2 3" || die "CoA2 did not come back: $(ha_bids)"
grep "probe: CoA .* alive again" "$D/mn.log" | tail -n 1 | sed 's/^/  mn: /'
echo "  OK: without the loss, CoA2 answers and is registered again"

step "done: $(printf '%.0f' "$(echo "$(date +%s.%N) - $T0" | bc)") s in the guest"
echo "DEMO PASSED"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "mcoa" genetlink API seen from userspace: every malformed or invalid
# request is refused with an extack naming the attribute and changes
# nothing; mcoactl exit codes (0 ok, 1 kernel refused, 2 usage); JSON
# output is valid; batch mode pipelines and reports FILE:LINE; monitor
# prints one event per line; the iproute2 plugin parses and prints mode.
source "$(dirname "$0")/lib.sh"

require_command jq
GENL_RAW=${GENL_RAW:-$MCOA_TOP/selftests/genl_raw}
[ -x "$GENL_RAW" ] || { echo "SKIP: $GENL_RAW not built"; exit $ksft_skip; }

H=fd00:1::100
C1=fd00:21::2
C2=fd00:22::2
P=fd00:1::1
TMP=$(mktemp -d)
defer rm -rf "$TMP"

# a hung request must fail the test, not stall the suite
ctl() { in_ns "$ns" timeout 60 "$MCOACTL" "$@"; }
raw() { in_ns "$ns" timeout 60 "$GENL_RAW" "$@"; }

# state: everything the kernel holds for mip0, to prove a rejected
# request changed nothing (timers and counters excluded: they move)
state()
{
	ctl binding show dev mip0 |
		sed -E 's/ (expires|verified) [0-9.]+s//g; /^    tx /d'
	ctl flow show dev mip0 | sed -E 's/ packets [0-9]+//'
	ctl hoa show dev mip0
}

# expect_reject NAME PATTERN CMD...: CMD fails (exit 1), its output
# matches PATTERN (extended regex), and the kernel state is still $BASE.
expect_reject()
{
	local name=$1 pat=$2 out rc
	shift 2

	RET=0
	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq 1 ]
	check_err $? "exit code $rc, expected 1: $out"
	echo "$out" | grep -Eq -- "$pat"
	check_err $? "\"$out\" does not match /$pat/"
	[ "$BASE" == "$(state)" ]
	check_err $? "kernel state changed by a rejected request"
	log_test "$name"
}

setup()
{
	mcoa_load
	setup_ns ns
	ctl link add mip0 mode ha || fail_now "mcoactl link add"
	ip -n "$ns" link set mip0 up
	ip -n "$ns" link add dummy0 type dummy 2>/dev/null ||
		ip -n "$ns" link add dummy0 type veth peer name dummy1
	ctl binding add dev mip0 hoa $H bid 1 coa $C1 peer $P ||
		fail_now "first binding"
}

test_malformed()
{
	local ifi lo

	ifi=$(ip netns exec "$ns" cat /sys/class/net/mip0/ifindex)
	lo=$(ip netns exec "$ns" cat /sys/class/net/lo/ifindex)
	BASE=$(state)

	expect_reject "binding-new without ifindex: extack names ifindex" \
		'ifindex' \
		raw binding-new nest:binding addr:hoa=$H u16:bid=2 addr:coa=$C2 end
	expect_reject "binding-new on a non-mcoa device: extack names ifindex" \
		'ifindex' \
		raw binding-new u32:ifindex=$lo nest:binding addr:hoa=$H u16:bid=2 addr:coa=$C2 end
	expect_reject "binding-new on a missing ifindex: extack names ifindex" \
		'ifindex' \
		raw binding-new u32:ifindex=999999 nest:binding addr:hoa=$H u16:bid=2 addr:coa=$C2 end
	expect_reject "binding-new without binding nest: extack names binding" \
		'binding' \
		raw binding-new u32:ifindex=$ifi
	expect_reject "binding-new bid 0: extack names binding.bid" \
		'binding\.bid' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=0 addr:coa=$C2 end
	expect_reject "binding-new without bid: extack names bid" \
		'bid' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H addr:coa=$C2 end
	expect_reject "binding-new hoa of 8 bytes: extack names binding.hoa" \
		'binding\.hoa' \
		raw binding-new u32:ifindex=$ifi nest:binding hex:hoa=fd00000100000000 u16:bid=2 addr:coa=$C2 end
	expect_reject "binding-new coa of 17 bytes: extack names binding.coa" \
		'binding\.coa' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=2 hex:coa=fd0000220000000000000000000000000200 end
	expect_reject "binding-new with coa4 (reserved): extack names coa4" \
		'coa4' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=2 u32:coa4=0x0a000001 end
	expect_reject "binding-new prio 200: extack names binding.prio" \
		'binding\.prio' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=2 addr:coa=$C2 u8:prio=200 end
	expect_reject "binding-new unknown flags: extack names binding.flags" \
		'flags' \
		ctl binding add dev mip0 hoa $H bid 2 coa $C2 flags 0x80
	expect_reject "binding-new without coa: extack names coa" \
		'coa' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=2 end
	expect_reject "binding-new unknown attribute: rejected (strict)" \
		'binding|attribute|Unknown|unknown' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=2 addr:coa=$C2 u32:77=1 end
	expect_reject "binding-new link that does not exist: extack names link" \
		'link' \
		raw binding-new u32:ifindex=$ifi nest:binding addr:hoa=$H u16:bid=2 addr:coa=$C2 u32:link=999999 end
	expect_reject "binding-new duplicate (hoa, bid): EEXIST" \
		'exist|EEXIST' \
		ctl binding add dev mip0 hoa $H bid 1 coa $C2
	expect_reject "binding-set on an unknown bid: ENOENT" \
		'no binding|not found|No such|ENOENT' \
		ctl binding set dev mip0 hoa $H bid 9 coa $C2
	expect_reject "binding-del on an unknown bid: ENOENT" \
		'no binding|not found|No such|ENOENT' \
		ctl binding del dev mip0 hoa $H bid 9
	expect_reject "flow-new with 17 bids: extack names flow.bids" \
		'bids' \
		raw flow-new u32:ifindex=$ifi nest:flow addr:hoa=$H u16:fid=1 \
			hex:bids=0100020003000400050006000700080009000a000b000c000d000e000f0010001100 end
	expect_reject "flow-new fid 0: extack names flow.fid" \
		'flow\.fid' \
		raw flow-new u32:ifindex=$ifi nest:flow addr:hoa=$H u16:fid=0 hex:bids=0100 end
	expect_reject "flow-new src-plen 129: extack names flow.src-plen" \
		'src-plen' \
		raw flow-new u32:ifindex=$ifi nest:flow addr:hoa=$H u16:fid=1 addr:src=fd00:1::10 u8:src-plen=129 hex:bids=0100 end
	expect_reject "hoa-set policy 7: extack names hoa.policy" \
		'policy' \
		raw hoa-set u32:ifindex=$ifi nest:hoa addr:addr=$H u32:policy=7 end
	expect_reject "unknown command 200: rejected" \
		'.' \
		raw 200 u32:ifindex=$ifi
	expect_reject "binding-new lifetime 2^32-1: extack names binding.lifetime" \
		'binding\.lifetime' \
		ctl binding add dev mip0 hoa $H bid 2 coa $C2 lifetime 4294967295
	expect_reject "binding-new lifetime 262141 (past RFC 6275's max): refused" \
		'binding\.lifetime' \
		ctl binding add dev mip0 hoa $H bid 2 coa $C2 lifetime 262141
	expect_reject "binding-set lifetime 2^32-1 on a live binding: refused" \
		'binding\.lifetime' \
		ctl binding set dev mip0 hoa $H bid 1 lifetime 4294967295
	expect_reject "binding-new link-local coa without a link: refused" \
		'link-local coa needs binding\.link' \
		ctl binding add dev mip0 hoa $H bid 2 coa fe80::2
	expect_reject "binding-new coa equal to the hoa without home: refused" \
		'without the home flag' \
		ctl binding add dev mip0 hoa $H bid 2 coa $H
	expect_reject "binding-new home binding with a foreign coa: refused" \
		"home binding's coa is its hoa" \
		ctl binding add dev mip0 hoa $H bid 2 coa $C2 home
	expect_reject "binding-set home flag onto a foreign binding: refused" \
		"home binding's coa is its hoa" \
		ctl binding set dev mip0 hoa $H bid 1 home
	expect_reject "hoa-del of an unknown hoa: extack names hoa.addr" \
		'no such hoa.*hoa\.addr' \
		ctl hoa del dev mip0 hoa fd00:9::9
}

# Bounds that hold: the largest RFC 6275 lifetime, a home binding whose
# coa defaults to its hoa, a link-local coa with its link.
test_binding_limits()
{
	RET=0
	ctl binding add dev mip0 hoa fd00:5::1 bid 1 coa $C1 lifetime 262140
	check_err $? "lifetime 262140 refused"
	ctl -j binding show dev mip0 hoa fd00:5::1 |
		jq -e '.[0].lifetime == 262140 and .[0].expires_ms > 262000000' >/dev/null
	check_err $? "lifetime 262140 not kept: $(ctl -j binding show dev mip0 hoa fd00:5::1)"
	ctl binding add dev mip0 hoa fd00:5::1 bid 2 home
	check_err $? "home binding without a coa refused"
	ctl -j binding show dev mip0 hoa fd00:5::1 |
		jq -e '.[] | select(.bid == 2) | .coa == "fd00:5::1" and .home' >/dev/null
	check_err $? "home binding's coa is not its hoa"
	ctl binding add dev mip0 hoa fd00:5::1 bid 3 coa fe80::2 link dummy0
	check_err $? "link-local coa with a link refused"
	ctl binding flush dev mip0 hoa fd00:5::1
	log_test "lifetime up to 262140 s, home binding coa = hoa, link-local coa with link"
}

# hoas: the HoA objects of a device, as dev-get reports them.
hoas() { ctl -j stats dev mip0 | jq -r '.[0].stats.hoas'; }

# A HoA object lives while something needs it: bindings, flow rules, a
# policy. A sequence number parked while bindings exist goes with the last
# of them; hoa del removes everything.
test_hoa_lifetime()
{
	local n0

	RET=0
	n0=$(hoas)
	[ "$n0" -ge 1 ] 2>/dev/null
	check_err $? "stats.hoas is '$n0' with a binding installed"
	ctl binding add dev mip0 hoa fd00:6::1 bid 1 coa $C1 &&
		ctl policy set dev mip0 hoa fd00:6::1 seq 77
	check_err $? "binding add + seq park failed"
	[ "$(hoas)" = $((n0 + 1)) ]
	check_err $? "stats.hoas $(hoas), want $((n0 + 1))"
	ctl binding del dev mip0 hoa fd00:6::1 bid 1
	[ -z "$(ctl hoa show dev mip0 hoa fd00:6::1)" ]
	check_err $? "hoa with only a parked seq kept after its last binding: $(ctl hoa show dev mip0 hoa fd00:6::1)"
	[ "$(hoas)" = "$n0" ]
	check_err $? "stats.hoas $(hoas) after the last binding went, want $n0"
	log_test "a parked sequence number goes with the HoA's last binding"

	RET=0
	ctl binding add dev mip0 hoa fd00:6::2 bid 1 coa $C1 &&
		ctl binding add dev mip0 hoa fd00:6::2 bid 2 coa $C2 &&
		ctl flow add dev mip0 hoa fd00:6::2 fid 1 proto udp bids 2 &&
		ctl policy set dev mip0 hoa fd00:6::2 recent seq 5
	check_err $? "setting up fd00:6::2 failed"
	ctl hoa del dev mip0 hoa fd00:6::2
	check_err $? "hoa del failed"
	[ -z "$(ctl binding show dev mip0 hoa fd00:6::2)$(ctl flow show dev mip0 hoa fd00:6::2)$(ctl hoa show dev mip0 hoa fd00:6::2)" ]
	check_err $? "hoa del left something behind"
	[ "$(hoas)" = "$n0" ]
	check_err $? "stats.hoas $(hoas) after hoa del, want $n0"
	log_test "hoa del removes bindings, flow rules, policy and seq"
}

# Only CAP_NET_ADMIN sees locations: dumps and the event group.
test_unprivileged()
{
	local out rc

	require_command setpriv
	RET=0
	out=$(ip netns exec "$ns" setpriv --reuid=nobody --regid=nogroup \
		--clear-groups --inh-caps=-all timeout 10 "$MCOACTL" monitor 2>&1)
	rc=$?
	[ $rc = 1 ]
	check_err $? "monitor as nobody was not refused (exit $rc): $out"
	echo "$out" | grep -Eqi 'permit|denied|EPERM'
	check_err $? "monitor as nobody: no permission error in '$out'"
	out=$(ip netns exec "$ns" setpriv --reuid=nobody --regid=nogroup \
		--clear-groups --inh-caps=-all "$MCOACTL" binding show 2>&1)
	[ $? -eq 1 ]
	check_err $? "binding show as nobody was not refused: $out"
	echo "$out" | grep -q "$C1"
	check_fail $? "binding show as nobody printed a CoA"
	log_test "unprivileged users cannot dump or monitor bindings"
}

test_usage_errors()
{
	local out rc

	RET=0
	for args in "binding add dev mip0 hoa $H bid 0 coa $C2" \
		    "binding add dev mip0 hoa nope bid 2 coa $C2" \
		    "binding add dev mip0 hoa $H bid 2 coa $C2 frob 1" \
		    "binding add dev mip0 hoa $H bid 2" \
		    "binding add dev mip0 hoa $H bid 2 coa $C2 prio 128" \
		    "flow add dev mip0 hoa $H fid 1 bids 1,x" \
		    "flow add dev mip0 hoa $H fid 1 sport 9-3 bids 1" \
		    "policy set dev mip0 hoa $H fastest" \
		    "link add x mode both" \
		    "binding frob"; do
		# shellcheck disable=SC2086
		out=$(ctl $args 2>&1)
		rc=$?
		[ $rc -eq 2 ]
		check_err $? "'$args': exit $rc, expected 2: $out"
		echo "$out" | grep -q 'Usage:'
		check_err $? "'$args': no usage text: $out"
	done
	out=$(ctl binding add dev mip0 hoa $H bid 2 coa $C2 frob 1 2>&1)
	echo "$out" | grep -q '"frob"'
	check_err $? "unknown keyword not named: $out"
	out=$(ctl binding add dev mip0 hoa nope bid 2 coa $C2 2>&1)
	echo "$out" | grep -q '"nope"'
	check_err $? "bad address not named: $out"
	ctl binding add dev nodev0 hoa $H bid 2 coa $C2 >/dev/null 2>&1
	rc=$?
	[ $rc -eq 1 ]
	check_err $? "unknown device: exit $rc, expected 1"
	[ "$BASE" == "$(state)" ]
	check_err $? "kernel state changed by a usage error"
	log_test "mcoactl usage errors: exit 2, keyword named, nothing sent"
}

test_roundtrip_json()
{
	local j

	RET=0
	ctl binding add dev mip0 hoa $H bid 2 coa $C2 peer $P link dummy0 \
		lifetime 600 prio 3
	check_err $? "binding add bid 2"
	j=$(ctl -j binding show dev mip0 hoa $H bid 2)
	check_err $? "binding show bid 2"
	echo "$j" | jq -e --arg c $C2 --arg p $P \
		'.[0] | .bid == 2 and .coa == $c and .peer == $p and .prio == 3
		 and .lifetime == 600 and .link_dev == "dummy0" and .dev == "mip0"
		 and (.expires_ms | type) == "number" and .expires_ms <= 600000
		 and .home == false' >/dev/null
	check_err $? "binding JSON does not round-trip: $j"
	ctl binding set dev mip0 hoa $H bid 2 prio 5
	check_err $? "binding set prio"
	ctl -j binding show dev mip0 | jq -e \
		'map(select(.bid == 2))[0] | .prio == 5 and .lifetime == 600' >/dev/null
	check_err $? "binding set changed more than prio"
	[ "$(ctl -j binding show | jq length)" -eq 2 ]
	check_err $? "binding show (all devices) does not list 2 bindings"
	ctl binding show dev mip0 | grep -q "bid 2 coa $C2"
	check_err $? "text output lacks bid 2"

	ctl flow add dev mip0 hoa $H fid 7 pri 10 dst $H/128 proto tcp dport 80-88 \
		tclass 0x20/0xfc bids 2,1
	check_err $? "flow add"
	ctl -j flow show dev mip0 | jq -e \
		'.[0] | .fid == 7 and .pri == 10 and .proto == 6 and .dport_min == 80
		 and .dport_max == 88 and .bids == [2,1] and .tclass == 32
		 and .tclass_mask == 252' >/dev/null
	check_err $? "flow JSON does not round-trip: $(ctl -j flow show dev mip0)"
	ctl policy set dev mip0 hoa $H recent seq 42
	check_err $? "policy set"
	ctl -j hoa show dev mip0 | jq -e --arg h $H \
		'map(select(.hoa == $h))[0] | .policy == "recent" and .seq == 42' >/dev/null
	check_err $? "hoa JSON: $(ctl -j hoa show dev mip0)"
	ctl -j stats dev mip0 | jq -e '.[0] | .mode == "ha" and .dev == "mip0"' >/dev/null
	check_err $? "stats JSON: $(ctl -j stats dev mip0)"
	ctl -j stats | jq -e 'length == 1' >/dev/null
	check_err $? "stats dump JSON: $(ctl -j stats)"
	ctl flow del dev mip0 hoa $H fid 7
	check_err $? "flow del"
	[ "$(ctl -j flow show dev mip0 | jq length)" -eq 0 ]
	check_err $? "flow still listed after del"
	log_test "add/set/show round trip, JSON valid with stable keys"
}

test_batch()
{
	local out rc n i

	RET=0
	{
		echo "# comment line"
		for ((i = 100; i < 1100; i++)); do
			printf 'binding add dev mip0 hoa fd00:2::%x bid 1 coa %s\n' $i $C1
		done
	} > "$TMP/ok.batch"
	ctl -b "$TMP/ok.batch"
	check_err $? "1000-line batch failed"
	n=$(ctl -j binding show dev mip0 | jq length)
	[ "$n" -eq 1002 ]
	check_err $? "expected 1002 bindings after batch, got $n"

	printf 'binding add dev mip0 hoa fd00:3::1 bid 1 coa %s\nbinding add dev mip0 hoa %s bid 1 coa %s\nbinding add dev mip0 hoa fd00:3::2 bid 1 coa %s\n' \
		$C1 $H $C1 $C1 > "$TMP/bad.batch"
	out=$(ctl -b "$TMP/bad.batch" 2>&1)
	rc=$?
	[ $rc -eq 1 ]
	check_err $? "failing batch: exit $rc, expected 1"
	echo "$out" | grep -q "^$TMP/bad.batch:2: "
	check_err $? "failing batch not reported as FILE:2: $out"

	printf 'binding show dev mip0 hoa fd00:3::1\nbinding add dev mip0 bid x\n' > "$TMP/usage.batch"
	out=$(ctl -b "$TMP/usage.batch" 2>&1)
	rc=$?
	[ $rc -eq 2 ]
	check_err $? "usage error in batch: exit $rc, expected 2"
	echo "$out" | grep -q "usage.batch:2: "
	check_err $? "usage error in batch not reported as FILE:2: $out"

	echo "binding flush dev mip0 hoa fd00:3::1" | ctl -b -
	check_err $? "batch from stdin"
	for ((i = 100; i < 1100; i++)); do
		printf 'binding del dev mip0 hoa fd00:2::%x bid 1\n' $i
	done | ctl -b -
	check_err $? "batch del"
	ctl binding flush dev mip0 hoa fd00:3::2
	n=$(ctl -j binding show dev mip0 | jq length)
	[ "$n" -eq 2 ]
	check_err $? "expected 2 bindings after batch del, got $n"
	log_test "batch: 1000 pipelined adds, FILE:LINE errors, stdin"
}

mon_probe()
{
	ctl binding del dev mip0 hoa fd00:4::1 bid 1 >/dev/null 2>&1
	ctl binding add dev mip0 hoa fd00:4::1 bid 1 coa $C1 >/dev/null 2>&1
	grep -q fd00:4::1 "$TMP/mon"
}

test_monitor()
{
	local pid n

	RET=0
	ctl -j monitor > "$TMP/mon" 2>"$TMP/mon.err" &
	pid=$!
	defer kill $pid
	# the subscription is in place once a probe's event shows up
	busywait 10000 mon_probe
	check_err $? "no event seen: $(cat "$TMP/mon.err")"
	ctl binding set dev mip0 hoa fd00:4::1 bid 1 coa $C2
	ctl binding del dev mip0 hoa fd00:4::1 bid 1
	busywait 5000 grep -q '"event":"del"' "$TMP/mon"
	check_err $? "no del event: $(cat "$TMP/mon")"
	jq -e . "$TMP/mon" >/dev/null
	check_err $? "monitor output is not JSON lines: $(cat "$TMP/mon")"
	n=$(jq -r 'select(.binding.hoa == "fd00:4::1") | .event' "$TMP/mon" | sort -u | tr '\n' ' ')
	[[ $n == *new* && $n == *change* && $n == *del* ]]
	check_err $? "expected new, change, del events, got: $n"
	jq -e 'select(.event == "del") | .reason == "user"' "$TMP/mon" >/dev/null
	check_err $? "del event without reason user"
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	log_test "monitor -j: one JSON event per line (new, change, del)"
}

test_iproute2_plugin()
{
	local lib=$MCOA_TOP/iproute2 out rc

	RET=0
	if [ ! -f "$lib/link_mcoa.so" ]; then
		RET=$ksft_skip
		retmsg="iproute2/link_mcoa.so not built"
		log_test "ip link add type mcoa mode mn (iproute2 plugin)"
		return
	fi
	IP_LIB_DIR=$lib ip -n "$ns" link add mip1 type mcoa mode mn
	check_err $? "ip link add mip1 type mcoa mode mn"
	IP_LIB_DIR=$lib ip -n "$ns" -d link show mip1 | grep -q 'mcoa mode mn'
	check_err $? "ip -d link show: $(IP_LIB_DIR=$lib ip -n "$ns" -d link show mip1)"
	IP_LIB_DIR=$lib ip -n "$ns" -j -d link show mip1 |
		jq -e '.[0].linkinfo.info_data.mode == "mn"' >/dev/null
	check_err $? "ip -j -d link show: no info_data.mode"
	ctl -j stats dev mip1 | jq -e '.[0].mode == "mn"' >/dev/null
	check_err $? "mcoactl stats does not report mode mn"
	out=$(IP_LIB_DIR=$lib ip -n "$ns" link add mip2 type mcoa mode both 2>&1)
	rc=$?
	[ $rc -ne 0 ] && echo "$out" | grep -q 'invalid mode "both"'
	check_err $? "bad mode not rejected by the plugin: $out"
	ip -n "$ns" link show mip2 >/dev/null 2>&1
	check_fail $? "mip2 created despite a bad mode"
	ip -n "$ns" link del mip1
	log_test "ip link add type mcoa mode mn (iproute2 plugin)"
}

# Listings are sorted by HoA (numerically) then BID, in text and JSON,
# whatever order the kernel's hash table dumps them in.
test_sorted()
{
	local want got

	RET=0
	ctl link add mip3 mode ha || fail_now "link add mip3"
	for hb in fd00:7::10/2 fd00:7::2/10 fd00:7::2/9 fd00:7::10/1 \
		  fd00:7::1/5 fd00:7::2/1; do
		ctl binding add dev mip3 hoa ${hb%/*} bid ${hb#*/} coa $C1
		check_err $? "binding add $hb"
	done
	want="fd00:7::1/5 fd00:7::2/1 fd00:7::2/9 fd00:7::2/10 fd00:7::10/1 fd00:7::10/2"
	got=$(ctl binding show dev mip3 | awk '/^dev /{printf "%s%s/%s", s, $4, $6; s=" "}')
	[ "$got" = "$want" ]
	check_err $? "text order: $got"
	got=$(ctl -j binding show dev mip3 | jq -r '[.[] | "\(.hoa)/\(.bid)"] | join(" ")')
	[ "$got" = "$want" ]
	check_err $? "JSON order: $got"
	ctl flow add dev mip3 hoa fd00:7::10 fid 3 proto udp bids 1 &&
		ctl flow add dev mip3 hoa fd00:7::2 fid 2 pri 5 proto tcp bids 1 &&
		ctl flow add dev mip3 hoa fd00:7::2 fid 1 pri 9 proto udp bids 1
	check_err $? "flow add"
	got=$(ctl -j flow show dev mip3 | jq -r '[.[] | "\(.hoa)/\(.fid)"] | join(" ")')
	[ "$got" = "fd00:7::2/2 fd00:7::2/1 fd00:7::10/3" ]
	check_err $? "flow order (HoA, then match order): $got"
	got=$(ctl -j hoa show dev mip3 | jq -r '[.[].hoa] | join(" ")')
	[ "$got" = "fd00:7::1 fd00:7::2 fd00:7::10" ]
	check_err $? "hoa order: $got"
	log_test "show lists sorted by HoA then BID (text, JSON, flows, hoas)"
}

# A binding without lifetime never expires: "forever", not "lifetime 0"
# (0 is a de-registration in MIPv6); JSON says it with "permanent".
test_forever()
{
	local out

	RET=0
	ctl binding add dev mip3 hoa fd00:7::20 bid 1 coa $C1 &&
		ctl binding add dev mip3 hoa fd00:7::20 bid 2 coa $C2 lifetime 600
	check_err $? "binding add"
	out=$(ctl binding show dev mip3 hoa fd00:7::20)
	echo "$out" | grep -q "bid 1 coa $C1 forever"
	check_err $? "static binding not shown as forever: $out"
	echo "$out" | grep -q 'lifetime 0'
	check_fail $? "static binding shown as lifetime 0: $out"
	echo "$out" | grep -q "bid 2 coa $C2 lifetime 600 expires"
	check_err $? "binding with a lifetime: $out"
	ctl -j binding show dev mip3 hoa fd00:7::20 | jq -e \
		'.[0].bid == 1 and .[0].lifetime == 0 and .[0].permanent == true
		 and .[0].expires_ms == null and .[1].permanent == false' >/dev/null
	check_err $? "JSON: $(ctl -j binding show dev mip3 hoa fd00:7::20)"
	log_test "a binding without lifetime is shown as forever (JSON permanent)"
}

# Every refusal prints the kernel's message; nothing on stdout before it.
test_extack_show()
{
	local cmd out rc

	RET=0
	for cmd in "binding show dev lo" "flow show dev lo" "hoa show dev lo" \
		   "-j binding show dev lo" "-j flow show dev lo" \
		   "-j hoa show dev lo" "stats dev lo" "-j stats dev lo" \
		   "link show dev lo" "binding show dev lo hoa $H bid 1"; do
		# shellcheck disable=SC2086
		out=$(ctl $cmd 2>"$TMP/err")
		rc=$?
		[ $rc -eq 1 ]
		check_err $? "'$cmd': exit $rc, expected 1"
		grep -q 'kernel: not an mcoa device' "$TMP/err"
		check_err $? "'$cmd': no extack message: $(cat "$TMP/err")"
		[ -z "$out" ]
		check_err $? "'$cmd' printed '$out' before its error"
	done
	log_test "show refusals print the kernel's extack, no partial output"
}

test_link_show_del()
{
	local out rc

	RET=0
	ctl link show | grep -q '^mip0: mode ha up '
	check_err $? "link show: $(ctl link show)"
	ctl link | grep -q '^mip3: mode ha down state down mtu [0-9]* bindings 8 hoas 4$'
	check_err $? "link (show) of mip3: $(ctl link)"
	ctl -j link show dev mip0 | jq -e \
		'length == 1 and .[0].dev == "mip0" and .[0].mode == "ha"
		 and .[0].up == true and (.[0].mtu | type) == "number"
		 and .[0].bindings >= 1' >/dev/null
	check_err $? "link show dev mip0 JSON: $(ctl -j link show dev mip0)"
	[ "$(ctl -j link show | jq -r '[.[].dev] | join(" ")')" = "mip0 mip3" ]
	check_err $? "link show lists other devices: $(ctl -j link show)"
	out=$(ctl link show dummy0 2>&1)
	[ $? -eq 1 ] && echo "$out" | grep -q 'not an mcoa device'
	check_err $? "link show of a dummy: $out"

	out=$(ctl link del dummy0 2>&1)
	rc=$?
	[ $rc -eq 1 ]
	check_err $? "link del dummy0: exit $rc, expected 1"
	echo "$out" | grep -Eq 'link del: device "dummy0" is not an mcoa device \(kind (dummy|veth)\)'
	check_err $? "link del dummy0: $out"
	ip -n "$ns" link show dummy0 >/dev/null 2>&1
	check_err $? "link del deleted dummy0, a non-mcoa device"
	ctl link add mip4 mode mn && ctl link del mip4
	check_err $? "link add/del mip4"
	ip -n "$ns" link show mip4 >/dev/null 2>&1
	check_fail $? "mip4 still there after link del"
	log_test "link show lists mcoa devices; link del refuses other kinds"
}

# mon_has FILE PATTERN: the monitor's output has a line matching PATTERN
mon_has() { grep -q -- "$2" "$1"; }

mon_probe8()
{
	ctl binding del dev mip0 hoa fd00:8::1 bid 1 >/dev/null 2>&1
	ctl binding add dev mip0 hoa fd00:8::1 bid 1 coa $C1 >/dev/null 2>&1
	grep -q fd00:8::1 "$TMP/mon8"
}

# mip3's monitor is subscribed once it sees one of mip3's events
mon_probe3()
{
	ctl binding del dev mip3 hoa fd00:7::30 bid 1 >/dev/null 2>&1
	ctl binding add dev mip3 hoa fd00:7::30 bid 1 coa $C1 >/dev/null 2>&1
	grep -q fd00:7::30 "$TMP/mon3"
}

test_monitor_filters()
{
	local p1 p2 p3 out now

	RET=0
	ctl -t monitor hoa fd00:8::1 > "$TMP/mon8" 2>&1 &
	p1=$!
	ctl -j -t monitor dev mip3 > "$TMP/mon3" 2>&1 &
	p2=$!
	defer kill $p1 $p2
	busywait 10000 mon_probe8
	check_err $? "monitor hoa fd00:8::1 saw nothing: $(cat "$TMP/mon8")"
	busywait 10000 mon_probe3
	check_err $? "monitor dev mip3 saw nothing: $(cat "$TMP/mon3")"
	ctl binding add dev mip0 hoa fd00:8::2 bid 1 coa $C1
	ctl binding add dev mip3 hoa fd00:8::2 bid 1 coa $C1
	ctl binding del dev mip0 hoa fd00:8::2 bid 1
	# a last event of each filter's own: everything before it was read
	ctl binding del dev mip0 hoa fd00:8::1 bid 1
	ctl binding del dev mip3 hoa fd00:7::20 bid 2
	busywait 5000 mon_has "$TMP/mon8" '] del dev mip0 hoa fd00:8::1'
	check_err $? "no del event for fd00:8::1: $(cat "$TMP/mon8")"
	busywait 5000 mon_has "$TMP/mon3" 'fd00:7::20'
	check_err $? "no event for fd00:7::20 on mip3: $(cat "$TMP/mon3")"
	# an event is its line and a counters line ("    tx ...")
	grep -v '^    tx ' "$TMP/mon8" | grep -v 'hoa fd00:8::1 ' | grep -q .
	check_fail $? "monitor hoa fd00:8::1 let other events through: $(cat "$TMP/mon8")"
	grep -v '^    tx ' "$TMP/mon8" | grep -Evq \
		'^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\] (new|change|del) dev '
	check_fail $? "monitor -t lines without a timestamp: $(cat "$TMP/mon8")"
	now=$(date +%s)
	jq -se --argjson now "$now" 'length >= 3 and all(.[];
		.binding.dev == "mip3" and (.timestamp | type) == "number" and
		.timestamp <= $now + 1 and .timestamp > $now - 600) and
		(map(select(.binding.hoa == "fd00:8::2")) | length) == 1' \
		"$TMP/mon3" >/dev/null
	check_err $? "monitor -j -t dev mip3: $(cat "$TMP/mon3")"
	kill $p1 $p2 2>/dev/null
	wait $p1 $p2 2>/dev/null
	out=$(ctl monitor dev dummy0 2>&1)
	[ $? -eq 1 ] && echo "$out" | grep -q 'not an mcoa device'
	check_err $? "monitor dev dummy0 not refused at once: $out"
	log_test "monitor -t timestamps, monitor hoa / dev filters"
}

test_batch_force()
{
	local out rc

	RET=0
	printf 'binding add dev mip3 hoa fd00:9::1 bid 1 coa %s\nbinding add dev mip3 hoa fd00:9::1 bid 1 coa %s\nbinding add dev mip3 hoa fd00:9::2 bid 1 coa %s\nbinding add dev mip3 hoa fd00:9::2 bid 1 coa %s\nbinding show dev mip3 hoa fd00:9::2\n' \
		$C1 $C1 $C1 $C1 > "$TMP/force.batch"
	out=$(ctl -b "$TMP/force.batch" 2>&1)
	rc=$?
	[ $rc -eq 1 ]
	check_err $? "batch: exit $rc, expected 1"
	echo "$out" | grep -q "force.batch:2: ."
	check_err $? "batch: line 2 not named: $out"
	echo "$out" | grep -q "force.batch:4:\|bid 1 coa"
	check_fail $? "batch went on after line 2: $out"
	ctl binding flush dev mip3 hoa fd00:9::1
	ctl binding flush dev mip3 hoa fd00:9::2
	out=$(ctl -force -b "$TMP/force.batch" 2>&1)
	rc=$?
	[ $rc -eq 1 ]
	check_err $? "batch -force: exit $rc, expected 1"
	echo "$out" | grep -q "force.batch:2: ." &&
		echo "$out" | grep -q "force.batch:4: ."
	check_err $? "batch -force: lines 2 and 4 not both named: $out"
	echo "$out" | grep -q "^dev mip3 hoa fd00:9::2 bid 1 coa $C1"
	check_err $? "batch -force did not run line 5: $out"
	ctl binding flush dev mip3 hoa fd00:9::1
	ctl binding flush dev mip3 hoa fd00:9::2
	log_test "batch stops at the first failing line; -force runs them all"
}

setup
test_malformed
test_binding_limits
test_hoa_lifetime
test_unprivileged
test_usage_errors
test_roundtrip_json
test_batch
test_monitor
test_iproute2_plugin
test_extack_show
test_sorted
test_forever
test_link_show_del
test_monitor_filters
test_batch_force
exit $EXIT_STATUS

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Issue 9: BU/BA under ESP transport mode with manually keyed SAs (RFC 3776,
# RFC 4877, RFC 5648 s.5.2): three CoAs registered, nothing but ESP on the
# wire, a forged BU for the HoA dropped by the kernel, a HoA without keys
# dropped by the daemon, one MN's keys useless for another's HoA, and a
# restart of both daemons that neither loses nor duplicates SAs/policies.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

require_command jq
require_command tshark
require_command tcpdump

HOA_B=fd00:1::200	# a second mobile node, keyed on the HA only
COA_B=fd00:21::99

# key OCTETS: fresh random key, 0x...
key() { echo "0x$(od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n')"; }

# The same lines go to both daemons (the direction names the sender).
SA_A=("sa $HOA mn-to-ha spi 0x1001 aead rfc4106(gcm(aes)) $(key 20) 128"
      "sa $HOA ha-to-mn spi 0x2001 enc cbc(aes) $(key 16) auth hmac(sha256) $(key 32)")
SA_B=("sa $HOA_B mn-to-ha spi 0x1002 aead rfc4106(gcm(aes)) $(key 36) 128"
      "sa $HOA_B ha-to-mn spi 0x2002 aead rfc4106(gcm(aes)) $(key 36) 128")

ha_ipsec() { ha_view | jq -r ".ipsec.$1"; }
xfrm_count() { ip -n "$1" xfrm "$2" | grep -c '^src'; }

test_register()
{
	RET=0
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	[ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "HA kernel: '$(kbids "$ha")'"
	[ "$(ha_ipsec enabled)" = true ] && [ "$(ha_ipsec keyed_hoas)" = 2 ]
	check_err $? "HA ipsec view: $(ha_view | jq -c .ipsec)"
	ping_hoa 5
	check_err $? "CN cannot ping the HoA through the tunnels"
	log_test "ESP-protected bulk registration of 3 CoAs; traffic through the tunnels"
}

# Nothing readable as MH crosses the HA's links; ESP does, both ways
test_wire()
{
	local mh esp_in esp_out

	RET=0
	cap_stop ha
	mh=$(tshark_mh ha "mipv6" frame.number | wc -l)
	esp_in=$(tshark_mh ha "esp && ipv6.dst == $HA_ADDR" frame.number | wc -l)
	esp_out=$(tshark_mh ha "esp && ipv6.src == $HA_ADDR" frame.number | wc -l)
	# (a filter tshark does not know would count 0 too)
	tshark -n -r "$D/ha.pcap" -Y mipv6 >/dev/null 2>&1 && [ "$mh" = 0 ]
	check_err $? "$mh MH messages in clear on the HA's links"
	[ "$esp_in" -ge 1 ] && [ "$esp_out" -ge 1 ]
	check_err $? "ESP to the HA: $esp_in, from the HA: $esp_out"
	# BUs leave from the CoAs (HAO, then ESP: RFC 3776 s.3.1)
	[ "$(tshark_mh ha "esp && ipv6.dst == $HA_ADDR && (ipv6.src == $COA1 || ipv6.src == $COA2 || ipv6.src == $COA3)" \
		frame.number | wc -l)" -ge 1 ]
	check_err $? "no ESP from a CoA to the HA"
	log_test "on the wire: BU and BA only as ESP ($esp_in in, $esp_out out, $mh MH in clear)"
}

# A third party with the victim's HoA and a fresh sequence number
test_forged()
{
	local k0 u0 out rc coa

	RET=0
	k0=$(ha_ipsec kernel_dropped)
	u0=$(ha_ipsec unprotected_dropped)
	coa=$(kcoa "$ha" 1)
	out=$(ip netns exec "$cn" "$BU_SEND" --src "$CN_ADDR" --ha "$HA_ADDR" \
		--hoa "$HOA" --seq 60000 -O --bid "1,coa=$CN_ADDR" --wait 1500)
	rc=$?
	[ $rc = 3 ]
	check_err $? "forged BU answered ($rc): $out"
	busywait 5000 eval '[ "$(ha_ipsec kernel_dropped)" -gt '"$k0"' ]'
	check_err $? "kernel_dropped stayed at $k0"
	[ "$(kcoa "$ha" 1)" = "$coa" ] && [ "$(kbids "$ha")" = "1 2 3" ]
	check_err $? "HA binding 1 now $(kcoa "$ha" 1), bids '$(kbids "$ha")'"
	# a HoA nobody has keys for: the daemon drops it (RFC 6275 s.9.5.1)
	out=$(ip netns exec "$cn" "$BU_SEND" --src "$CN_ADDR" --ha "$HA_ADDR" \
		--hoa fd00:1::300 --seq 1 --bid "1,coa=$CN_ADDR" --wait 1500)
	rc=$?
	[ $rc = 3 ]
	check_err $? "BU for an unkeyed HoA answered ($rc): $out"
	busywait 5000 eval '[ "$(ha_ipsec unprotected_dropped)" -gt '"$u0"' ]'
	check_err $? "unprotected_dropped stayed at $u0"
	grep -q "ipsec: dropped unprotected BU from $CN_ADDR for home address fd00:1::300" "$D/ha.log"
	check_err $? "no log line for the unprotected BU"
	ping_hoa 3
	check_err $? "traffic redirected"
	log_test "forged BU for the HoA dropped by the kernel, unkeyed HoA by the daemon; cache unchanged"
}

# MN A (valid keys) tries to register MN B's HoA
test_other_hoa()
{
	local k0 out rc

	RET=0
	in_ns "$ha" "$MCOACTL" binding add dev mip0 hoa "$HOA_B" bid 1 coa "$COA_B" ||
		fail_now "static binding for B"
	k0=$(ha_ipsec kernel_dropped)
	# from the MN's namespace its daemon's OUT policy puts A's SA on it
	out=$(ip netns exec "$mn" "$BU_SEND" --src "$COA1" --ha "$HA_ADDR" \
		--hoa "$HOA_B" --seq 7 -O --bid "1,coa=$COA1" --wait 1500)
	rc=$?
	[ $rc = 3 ]
	check_err $? "B's HoA with A's keys answered ($rc): $out"
	busywait 5000 eval '[ "$(ha_ipsec kernel_dropped)" -gt '"$k0"' ]'
	check_err $? "kernel_dropped stayed at $k0"
	[ "$(kbind "$ha" | jq -r ".[] | select(.hoa == \"$HOA_B\") | .coa")" = "$COA_B" ]
	check_err $? "B's binding: $(kbind "$ha" | jq -c ".[] | select(.hoa == \"$HOA_B\")")"
	[ -z "$(ha_view | jq -r ".cache[] | select(.hoa == \"$HOA_B\") | .hoa")" ]
	check_err $? "HA daemon took B's HoA"
	in_ns "$ha" "$MCOACTL" binding del dev mip0 hoa "$HOA_B" bid 1
	log_test "MN A's keys cannot register MN B's HoA; B's binding untouched"
}

test_restart()
{
	local sa0 pol0 sa1 pol1 msa0 mpol0 acc

	RET=0
	sa0=$(xfrm_count "$ha" state); pol0=$(xfrm_count "$ha" policy)
	msa0=$(xfrm_count "$mn" state); mpol0=$(xfrm_count "$mn" policy)
	stop_daemon "$HA_PID"
	stop_daemon "$MN_PID"
	start_ha "max-lifetime 12" "brr-lead 4" "${SA_A[@]}" "${SA_B[@]}"
	start_mn "lifetime 12" "${SA_A[@]}"
	sa1=$(xfrm_count "$ha" state); pol1=$(xfrm_count "$ha" policy)
	[ "$sa0" = "$sa1" ] && [ "$pol0" = "$pol1" ]
	check_err $? "HA states $sa0 -> $sa1, policies $pol0 -> $pol1"
	[ "$msa0" = "$(xfrm_count "$mn" state)" ] &&
		[ "$mpol0" = "$(xfrm_count "$mn" policy)" ]
	check_err $? "MN states $msa0 -> $(xfrm_count "$mn" state), policies $mpol0 -> $(xfrm_count "$mn" policy)"
	wait_ha_bids "1 2 3"
	check_err $? "HA cache after restart: '$(ha_bids)'"
	# lifetime 12 s: refreshes (or BRR answers) must keep being accepted
	acc=$(ha_view | jq .stats.accepted)
	busywait 25000 eval '[ "$(ha_view | jq .stats.accepted)" -ge $((acc + 2)) ]'
	check_err $? "no refresh accepted: $(ha_view | jq .stats.accepted) (was $acc)"
	ping_hoa 3
	check_err $? "no traffic after the restart"
	log_test "restart of both daemons: bindings, refreshes and traffic; $sa1 SAs and $pol1 policies, none duplicated"
}

# A mobile node removed from the config: its SAs and policies go
test_prune()
{
	RET=0
	stop_daemon "$HA_PID"
	start_ha "max-lifetime 12" "brr-lead 4" "${SA_A[@]}"
	! ip -n "$ha" xfrm state | grep -q "spi 0x00001002"
	check_err $? "B's SA still there"
	! ip -n "$ha" xfrm policy | grep -q "$HOA_B"
	check_err $? "B's policies still there"
	ip -n "$ha" xfrm state | grep -q "spi 0x00001001"
	check_err $? "A's SA gone"
	log_test "a mobile node removed from the config: its SAs and policies are removed"
}

daemon_setup
modprobe -q esp6 2>/dev/null
cap_start "$ha" ha
start_ha "max-lifetime 12" "brr-lead 4" "${SA_A[@]}" "${SA_B[@]}"
start_mn "lifetime 12" "${SA_A[@]}"
test_register
test_wire
test_forged
test_other_hoa
test_restart
test_prune
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

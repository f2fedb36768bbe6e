#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Issue 9, IKEv2: BU/BA under ESP with SAs negotiated by strongSwan's charon
# in mode transport_proxy (RFC 4877, RFC 5648 s.9.1), "ike HOA" in both
# daemons' files. Three CoAs registered with nothing but ESP on the wire;
# a forged BU dropped; an IKE identity refused a CHILD_SA for another HoA;
# both daemons restart without losing or duplicating an SA or policy;
# the CoA carrying the IKE SA goes down: the other bindings, the CHILD_SA
# and the refreshes carry on while MOBIKE moves the IKE SA to a live CoA.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_command jq
require_command tshark
require_command tcpdump
require_command swanctl
[ -x "$CHARON" ] || { echo "SKIP: $CHARON not installed (strongswan-charon)"; exit $ksft_skip; }

HOA_B=fd00:1::200	# a second mobile node known to the HA

ha_ipsec() { ha_view | jq -r ".ipsec.$1"; }
mn_ipsec() { mn_view | jq -r ".ipsec.$1"; }

# The HA: one conn per mobile node; its remote_ts is that node's HoA, so
# the node's identity gets CHILD_SAs for its own HoA and nothing else.
ha_swanctl()
{
	local id hoa
	echo "connections {"
	for id in mn-a:$HOA mn-b:$HOA_B; do
		hoa=${id#*:} id=${id%%:*}
		cat <<-EOC
		$id {
			version = 2
			proposals = aes128-sha256-modp2048
			local_addrs = $HA_ADDR
			# one IKE SA per node: a new one (the node gave up on
			# the old, or rebooted) replaces the old one
			unique = replace
			local { auth = psk
				id = ha@mcoa.test }
			remote { auth = psk
				id = $id@mcoa.test }
			children {
				bu {
					mode = transport_proxy
					local_ts = $HA_ADDR/128[135]
					remote_ts = $hoa/128[135]
					esp_proposals = aes128gcm16
				}
			}
		}
		EOC
	done
	echo "}"
	ike_secret ha@mcoa.test mn-a@mcoa.test
}

# The MN: IKE from any of its CoAs (MOBIKE moves it), the CHILD_SA for
# the HoA; "steal" asks for MN B's HoA with MN A's identity.
mn_swanctl()
{
	cat <<-EOC
	connections {
		ha {
			version = 2
			# modp2048: the fastest group without the openssl plugin
			proposals = aes128-sha256-modp2048
			# a lost IKE_SA_INIT must not end it: try until it is up
			keyingtries = 0
			local_addrs = $COA1,$COA2,$COA3
			remote_addrs = $HA_ADDR
			mobike = yes
			dpd_delay = 3s
			local { auth = psk
				id = mn-a@mcoa.test }
			remote { auth = psk
				id = ha@mcoa.test }
			children {
				bu {
					mode = transport_proxy
					local_ts = $HOA/128[135]
					remote_ts = $HA_ADDR/128[135]
					esp_proposals = aes128gcm16
					start_action = start
				}
				steal {
					mode = transport_proxy
					local_ts = $HOA_B/128[135]
					remote_ts = $HA_ADDR/128[135]
					esp_proposals = aes128gcm16
				}
			}
		}
	}
	EOC
	ike_secret ha@mcoa.test mn-a@mcoa.test
}

test_register()
{
	RET=0
	busywait 30000 eval 'swan mn --list-sas 2>/dev/null | grep -q "bu: .*INSTALLED"' ||
		{ ike_dump; fail_now "no CHILD_SA: $(swan mn --list-sas 2>&1 | head -n 5)"; }
	busywait 10000 eval '[ "$(mn_ipsec ike_sas_adopted)" -ge 1 ]'
	check_err $? "MN did not adopt the outbound SA: $(mn_view | jq -c .ipsec)"
	wait_ha_bids "1 2 3" 40000
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	[ "$(ha_ipsec keyed_hoas)" = 2 ] && [ "$(ha_ipsec ike_hoas)" = 2 ]
	check_err $? "HA ipsec view: $(ha_view | jq -c .ipsec)"
	ping_hoa 5
	check_err $? "CN cannot ping the HoA through the tunnels"
	log_test "IKEv2 (transport_proxy) keys: bulk registration of 3 CoAs, traffic through the tunnels"
}

test_wire()
{
	local mh esp_in esp_out isakmp

	RET=0
	cap_stop ha
	mh=$(tshark_mh ha "mipv6" frame.number | wc -l)
	esp_in=$(tshark_mh ha "esp && ipv6.dst == $HA_ADDR" frame.number | wc -l)
	esp_out=$(tshark_mh ha "esp && ipv6.src == $HA_ADDR" frame.number | wc -l)
	isakmp=$(tshark_mh ha "isakmp" frame.number | wc -l)
	# (a filter tshark does not know would count 0 too)
	tshark -n -r "$D/ha.pcap" -Y mipv6 >/dev/null 2>&1 && [ "$mh" = 0 ]
	check_err $? "$mh MH messages in clear on the HA's links"
	[ "$esp_in" -ge 1 ] && [ "$esp_out" -ge 1 ] && [ "$isakmp" -ge 4 ]
	check_err $? "ESP to the HA: $esp_in, from the HA: $esp_out, IKE: $isakmp"
	[ "$(tshark_mh ha "esp && ipv6.dst == $HA_ADDR && (ipv6.src == $COA1 || ipv6.src == $COA2 || ipv6.src == $COA3)" \
		frame.number | wc -l)" -ge 1 ]
	check_err $? "no ESP from a CoA to the HA"
	log_test "on the wire: IKE, then BU and BA only as ESP ($esp_in in, $esp_out out, $mh MH in clear)"
}

# A third party with the victim's HoA; and MN A asking for MN B's HoA
test_forged()
{
	local k0 out rc

	RET=0
	k0=$(ha_ipsec kernel_dropped)
	out=$(ip netns exec "$cn" "$BU_SEND" --src "$CN_ADDR" --ha "$HA_ADDR" \
		--hoa "$HOA" --seq 60000 -O --bid "1,coa=$CN_ADDR" --wait 1500)
	rc=$?
	[ $rc = 3 ]
	check_err $? "forged BU answered ($rc): $out"
	busywait 5000 eval '[ "$(ha_ipsec kernel_dropped)" -gt '"$k0"' ]'
	check_err $? "kernel_dropped stayed at $k0"
	[ "$(kcoa "$ha" 1)" = "$COA1" ]
	check_err $? "HA binding 1 now $(kcoa "$ha" 1)"
	out=$(swan mn --initiate --child steal --timeout 10 2>&1)
	rc=$?
	[ $rc != 0 ]
	check_err $? "CHILD_SA for $HOA_B granted to mn-a: $out"
	! ip -n "$ha" xfrm state | grep -q "$HOA_B"
	check_err $? "the HA has an SA for $HOA_B"
	log_test "forged BU dropped by the kernel; MN A's identity gets no CHILD_SA for MN B's HoA"
}

xfrm_count() { ip -n "$1" xfrm "$2" | grep -c '^src'; }

# Both daemons restart under live CHILD_SAs: the SAs mcoad took over are
# recognised, nothing is added twice or lost, refreshes keep being taken.
test_restart()
{
	local sa0 pol0 msa0 mpol0 spi acc

	RET=0
	sa0=$(xfrm_count "$ha" state); pol0=$(xfrm_count "$ha" policy)
	msa0=$(xfrm_count "$mn" state); mpol0=$(xfrm_count "$mn" policy)
	spi=$(mn_ipsec ike_spi)
	stop_daemon "$HA_PID"
	stop_daemon "$MN_PID"
	start_ha "${HA_ARGS[@]}"
	start_mn "${MN_ARGS[@]}"
	[ "$sa0" = "$(xfrm_count "$ha" state)" ] && [ "$pol0" = "$(xfrm_count "$ha" policy)" ]
	check_err $? "HA states $sa0 -> $(xfrm_count "$ha" state), policies $pol0 -> $(xfrm_count "$ha" policy)"
	[ "$msa0" = "$(xfrm_count "$mn" state)" ] && [ "$mpol0" = "$(xfrm_count "$mn" policy)" ]
	check_err $? "MN states $msa0 -> $(xfrm_count "$mn" state), policies $mpol0 -> $(xfrm_count "$mn" policy)"
	busywait 5000 eval '[ "$(mn_ipsec ike_spi)" = "$spi" ]'
	check_err $? "the restarted MN does not know its SA $spi: $(mn_view | jq -c .ipsec)"
	wait_ha_bids "1 2 3"
	check_err $? "HA cache after restart: '$(ha_bids)'"
	acc=$(ha_view | jq .stats.accepted)
	busywait 25000 eval '[ "$(ha_view | jq .stats.accepted)" -ge $((acc + 2)) ]'
	check_err $? "no refresh accepted: $(ha_view | jq .stats.accepted) (was $acc)"
	ping_hoa 3
	check_err $? "no traffic after the restart"
	log_test "restart of both daemons under IKE: refreshes and traffic, $sa0 SAs and $pol0 policies (none duplicated)"
}

# The CoA under the IKE SA goes away (link and address): MOBIKE moves the
# IKE SA; strongSwan moves the CHILD_SA's SAs along, mcoad puts them back
# between HoA and HA, and nothing else notices.
test_coa_loss()
{
	local coa bid spi acc i now

	RET=0
	coa=$(ike_local_addr mn)
	for i in 1 2 3; do
		[ "$(eval echo \$COA$i)" = "$coa" ] && bid=$i
	done
	[ -n "$bid" ] || fail_now "IKE SA on '$coa', not a CoA"
	spi=$(mn_ipsec ike_spi)
	ip -n "$mn" link set "if$bid" down
	ip -n "$mn" addr del "$coa/64" dev "if$bid"
	busywait 40000 eval 'now=$(ike_local_addr mn); [ -n "$now" ] && [ "$now" != "$coa" ]'
	check_err $? "IKE SA still on $coa (was BID $bid): '$(ike_local_addr mn)'"
	now=$(ike_local_addr mn)
	[ "$now" = "$COA1" ] || [ "$now" = "$COA2" ] || [ "$now" = "$COA3" ]
	check_err $? "IKE SA on $now, not a live CoA"
	[ "$(mn_ipsec ike_spi)" = "$spi" ]
	check_err $? "the CHILD_SA changed: spi $spi -> $(mn_ipsec ike_spi)"
	# the SAs stay (or are put back) between HoA and HA, any source on the MN
	busywait 5000 eval 'ip -n "$mn" xfrm state list src :: dst $HA_ADDR proto esp | grep -q "spi $(printf "0x%08x" "$spi")"'
	check_err $? "MN outbound SA: $(ip -n "$mn" xfrm state list dst $HA_ADDR proto esp | head -n 2)"
	busywait 5000 eval 'ip -n "$ha" xfrm state list src $HA_ADDR dst $HOA proto esp | grep -q "proto esp"'
	check_err $? "HA outbound SA moved: $(ip -n "$ha" xfrm state list proto esp | grep ^src)"
	acc=$(ha_view | jq .stats.accepted)
	busywait 30000 eval '[ "$(ha_view | jq .stats.accepted)" -ge $((acc + 2)) ]'
	check_err $? "no refresh accepted: $(ha_view | jq .stats.accepted) (was $acc)"
	for i in 1 2 3; do
		[ "$i" = "$bid" ] && continue
		[ "$(kcoa "$ha" $i)" = "$(eval echo \$COA$i)" ]
		check_err $? "HA binding $i: '$(kcoa "$ha" $i)'"
	done
	ping_hoa 3
	check_err $? "no traffic with BID $bid gone"
	log_test "CoA of the IKE SA (BID $bid) gone: IKE moves to $now, CHILD_SA and the other bindings stay"
}

daemon_setup
modprobe -q esp6 2>/dev/null
# IKE runs from a CoA (RFC 4877): the MN reaches its HA through each
# uplink with that uplink's CoA as source. Without "src", Linux picks the
# home address for anything not bound to a source (RFC 6724 rule 4, the
# HoA is flagged "home") and MOBIKE would move the IKE SA onto it.
for i in 1 2 3; do
	ip -n "$mn" route add "$HA_ADDR/128" via "fd00:2$i::1" dev "if$i" \
		metric "$i" src "$(eval echo \$COA$i)" ||
		fail_now "route to the HA via if$i"
done
cap_start "$ha" ha
# The HA's IKE address is the HA address: MOBIKE would otherwise offer
# (and the MN pick) one of its other interfaces' addresses, and every
# such move rewrites the CHILD_SA in charon (see xfrm_ike.c).
ike_conf ha "" hl
ike_conf mn mip0
ha_swanctl > "$D/ha.swanctl.conf"
mn_swanctl > "$D/mn.swanctl.conf"
HA_ARGS=("max-lifetime 12" "brr-lead 4" "ike $HOA" "ike $HOA_B")
MN_ARGS=("lifetime 12" "ike $HOA")
start_ha "${HA_ARGS[@]}"
start_mn "${MN_ARGS[@]}"
ike_start ha
ike_start mn
ike_load ha
ike_load mn
test_register
test_wire
test_forged
test_restart
test_coa_loss
[ "$EXIT_STATUS" = 0 ] || { dump_logs; ike_dump; }
[ -n "${IKE_DEBUG:-}" ] && ike_dump
exit $EXIT_STATUS

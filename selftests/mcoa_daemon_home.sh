#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A mobile node returning home (RFC 5648 s.5.5 case 1, RFC 6275 s.11.5.5)
# and leaving again, with real daemons on both ends. The HA's home link is
# a bridge here, so that a fourth MN interface (hif) can attach to it:
#
#   cn(hl) ---- (hlcn)[ha: bridge hl](hlmn) ---- (hif)mn   down at start
#
# hif up: the MN moves its HoA there and de-registers every binding with
# one plain BU from the HoA; the HA drops bindings, proxy ND and route;
# CN <-> HoA traffic stays on the home link. hif down: the MN registers its
# CoAs again in one bulk BU with O set; traffic goes through the tunnels.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/daemon_lib.sh"

require_command jq
require_command tshark
require_command tcpdump

# home_link_bridge: the HA's home link becomes a bridge named hl (so the
# daemons' configuration is unchanged) with the CN's veth and the MN's hif.
home_link_bridge()
{
	modprobe -q bridge
	ip -n "$ha" addr del $HA_ADDR/64 dev hl
	ip -n "$ha" link set hl down
	ip -n "$ha" link set hl name hlcn
	# no snooping: ND multicast reaches every port without MLD state
	ip -n "$ha" link add hl type bridge mcast_snooping 0 ||
		fail_now "bridge on ha"
	veth_pair "$ha" hlmn "$mn" hif
	ip -6 -n "$ha" -batch - <<-EOF || fail_now "ha home link bridge"
		link set hlcn master hl
		link set hlmn master hl
		link set hlcn up
		link set hlmn up
		addr add $HA_ADDR/64 dev hl nodad
		link set hl up
	EOF
	[ "$(ip -n "$mn" -j link show hif | jq -r '.[0].operstate')" = DOWN ] ||
		fail_now "hif is not down at start"
}

# tunnel_pkts NS: packets the mcoa device sent and received
tunnel_pkts()
{
	ip -n "$1" -s -j link show dev mip0 |
		jq '.[0].stats64.tx.packets + .[0].stats64.rx.packets'
}

ha_proxy() { ip -n "$ha" -6 neigh show proxy | grep -qw "$HOA"; }
ha_route() { [ -n "$(ip -n "$ha" -6 route show exact $HOA/128)" ]; }
mn_where() { mn_view | jq -r .home; }
hoa_on() { ip -n "$mn" -6 addr show dev "$1" | grep -w "$HOA/$2"; }
cn_lladdr() { ip -n "$cn" -6 neigh show "$HOA" | sed -nE 's/.* lladdr ([^ ]+).*/\1/p'; }
mac_of() { ip -n "$1" -j link show "$2" | jq -r '.[0].address'; }

test_bootstrap()
{
	local before

	RET=0
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	wait_kbids "$ha" "1 2 3"
	check_err $? "HA kernel: '$(kbids "$ha")'"
	[ "$(mn_where)" = away ]
	check_err $? "MN says '$(mn_where)' with hif down"
	before=$(tunnel_pkts "$ha")
	ping_hoa 5
	check_err $? "CN cannot ping the HoA through the tunnels"
	[ "$(tunnel_pkts "$ha")" -ge $((before + 5)) ]
	check_err $? "HA mip0 carried $(($(tunnel_pkts "$ha") - before)) packets for 5 pings"
	log_test "away: 3 CoAs registered, CN <-> HoA through the tunnels"
}

test_go_home()
{
	local out n all

	RET=0
	# on the bridge port facing the MN: what the MN sends at home and
	# what the HA answers (on "any" the BU was missing now and then)
	cap_start "$ha" home hlmn
	ip -n "$mn" link set hif up
	busywait 10000 eval '[ "$(mn_where)" = at-home ]'
	check_err $? "MN daemon says '$(mn_where)', want at-home"
	wait_kbids "$ha" "" 5000
	check_err $? "HA kernel still has: '$(kbids "$ha")'"
	[ "$(ha_view | jq '[.cache[] | select(.hoa == "'$HOA'")] | length')" = 0 ]
	check_err $? "HA daemon still caches the HoA: $(ha_view | jq -c .cache)"
	ha_proxy
	check_fail $? "HA still proxies ND for the HoA"
	ha_route
	check_fail $? "HA still routes the HoA: $(ip -n "$ha" -6 route show exact $HOA/128)"
	[ "$(kbids "$mn")" = "" ]
	check_err $? "MN kernel still has: '$(kbids "$mn")'"
	hoa_on hif 64 >/dev/null
	check_err $? "HoA not on hif"
	hoa_on mip0 128 >/dev/null
	check_fail $? "HoA still on mip0"
	ip netns exec "$mn" "$MCOACTL" daemon socket "$D/mn.sock" show |
		head -n 1 | grep -q " at-home"
	check_err $? "mcoactl daemon show: '$(ip netns exec "$mn" "$MCOACTL" daemon socket "$D/mn.sock" show | head -n 1)'"
	# the HA has acted on the BU; on a loaded machine tcpdump may not
	# have written it yet: stop the capture once the file shows it
	busywait 10000 eval '[ -n "$(tshark_mh home "mip6.mhtype == 5 && ipv6.src == $HOA" frame.number)" ]'
	cap_stop home
	# the wire: a plain RFC 6275 de-registration from the HoA, A and H
	# set, no O, lifetime 0, no Home Address option, no BID option
	out=$(tshark_mh home "mip6.mhtype == 5 && ipv6.src == $HOA" \
		mip6.bu.a_flag mip6.bu.h_flag mip6.bu.b_flag mip6.bu.lifetime |
		head -n 1)
	[ "$out" = "1 1 0 0" ]
	check_err $? "de-registration BU decoded as '$out'"
	all=$(tshark_mh home "mip6.mhtype == 5 && ipv6.src == $HOA" \
		frame.number | wc -l)
	n=$(tshark_mh home "mip6.mhtype == 5 && ipv6.src == $HOA && (ipv6.opt.mipv6.home_address || mip6.bi.bid)" \
		frame.number | wc -l)
	[ "$all" -ge 1 ] && [ "$n" = 0 ]
	check_err $? "$n of $all BU(s) from the HoA with a HAO or a BID option"
	# the BA goes straight to the HoA on the home link, no RH2
	n=$(tshark_mh home "mip6.mhtype == 6 && ipv6.dst == $HOA && !ipv6.routing && mip6.ba.status == 0" \
		frame.number | wc -l)
	[ "$n" -ge 1 ]
	check_err $? "no BA (status 0) to the HoA without RH2"
	log_test "hif up: all bindings de-registered from the HoA; HA stops proxying"
}

test_home_traffic()
{
	local ha_before mn_before mac

	RET=0
	ha_before=$(tunnel_pkts "$ha")
	mn_before=$(tunnel_pkts "$mn")
	ping_hoa 5
	check_err $? "CN cannot ping the HoA on the home link"
	[ "$(tunnel_pkts "$ha")" = "$ha_before" ]
	check_err $? "HA mip0 carried $(($(tunnel_pkts "$ha") - ha_before)) packets"
	[ "$(tunnel_pkts "$mn")" = "$mn_before" ]
	check_err $? "MN mip0 carried $(($(tunnel_pkts "$mn") - mn_before)) packets"
	# the CN talks to hif itself, not through the HA
	mac=$(mac_of "$mn" hif)
	[ "$(cn_lladdr)" = "$mac" ]
	check_err $? "CN sends to $(cn_lladdr) for the HoA, hif is $mac"
	log_test "at home: CN <-> HoA directly on the home link, no tunnel"
}

test_leave_home()
{
	local out before mac

	RET=0
	cap_start "$ha" away
	ip -n "$mn" link set hif down
	wait_kbids "$mn" "1 2 3"
	check_err $? "MN kernel: '$(kbids "$mn")'"
	wait_ha_bids "1 2 3"
	check_err $? "HA cache: '$(ha_bids)'"
	wait_kbids "$ha" "1 2 3"
	check_err $? "HA kernel: '$(kbids "$ha")'"
	[ "$(mn_where)" = away ]
	check_err $? "MN daemon says '$(mn_where)'"
	ha_proxy
	check_err $? "HA does not proxy ND for the HoA"
	ha_route
	check_err $? "HA has no route for the HoA"
	hoa_on mip0 128 | grep -qw home
	check_err $? "HoA not back on mip0 with the home flag"
	hoa_on hif 64 >/dev/null
	check_fail $? "HoA still on hif"
	busywait 10000 eval '[ -n "$(tshark_mh away "mip6.mhtype == 5 && mip6.bu.lifetime > 0" frame.number)" ]'
	cap_stop away
	out=$(tshark_mh away "mip6.mhtype == 5 && mip6.bu.lifetime > 0" \
		mip6.bu.b_flag mip6.bi.bid mip6.bi.coa_ipv6 | head -n 1)
	[ "$out" = "1 1,2,3 $COA1,$COA2,$COA3" ]
	check_err $? "first BU after leaving home decoded as '$out'"
	# the HA's unsolicited NA: the CN forgets hif's link-layer address
	mac=$(mac_of "$ha" hl)
	[ "$(cn_lladdr)" = "$mac" ]
	check_err $? "CN sends to $(cn_lladdr) for the HoA, the HA is $mac"
	before=$(tunnel_pkts "$ha")
	ping_hoa 5
	check_err $? "CN cannot ping the HoA after leaving home"
	[ "$(tunnel_pkts "$ha")" -ge $((before + 5)) ]
	check_err $? "HA mip0 carried $(($(tunnel_pkts "$ha") - before)) packets for 5 pings"
	log_test "hif down: one bulk BU with O re-registers 3 CoAs; tunnels again"
}

daemon_setup
home_link_bridge
start_ha
start_mn "home-link hif"
test_bootstrap
test_go_home
test_home_traffic
test_leave_home
[ "$EXIT_STATUS" = 0 ] || dump_logs
exit $EXIT_STATUS

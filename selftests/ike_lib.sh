# SPDX-License-Identifier: GPL-2.0
# strongSwan (charon + swanctl) in the lib.sh namespaces, for the IKEv2
# tests (mcoa_ike.sh). Sourced after daemon_lib.sh (uses $D).
#
# One charon per namespace, each with its own strongswan.conf
# (STRONGSWAN_CONF), vici socket in $D and log file. charon's pid file is
# fixed (/var/run/charon.pid), so each runs in a private mount namespace
# with its own directory over /run.

CHARON=${CHARON:-/usr/lib/ipsec/charon}
IKE_PSK=${IKE_PSK:-0x$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}

# ike_conf NAME IGNORED-INTERFACES [USED-INTERFACES]: strongswan.conf
ike_conf()
{
	local use=

	[ -n "${3:-}" ] && use="interfaces_use = $3"
	mkdir -p "$D/run-$1"
	cat > "$D/$1.strongswan.conf" <<-EOC
	swanctl {
		load = random pem pkcs1 x509 pubkey
	}
	charon {
		load = random nonce aes sha1 sha2 hmac kdf gmp pem pkcs1 x509 pubkey kernel-netlink socket-default vici
		# mcoad does the routing; the HoA's device is not an IKE path
		install_routes = no
		install_virtual_ip = no
		interfaces_ignore = $2
		$use
		# fast retransmits and path probing: a lost CoA shows in seconds
		retransmit_timeout = ${MCOA_WAIT_MULT:-1}
		retransmit_base = 1.2
		retransmit_tries = 4
		plugins {
			vici {
				socket = unix://$D/$1.vici
			}
		}
		filelog {
			log {
				path = $D/charon-$1.log
				time_format = %T
				default = 1
				ike = 2
				knl = 2
				chd = 2
				mgr = 1
			}
		}
	}
	EOC
}

# ike_start NAME: charon in the namespace $NAME (ha, mn)
ike_start()
{
	local ns=${!1}

	ip netns exec "$ns" env STRONGSWAN_CONF="$D/$1.strongswan.conf" \
		unshare -m --propagation private \
		sh -c "mount --bind '$D/run-$1' /run && exec '$CHARON'" \
		> "$D/charon-$1.out" 2>&1 &
	eval "IKE_PID_$1=$!"
	defer kill "$!"
	busywait 20000 test -S "$D/$1.vici" ||
		{ cat "$D/charon-$1.out"; fail_now "charon ($1) did not start"; }
}

# swan NAME --COMMAND [ARGS...]: swanctl against NAME's charon
swan()
{
	local n=$1 cmd=$2; shift 2
	ip netns exec "${!n}" env STRONGSWAN_CONF="$D/$n.strongswan.conf" \
		swanctl "$cmd" --uri "unix://$D/$n.vici" "$@"
}

# ike_load NAME: load $D/NAME.swanctl.conf
ike_load()
{
	swan "$1" --load-all --noprompt --file "$D/$1.swanctl.conf" > "$D/$1.swanctl.out" 2>&1 ||
		{ cat "$D/$1.swanctl.out"; fail_now "swanctl --load-all ($1)"; }
}

# ike_secret ID ID: a swanctl secrets section for the PSK between two IDs
ike_secret()
{
	cat <<-EOC
	secrets {
		ike-${1%%@*}-${2%%@*} {
			id-1 = $1
			id-2 = $2
			secret = $IKE_PSK
		}
	}
	EOC
}

# ike_local_addr NAME: the local address of NAME's (first) IKE SA
ike_local_addr()
{
	swan "$1" --list-sas --raw 2>/dev/null |
		sed -n 's/.*local-host=\([^ ]*\).*/\1/p' | head -n1
}

ike_dump()
{
	local n
	for n in ha mn; do
		echo "---- $n: swanctl --list-sas"; swan "$n" --list-sas 2>&1 | head -n 30
		echo "---- $n: ip xfrm state"; ip -n "${!n}" xfrm state 2>&1 | grep -v -E 'aead|enc|auth' | head -n 40
		echo "---- $n: ip xfrm policy"; ip -n "${!n}" xfrm policy 2>&1 | head -n 60
		echo "---- $n: charon log"; tail -n 40 "$D/charon-$n.log" 2>/dev/null
		echo "---- $n: xfrm_stat"; ip netns exec "${!n}" cat /proc/net/xfrm_stat | grep -v ' 0$'
	done
}

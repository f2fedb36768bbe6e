# SPDX-License-Identifier: GPL-2.0
# Sourced: resolve the kernel to build against and boot.
#
#   . scripts/kver.sh [SERIES|KVER]
#
# Pass the argument even when empty ("$want"): a bare `. kver.sh` in a
# function or script sees that script's own arguments.
# SERIES is a line of scripts/kernels (6.1, 6.12); the default is
# $MCOA_KERNEL, else the first line there. A full KVER (6.12.117+deb12-amd64)
# is accepted when it belongs to a listed series. Sets and exports KSERIES,
# KVER (/boot/vmlinuz-KVER) and KDIR (its headers); returns 1 with a message
# when that kernel is not installed. Only kernels named in scripts/kernels
# are ever chosen: never the host's running kernel, never a stray one.

mcoa_kernels()		# the series, in order
{
	sed -e 's/#.*//' "$(dirname "${BASH_SOURCE[0]}")/kernels" | awk 'NF {print $1}'
}

mcoa_kernel_field()	# SERIES N: the Nth column of SERIES's line
{
	sed -e 's/#.*//' "$(dirname "${BASH_SOURCE[0]}")/kernels" | awk -v s="$1" -v n="$2" '$1 == s {print $n}'
}

mcoa_kver_resolve()	# SERIES|KVER -> "SERIES KVER" of the newest installed match
{
	local want=$1 s v best=
	for s in $(mcoa_kernels); do
		case $want in "$s"|"$s".*) ;; *) continue;; esac
		# plain amd64 flavour only (no -rt-, -cloud-): .../linux-headers-6.1.0-57-amd64,
		# .../linux-headers-6.12.117+deb12-amd64
		for v in $(ls -d /usr/src/linux-headers-"$s".*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' |
			grep -E "^${s//./\\.}\\.[0-9]+(-[0-9]+)?(\\+deb[0-9]+)?-amd64\$" | sort -V); do
			[ "$want" = "$s" ] || [ "$want" = "$v" ] || continue
			[ -r "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v" ] && best="$s $v"
		done
		[ -n "$best" ] && { echo "$best"; return 0; }
	done
	return 1
}

mcoa_kver_pick()
{
	local want=${1:-${MCOA_KERNEL:-$(mcoa_kernels | head -n1)}} r
	if ! r=$(mcoa_kver_resolve "$want"); then
		echo "kver.sh: kernel '$want' is not installed or not in scripts/kernels ($(mcoa_kernels | paste -sd " ")): run scripts/deps" >&2
		return 1
	fi
	KSERIES=${r% *} KVER=${r#* } KDIR=/usr/src/linux-headers-${r#* }
	export KSERIES KVER KDIR
}

mcoa_kver_pick "$@"

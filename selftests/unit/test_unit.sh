#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daemon/mcoad/mcoad.service as installed by `make install-tools`:
# systemd-analyze verify passes (programs and man page found: the unit's
# paths are pointed at the staged install), every ExecStartPre runs with
# the unit's own capability bounding set, the runtime directory is the one
# mcoad uses, and ReadWritePaths opens nothing beyond what mcoad writes.
# TAP output. Needs root (to drop to the unit's capabilities).
#
#   test_unit.sh

top=$(cd "$(dirname "$0")/../.." && pwd)
unit=$top/daemon/mcoad/mcoad.service
n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $1"; shift; printf '%s\n' "$@" | sed 's/^/#   /'; }
key() { sed -n "s/^$1=//p" "$unit"; }

echo "TAP version 13"
echo "1..5"

d=$(mktemp -d /tmp/mcoa-unit-test.XXXXXX)
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
make -s -C "$top" install-tools DESTDIR="$d" > "$d.log" 2>&1 || { cat "$d.log"; rm -f "$d.log"; exit 1; }
rm -f "$d.log"
# the example as shipped has no keys (IPsec is on by default and wants
# them): a real file would have its own; here "ipsec no" stands in
{ cat "$d/etc/mcoa/mcoad.conf.example"; echo "ipsec no"; } > "$d/etc/mcoa/mcoad.conf"
staged=$d/mcoad.service
sed -e "s|/usr/sbin/|$d/usr/sbin/|g" -e "s|/etc/mcoa/|$d/etc/mcoa/|g" \
	"$d/lib/systemd/system/mcoad.service" > "$staged"

out=$(MANPATH=$d/usr/share/man systemd-analyze verify "$staged" 2>&1)
if [ $? = 0 ] && [ -z "$out" ]; then ok systemd_analyze_verify; else notok systemd_analyze_verify "$out"; fi

# ExecStartPre runs as the service does: root, bounding set of the unit.
caps=$(key CapabilityBoundingSet | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
bad=''
while read -r cmd; do
	[ -n "$cmd" ] || continue
	# shellcheck disable=SC2086
	setpriv --inh-caps=-all --bounding-set=-all,$caps $cmd > /dev/null 2>&1 || bad+=" [$cmd]"
done <<< "$(sed -n 's/^ExecStartPre=-\{0,1\}//p' "$staged")"
[ -z "$bad" ] && [ -n "$caps" ] && ok execstartpre_runs_with_unit_caps ||
	notok execstartpre_runs_with_unit_caps "failed with bounding set $caps:$bad"

# mcoad's default lock and socket directory is the unit's RuntimeDirectory,
# and mcoad takes $RUNTIME_DIRECTORY (test_mcoactl.sh runs that).
rd=$(key RuntimeDirectory)
help=$("$d/usr/sbin/mcoad" --help 2>&1)
if [ "$rd" = mcoa ] && grep -q 'RUNTIME_DIRECTORY' <<< "$help" &&
   grep -q '^control-socket /run/mcoa/' "$d/etc/mcoa/mcoad.conf.example"; then
	ok runtime_directory_is_mcoads
else
	notok runtime_directory_is_mcoads "RuntimeDirectory=$rd"
fi

# mcoad writes /proc/sys/net/ipv6/conf/*/... only (daemon/mcoad/rtnl.c),
# and ReadWritePaths means something only with ProtectKernelTunables.
rw=$(key ReadWritePaths)
writes=$(grep -rhoE '"/proc/sys/[^"%]*' "$top"/daemon --include=*.c | tr -d '"' | sort -u)
if [ "$rw" = /proc/sys/net/ipv6/conf/ ] || [ "$rw" = /proc/sys/net/ipv6/conf ] &&
   [ "$writes" = /proc/sys/net/ipv6/conf/ ] && [ "$(key ProtectKernelTunables)" = yes ]; then
	ok read_write_paths_narrowest
else
	notok read_write_paths_narrowest "ReadWritePaths=$rw; daemon writes under: $writes"
fi

if ! grep -qE '^Exec.*(modprobe|insmod)' "$unit"; then ok no_module_loading_in_unit
else notok no_module_loading_in_unit "$(grep -E '^Exec.*(modprobe|insmod)' "$unit")"; fi

exit $((fails > 0))

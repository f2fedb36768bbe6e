#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb on the host: the packages build, lintian reports no error and no
# warning, and each package holds what it must (mcoa-tools: programs, unit,
# plugin, man pages, completion, example; mcoa-dkms: dkms.conf with the
# version filled in and every source Kbuild names, uapi/ included).
# Prints "TEST: [host] ... [ OK ]|[FAIL]" lines for scripts/check.
#
#   scripts/tests/deb.sh
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
fails=0
result() { printf 'TEST: [host] %-56s [%s]\n' "$2" "$1"; [ "$1" = " OK " ] || fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then result " OK " "$what"; else result FAIL "$what"; fi; }

out=build/deb
if ! scripts/mkdeb; then
	result FAIL "make deb builds mcoa-dkms and mcoa-tools"
	exit 1
fi
ver=$(dpkg-parsechangelog -S Version)
tools=$out/mcoa-tools_${ver}_$(dpkg --print-architecture).deb dkms=$out/mcoa-dkms_${ver}_all.deb
check "make deb builds mcoa-dkms and mcoa-tools" test -f "$tools" -a -f "$dkms"

lint() { lintian --fail-on error,warning "$out"/*.changes > "$out/lintian-check.txt" 2>&1 ||
	{ grep -E '^[EW]: ' "$out/lintian-check.txt"; return 1; }; }
check "lintian: no error, no warning" lint
grep -E '^[EWI]: ' "$out/lintian.txt" | sed 's/^/# lintian: /'

has_all()	# DEB PATH...: every PATH is in DEB
{
	local deb=$1 list p miss=''
	shift
	list=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\.||')
	for p in "$@"; do grep -qxF "$p" <<< "$list" || miss+=" $p"; done
	[ -z "$miss" ] || { echo "# missing from ${deb##*/}:$miss"; return 1; }
}
multi=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "mcoa-tools holds programs, unit, plugin, docs" has_all "$tools" \
	/usr/sbin/mcoad /usr/sbin/mcoactl /lib/systemd/system/mcoad.service \
	/usr/lib/"$multi"/ip/link_mcoa.so /usr/share/bash-completion/completions/mcoactl \
	/usr/share/man/man8/mcoactl.8.gz /usr/share/man/man8/mcoad.8.gz \
	/usr/share/man/man5/mcoad.conf.5.gz /usr/share/doc/mcoa-tools/examples/mcoad.conf.example

# Every object of kernel/Kbuild and every header the sources include.
objs=$(sed -n 's/^mcoa-[a-z$(_)A-Z]* *[+:]\{0,1\}= *//p' kernel/Kbuild | tr ' ' '\n' | sed -n 's/\.o$/.c/p')
hdrs=$(cd kernel && grep -ho '#include "[^"]*"' ./*.c ./*.h | sed 's/.*"\(.*\)"/\1/' | sort -u)
srcs=()
for f in $objs $hdrs Kbuild; do srcs+=("/usr/src/mcoa-$ver/kernel/$f"); done
check "mcoa-dkms holds dkms.conf, kernel/ and uapi/" has_all "$dkms" \
	"/usr/src/mcoa-$ver/dkms.conf" /usr/src/mcoa-"$ver"/uapi/linux/mcoa.h \
	/usr/src/mcoa-"$ver"/uapi/linux/if_mcoa.h "${srcs[@]}"
conf=$(dpkg-deb --fsys-tarfile "$dkms" | tar -xO "./usr/src/mcoa-$ver/dkms.conf")
check "dkms.conf names mcoa $ver" grep -qx "PACKAGE_VERSION=\"$ver\"" <<< "$conf"
exit $((fails > 0))

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install DESTDIR=...` writes nothing outside DESTDIR: a copy of the
# tree is built and installed by the user nobody, who owns only that copy
# and DESTDIR, so any write elsewhere (modules_install into /lib/modules,
# depmod, /usr/sbin) fails the install. Then the installed files must be
# exactly the expected list. TAP output. Needs root (runuser) and the
# kernel headers of scripts/kernels (scripts/deps).
#
#   test_install.sh

top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $1"; shift; printf '%s\n' "$@" | sed 's/^/#   /'; }

echo "TAP version 13"
echo "1..4"

tmp=$(mktemp -d /tmp/mcoa-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

# The sandbox must bite: nobody cannot write where a bad install would.
if runuser -u nobody -- touch /usr/sbin/.mcoa-install-test 2>/dev/null; then
	rm -f /usr/sbin/.mcoa-install-test
	notok nobody_cannot_write_usr_sbin "nobody could write /usr/sbin: the test proves nothing"
else
	ok nobody_cannot_write_usr_sbin
fi

# The tree without build/ and .git (objects come along: less to rebuild).
mkdir "$tmp/src" "$tmp/dest"
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$tmp/src" -xf -
chown -R nobody "$tmp/src" "$tmp/dest"
kver=$(bash -c ". '$top/scripts/kver.sh' ''; echo \$KVER")
if runuser -u nobody -- env HOME="$tmp" make -s -C "$tmp/src" install DESTDIR="$tmp/dest" \
	VERSION=0.1 > "$tmp/log" 2>&1; then
	ok install_as_nobody_into_destdir
else
	notok install_as_nobody_into_destdir "make install failed, last lines:" "$(tail -n 15 "$tmp/log")"
fi

got=$(cd "$tmp/dest" && find . -type f | sed 's|^\./|/|' | sort)
echo "# installed:"
sed 's/^/#   /' <<< "$got"
multi=$(gcc -print-multiarch)
want=$(sort <<EOW
/lib/modules/$kver/extra/mcoa.ko
/usr/sbin/mcoad
/usr/sbin/mcoactl
/lib/systemd/system/mcoad.service
/etc/mcoa/mcoad.conf.example
/usr/lib/$multi/ip/link_mcoa.so
/usr/share/bash-completion/completions/mcoactl
/usr/share/man/man8/mcoactl.8
/usr/share/man/man8/mcoad.8
/usr/share/man/man5/mcoad.conf.5
EOW
)
if [ "$got" = "$want" ]; then
	ok installed_files_are_the_expected_list
else
	notok installed_files_are_the_expected_list "diff want got:" "$(diff <(echo "$want") <(echo "$got"))"
fi

# No depmod in a staged install: its index would be the target's business.
if [ -z "$(find "$tmp/dest" -name 'modules.*')" ]; then
	ok no_depmod_index_under_destdir
else
	notok no_depmod_index_under_destdir "$(find "$tmp/dest" -name 'modules.*')"
fi

exit $((fails > 0))

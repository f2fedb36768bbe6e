#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The man pages (doc/*.scd): scdoc builds them, man renders them without a
# groff warning, and they keep up with the programs: every mcoactl command
# and mcoad option, every keyword of mcoad.conf.example is in its page, and
# the configurations of mcoad.conf(5)'s EXAMPLE pass mcoad -t. TAP output.
#
#   test_doc.sh [DAEMON_DIR]

here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
D=${1:-$top/daemon}
doc=$top/doc
n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $1"; shift; printf '%s\n' "$@" | sed 's/^/#   /'; }
# page text, plain
text() { MANWIDTH=200 man -l "$doc/$1" 2>/dev/null | col -b; }

echo "TAP version 13"
echo "1..6"

out=$(make -s -C "$doc" 2>&1)
pages="mcoactl.8 mcoad.8 mcoad.conf.5"
missing=$(for p in $pages; do [ -s "$doc/$p" ] || echo "$p"; done)
[ $? = 0 ] && [ -z "$missing" ] && ok scdoc_builds_pages || notok scdoc_builds_pages "$out" "missing: $missing"

warn=''
for p in $pages; do
	w=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$doc/$p" 2>&1 >/dev/null)
	[ -z "$w" ] || warn+="$p: $w"$'\n'
done
[ -z "$warn" ] && ok pages_render_without_warnings || notok pages_render_without_warnings "$warn"

t=$(text mcoactl.8)
miss=''
for c in $("$D/mcoactl/mcoactl" help | sed -n 's/^\(Usage:\)\{0,1\} *mcoactl \([a-z][a-z]*\).*/\2/p' | sort -u); do
	grep -qE "^ {4,}$c( |$)" <<< "$t" || miss+=" $c"
done
[ -z "$miss" ] && ok mcoactl_commands_documented || notok mcoactl_commands_documented "not in mcoactl.8:$miss"

t=$(text mcoad.8)
miss=''
for o in $("$D/mcoad/mcoad" --help | grep -oE '(^|[ [])-[a-zA-Z-]+' | tr -d ' [' | sort -u); do
	grep -qE -- "(^|[ ,])$o( |,|$)" <<< "$t" || miss+=" $o"
done
[ -z "$miss" ] && ok mcoad_options_documented || notok mcoad_options_documented "not in mcoad.8:$miss"

t=$(text mcoad.conf.5)
miss=''
for k in $(sed -n 's/^#\{0,1\} *\([a-z][a-z0-9-]*\)[ 	].*/\1/p' "$D/mcoad/mcoad.conf.example" | sort -u); do
	# comment prose lines start with words too: keywords only, the ones
	# mcoad's parser knows
	grep -q "\"$k\"" "$D/mcoad/config.c" || continue
	grep -qE "^ {4,}$k( |$)" <<< "$t" || miss+=" $k"
done
[ -z "$miss" ] && ok conf_keywords_documented || notok conf_keywords_documented "not in mcoad.conf.5:$miss"

# Each ``` block of the EXAMPLE section is a configuration.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '/^# EXAMPLE/ { ex = 1; next } /^# / { ex = 0 }
	ex && /^```/ { if (in_b) { in_b = 0 } else { in_b = 1; nb++ } ; next }
	ex && in_b { print > (dir "/ex" nb ".conf") }' "$doc/mcoad.conf.5.scd"
bad='' nex=0
for f in "$tmp"/ex*.conf; do
	[ -f "$f" ] || continue
	nex=$((nex + 1))
	o=$("$D/mcoad/mcoad" -t -c "$f" 2>&1) || bad+=" $o"
done
[ "$nex" -ge 2 ] && [ -z "$bad" ] && ok conf_examples_pass_mcoad_t || notok conf_examples_pass_mcoad_t "$nex examples;$bad"

exit $((fails > 0))

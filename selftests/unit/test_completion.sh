#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# completion/mcoactl driven as bash does it: COMP_WORDS/COMP_CWORD set, the
# function called, COMPREPLY compared. `ip` is a function here answering
# for two network namespaces, so "dev" must list only mcoa devices, and
# those of the -n namespace. Then the word lists are checked against
# `mcoactl help`, so a command or keyword added to mcoactl without its
# completion fails here. TAP output.
#
#   test_completion.sh [DAEMON_DIR]

here=$(cd "$(dirname "$0")" && pwd)
D=${1:-$here/../../daemon}
CTL=$D/mcoactl/mcoactl
n=0 fails=0

echo "TAP version 13"
echo "1..23"

# shellcheck source=../../completion/mcoactl
. "$here/../../completion/mcoactl"

# The stub: `ip [-n NS] -o link show [type mcoa]`, `ip netns list`.
ip()
{
	local ns=''
	[ "$1" = -n ] && { ns=$2; shift 2; }
	case "$*" in
	"netns list") printf 'ns1 (id: 0)\nns2\n';;
	"-o link show type mcoa")
		if [ "$ns" = ns1 ]; then echo "7: tun9: <NOARP> mtu 1400"
		else printf '5: mip0: <NOARP> mtu 1400\n6: mip1@NONE: <NOARP> mtu 1400\n'; fi;;
	"-o link show")
		printf '1: lo: <LOOPBACK> mtu 65536\n2: eth0: <UP> mtu 1500\n5: mip0: <NOARP> mtu 1400\n';;
	*) return 1;;
	esac
}

ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $1"; shift; printf '%s\n' "$@" | sed 's/^/#   /'; }

# comp NAME "LINE" "EXPECTED": a trailing space in LINE completes a new word.
comp()
{
	local name=$1 line=$2 want=$3 got
	read -ra COMP_WORDS <<< "$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_mcoactl
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ')
	want=$(tr ' ' '\n' <<< "$want" | sort | paste -sd' ')
	if [ "$got" = "$want" ]; then ok "$name"; else notok "$name" "line: '$line'" "want: '$want'" "got:  '$got'"; fi
}

comp objects            "mcoactl "                      "link binding flow policy hoa prefix stats monitor daemon help"
comp object_prefix      "mcoactl bi"                    "binding"
comp options            "mcoactl --v"                   "--version"
comp netns_names        "mcoactl -n "                   "ns1 ns2"
comp binding_verbs      "mcoactl binding "              "add set del flush show"
comp dev_is_mcoa_only   "mcoactl binding add dev "      "mip0 mip1"
comp dev_prefix         "mcoactl binding show dev mip1" "mip1"
comp dev_of_netns       "mcoactl -n ns1 binding show dev " "tun9"
comp keywords_left      "mcoactl binding add dev mip0 hoa ::1 bid 1 " "coa peer link lifetime prio flags home legacy verify"
comp flag_not_repeated  "mcoactl binding set dev mip0 hoa ::1 bid 1 home l" "link lifetime legacy"
comp abbrev_b_s         "mcoactl b s "                  "dev hoa bid"
comp value_no_list      "mcoactl binding add dev mip0 hoa " ""
comp link_is_interface  "mcoactl binding add dev mip0 link " "lo eth0 mip0"
comp flow_proto         "mcoactl flow add dev mip0 proto " "tcp udp"
comp policy_words       "mcoactl policy set dev mip0 hoa ::1 " "seq hash recent"
comp link_del_devices   "mcoactl link del "             "mip0 mip1"
comp link_add_mode      "mcoactl link add mip2 mode "   "ha mn"
comp link_show_dev      "mcoactl link show "            "dev"
comp monitor_filters    "mcoactl monitor "              "dev hoa"
comp monitor_dev        "mcoactl monitor dev "          "mip0 mip1"
comp help_subverbs      "mcoactl help binding "         "add set del flush show"

# Against mcoactl itself: every command of `mcoactl help` is completed,
# and every lowercase word of each form is a verb, a keyword or a listed
# value of the completion.
help=$("$CTL" help 2>&1)
cmds=$(sed -n 's/^\(Usage:\)\{0,1\} *mcoactl \([a-z][a-z]*\).*/\2/p' <<< "$help" | sort -u | paste -sd' ')
want=$(tr ' ' '\n' <<< "$_mcoactl_objects" | sort | paste -sd' ')
[ -n "$cmds" ] && [ "$cmds" = "$want" ] && ok help_commands_completed ||
	notok help_commands_completed "mcoactl help: '$cmds'" "completion: '$want'"

# The forms between "Commands:" and "Exit status", continuation lines
# (those without "mcoactl ") joined to the form above them.
missing=''
while read -r obj verb rest; do
	case $obj in daemon|help|stats|monitor) continue;; esac
	case " $(_mcoactl_verbs "$obj") " in *" $verb "*) ;; *) missing+=" verb:$obj/$verb";; esac
	kws=" $(_mcoactl_keywords "$obj $verb" | sed 's/=//g') ha mn tcp udp "
	# (a parenthesised remark is prose, not syntax)
	for w in $(sed 's/([^)]*)//g' <<< "$rest" | tr '[]|,' '    '); do
		[[ $w =~ ^[a-z][a-z-]*$ ]] || continue
		case $kws in *" $w "*) ;; *) missing+=" $obj/$verb:$w";; esac
	done
done < <(sed -n '/^Commands:/,/^Exit status/p' <<< "$help" | sed '1d;$d' |
	awk '/mcoactl /{ if (f != "") print f; sub(/.*mcoactl /, ""); f = $0; next } { f = f " " $0 } END { print f }')
[ -z "$missing" ] && ok help_keywords_completed || notok help_keywords_completed "not completed:$missing"

exit $((fails > 0))

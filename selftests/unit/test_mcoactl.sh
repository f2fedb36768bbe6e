#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mcoactl and mcoad on the command line, on the host: everything here
# fails or answers before a netlink socket is opened, so no module is
# needed. TAP output like the kselftest_harness tests.
#
#   test_mcoactl.sh [DAEMON_DIR]

D=${1:-$(dirname "$0")/../../daemon}
CTL=$D/mcoactl/mcoactl
MCOAD=$D/mcoad/mcoad
n=0 fails=0

echo "TAP version 13"
echo "1..49"

# checkx NAME WANT_RC GREP_RE NOT_RE CMD...: exit status, stdout+stderr
# match GREP_RE and, unless NOT_RE is empty, no line matches NOT_RE
checkx() {
	local name=$1 want=$2 re=$3 no=$4 out rc
	shift 4
	out=$("$@" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ] && grep -qE -- "$re" <<<"$out" &&
	   { [ -z "$no" ] || ! grep -qE -- "$no" <<<"$out"; }; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		echo "# rc $rc (want $want, /$re/${no:+, not /$no/}), output:"
		sed 's/^/#   /' <<<"$out"
		fails=$((fails + 1))
	fi
}

# check NAME WANT_RC GREP_RE CMD...
check() {
	local name=$1 want=$2 re=$3
	shift 3
	checkx "$name" "$want" "$re" "" "$@"
}

NODEV=nosuchdev0

check help_bogus_fails        2 'unknown command "bogus"' $CTL help bogus
check help_binding            0 '^Usage: mcoactl binding add' $CTL help binding
check binding_help            0 'mcoactl binding show' $CTL binding help
check binding_add_help        0 '^Usage: mcoactl binding add dev DEV' $CTL binding add help
check link_add_help_not_dev   0 '^Usage: mcoactl link add NAME' $CTL link add help
check abbrev_b_a_help         0 '^Usage: mcoactl binding add' $CTL b a help
check abbrev_b_s_is_show      2 'binding show: invalid hoa "zz"' $CTL b s hoa zz
check abbrev_se_is_set        2 'binding set: invalid hoa "zz"' $CTL b se hoa zz
check abbrev_ambiguous_cmd    2 'ambiguous command "h"' $CTL h
check abbrev_unknown_verb     2 'unknown subcommand "xyz"' $CTL link xyz
check dup_keyword_link_add    2 'keyword "mode" given twice' $CTL link add x mode ha mode mn
check dup_keyword_flow        2 'keyword "hoa" given twice' $CTL flow show hoa ::1 hoa ::2
check bad_addr_before_dev     2 'invalid hoa "zz"' $CTL binding add dev $NODEV hoa zz bid 1 coa ::1
check bid_decimal_09          2 'invalid coa "zz"' $CTL binding add dev $NODEV hoa ::1 bid 09 coa zz
check bid_out_of_range        2 'invalid bid "0x10000"' $CTL binding del dev $NODEV hoa ::1 bid 0x10000
check opt_jp_before           2 'binding show: invalid hoa "zz"' $CTL -jp binding show hoa zz
check opt_netns_after         1 'cannot enter network namespace "nosuchns0"' $CTL binding show -j -n nosuchns0
check opt_netns_bad_name      2 'invalid network namespace name' $CTL -n ../x binding show
check ctl_long_help           0 '^Usage: mcoactl .*-n NETNS' $CTL --help
check ctl_version             0 '^mcoactl [^ ]+ \(mcoa genetlink' $CTL --version
check mcoad_version           0 '^mcoad [^ ]+$' $MCOAD --version

# link: show is the default, del takes one name, help is never a name
check link_del_help           0 '^Usage: mcoactl link del NAME' $CTL link del help
check link_del_missing_name   2 'link del: missing device name' $CTL link del
check link_del_extra_arg      2 'link del: unexpected argument "b"' $CTL link del a b
check link_del_nodev_runtime  1 'device "nosuchdev0" not found' $CTL link del $NODEV
check link_show_extra_arg     2 'link show: unexpected argument "b"' $CTL link show a b
check link_show_nodev_runtime 1 'link show: device "nosuchdev0" not found' $CTL link show dev $NODEV
check link_show_help          0 '^Usage: mcoactl link show \[\[dev\] NAME\]' $CTL link show help
check link_help_lists_show    0 'mcoactl link show' $CTL help link

# monitor: filters are checked like any keyword, before any socket
check monitor_dup_dev         2 'monitor: keyword "dev" given twice' $CTL monitor dev a dev b
check monitor_dup_hoa         2 'monitor: keyword "hoa" given twice' $CTL monitor hoa ::1 hoa ::2
check monitor_bad_hoa         2 'monitor: invalid hoa "zz"' $CTL monitor hoa zz
check monitor_unknown_kw      2 'monitor: unknown keyword "frob"' $CTL monitor frob
check monitor_dev_needs_value 2 'keyword "dev" needs a value' $CTL monitor dev
check monitor_nodev_runtime   1 'monitor: device "nosuchdev0" not found' $CTL monitor dev $NODEV
check monitor_t_trailing      2 'monitor: invalid hoa "zz"' $CTL monitor hoa zz -t
check monitor_t_option        2 'monitor: invalid hoa "zz"' $CTL -t monitor hoa zz
check monitor_help_filters    0 'monitor \[dev DEV\] \[hoa HOA\]' $CTL monitor help

# exit codes: documented in the help, the same in batch mode
check exit_codes_in_help      0 '1 the kernel or the system refused' $CTL help
check exit_code_2_in_help     0 '2 usage error' $CTL --help
check force_needs_batch       2 '-force needs -b FILE' $CTL -force binding show
check no_command_is_usage     2 'Usage: mcoactl' $CTL
check only_options_is_usage   2 'Usage: mcoactl' $CTL -j

# batch: stop at the first failing line, FILE:LINE; -force goes on
tmpb=$(mktemp -d /tmp/mcoactl-batch.XXXXXX)
printf 'help binding\nbinding show hoa zz\nlink del\nhelp link\nlink del %s\n' \
	$NODEV > "$tmpb/f"
checkx batch_stops_first_fail 2 "^$tmpb/f:2: binding show: invalid hoa" "^$tmpb/f:3:" \
	$CTL -b "$tmpb/f"
checkx batch_force_goes_on    2 "^$tmpb/f:3: link del: missing device name" "" \
	$CTL -force -b "$tmpb/f"
checkx batch_force_last_line  2 "^$tmpb/f:5: link del: device \"$NODEV\" not found" "" \
	$CTL -b "$tmpb/f" -force
printf '# runtime failure first\nlink del %s\nhelp bogus\n' $NODEV > "$tmpb/g"
checkx batch_status_first_line 1 "^$tmpb/g:2: " "^$tmpb/g:3:" $CTL -b "$tmpb/g"
checkx batch_force_status_first 1 "^$tmpb/g:3: unknown command" "" $CTL --force -b "$tmpb/g"
printf 'help link\n\n# only comments and help\n' > "$tmpb/ok"
check batch_ok_exit_0         0 'mcoactl link show' $CTL -force -b "$tmpb/ok"
rm -rf "$tmpb"

# One mcoad per device: hold its lock as a running mcoad would; a second
# one must refuse before it opens anything (so -n and no module is safe).
tmp=$(mktemp -d /tmp/mcoactl-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
printf 'role ha\ndevice mip0\nhome-agent fd00:1::1\nhome-prefix fd00:1::/64\nhome-link hl0\nipsec no\n' > "$tmp/ha.conf"
# the name mcoad gives it (runlock_name(): the netns of pid 1, if visible)
lock=mip0 init_ns=$(readlink /proc/1/ns/net 2>/dev/null)
[ -z "$init_ns" ] || [ "$(readlink /proc/self/ns/net)" = "$init_ns" ] ||
	lock="mip0@net$(stat -Lc %i /proc/self/ns/net)"
mkdir "$tmp/run"
exec {lk}>"$tmp/run/$lock.pid"
flock -n "$lk" && echo 4242 >&"$lk"
check mcoad_second_same_device_refused 1 'another mcoad already runs for device mip0.* \(pid 4242' \
	timeout 5 $MCOAD -n -r "$tmp/run" -c "$tmp/ha.conf"
check mcoad_rundir_from_systemd_env 1 "lock $tmp/run/$lock.pid" \
	env RUNTIME_DIRECTORY="$tmp/run" timeout 5 $MCOAD -n -c "$tmp/ha.conf"
exec {lk}>&-

exit $((fails > 0))

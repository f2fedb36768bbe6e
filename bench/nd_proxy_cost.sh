#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What the kernel's own per-HoA state costs a home agent as the number of
# mobile nodes grows: the time to add 2000 more proxy ND entries
# (`ip -6 neigh add proxy`, what mcoad installs per HoA on the home link)
# and, for comparison, 2000 more /128 host routes, at each of LEVELS
# entries already present. Needs no mcoa module: runs on the host or in a
# VM, as root, in a netns of its own (veth pair), and removes it.
#
#   bench/nd_proxy_cost.sh [LEVELS...]     (default: 0 10000 50000 100000)
#
# Prints per level the microseconds per insert of each kind. The kernel
# keeps proxy entries in a hash table of 16 buckets (PNEIGH_HASHMASK in
# net/core/neighbour.c), so their insert cost grows with the count; routes
# sit in the fib6 trie.
set -euo pipefail
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(0 10000 50000 100000)
ns=ndpc$$
batch=2000

ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null' EXIT
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set v0 up
ip -n "$ns" link set v1 up

# lines KIND FROM TO: ip -batch lines for entries FROM..TO-1
lines()
{
	awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN {
		for (i = a; i < b; i++) {
			x = sprintf("%x:%x", int(i / 65536), i % 65536)
			if (k == "proxy")
				printf "neigh add proxy fd00:1::%s dev v0\n", x
			else
				printf "route add fd00:2::%s/128 dev v0\n", x
		}
	}'
}

# fill KIND FROM TO; timed KIND FROM: us per insert of $batch more
fill() { lines "$1" "$2" "$3" | ip -n "$ns" -6 -batch -; }
timed()
{
	local t0 t1

	t0=$(date +%s%N)
	fill "$1" "$2" $(($2 + batch))
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 / batch ))
}

have=0
printf '%-10s %18s %18s\n' entries "proxy ND us/insert" "route us/insert"
for l in "${levels[@]}"; do
	if [ "$l" -gt "$have" ]; then
		fill proxy "$have" "$l"
		fill route "$have" "$l"
	fi
	p=$(timed proxy "$l")
	r=$(timed route "$l")
	# the timed entries stay: the next level's fill starts after them
	have=$((l + batch))
	printf '%-10s %18s %18s\n' "$l" "$p" "$r"
done

# SPDX-License-Identifier: GPL-2.0
# Figure 3: the binding cache with BC_N (default 1,000,000) bindings.
#
# In a namespace of its own with one mcoa device (mode ha): BC_N/3 HoAs
# with BIDs 1..3, each binding with its own CoA, so the per-HoA and the
# per-CoA indexes both hold BC_N entries. Per run:
#   add    mcoactl -b FILE (pipelined binding-new requests)
#   get    BC_GETS random "binding show dev D hoa H bid B" lines through
#          mcoactl -b (each one a genl do request and its answer)
#   dump   mcoactl binding show dev D, lines counted
#   flush  mcoactl binding flush dev D
# Memory: MemAvailable before/after the add, and the objects of mcoa.ko's
# slab caches (/sys/kernel/slab/*mcoa*), divided by BC_N.
# Then expiry, once: BC_N bindings again, the 3 of HoA h with lifetime
# BC_EXP_MIN + (h mod BC_EXP_SPREAD) s, so 1/BC_EXP_SPREAD of them expire
# every second (1% a second by default, 60 times issue 12's 1% a minute);
# the kernel deletes them all; the figure is the longest time one expiry
# run held the cache's lock (stats gc_max_us), and how long after the
# last deadline the last binding went.

BC_N=${MCOA_BENCH_BINDINGS:-1000000}
BC_RUNS=${MCOA_BENCH_BC_RUNS:-3}
BC_GETS=${MCOA_BENCH_GETS:-10000}
BC_EXP_MIN=${MCOA_BENCH_EXP_MIN:-60}
BC_EXP_SPREAD=${MCOA_BENCH_EXP_SPREAD:-100}

bc_meta()
{
	meta bc.add_s "binding cache" s "add $BC_N bindings (mcoactl -b)"
	meta bc.add_rate "binding cache" bindings/s "add rate"
	meta bc.get_us "binding cache" us/get "get one binding among $BC_N (mcoactl -b, $BC_GETS gets)"
	meta bc.dump_s "binding cache" s "dump $BC_N bindings (mcoactl binding show)"
	meta bc.dump_rate "binding cache" bindings/s "dump rate"
	meta bc.flush_s "binding cache" s "flush $BC_N bindings"
	meta bc.mem_b "binding cache" B/binding "memory per binding (MemAvailable delta)"
	meta bc.slab_b "binding cache" B/binding "memory per binding (mcoa slab caches)"
	meta bc.leak_kb "binding cache" KiB "MemAvailable not returned after flush"
	meta bc.gc_max_us "binding cache" us "longest expiry run (lock held), $BC_N bindings, 1/$BC_EXP_SPREAD expiring each second"
	meta bc.gc_last_us "binding cache" us "expiry run (lock held), sampled once a second while they expire"
	meta bc.exp_lag_s "binding cache" s "last binding gone after the last deadline"
}

bc_na_all()
{
	local id

	for id in add_s add_rate get_us dump_s dump_rate flush_s mem_b slab_b leak_kb gc_max_us gc_last_us exp_lag_s; do
		na bc.$id "$1"
	done
}

bc_gen()
{
	awk -v n="$BC_N" -v peer=fd00:1::1 'BEGIN {
		for (i = 0; i < n; i++) {
			h = int(i / 3)
			printf "binding add dev mip0 hoa fd00:500::%x:%x bid %d " \
			       "coa fd00:600::%x:%x peer %s\n",
			       int(h / 65536), h % 65536, i % 3 + 1,
			       int(i / 65536), i % 65536, peer
		}
	}' > "$BENCH_TMP/bc.add"
	awk -v n="$BC_N" -v g="$BC_GETS" 'BEGIN {
		srand(5648)
		for (j = 0; j < g; j++) {
			i = int(rand() * n)
			h = int(i / 3)
			printf "binding show dev mip0 hoa fd00:500::%x:%x bid %d\n",
			       int(h / 65536), h % 65536, i % 3 + 1
		}
	}' > "$BENCH_TMP/bc.get"
}

bench_bcache()
{
	local reason r t0 t1 m0 m1 m2 s0 s1 b0 b1 got

	bc_meta
	if ! reason=$(have_mcoa); then
		bc_na_all "$reason"
		return
	fi
	setup_ns bc
	if ! ctl "$bc" link add mip0 mode ha 2>"$BENCH_TMP/bc.err"; then
		bc_na_all "mcoactl link add failed: $(head -c 160 "$BENCH_TMP/bc.err")"
		return
	fi
	ip -n "$bc" link set mip0 up
	blog "binding cache: generating $BC_N lines"
	bc_gen
	note "binding cache: $BC_N bindings = $((BC_N / 3)) HoAs x 3 BIDs, one CoA each; slab caches: $(mcoa_slab_names)"

	for ((r = 1; r <= BC_RUNS; r++)); do
		blog "binding cache run $r/$BC_RUNS: add"
		sync; echo 3 > /proc/sys/vm/drop_caches
		m0=$(mem_available_kb); read -r s0 b0 <<< "$(mcoa_slab_bytes)"
		t0=$(now_ns)
		if ! ctl "$bc" -b "$BENCH_TMP/bc.add" 2>"$BENCH_TMP/bc.err"; then
			bc_na_all "mcoactl -b add failed: $(head -c 160 "$BENCH_TMP/bc.err")"
			ctl "$bc" binding flush dev mip0
			return
		fi
		t1=$(now_ns)
		m1=$(mem_available_kb); read -r s1 b1 <<< "$(mcoa_slab_bytes)"
		sample bc.add_s "$(calc "($t1 - $t0) / 1e9")"
		sample bc.add_rate "$(calc "$BC_N * 1e9 / ($t1 - $t0)")"
		sample bc.mem_b "$(calc "($m0 - $m1) * 1024 / $BC_N")"
		if [ "$s1" -gt "$s0" ]; then
			sample bc.slab_b "$(calc "($b1 - $b0) / $BC_N")"
		else
			[ $r = 1 ] && na bc.slab_b "no slab cache named *mcoa* grew (kmalloc?)"
		fi

		blog "binding cache run $r/$BC_RUNS: get"
		t0=$(now_ns)
		got=$(ctl "$bc" -b "$BENCH_TMP/bc.get" 2>"$BENCH_TMP/bc.err" | grep -c '^dev ')
		t1=$(now_ns)
		if [ "$got" = "$BC_GETS" ]; then
			sample bc.get_us "$(calc "($t1 - $t0) / 1e3 / $BC_GETS")"
		else
			[ $r = 1 ] && na bc.get_us "$got of $BC_GETS gets answered: $(head -c 120 "$BENCH_TMP/bc.err")"
		fi

		blog "binding cache run $r/$BC_RUNS: dump"
		t0=$(now_ns)
		got=$(ctl "$bc" binding show dev mip0 2>"$BENCH_TMP/bc.err" | grep -c '^dev ')
		t1=$(now_ns)
		if [ "$got" = "$BC_N" ]; then
			sample bc.dump_s "$(calc "($t1 - $t0) / 1e9")"
			sample bc.dump_rate "$(calc "$BC_N * 1e9 / ($t1 - $t0)")"
		else
			[ $r = 1 ] && { na bc.dump_s "dump listed $got of $BC_N: $(head -c 120 "$BENCH_TMP/bc.err")"; na bc.dump_rate "dump incomplete"; }
		fi

		blog "binding cache run $r/$BC_RUNS: flush"
		t0=$(now_ns)
		ctl "$bc" binding flush dev mip0
		t1=$(now_ns)
		sample bc.flush_s "$(calc "($t1 - $t0) / 1e9")"
		# RCU frees after a grace period: let it settle before reading
		busywait 10000 bc_settled "$s0"
		m2=$(mem_available_kb)
		sample bc.leak_kb "$((m0 - m2))"
	done
	rm -f "$BENCH_TMP/bc.add" "$BENCH_TMP/bc.get"
	bc_expiry
	ip netns del "$bc"
}

bc_count() { ctl "$bc" -j stats dev mip0 | jq -r '(if type == "array" then .[0] else . end) | .bindings // empty'; }
bc_gc_max() { ctl "$bc" -j stats dev mip0 | jq -r '(if type == "array" then .[0] else . end) | .stats.gc_max_us // empty'; }
# "BINDINGS GC_LAST_US" of the device
bc_state() { ctl "$bc" -j stats dev mip0 | jq -r '(if type == "array" then .[0] else . end) | "\(.bindings) \(.stats.gc_last_us)"'; }

# Everything expires, 1/BC_EXP_SPREAD of it each second (see the top).
bc_expiry()
{
	local t0 t1 last n

	# a fresh device: gc_max_us covers this phase only
	ctl "$bc" link del mip0 && ctl "$bc" link add mip0 mode ha &&
		ip -n "$bc" link set mip0 up || { na bc.gc_max_us "device re-creation failed"; na bc.exp_lag_s "-"; return; }
	awk -v n="$BC_N" -v lo="$BC_EXP_MIN" -v sp="$BC_EXP_SPREAD" 'BEGIN {
		for (i = 0; i < n; i++) {
			h = int(i / 3)
			printf "binding add dev mip0 hoa fd00:500::%x:%x bid %d " \
			       "coa fd00:600::%x:%x peer fd00:1::1 lifetime %d\n",
			       int(h / 65536), h % 65536, i % 3 + 1,
			       int(i / 65536), i % 65536, lo + h % sp
		}
	}' > "$BENCH_TMP/bc.exp"
	blog "binding cache: $BC_N bindings expiring over $BC_EXP_SPREAD s"
	t0=$(now_ns)
	if ! ctl "$bc" -b "$BENCH_TMP/bc.exp" 2>"$BENCH_TMP/bc.err"; then
		na bc.gc_max_us "mcoactl -b add failed: $(head -c 160 "$BENCH_TMP/bc.err")"
		na bc.exp_lag_s "-"
		return
	fi
	t1=$(now_ns)
	rm -f "$BENCH_TMP/bc.exp"
	if [ $(( (t1 - t0) / 1000000000 )) -ge "$BC_EXP_MIN" ]; then
		na bc.gc_max_us "adding took longer than the shortest lifetime ($BC_EXP_MIN s)"
		na bc.exp_lag_s "-"
		return
	fi
	# the last deadline: the end of the add plus the longest lifetime
	last=$((t1 + (BC_EXP_MIN + BC_EXP_SPREAD - 1) * 1000000000))
	# until the first deadline nothing expires; then one sample of the
	# last run's lock hold a second (a sampling interval, not a wait)
	busywait $((BC_EXP_MIN * 1000 + 30000)) eval '[ "$(bc_count)" != '"$BC_N"' ]'
	local end=$(( $(now_ns) + (BC_EXP_SPREAD + 120) * 1000000000 )) g
	while read -r n g <<< "$(bc_state)" && [ "$n" != 0 ] &&
	      [ "$(now_ns)" -lt $end ]; do
		[ -n "$g" ] && [ "$g" != null ] && sample bc.gc_last_us "$g"
		sleep 1
	done
	n=$(bc_count)
	if [ "$n" != 0 ]; then
		na bc.gc_max_us "$n bindings left after every deadline + 120 s"
		na bc.exp_lag_s "-"
		return
	fi
	sample bc.exp_lag_s "$(calc "($(now_ns) - $last) / 1e9")"
	sample bc.gc_max_us "$(bc_gc_max)"
}

# bc_settled OBJS: the mcoa slab objects are back to (about) OBJS.
bc_settled()
{
	local n

	read -r n _ <<< "$(mcoa_slab_bytes)"
	[ "$n" -le $(($1 + 1000)) ]
}

// SPDX-License-Identifier: GPL-2.0
/*
 * insn_count: a qemu TCG plugin counting the guest instructions executed,
 * and writing the running count each time the guest executes the marker
 * instruction, so that the guest can bracket a measurement window.
 *
 *   qemu ... -plugin file=bench/insn/insn_count.so,out=/path/marks
 *
 * Counting: every translation block (TB) gets an inline add of its number
 * of instructions to one 64-bit counter, done when the TB starts. All
 * vCPUs add to that one counter; that is exact with one vCPU or with
 * -icount (qemu then runs the vCPUs in turn on one thread), racy with
 * multi-threaded TCG on several vCPUs (the bench runs 1 vCPU + icount).
 * A TB left early by an exception was counted whole.
 *
 * Marker: "xchg %bx,%bx" (66 87 db), a no-op never emitted by compilers
 * (bench/insn/mark.c runs it). At translation time each marker gets an
 * exec callback with the number of instructions of its TB from the marker
 * to the TB's end, which the inline add has already counted; the callback
 * subtracts them, so the count written is exactly the number of guest
 * instructions retired before the marker. Each marker appends a line
 *   SEQ COUNT
 * to the out file (flushed at once): SEQ counts markers from 1. At exit
 * the plugin appends "total COUNT".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

MCOA_PLUGIN_EXPORT int qemu_plugin_version = MCOA_QEMU_PLUGIN_API_VERSION;

static const unsigned char marker[] = { 0x66, 0x87, 0xdb };

static uint64_t insns;
static uint64_t seq;
static FILE *out;

static void on_marker(unsigned int vcpu, void *udata)
{
	uint64_t rest = (uintptr_t)udata;

	(void)vcpu;
	seq++;
	if (out) {
		fprintf(out, "%" PRIu64 " %" PRIu64 "\n", seq, insns - rest);
		fflush(out);
	}
}

static bool is_marker(const struct qemu_plugin_insn *insn)
{
	return qemu_plugin_insn_size(insn) == sizeof(marker) &&
	       !memcmp(qemu_plugin_insn_data(insn), marker, sizeof(marker));
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	size_t i;

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &insns, n);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (is_marker(insn))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker,
							       QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)(n - i));
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata)
{
	char buf[96];

	(void)id;
	(void)udata;
	if (out) {
		fprintf(out, "total %" PRIu64 "\n", insns);
		fclose(out);
		out = NULL;
	}
	snprintf(buf, sizeof(buf), "insn_count: %" PRIu64 " instructions, %"
		 PRIu64 " markers\n", insns, seq);
	qemu_plugin_outs(buf);
}

MCOA_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else {
			fprintf(stderr, "insn_count: unknown argument %s\n",
				argv[i]);
			return -1;
		}
	}
	if (info->system_emulation && info->system.smp_vcpus > 1)
		fprintf(stderr, "insn_count: %d vCPUs: one shared counter, exact only under -icount\n",
			info->system.smp_vcpus);
	if (path) {
		out = fopen(path, "w");
		if (!out) {
			perror(path);
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * mark: execute the insn_count plugin's marker instruction, xchg %bx,%bx
 * (66 87 db), once per call, so that the plugin writes the guest's
 * instruction count. A no-op on real hardware and without the plugin.
 *
 *   mark          one marker, then exit
 *   mark -s       a marker per line read on stdin; after each, print "ok"
 *                 (a coprocess: no fork or exec inside the window)
 */
#include <stdio.h>
#include <string.h>

static void marker(void)
{
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
}

int main(int argc, char **argv)
{
	char line[64];

	if (argc < 2) {
		marker();
		return 0;
	}
	if (argc != 2 || strcmp(argv[1], "-s")) {
		fprintf(stderr, "usage: mark [-s]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		marker();
		printf("ok\n");
	}
	return 0;
}

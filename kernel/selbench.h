/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MCOA_SELBENCH_H
#define _MCOA_SELBENCH_H

/* debugfs mcoa/select_bench: times mcoa_select() for make bench */
#ifdef CONFIG_DEBUG_FS
void mcoa_selbench_init(void);
void mcoa_selbench_uninit(void);
#else
static inline void mcoa_selbench_init(void) { }
static inline void mcoa_selbench_uninit(void) { }
#endif

#endif /* _MCOA_SELBENCH_H */

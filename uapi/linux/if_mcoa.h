/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * rtnetlink attributes of the "mcoa" link kind (IFLA_INFO_DATA), as for
 * other tunnel kinds in <linux/if_link.h>:
 *   ip link add mip0 type mcoa mode ha|mn
 */
#ifndef _UAPI_LINUX_IF_MCOA_H
#define _UAPI_LINUX_IF_MCOA_H

enum {
	IFLA_MCOA_UNSPEC,
	IFLA_MCOA_MODE,		/* u32, enum mcoa_mode; default MCOA_MODE_HA */
	__IFLA_MCOA_MAX,
};

#define IFLA_MCOA_MAX	(__IFLA_MCOA_MAX - 1)

#endif /* _UAPI_LINUX_IF_MCOA_H */

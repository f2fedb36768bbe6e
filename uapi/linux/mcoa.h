/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/mcoa.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_MCOA_H
#define _UAPI_LINUX_MCOA_H

#define MCOA_FAMILY_NAME	"mcoa"
#define MCOA_FAMILY_VERSION	1

#define MCOA_BID_MAX		65535
#define MCOA_PRIO_MAX		127
#define MCOA_LIFETIME_MAX	262140
#define MCOA_FLOW_BIDS_MAX	16

/**
 * enum mcoa_mode - Role of an mcoa device (IFLA_MCOA_MODE).
 * @MCOA_MODE_HA: Home agent. Encapsulates packets for a HoA towards a CoA.
 * @MCOA_MODE_MN: Mobile node. Encapsulates packets from a HoA out of a CoA.
 */
enum mcoa_mode {
	MCOA_MODE_HA = 1,
	MCOA_MODE_MN,
};

/**
 * enum mcoa_policy - Default CoA choice for flows that match no flow rule.
 * @MCOA_POLICY_HASH: Rendezvous hash of the flow over the live bindings of the
 *   HoA.
 * @MCOA_POLICY_RECENT: The binding most recently verified by signalling.
 */
enum mcoa_policy {
	MCOA_POLICY_HASH = 1,
	MCOA_POLICY_RECENT,
};

/**
 * enum mcoa_del_reason - Why a binding was removed (binding-del-ntf).
 * @MCOA_DEL_REASON_USER: Deleted or flushed through netlink, or replaced.
 * @MCOA_DEL_REASON_EXPIRED: Its lifetime ran out in the kernel.
 * @MCOA_DEL_REASON_DEVICE_DOWN: The mcoa device or the binding's egress link
 *   went away.
 */
enum mcoa_del_reason {
	MCOA_DEL_REASON_USER = 1,
	MCOA_DEL_REASON_EXPIRED,
	MCOA_DEL_REASON_DEVICE_DOWN,
};

/**
 * enum mcoa_binding_flags
 * @MCOA_BINDING_FLAGS_HOME: Home binding (RFC 5648 H flag), the CoA field
 *   carries the HoA.
 * @MCOA_BINDING_FLAGS_LEGACY: Registered by a BU without BID option (RFC
 *   6275); the daemon uses it to answer 165 MCOA NON-MCOA BINDING EXISTS after
 *   a restart.
 */
enum mcoa_binding_flags {
	MCOA_BINDING_FLAGS_HOME = 1,
	MCOA_BINDING_FLAGS_LEGACY = 2,
};

enum {
	MCOA_A_STATS_TX_PACKETS = 1,
	MCOA_A_STATS_TX_BYTES,
	MCOA_A_STATS_TX_DROPPED,
	MCOA_A_STATS_RX_PACKETS,
	MCOA_A_STATS_RX_BYTES,
	MCOA_A_STATS_RX_DROPPED,
	MCOA_A_STATS_RX_SPOOFED,
	MCOA_A_STATS_TX_NO_BINDING,
	MCOA_A_STATS_TX_TOO_BIG,
	MCOA_A_STATS_PAD,
	MCOA_A_STATS_HOAS,
	MCOA_A_STATS_ERR_IGNORED,
	MCOA_A_STATS_RX_ECN_DROPPED,

	__MCOA_A_STATS_MAX,
	MCOA_A_STATS_MAX = (__MCOA_A_STATS_MAX - 1)
};

enum {
	MCOA_A_BINDING_HOA = 1,
	MCOA_A_BINDING_BID,
	MCOA_A_BINDING_COA,
	MCOA_A_BINDING_COA4,
	MCOA_A_BINDING_PEER,
	MCOA_A_BINDING_LINK,
	MCOA_A_BINDING_PRIO,
	MCOA_A_BINDING_FLAGS,
	MCOA_A_BINDING_LIFETIME,
	MCOA_A_BINDING_EXPIRES,
	MCOA_A_BINDING_VERIFIED,
	MCOA_A_BINDING_STATS,
	MCOA_A_BINDING_DEL_REASON,
	MCOA_A_BINDING_PAD,
	MCOA_A_BINDING_VERIFY,
	MCOA_A_BINDING_NO_CARRIER,

	__MCOA_A_BINDING_MAX,
	MCOA_A_BINDING_MAX = (__MCOA_A_BINDING_MAX - 1)
};

enum {
	MCOA_A_FLOW_HOA = 1,
	MCOA_A_FLOW_FID,
	MCOA_A_FLOW_PRI,
	MCOA_A_FLOW_SRC,
	MCOA_A_FLOW_SRC_PLEN,
	MCOA_A_FLOW_DST,
	MCOA_A_FLOW_DST_PLEN,
	MCOA_A_FLOW_PROTO,
	MCOA_A_FLOW_SPORT_MIN,
	MCOA_A_FLOW_SPORT_MAX,
	MCOA_A_FLOW_DPORT_MIN,
	MCOA_A_FLOW_DPORT_MAX,
	MCOA_A_FLOW_TCLASS,
	MCOA_A_FLOW_TCLASS_MASK,
	MCOA_A_FLOW_BIDS,
	MCOA_A_FLOW_PACKETS,
	MCOA_A_FLOW_PAD,

	__MCOA_A_FLOW_MAX,
	MCOA_A_FLOW_MAX = (__MCOA_A_FLOW_MAX - 1)
};

enum {
	MCOA_A_HOA_ADDR = 1,
	MCOA_A_HOA_POLICY,
	MCOA_A_HOA_SEQ,
	MCOA_A_HOA_BINDINGS,
	MCOA_A_HOA_RECENT_BID,

	__MCOA_A_HOA_MAX,
	MCOA_A_HOA_MAX = (__MCOA_A_HOA_MAX - 1)
};

enum {
	MCOA_A_IFINDEX = 1,
	MCOA_A_IFNAME,
	MCOA_A_MODE,
	MCOA_A_BINDING,
	MCOA_A_FLOW,
	MCOA_A_HOA,
	MCOA_A_STATS,

	__MCOA_A_MAX,
	MCOA_A_MAX = (__MCOA_A_MAX - 1)
};

enum {
	MCOA_CMD_DEV_GET = 1,
	MCOA_CMD_BINDING_NEW,
	MCOA_CMD_BINDING_SET,
	MCOA_CMD_BINDING_GET,
	MCOA_CMD_BINDING_DEL,
	MCOA_CMD_BINDING_FLUSH,
	MCOA_CMD_FLOW_NEW,
	MCOA_CMD_FLOW_DEL,
	MCOA_CMD_FLOW_GET,
	MCOA_CMD_HOA_SET,
	MCOA_CMD_HOA_GET,
	MCOA_CMD_BINDING_NEW_NTF,
	MCOA_CMD_BINDING_CHANGE_NTF,
	MCOA_CMD_BINDING_DEL_NTF,
	MCOA_CMD_HOA_DEL,

	__MCOA_CMD_MAX,
	MCOA_CMD_MAX = (__MCOA_CMD_MAX - 1)
};

#define MCOA_MCGRP_BINDINGS	"bindings"

#endif /* _UAPI_LINUX_MCOA_H */

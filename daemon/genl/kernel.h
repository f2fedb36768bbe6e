/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel.h - the userspace side of the "mcoa" generic netlink family
 * (uapi/linux/mcoa.h) and of the "mcoa" rtnetlink link kind, on libnl-3.
 * Shared by mcoactl and mcoad.
 *
 * One struct mcoa_nl holds two netlink sockets, as hostapd does:
 *  - a blocking command socket: one request, then its reply/ack, in order;
 *  - a non-blocking event socket joined to the "bindings" multicast group,
 *    created on mcoa_nl_event_subscribe() and polled by the caller's loop.
 * Keeping them apart means a notification can never be mistaken for the
 * answer to a request, and a slow request never delays events.
 *
 * Errors: every function returns 0 (or a count, where stated) or -errno.
 * Functions taking "char *err" write a one-line, user-facing message into
 * it when it is not NULL; the buffer must hold MCOA_NL_ERRLEN bytes. When
 * the kernel rejected the request the text is "kernel: <extack message>"
 * followed by " (attribute binding.bid)" when the kernel pointed at an
 * attribute (NLMSGERR_ATTR_OFFS) or " (missing attribute binding.hoa)"
 * (NLMSGERR_ATTR_MISS_TYPE). Without an extack message, strerror() is used.
 *
 * Nothing here is thread-safe; use one struct mcoa_nl per thread.
 */
#ifndef MCOA_KERNEL_H
#define MCOA_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <net/if.h>
#include <linux/mcoa.h>

#define MCOA_NL_ERRLEN	256

/* ---- userspace model of what the kernel holds ------------------------- */

/* Bits of mcoa_stats.has, one per counter, in MCOA_A_STATS_* order. */
#define MCOA_STATS_HAS(attr)	(1u << (attr))

struct mcoa_stats {
	uint32_t has;			/* MCOA_STATS_HAS(MCOA_A_STATS_x) */
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t tx_dropped;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t rx_dropped;
	uint64_t rx_spoofed;
	uint64_t tx_no_binding;
	uint64_t tx_too_big;
	uint64_t hoas;			/* dev-get only */
	uint64_t err_ignored;
	uint64_t rx_ecn_dropped;
	uint64_t prefixes;		/* dev-get only */
	uint64_t gc_last_us;		/* dev-get only */
	uint64_t gc_max_us;		/* dev-get only */
};

/*
 * Optional fields of struct mcoa_binding. hoa and bid are always
 * meaningful. On requests only fields whose bit is set are sent (so
 * binding_set changes exactly those); on replies/events the bit says the
 * kernel sent the attribute.
 */
enum {
	MCOA_B_COA		= 1u << 0,
	MCOA_B_PEER		= 1u << 1,
	MCOA_B_LINK		= 1u << 2,
	MCOA_B_PRIO		= 1u << 3,
	MCOA_B_FLAGS		= 1u << 4,
	MCOA_B_LIFETIME		= 1u << 5,
	MCOA_B_EXPIRES		= 1u << 6,	/* replies only */
	MCOA_B_VERIFIED		= 1u << 7,	/* replies only */
	MCOA_B_STATS		= 1u << 8,	/* replies only */
	MCOA_B_DEL_REASON	= 1u << 9,	/* binding-del-ntf only */
	MCOA_B_VERIFY		= 1u << 10,	/* requests only: signalling
						 * verified it just now */
	MCOA_B_NO_CARRIER	= 1u << 11,	/* replies only: its link is
						 * down, it carries nothing */
};

struct mcoa_binding {
	uint32_t has;			/* MCOA_B_* */
	int ifindex;			/* filled on replies and events */
	struct in6_addr hoa;
	uint16_t bid;
	struct in6_addr coa;
	struct in6_addr peer;
	uint32_t link;			/* egress ifindex, 0 = routing decides */
	uint8_t prio;
	uint32_t flags;			/* enum mcoa_binding_flags */
	uint32_t lifetime;		/* seconds, 0 = never expires */
	uint64_t expires_ms;		/* ms left */
	uint64_t verified_ms;		/* ms since last verified */
	uint32_t del_reason;		/* enum mcoa_del_reason */
	struct mcoa_stats stats;
};

/* Optional fields of struct mcoa_flow; hoa and fid are always meaningful. */
enum {
	MCOA_F_PRI		= 1u << 0,
	MCOA_F_SRC		= 1u << 1,	/* src + src_plen */
	MCOA_F_DST		= 1u << 2,	/* dst + dst_plen */
	MCOA_F_PROTO		= 1u << 3,
	MCOA_F_SPORT		= 1u << 4,	/* sport_min..sport_max */
	MCOA_F_DPORT		= 1u << 5,	/* dport_min..dport_max */
	MCOA_F_TCLASS		= 1u << 6,	/* tclass + tclass_mask */
	MCOA_F_BIDS		= 1u << 7,	/* bids[0..n_bids) */
	MCOA_F_PACKETS		= 1u << 8,	/* replies only */
};

struct mcoa_flow {
	uint32_t has;			/* MCOA_F_* */
	int ifindex;			/* filled on replies */
	struct in6_addr hoa;
	uint16_t fid;
	uint16_t pri;
	struct in6_addr src;
	uint8_t src_plen;
	struct in6_addr dst;
	uint8_t dst_plen;
	uint8_t proto;
	uint16_t sport_min, sport_max;
	uint16_t dport_min, dport_max;
	uint8_t tclass, tclass_mask;
	unsigned int n_bids;
	uint16_t bids[MCOA_FLOW_BIDS_MAX];
	uint64_t packets;
};

/* Optional fields of struct mcoa_hoa; addr is always meaningful. */
enum {
	MCOA_H_POLICY		= 1u << 0,
	MCOA_H_SEQ		= 1u << 1,
	MCOA_H_BINDINGS		= 1u << 2,	/* replies only */
	MCOA_H_RECENT_BID	= 1u << 3,	/* replies only */
};

struct mcoa_hoa {
	uint32_t has;			/* MCOA_H_* */
	int ifindex;			/* filled on replies */
	struct in6_addr addr;
	uint32_t policy;		/* enum mcoa_policy */
	uint16_t seq;
	uint32_t bindings;
	uint16_t recent_bid;
};

/* A mobile network prefix (RFC 3963) delegated to a mobile router's HoA. */
struct mcoa_prefix {
	int ifindex;			/* filled on replies and events */
	struct in6_addr hoa;		/* the mobile router's HoA */
	struct in6_addr addr;		/* bits past plen are 0 */
	uint8_t plen;			/* 1..128 */
};

enum {
	MCOA_D_MODE		= 1u << 0,
	MCOA_D_STATS		= 1u << 1,
	MCOA_D_BINDINGS		= 1u << 2,
};

struct mcoa_dev_info {
	uint32_t has;			/* MCOA_D_* */
	int ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t mode;			/* enum mcoa_mode */
	struct mcoa_stats stats;
	unsigned int n_hoas;		/* number of hoa nests in the reply */
	uint32_t bindings;		/* device-wide count (hoa.bindings) */
};

/* ---- handle ------------------------------------------------------------ */

struct mcoa_nl;

/*
 * Open the command socket and resolve the "mcoa" family id and the
 * "bindings" group id once. Fails with -ENOENT and "mcoa genetlink family
 * not found (is mcoa.ko loaded?)" when the module is absent.
 */
int mcoa_nl_open(struct mcoa_nl **nlp, char *err);
void mcoa_nl_close(struct mcoa_nl *nl);

/* ---- one function per genl op (ifindex: the mcoa device) -------------- */

/* binding-new: EEXIST if (hoa, bid) is already bound. */
int mcoa_nl_binding_new(struct mcoa_nl *nl, int ifindex,
			const struct mcoa_binding *b, char *err);
/* binding-set: only fields with their has-bit set are changed. */
int mcoa_nl_binding_set(struct mcoa_nl *nl, int ifindex,
			const struct mcoa_binding *b, char *err);
int mcoa_nl_binding_del(struct mcoa_nl *nl, int ifindex,
			const struct in6_addr *hoa, uint16_t bid, char *err);
/* binding-get (do): fills *out. */
int mcoa_nl_binding_get(struct mcoa_nl *nl, int ifindex,
			const struct in6_addr *hoa, uint16_t bid,
			struct mcoa_binding *out, char *err);
/* Flush every binding of hoa, or of the device when hoa is NULL. */
int mcoa_nl_binding_flush(struct mcoa_nl *nl, int ifindex,
			  const struct in6_addr *hoa, char *err);

/*
 * Dump callbacks: return 0 to go on; any other value stops further calls
 * (the rest of the dump is drained) and is returned by the dump function.
 * The object is only valid during the call.
 */
typedef int (*mcoa_binding_cb)(const struct mcoa_binding *b, void *arg);
typedef int (*mcoa_flow_cb)(const struct mcoa_flow *f, void *arg);
typedef int (*mcoa_hoa_cb)(const struct mcoa_hoa *h, void *arg);
typedef int (*mcoa_dev_cb)(const struct mcoa_dev_info *d, void *arg);
typedef int (*mcoa_prefix_cb)(const struct mcoa_prefix *p, void *arg);

/*
 * binding-get dump. ifindex 0: every mcoa device of the netns (if the
 * kernel allows it); hoa NULL: every HoA. A dump the kernel flags as torn
 * (NLM_F_DUMP_INTR) is repeated; -EAGAIN when the table changed during
 * every try: cb has then seen the last, torn, dump (it may miss or repeat
 * entries). The same holds for every dump below.
 */
int mcoa_nl_binding_dump(struct mcoa_nl *nl, int ifindex,
			 const struct in6_addr *hoa,
			 mcoa_binding_cb cb, void *arg, char *err);

int mcoa_nl_flow_new(struct mcoa_nl *nl, int ifindex,
		     const struct mcoa_flow *f, char *err);
int mcoa_nl_flow_del(struct mcoa_nl *nl, int ifindex,
		     const struct in6_addr *hoa, uint16_t fid, char *err);
int mcoa_nl_flow_dump(struct mcoa_nl *nl, int ifindex,
		      const struct in6_addr *hoa,
		      mcoa_flow_cb cb, void *arg, char *err);

/* hoa-set: policy and/or seq, per their has-bits. */
int mcoa_nl_hoa_set(struct mcoa_nl *nl, int ifindex,
		    const struct mcoa_hoa *h, char *err);
/* hoa-del: the HoA with its bindings, flow rules and state; ENOENT. */
int mcoa_nl_hoa_del(struct mcoa_nl *nl, int ifindex,
		    const struct in6_addr *addr, char *err);
int mcoa_nl_hoa_dump(struct mcoa_nl *nl, int ifindex,
		     const struct in6_addr *hoa,
		     mcoa_hoa_cb cb, void *arg, char *err);

/* prefix-new: EEXIST if p->addr/p->plen is delegated already (to any HoA). */
int mcoa_nl_prefix_new(struct mcoa_nl *nl, int ifindex,
		       const struct mcoa_prefix *p, char *err);
/* prefix-del: ENOENT if not delegated (to p->hoa, unless it is ::). */
int mcoa_nl_prefix_del(struct mcoa_nl *nl, int ifindex,
		       const struct mcoa_prefix *p, char *err);
/* Every delegated prefix, or those of @hoa. */
int mcoa_nl_prefix_dump(struct mcoa_nl *nl, int ifindex,
			const struct in6_addr *hoa,
			mcoa_prefix_cb cb, void *arg, char *err);

int mcoa_nl_dev_get(struct mcoa_nl *nl, int ifindex,
		    struct mcoa_dev_info *out, char *err);
int mcoa_nl_dev_dump(struct mcoa_nl *nl, mcoa_dev_cb cb, void *arg,
		     char *err);

/*
 * Send one request made of raw attribute bytes (already in netlink
 * format, after the genl header) and wait for its ack: for tests that
 * need malformed requests (selftests/genl_raw.c). flags: extra NLM_F_*.
 */
int mcoa_nl_raw_request(struct mcoa_nl *nl, uint8_t cmd, uint16_t flags,
			const void *attrs, size_t len, char *err);

/* ---- pipelined requests (bulk loads: mcoactl -b) ----------------------- */

/*
 * Queue a binding-new/set/del (cmd = MCOA_CMD_BINDING_*) without waiting
 * for its ack. Requests are packed several per sendmsg() and at most a
 * window of them is in flight; acks are collected as they come back.
 * ack_cb is called once for each request the kernel rejected, with the
 * cookie given here, -errno and the user-facing message; successful acks
 * are counted silently. Requests keep being processed after a failure:
 * the kernel has already seen the ones in flight.
 * Returns 0 or -errno for a transport/encoding error (the pipe is then
 * unusable).
 */
typedef void (*mcoa_ack_cb)(unsigned long cookie, int error,
			    const char *msg, void *arg);

int mcoa_nl_pipe_binding(struct mcoa_nl *nl, uint8_t cmd, int ifindex,
			 const struct mcoa_binding *b, unsigned long cookie,
			 mcoa_ack_cb ack_cb, void *arg, char *err);
/* Send what is queued and wait for every outstanding ack. */
int mcoa_nl_pipe_flush(struct mcoa_nl *nl, mcoa_ack_cb ack_cb, void *arg,
		       char *err);
/* Drop what is queued and not sent yet (nothing is in flight between calls). */
void mcoa_nl_pipe_discard(struct mcoa_nl *nl);

/* ---- events ------------------------------------------------------------ */

/*
 * Create the event socket (non-blocking, large receive buffer) and join
 * the "bindings" group. Returns 0 or -errno.
 */
int mcoa_nl_event_subscribe(struct mcoa_nl *nl, char *err);
/* The event socket's fd for epoll/poll (EPOLLIN), or -1 before subscribe. */
int mcoa_nl_event_fd(const struct mcoa_nl *nl);

/*
 * cmd is MCOA_CMD_BINDING_NEW_NTF, _CHANGE_NTF or _DEL_NTF; for the latter
 * b->del_reason (MCOA_B_DEL_REASON) says why.
 */
typedef void (*mcoa_event_cb)(uint8_t cmd, const struct mcoa_binding *b,
			      void *arg);

/*
 * Prefix events (prefix-new-ntf, prefix-del-ntf) go to @cb, with the arg
 * of mcoa_nl_event_read(); without it they are skipped.
 */
typedef void (*mcoa_prefix_event_cb)(uint8_t cmd, const struct mcoa_prefix *p,
				     void *arg);
void mcoa_nl_event_prefixes(struct mcoa_nl *nl, mcoa_prefix_event_cb cb);

/*
 * Read every pending event without blocking and call cb for each.
 * Returns the number of events handled (0 if none was pending), or
 * -ENOBUFS when the socket overran and events were lost: the caller must
 * then resynchronise with mcoa_nl_binding_dump(). Other -errno: fatal.
 */
int mcoa_nl_event_read(struct mcoa_nl *nl, mcoa_event_cb cb, void *arg,
		       char *err);

/* ---- links (rtnetlink, no genl family needed) ------------------------- */

/* What RTM_GETLINK says about a device. */
struct mcoa_link {
	int ifindex;
	char ifname[IF_NAMESIZE];
	char kind[32];			/* IFLA_INFO_KIND, "" when none */
	bool is_mcoa;			/* kind "mcoa" */
	bool has_mode;
	uint32_t mode;			/* IFLA_MCOA_MODE, enum mcoa_mode */
	uint32_t flags;			/* IFF_* */
	uint32_t mtu;
	uint8_t operstate;		/* IF_OPER_* */
	bool got;
};

/* RTM_NEWLINK kind "mcoa", IFLA_MCOA_MODE = mode (enum mcoa_mode). */
int mcoa_link_add(const char *name, uint32_t mode, char *err);
/* -EOPNOTSUPP ("... is not an mcoa device") for any other kind. */
int mcoa_link_del(const char *name, char *err);
/* RTM_GETLINK of name; -ENODEV when it does not exist. */
int mcoa_link_get(const char *name, struct mcoa_link *out, char *err);
/* ifindex of name, or -ENODEV (with "device NAME not found" in err). */
int mcoa_ifindex(const char *name, char *err);

/* ---- names (also used for JSON keys and messages) --------------------- */

const char *mcoa_mode_name(uint32_t mode);		/* "ha", "mn", "?" */
const char *mcoa_policy_name(uint32_t policy);		/* "hash", "recent" */
const char *mcoa_del_reason_name(uint32_t reason);	/* "user", ... */
const char *mcoa_event_name(uint8_t cmd);		/* "new", "change", "del" */

#endif /* MCOA_KERNEL_H */

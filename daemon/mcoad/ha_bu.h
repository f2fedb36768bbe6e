/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Home agent binding cache and BU decisions (RFC 5648 s.6, RFC 6275 s.10.3).
 * Pure functions: no sockets, no netlink. A decision yields the BA to send
 * and the list of kernel operations that make the data plane match; ha.c
 * performs them. This is what the host unit tests exercise.
 */
#ifndef MCOAD_HA_BU_H
#define MCOAD_HA_BU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "mip6.h"
#include "ha_index.h"
#include "nemo.h"

#define HA_MAX_BINDINGS		32
/* BID used internally for a binding registered without BID option */
#define HA_LEGACY_BID		65535

/* One BID option of a received BU, already split out of the wire format. */
struct bu_bid {
	uint16_t bid;
	uint8_t len;		/* option Length: 4, 8 or 20; else 164 */
	bool home;		/* H flag */
	uint8_t pri;		/* BID-PRI (RFC 6089), echoed in the BA */
	struct in6_addr coa;	/* when len == 20 */
};

struct bu_req {
	struct in6_addr hoa;	/* Home Address option, or source at home */
	struct in6_addr src;	/* IPv6 source address */
	bool has_hao;		/* the BU carried a Home Address option */
	/*
	 * The HoA is an address of this host (ha.c looks it up): taking it
	 * would cut the HA itself off the home link.
	 */
	bool hoa_local;
	/* duplicate address detection found the HoA on the home link */
	bool hoa_dup;
	/*
	 * The kernel holds bindings of the HoA that this HA did not make (an
	 * operator's static ones, a tunnel from another address): the HoA
	 * is not a BU's to take (129). ha.c looks, for a registration of a
	 * HoA without bindings here.
	 */
	bool hoa_held;
	/*
	 * Non-zero: the parser already refused the BU with this status
	 * (164 bad BID option length, 130 too many BID options). It is
	 * answered only once the RFC 6275 s.9.5.1 checks have passed.
	 */
	uint8_t reject;
	/*
	 * The kernel let it in only as ESP from this HoA's SA (ipsec.c). The
	 * source address is outside ESP's protection, so a registering BID
	 * option must carry its CoA (RFC 5648 s.5.2, s.4.4: else 164).
	 */
	bool esp;
	bool has_altcoa;
	struct in6_addr altcoa;
	uint16_t seq;
	bool ack, home_reg, overwrite;	/* A, H, O flags */
	bool linklocal;			/* L: defend the HoA's link-local too */
	uint16_t lifetime;	/* 4 s units */
	unsigned int nbid;
	struct bu_bid bid[MCOA_MAX_BU_BIDS];
	/* RFC 3963: R flag, Mobile Network Prefix options as received */
	bool mr;
	unsigned int nmnp;
	struct nemo_prefix mnp[NEMO_MAX_MNPS];
};

struct ba_bid {
	uint16_t bid;
	uint8_t status;
	bool home;
	uint8_t pri;
};

enum kop_type {
	KOP_PROXY_ADD = 1,	/* first binding of a HoA: proxy ND + route */
	KOP_BINDING_NEW,
	KOP_BINDING_SET,
	KOP_BINDING_DEL,
	KOP_HOA_SEQ,		/* park the last accepted sequence number */
	KOP_PROXY_DEL,		/* last binding gone */
	/* a mobile network prefix: delegated in the kernel, routed to us */
	KOP_PREFIX_ADD,
	KOP_PREFIX_DEL,
};

struct kop {
	enum kop_type type;
	struct in6_addr hoa;
	uint16_t bid;
	struct in6_addr coa;
	uint32_t lifetime;	/* seconds */
	bool legacy, home;
	uint16_t seq;
	/* PROXY_ADD/DEL: also for fe80::IID of the HoA (L flag) */
	bool linklocal;
	struct nemo_prefix pfx;	/* PREFIX_ADD/DEL */
};

#define HA_MAX_OPS	(2 * HA_MAX_BINDINGS + MCOA_MAX_BU_BIDS + 4 + \
			 2 * NEMO_MAX_MNPS)

struct ha_result {
	bool send_ba;
	bool ba_r;		/* R in the BA: a BU with R, from a mobile router */
	uint8_t status;
	uint16_t seq;
	uint16_t lifetime;	/* 4 s units */
	unsigned int nbid;	/* BID options echoed in the BA */
	struct ba_bid bid[MCOA_MAX_BU_BIDS];
	unsigned int nops;
	struct kop ops[HA_MAX_OPS];
};

struct ha_binding {
	uint16_t bid;
	struct in6_addr coa;
	uint32_t lifetime;	/* granted, seconds */
	uint64_t expires;	/* monotonic ms */
	bool legacy, home;
	bool brr_sent;
};

/*
 * One mobile node. With no binding left (n == 0) it stays as a tombstone
 * until tomb_until: a delayed old BU still meets last_seq and gets 135
 * instead of re-creating the binding (RFC 6275 s.10.3.2,
 * MAX_DELETE_BCE_TIMEOUT).
 */
struct ha_mn {
	struct ha_mn *next, *prev;	/* st->mns, newest first */
	struct ha_mn_ix ix;		/* ha_index.c's */
	struct in6_addr hoa;
	uint16_t last_seq;
	uint64_t tomb_until;	/* monotonic ms, when n == 0 */
	bool linklocal;		/* proxied with its link-local address */
	/*
	 * Source address of the last accepted registration (the CoA it was
	 * sent from): what max-hoas-per-source counts. After a restart, the
	 * CoA of the first binding adopted.
	 */
	struct in6_addr src;
	unsigned int n;
	struct ha_binding b[HA_MAX_BINDINGS];
	/*
	 * RFC 3963: the last registration had R; the prefixes delegated to
	 * it (what the kernel and the routes hold). They go with the last
	 * binding, or with a registration that claims fewer (or no R).
	 */
	bool mr;
	unsigned int nmnp;
	struct nemo_prefix mnp[NEMO_MAX_MNPS];
};

struct ha_policy {
	struct in6_addr prefix;
	uint8_t plen;
	uint32_t max_lifetime;	/* seconds */
	uint32_t brr_lead;	/* seconds */
	bool allow_mcoa, allow_bulk;
	/*
	 * Limits on what BUs may create (0 = unlimited, except
	 * max_bindings_per_hoa: 0 means HA_MAX_BINDINGS, what a cache entry
	 * holds). Bindings adopted from the kernel at start are not refused.
	 */
	uint32_t max_bindings_per_hoa;
	uint32_t max_hoas_per_source;
	uint32_t max_hoas;
	uint32_t max_bu_rate;		/* BUs per second per source address */
	/* mobile routers and their prefixes (RFC 3963); NULL: none (140) */
	const struct nemo_table *mrs;
};

struct ha_stats {
	uint64_t bu_rx, ba_tx, brr_tx, expired;
	uint64_t accepted, rejected;
	uint64_t dropped_no_hao;	/* registration without Home Address option */
	uint64_t be_tx, be_limited;	/* Binding Errors sent, held back */
	/* refused with 130 by a limit: BID options, BUs, BUs */
	uint64_t refused_bindings_per_hoa, refused_hoas_per_source;
	uint64_t refused_hoas;
	uint64_t dropped_bu_rate;	/* over max-bu-rate: dropped unanswered */
	uint64_t status[256];
};

struct ha_state {
	struct ha_policy pol;
	struct ha_mn *mns;
	struct ha_index idx;	/* by HoA, by deadline, per source */
	struct ha_stats st;
	/* Binding Error token bucket (RFC 6275 s.9.3.3) */
	bool be_started;
	uint32_t be_tokens;
	uint64_t be_refill;	/* when the last token was added, ms */
	/* max-bu-rate: one 1 s window per source address (lazily allocated) */
	struct ha_rate_slot *rate;
	uint32_t rate_seed;	/* hash key, so sources cannot aim at a slot */
};

/*
 * The per-source BU counters live in a fixed table so that a flood from
 * many (spoofed) sources costs no memory: a new source takes a free or
 * expired slot near its hash, else the oldest one there.
 */
#define HA_RATE_SLOTS		4096
#define HA_RATE_PROBE		8
#define HA_RATE_WINDOW_MS	1000

struct ha_rate_slot {
	struct in6_addr src;
	uint64_t start;		/* window start, ms */
	uint32_t count;		/* BUs seen in the window */
	bool used;
};

/* Binding Errors: a burst of HA_BE_BURST, then one per HA_BE_INTERVAL_MS */
#define HA_BE_BURST		10
#define HA_BE_INTERVAL_MS	100

/* A BRR to send: the bindings of @hoa that are about to expire. */
struct ha_brr {
	struct in6_addr hoa;
	struct in6_addr coa;	/* where to send it (a live CoA) */
	unsigned int nbid;
	uint16_t bid[MCOA_MAX_BU_BIDS];
};

#define HA_MAX_BRR	16

struct ha_tick_out {
	unsigned int nops;
	struct kop ops[HA_MAX_OPS];
	unsigned int nbrr;
	struct ha_brr brr[HA_MAX_BRR];
};

void ha_state_init(struct ha_state *st, const struct ha_policy *pol);
void ha_state_free(struct ha_state *st);

/* RFC 5648 s.6.2 on one BU; fills @res. Always returns 0. */
int ha_process_bu(struct ha_state *st, const struct bu_req *bu, uint64_t now,
		  struct ha_result *res);

/*
 * Expire bindings and pick BRRs. Returns the next time (ms) it wants to run,
 * or UINT64_MAX when no binding exists.
 */
uint64_t ha_tick(struct ha_state *st, uint64_t now, struct ha_tick_out *out);

/* The kernel removed a binding on its own (expiry, device gone). */
void ha_forget_binding(struct ha_state *st, const struct in6_addr *hoa,
		       uint16_t bid, uint64_t now, struct ha_tick_out *out);

/* Restart: rebuild state from the kernel's dump. */
int ha_restore_binding(struct ha_state *st, const struct in6_addr *hoa,
		       uint16_t bid, const struct in6_addr *coa, bool legacy,
		       bool home, uint64_t expires_in_ms, uint64_t now);
void ha_restore_seq(struct ha_state *st, const struct in6_addr *hoa,
		    uint16_t seq);

/*
 * Restart: what the daemon's policy makes of one binding found in the
 * kernel. Only bindings a BU could have created are adopted; the others
 * are left in the kernel untouched (neither adopted nor deleted): the
 * daemon cannot tell an operator's static binding or one of an old
 * configuration from garbage, and deleting would cut live traffic on a
 * configuration typo. A left-alone binding with a lifetime still expires
 * in the kernel, and no BU can refresh it (132, 164).
 */
enum ha_adopt {
	HA_ADOPTED = 0,		/* taken over as it is */
	HA_ADOPTED_CAPPED,	/* taken over, lifetime cut to max-lifetime */
	HA_LEFT_PERMANENT,	/* no lifetime: an mcoactl static binding */
	HA_LEFT_PREFIX,		/* HoA outside home-prefix or reserved anycast */
	HA_LEFT_COA,		/* CoA not unicast routable, or the HoA itself */
	HA_LEFT_KIND,		/* home binding or BID 0: never from a BU here */
	HA_LEFT_PEER,		/* tunnel from another address than this HA's */
	HA_LEFT_FULL,		/* more than HA_MAX_BINDINGS, or no memory */
};

struct ha_kbinding {
	struct in6_addr hoa, coa;
	uint16_t bid;
	bool legacy, home;
	bool permanent;		/* no lifetime in the kernel */
	/*
	 * Its tunnel's local end (peer) is not this HA's address, or unset:
	 * not a binding this HA made (an operator's, another daemon's, or
	 * one from before ha-address changed); its BAs would leave from
	 * another address than its tunnel.
	 */
	bool other_peer;
	uint64_t expires_in_ms;
};

/* Decide on @kb and adopt it if allowed; @lifetime gets what it keeps (s). */
enum ha_adopt ha_adopt_binding(struct ha_state *st,
			       const struct ha_kbinding *kb, uint64_t now,
			       uint32_t *lifetime);
const char *ha_adopt_str(enum ha_adopt v);

/*
 * RFC 3963 s.6.2: the kernel or the routes refused a prefix that @res
 * (the result of ha_process_bu() for @hoa) delegated. The BU becomes a
 * 143 (Forwarding Setup Failed) and nothing of the mobile router stays:
 * every binding and prefix goes (@out says how), since a router whose
 * network the HA cannot serve must not believe it is registered.
 */
void ha_nemo_setup_failed(struct ha_state *st, const struct in6_addr *hoa,
			  uint64_t now, struct ha_result *res,
			  struct ha_tick_out *out);

/*
 * Restart: a prefix the kernel holds for @hoa. Adopted (true) when @hoa
 * has bindings here and may claim it; else left alone in the kernel.
 */
bool ha_restore_prefix(struct ha_state *st, const struct in6_addr *hoa,
		       const struct nemo_prefix *p);

/*
 * The kernel dropped @p of @hoa without us (mcoactl prefix del): forget
 * it, so the router's next registration delegates it again. True when it
 * was one of ours.
 */
bool ha_forget_prefix(struct ha_state *st, const struct in6_addr *hoa,
		      const struct nemo_prefix *p);
/* Is @p delegated to @hoa, as far as the daemon knows? */
bool ha_has_prefix(struct ha_state *st, const struct in6_addr *hoa,
		   const struct nemo_prefix *p);

/*
 * max-bu-rate: may a BU from @src be processed at @now? Counts it in the
 * source's window; false (and dropped_bu_rate, bu_rx counted) when over.
 */
bool ha_bu_rate_ok(struct ha_state *st, const struct in6_addr *src,
		   uint64_t now);

/*
 * Would @bu create the first binding of its HoA, so that the HA has to
 * make sure nobody on the home link uses the address first (RFC 6275
 * s.10.3.1)? The BU is then held for HA_DAD_WAIT_MS, answered with
 * hoa_dup set if a Neighbor Advertisement for the HoA arrived.
 */
#define HA_DAD_WAIT_MS	1000	/* RFC 4861 RetransTimer */
bool ha_needs_dad(struct ha_state *st, const struct bu_req *bu, uint64_t now);

/*
 * RFC 6275 s.9.3.1: a packet with a Home Address option is acceptable
 * only if @hoa has a binding whose CoA is the packet's source @coa.
 */
bool ha_hao_bound(struct ha_state *st, const struct in6_addr *hoa,
		  const struct in6_addr *coa);
/* May a Binding Error leave now? Counts it (be_tx or be_limited). */
bool ha_be_allowed(struct ha_state *st, uint64_t now);

/* RFC 2526: subnet-router anycast and reserved anycast of the prefix. */
bool ha_addr_reserved_anycast(const struct in6_addr *a,
			      const struct in6_addr *prefix, unsigned int plen);

struct mh_ba;
/* The BA for @res: status, sequence, lifetime, BID options without CoA. */
void ha_fill_ba(const struct ha_result *res, struct mh_ba *ba);

struct ha_mn *ha_find_mn(struct ha_state *st, const struct in6_addr *hoa);
struct ha_binding *ha_find_binding(struct ha_mn *mn, uint16_t bid);

/* Human or JSON view of the cache and counters (mcoactl daemon show). */
void ha_dump(const struct ha_state *st, uint64_t now, FILE *f, bool json);

const char *ba_status_str(uint8_t status);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobile node Binding Update List and BU decisions (RFC 5648 s.5, RFC 6275
 * s.11.7). Pure functions over struct mn_state: events in (links, CoAs,
 * BA, BRR, time), decisions out (one BU to send, kernel operations). mn.c
 * does the I/O.
 *
 * One BU is in flight at a time; it is retransmitted with a fresh sequence
 * number and exponential backoff until its BA arrives. A link or address
 * change abandons it and a new BU covering everything still pending is
 * computed at once, so a failing uplink is de-registered without waiting
 * for an older retransmission timer.
 *
 * Returning home (RFC 5648 s.5.5 case 1): while the home interface is up
 * with carrier, the only BU is a plain RFC 6275 de-registration of every
 * binding (lifetime 0, no BID option) sent from the HoA on the home link.
 * Once it is acknowledged the MN is "at home" and registers nothing. When
 * the home interface goes away, the next BU is a bootstrap again (O=1,
 * every live CoA), as after a reboot.
 */
#ifndef MCOAD_MN_BUL_H
#define MCOAD_MN_BUL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>

#include "liveness.h"
#include "mip6.h"

#define MN_MAX_LINKS	16

struct mn_link {
	char ifname[IF_NAMESIZE];
	int ifindex;			/* 0 until seen */
	uint16_t bid;
	uint8_t prio;
	bool up;
	bool have_coa;
	struct in6_addr coa;

	/* Binding Update List entry for this BID */
	bool bound;			/* accepted by the HA */
	bool legacy;			/* registered without BID option */
	struct in6_addr bound_coa;
	uint32_t granted;		/* seconds */
	uint64_t expires, refresh_at;	/* monotonic ms */
	uint64_t hold_until;		/* after a refusal, wait */
	bool need_coa;			/* 167: send the CoA again */
	bool brr;			/* HA asked for a refresh */
	bool kernel;			/* binding present in mcoa.ko */
	uint8_t last_status;

	/*
	 * Liveness (liveness.h): probes from this CoA to the HA. A CoA
	 * whose probes fail is suspended: out of the kernel at once, its
	 * BID de-registered, registered again once it answers.
	 */
	struct live_coa live;
	bool suspended;
};

struct mn_tx_bid {
	uint16_t bid;
	bool with_coa;
	struct in6_addr coa;
};

/* The BU in flight (or to send). */
struct mn_bu {
	uint16_t seq;
	bool overwrite;
	bool legacy;			/* no BID option */
	bool home;			/* from the HoA at home: drop all */
	uint16_t lifetime;		/* 4 s units, 0 = de-registration */
	unsigned int src_link;		/* index of the link it leaves by */
	struct in6_addr src;		/* its CoA */
	unsigned int nbid;
	struct mn_tx_bid bid[MCOA_MAX_BU_BIDS];
};

enum mn_kop_type {
	MN_KOP_NEW = 1,
	MN_KOP_SET,
	MN_KOP_DEL,
	MN_KOP_SEQ,
};

struct mn_kop {
	enum mn_kop_type type;
	uint16_t bid;
	struct in6_addr coa;
	int link;			/* ifindex */
	uint32_t lifetime;		/* seconds */
	bool legacy;
	uint16_t seq;
};

#define MN_MAX_OPS	(2 * MN_MAX_LINKS + 2)

struct mn_out {
	bool send;			/* transmit @bu now */
	/* the HA turned out not to do MCoA: plain RFC 6275 from now on */
	bool mcoa_fallback;
	struct mn_bu bu;
	unsigned int nops;
	struct mn_kop ops[MN_MAX_OPS];
};

struct mn_params {
	struct in6_addr hoa, ha;
	uint32_t lifetime;		/* seconds asked */
	bool use_mcoa, use_bulk, first_individual;
	uint32_t first_reg_timeout_ms;	/* InitialBindackTimeoutFirstReg, 0: 1.5 s */
	/*
	 * BUs go out under ESP, which does not cover the source address:
	 * every registering BID option names its CoA (RFC 5648 s.5.2).
	 */
	bool esp;
	struct live_params probe;	/* per-CoA Echo probes */
};

struct mn_stats {
	uint64_t bu_tx, retrans, ba_rx, ba_ignored, brr_rx;
	uint64_t probe_unmatched;	/* Echo Replies for none of our probes */
	uint64_t status[256];
};

/* A BA as the MN needs it. */
struct mn_ba {
	uint8_t status;
	uint16_t seq;
	uint16_t lifetime;		/* 4 s units */
	bool has_refresh;
	uint16_t refresh;		/* BRA, 4 s units */
	unsigned int nbid;
	struct { uint16_t bid; uint8_t status; } bid[MCOA_MAX_BU_BIDS];
};

struct mn_state {
	struct mn_params p;
	unsigned int nlinks;
	struct mn_link links[MN_MAX_LINKS];
	uint16_t seq;			/* last sequence number used */
	bool bootstrapped;		/* a BU with O=1 was accepted */
	bool mcoa_off;			/* 166 or no BID option in the BA */
	bool bulk_off;			/* 168 */
	bool force_overwrite;		/* 165 */
	bool dirty;			/* re-plan now */
	bool home_up;			/* home interface up, carrier */
	bool at_home;			/* home de-registration acked */
	uint64_t home_hold_until;	/* after a refusal, wait */

	bool tx_active;
	/* 135 answered: resend now, same uplink, same timeout */
	bool tx_resync;
	struct mn_bu tx;
	uint16_t tx_first_seq;
	uint32_t tx_timeout;		/* current backoff, ms */
	uint64_t tx_next;		/* retransmission time */
	/*
	 * When the BU in flight was first and last sent: a granted lifetime
	 * counts from the send time of the BU it answers (RFC 6275 s.11.7.3).
	 */
	uint64_t tx_first_sent, tx_last_sent;
	/* the last MAX_UPDATE_RATE send times, a ring; nsent counts up */
	uint64_t sent_at[MAX_UPDATE_RATE];
	unsigned int nsent;
	/* the link whose BU was last answered: signalling starts there */
	int sig_link;
	struct mn_stats st;
};

void mn_state_init(struct mn_state *st, const struct mn_params *p,
		   uint16_t seq);
/* Add a configured link; returns its index or -1. */
int mn_add_link(struct mn_state *st, const char *ifname, uint16_t bid,
		uint8_t prio);
struct mn_link *mn_link_by_ifindex(struct mn_state *st, int ifindex);
struct mn_link *mn_link_by_bid(struct mn_state *st, uint16_t bid);

/* rtnetlink news. They may emit kernel deletions (flows move at once). */
void mn_link_event(struct mn_state *st, int ifindex, const char *ifname,
		   bool up, bool del, struct mn_out *out);
void mn_addr_event(struct mn_state *st, int ifindex,
		   const struct in6_addr *addr, bool del, struct mn_out *out);

/*
 * The home interface came up with carrier or went away. Returns true when
 * that changes where the MN is (the caller moves the HoA).
 */
bool mn_home_event(struct mn_state *st, bool up);

/* Decide: retransmit, or plan the next BU. Returns next wake-up (ms). */
uint64_t mn_step(struct mn_state *st, uint64_t now, struct mn_out *out);

/* A BA from the HA; returns false if it did not match the BU in flight. */
bool mn_process_ba(struct mn_state *st, const struct mn_ba *ba, uint64_t now,
		   struct mn_out *out);

/* A BRR; bids NULL/0 means "all bindings". */
void mn_process_brr(struct mn_state *st, const uint16_t *bids,
		    unsigned int nbid);

/*
 * Liveness. mn_live_sync() starts probing the CoAs whose link is up with
 * an address and stops the others; mn_liveness() applies the verdicts:
 * a dead CoA is suspended (kernel binding deleted in @out, BID
 * de-registered by the next mn_step()) unless no other CoA is known to be
 * alive, and one alive again (or the last resort) comes back. Returns
 * true when a suspension changed.
 */
void mn_live_sync(struct mn_state *st, uint64_t now);
bool mn_liveness(struct mn_state *st, struct mn_out *out);
/* Link up with a CoA: what is probed (suspended or not). */
bool mn_link_probeable(const struct mn_link *l);

/* Restart: a binding found in the kernel. */
void mn_restore_binding(struct mn_state *st, uint16_t bid,
			const struct in6_addr *coa, uint64_t expires_in_ms,
			bool legacy, uint64_t now);

void mn_dump(const struct mn_state *st, uint64_t now, FILE *f, bool json);

#endif

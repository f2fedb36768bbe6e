/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CoA liveness: is this uplink carrying packets both ways? Pure state
 * machine over one care-of address; probe.c does the I/O (ICMPv6 Echo from
 * the CoA to the home agent), mn_bul.c decides what a verdict changes.
 *
 * A link that is up and has its CoA is probed every interval. A probe is
 * lost when its reply has not come back by the time the next one is due
 * (timeout = interval), so:
 *   - "misses" probes lost in a row make an alive CoA dead, at most
 *     (misses + 1) x interval after the uplink stopped carrying packets
 *     (at least misses x interval): 1.5-2 s with the defaults;
 *   - "recover" replies in a row make a dead CoA alive again.
 * A CoA starts alive when its link comes up: registering it is not held up
 * by a round trip, and a dead one is found within the bound above.
 *
 * Replies must carry the CoA's identifier (one per CoA). The reply to the
 * probe in flight is "answered". One to an earlier probe, already counted
 * lost, is "late": if it answers one of the last "misses" probes it shows
 * the path is slow, not dead, and keeps an alive CoA alive (so an RTT up
 * to misses x interval is tolerated); it never brings a dead CoA back,
 * which takes "recover" replies in a row, each in time. Anything older,
 * or a duplicate, changes nothing.
 */
#ifndef MCOAD_LIVENESS_H
#define MCOAD_LIVENESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Defaults: a dead uplink is found within 2 s (see above). */
#define LIVE_DEFAULT_INTERVAL_MS	500
#define LIVE_DEFAULT_MISSES		3
#define LIVE_DEFAULT_RECOVER		2
#define LIVE_MIN_INTERVAL_MS		50
#define LIVE_MAX_INTERVAL_MS		60000
#define LIVE_MAX_COUNT			100

struct live_params {
	bool on;			/* "probe no": never probe, never dead */
	uint32_t interval_ms;
	uint32_t misses;		/* lost in a row: dead */
	uint32_t recover;		/* answered in a row: alive again */
};

enum live_state {
	LIVE_IDLE = 0,			/* not probed: link down, no CoA, off */
	LIVE_ALIVE,
	LIVE_DEAD,
};

/* What a tick or a reply changed. */
enum live_event {
	LIVE_EV_NONE = 0,
	LIVE_EV_DEAD,			/* alive -> dead */
	LIVE_EV_ALIVE,			/* dead -> alive */
};

struct live_stats {
	uint64_t sent, answered, lost;
	uint64_t late;			/* right CoA, not the probe in flight */
	uint64_t send_err;		/* the kernel refused to send (no route) */
	uint64_t deaths, recoveries;
};

struct live_coa {
	enum live_state state;
	uint16_t ident;			/* Echo identifier of this CoA */
	uint16_t seq;			/* sequence number of the last probe */
	bool in_flight;			/* the last probe awaits its reply */
	uint64_t sent_at;		/* when it left, monotonic ms */
	uint64_t next_at;		/* when the next one leaves */
	uint32_t lost_run, ok_run;	/* in a row */
	uint32_t rtt_ms;		/* of the last reply */
	uint64_t changed_at;		/* last state change, monotonic ms */
	struct live_stats st;
};

void live_params_default(struct live_params *p);

/* A CoA that is not probed yet (or any more); @ident is its identifier. */
void live_init(struct live_coa *c, uint16_t ident);
/* The link is up with its CoA: probe from @now on, alive until shown dead. */
void live_start(struct live_coa *c, const struct live_params *p,
		uint64_t now);
/* The link or its CoA is gone: nothing to probe. Counters stay. */
void live_stop(struct live_coa *c, uint64_t now);

/*
 * Time passes. Counts the probe in flight lost when its time is up (which
 * may make the CoA dead: returned), and sets *send when a new probe must
 * leave now, with sequence number c->seq.
 */
enum live_event live_tick(struct live_coa *c, const struct live_params *p,
			  uint64_t now, bool *send);
/* The kernel refused to send the probe just asked for: it is lost. */
void live_send_failed(struct live_coa *c);
/* An Echo Reply with this CoA's identifier and sequence number @seq. */
enum live_event live_reply(struct live_coa *c, const struct live_params *p,
			   uint16_t seq, uint64_t now);
/* When live_tick() has something to do next; UINT64_MAX when idle. */
uint64_t live_next(const struct live_coa *c, const struct live_params *p);

const char *live_state_name(enum live_state s);
/*
 * Append this CoA's liveness to a view: JSON members
 * "live":STATE,"probe":{counters} (no braces around them), or text
 * " probe STATE sent N ...". STATE is "off" when probing is off.
 */
void live_dump(const struct live_coa *c, const struct live_params *p,
	       uint64_t now, FILE *f, bool json);

#endif

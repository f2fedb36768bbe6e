// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CoA liveness state machine; the model is in liveness.h.
 */
#include <string.h>

#include "liveness.h"

void live_params_default(struct live_params *p)
{
	p->on = true;
	p->interval_ms = LIVE_DEFAULT_INTERVAL_MS;
	p->misses = LIVE_DEFAULT_MISSES;
	p->recover = LIVE_DEFAULT_RECOVER;
}

void live_init(struct live_coa *c, uint16_t ident)
{
	memset(c, 0, sizeof(*c));
	c->ident = ident;
	c->state = LIVE_IDLE;
}

static void set_state(struct live_coa *c, enum live_state s, uint64_t now)
{
	if (c->state != s)
		c->changed_at = now;
	c->state = s;
}

void live_start(struct live_coa *c, const struct live_params *p,
		uint64_t now)
{
	if (!p->on || c->state != LIVE_IDLE)
		return;
	set_state(c, LIVE_ALIVE, now);
	c->in_flight = false;
	c->lost_run = 0;
	c->ok_run = 0;
	c->next_at = now;
}

void live_stop(struct live_coa *c, uint64_t now)
{
	set_state(c, LIVE_IDLE, now);
	c->in_flight = false;
	c->lost_run = 0;
	c->ok_run = 0;
}

/* One probe got no answer (in time, or at all). */
static enum live_event lost(struct live_coa *c, const struct live_params *p,
			    uint64_t now)
{
	c->in_flight = false;
	c->st.lost++;
	c->ok_run = 0;
	c->lost_run++;
	if (c->state == LIVE_ALIVE && c->lost_run >= p->misses) {
		set_state(c, LIVE_DEAD, now);
		c->st.deaths++;
		return LIVE_EV_DEAD;
	}
	return LIVE_EV_NONE;
}

enum live_event live_tick(struct live_coa *c, const struct live_params *p,
			  uint64_t now, bool *send)
{
	enum live_event ev = LIVE_EV_NONE;

	*send = false;
	if (!p->on || c->state == LIVE_IDLE)
		return ev;
	/*
	 * A reply is late once the next probe is due (timeout = interval,
	 * or less when this probe left late): a probe in flight is always
	 * settled before the next one replaces it.
	 */
	if (c->in_flight && (now >= c->sent_at + p->interval_ms ||
			     now >= c->next_at))
		ev = lost(c, p, now);
	if (now >= c->next_at) {
		c->seq++;
		c->in_flight = true;
		c->sent_at = now;
		/* a fixed clock: a slow loop pass does not stretch the bound */
		c->next_at += p->interval_ms;
		if (c->next_at <= now)
			c->next_at = now + p->interval_ms;
		c->st.sent++;
		*send = true;
	}
	return ev;
}

void live_send_failed(struct live_coa *c)
{
	/* counted lost when its time is up, like any unanswered probe */
	c->st.send_err++;
}

enum live_event live_reply(struct live_coa *c, const struct live_params *p,
			   uint16_t seq, uint64_t now)
{
	uint16_t age = (uint16_t)(c->seq - seq);

	if (c->state == LIVE_IDLE)
		return LIVE_EV_NONE;
	if (!c->in_flight || age) {
		c->st.late++;
		/*
		 * The answer to one of the last probes, counted lost already:
		 * the path is slow, not dead. It keeps an alive CoA alive
		 * (an RTT up to misses x interval is no death) but does not
		 * bring a dead one back: that takes replies in time.
		 */
		if (c->state == LIVE_ALIVE && age && age < p->misses)
			c->lost_run = 0;
		return LIVE_EV_NONE;
	}
	c->in_flight = false;
	c->st.answered++;
	c->rtt_ms = (uint32_t)(now - c->sent_at);
	c->lost_run = 0;
	c->ok_run++;
	if (c->state == LIVE_DEAD && c->ok_run >= p->recover) {
		set_state(c, LIVE_ALIVE, now);
		c->st.recoveries++;
		return LIVE_EV_ALIVE;
	}
	return LIVE_EV_NONE;
}

uint64_t live_next(const struct live_coa *c, const struct live_params *p)
{
	uint64_t t;

	if (!p->on || c->state == LIVE_IDLE)
		return UINT64_MAX;
	t = c->next_at;
	if (c->in_flight && c->sent_at + p->interval_ms < t)
		t = c->sent_at + p->interval_ms;
	return t;
}

const char *live_state_name(enum live_state s)
{
	switch (s) {
	case LIVE_ALIVE:
		return "alive";
	case LIVE_DEAD:
		return "dead";
	default:
		return "idle";
	}
}

void live_dump(const struct live_coa *c, const struct live_params *p,
	       uint64_t now, FILE *f, bool json)
{
	const char *state = p->on ? live_state_name(c->state) : "off";
	unsigned long long since = c->changed_at && now >= c->changed_at ?
				   now - c->changed_at : 0;

	if (json) {
		fprintf(f, "\"live\":\"%s\",\"probe\":{\"sent\":%llu,\"answered\":%llu,\"lost\":%llu,\"late\":%llu,\"send_errors\":%llu,\"deaths\":%llu,\"recoveries\":%llu,\"rtt_ms\":%u,\"since_ms\":%llu}",
			state, (unsigned long long)c->st.sent,
			(unsigned long long)c->st.answered,
			(unsigned long long)c->st.lost,
			(unsigned long long)c->st.late,
			(unsigned long long)c->st.send_err,
			(unsigned long long)c->st.deaths,
			(unsigned long long)c->st.recoveries, c->rtt_ms, since);
		return;
	}
	if (!p->on)
		return;
	fprintf(f, " probe %s sent %llu answered %llu lost %llu rtt %ums",
		state, (unsigned long long)c->st.sent,
		(unsigned long long)c->st.answered,
		(unsigned long long)c->st.lost, c->rtt_ms);
}

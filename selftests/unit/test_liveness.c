// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CoA liveness state machine (liveness.c) on the host: probes on
 * a fixed clock, losses, the detection bound, recovery, stale replies.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "liveness.h"

FIXTURE(live) {
	struct live_params p;
	struct live_coa c;
};

FIXTURE_SETUP(live)
{
	live_params_default(&self->p);
	live_init(&self->c, 0x1234);
}

FIXTURE_TEARDOWN(live)
{
}

/* run the machine from @from to @to in 10 ms steps, answering when asked */
static enum live_event run(FIXTURE_DATA(live) *self, uint64_t from,
			   uint64_t to, bool answer, uint64_t *when)
{
	enum live_event ev, got = LIVE_EV_NONE;
	uint64_t t;
	bool send;

	for (t = from; t <= to; t += 10) {
		ev = live_tick(&self->c, &self->p, t, &send);
		if (send && answer)
			ev = ev ? ev : live_reply(&self->c, &self->p,
						  self->c.seq, t + 5);
		if (ev && !got) {
			got = ev;
			if (when)
				*when = t;
		}
	}
	return got;
}

TEST_F(live, idle_until_started)
{
	bool send;

	EXPECT_EQ(LIVE_IDLE, self->c.state);
	EXPECT_EQ(LIVE_EV_NONE, live_tick(&self->c, &self->p, 1000, &send));
	EXPECT_FALSE(send);
	EXPECT_EQ(UINT64_MAX, live_next(&self->c, &self->p));
	live_start(&self->c, &self->p, 1000);
	EXPECT_EQ(LIVE_ALIVE, self->c.state);	/* optimistic */
	EXPECT_EQ(1000, live_next(&self->c, &self->p));
	live_tick(&self->c, &self->p, 1000, &send);
	EXPECT_TRUE(send);
	EXPECT_EQ(1, self->c.seq);
	EXPECT_EQ(1, self->c.st.sent);
}

TEST_F(live, off_never_probes)
{
	bool send;

	self->p.on = false;
	live_start(&self->c, &self->p, 0);
	EXPECT_EQ(LIVE_IDLE, self->c.state);
	live_tick(&self->c, &self->p, 5000, &send);
	EXPECT_FALSE(send);
}

TEST_F(live, answered_stays_alive_on_a_fixed_clock)
{
	bool send;

	live_start(&self->c, &self->p, 0);
	EXPECT_EQ(LIVE_EV_NONE, run(self, 0, 10000, true, NULL));
	EXPECT_EQ(LIVE_ALIVE, self->c.state);
	/* one every 500 ms, 0..10000: 21 probes, every one answered */
	EXPECT_EQ(21, self->c.st.sent);
	EXPECT_EQ(21, self->c.st.answered);
	EXPECT_EQ(0, self->c.st.lost);
	EXPECT_EQ(5, self->c.rtt_ms);
	/* a late loop pass does not shift the clock */
	live_tick(&self->c, &self->p, 10730, &send);
	EXPECT_TRUE(send);
	EXPECT_EQ(11000, live_next(&self->c, &self->p));
}

/* dead within (misses + 1) x interval of the loss, at least misses x */
TEST_F(live, detection_bound)
{
	uint64_t cut, when;

	for (cut = 1000; cut < 1500; cut += 10) {
		live_init(&self->c, 1);
		live_start(&self->c, &self->p, 0);
		run(self, 0, cut - 10, true, NULL);
		ASSERT_EQ(LIVE_EV_DEAD, run(self, cut, cut + 5000, false,
					    &when));
		EXPECT_LE(when - cut, (self->p.misses + 1) * self->p.interval_ms);
		EXPECT_GE(when - cut, self->p.misses * self->p.interval_ms - 500);
		EXPECT_EQ(LIVE_DEAD, self->c.state);
		EXPECT_EQ(1, self->c.st.deaths);
		EXPECT_EQ(when, self->c.changed_at);
	}
}

/* a probe that left late is still settled before the next one leaves */
TEST_F(live, late_tick_settles_the_probe_in_flight)
{
	uint64_t t;
	bool send;

	live_start(&self->c, &self->p, 0);
	for (t = 0; t < 2000; t += 500) {
		/* every pass 30 ms late: sent_at + interval > next_at */
		live_tick(&self->c, &self->p, t + 30, &send);
		ASSERT_TRUE(send);
	}
	/* 4 sent, the first 3 settled lost (in a row: dead), 1 in flight */
	EXPECT_EQ(4, self->c.st.sent);
	EXPECT_EQ(3, self->c.st.lost);
	EXPECT_EQ(LIVE_DEAD, self->c.state);
	EXPECT_TRUE(self->c.in_flight);
}

TEST_F(live, two_losses_are_not_death)
{
	bool send;
	uint64_t t;

	live_start(&self->c, &self->p, 0);
	for (t = 0; t < 10000; t += 500) {
		live_tick(&self->c, &self->p, t, &send);
		ASSERT_TRUE(send);
		/* every third probe answered: never 3 lost in a row */
		if ((t / 500) % 3 == 2)
			live_reply(&self->c, &self->p, self->c.seq, t + 1);
	}
	EXPECT_EQ(LIVE_ALIVE, self->c.state);
	EXPECT_GT(self->c.st.lost, 10);
}

TEST_F(live, recovery_needs_replies_in_a_row)
{
	bool send;
	uint64_t t = 0;

	live_start(&self->c, &self->p, 0);
	ASSERT_EQ(LIVE_EV_DEAD, run(self, 0, 3000, false, NULL));
	/* one reply, then a loss: still dead */
	for (t = 3500; t < 5000; t += 500)
		live_tick(&self->c, &self->p, t, &send);
	EXPECT_EQ(LIVE_EV_NONE, live_reply(&self->c, &self->p, self->c.seq, t));
	live_tick(&self->c, &self->p, t + 500, &send);
	live_tick(&self->c, &self->p, t + 1000, &send);	/* that one lost */
	EXPECT_EQ(LIVE_DEAD, self->c.state);
	EXPECT_EQ(LIVE_EV_NONE, live_reply(&self->c, &self->p, self->c.seq,
					   t + 1001));
	live_tick(&self->c, &self->p, t + 1500, &send);
	EXPECT_EQ(LIVE_EV_ALIVE, live_reply(&self->c, &self->p, self->c.seq,
					    t + 1501));
	EXPECT_EQ(LIVE_ALIVE, self->c.state);
	EXPECT_EQ(1, self->c.st.recoveries);
}

TEST_F(live, stale_and_foreign_replies_change_nothing)
{
	uint16_t old;
	bool send;

	live_start(&self->c, &self->p, 0);
	live_tick(&self->c, &self->p, 0, &send);
	old = self->c.seq;
	live_tick(&self->c, &self->p, 500, &send);	/* first one lost */
	EXPECT_EQ(1, self->c.st.lost);
	/* the answer to the lost one comes late: not this probe's */
	EXPECT_EQ(LIVE_EV_NONE, live_reply(&self->c, &self->p, old, 510));
	EXPECT_EQ(1, self->c.st.late);
	EXPECT_EQ(0, self->c.st.answered);
	EXPECT_TRUE(self->c.in_flight);
	/* a duplicate of a counted answer */
	live_reply(&self->c, &self->p, self->c.seq, 520);
	live_reply(&self->c, &self->p, self->c.seq, 530);
	EXPECT_EQ(1, self->c.st.answered);
	EXPECT_EQ(2, self->c.st.late);
	/* once dead, stale answers do not bring it back */
	run(self, 1000, 4000, false, NULL);
	ASSERT_EQ(LIVE_DEAD, self->c.state);
	live_reply(&self->c, &self->p, (uint16_t)(self->c.seq - 1), 4005);
	live_reply(&self->c, &self->p, (uint16_t)(self->c.seq - 2), 4006);
	EXPECT_EQ(LIVE_DEAD, self->c.state);
}

/* a path slower than the interval is slow, not dead */
TEST_F(live, late_replies_keep_a_slow_path_alive)
{
	uint64_t t;
	bool send;

	live_start(&self->c, &self->p, 0);
	for (t = 0; t < 10000; t += 500) {
		live_tick(&self->c, &self->p, t, &send);
		ASSERT_TRUE(send);
		/* the answer to the previous probe, 700 ms after it left */
		if (t)
			live_reply(&self->c, &self->p,
				   (uint16_t)(self->c.seq - 1), t + 200);
	}
	EXPECT_EQ(LIVE_ALIVE, self->c.state);
	EXPECT_EQ(19, self->c.st.late);
	EXPECT_EQ(0, self->c.st.answered);
	/* older than misses probes: no sign of life */
	live_tick(&self->c, &self->p, 10000, &send);
	live_tick(&self->c, &self->p, 10500, &send);
	live_reply(&self->c, &self->p, (uint16_t)(self->c.seq - 3), 10600);
	live_tick(&self->c, &self->p, 11000, &send);
	EXPECT_EQ(LIVE_DEAD, self->c.state);
	/* late answers do not bring it back either */
	live_reply(&self->c, &self->p, (uint16_t)(self->c.seq - 1), 11100);
	live_tick(&self->c, &self->p, 11500, &send);
	live_reply(&self->c, &self->p, (uint16_t)(self->c.seq - 1), 11600);
	EXPECT_EQ(LIVE_DEAD, self->c.state);
}

TEST_F(live, stop_forgets_the_run_keeps_counters)
{
	live_start(&self->c, &self->p, 0);
	run(self, 0, 3000, false, NULL);
	ASSERT_EQ(LIVE_DEAD, self->c.state);
	live_stop(&self->c, 3100);
	EXPECT_EQ(LIVE_IDLE, self->c.state);
	EXPECT_EQ(1, self->c.st.deaths);
	/* the link is back: alive again until shown otherwise */
	live_start(&self->c, &self->p, 4000);
	EXPECT_EQ(LIVE_ALIVE, self->c.state);
	EXPECT_EQ(0, self->c.lost_run);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Mobile node liveness glue: sends each CoA's probe when it is due, reads
 * the replies, logs every change of verdict and of service. See
 * liveness.h for the timing and mn_bul.h for what a dead CoA changes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "log.h"
#include "mn_live.h"
#include "probe.h"

static struct probe_sock ps = { .fd = -1 };

int mn_live_open(struct mcoad *d, const struct mn_state *st)
{
	const struct live_params *p = &st->p.probe;
	int ret;

	if (!p->on) {
		log_info("probe no: uplinks are judged by their carrier only");
		return 0;
	}
	ret = probe_open(&ps);
	if (ret) {
		log_err("probe socket (ICMPv6): %s", strerror(-ret));
		return -1;
	}
	d->probe_fd = ps.fd;
	log_info("probing every CoA: Echo to the home agent every %u ms, dead after %u lost, alive after %u answered",
		 p->interval_ms, p->misses, p->recover);
	return 0;
}

void mn_live_close(struct mcoad *d)
{
	probe_close(&ps);
	d->probe_fd = -1;
}

static const char *a6s(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static void log_verdict(const struct mn_state *st, const struct mn_link *l,
			enum live_event ev)
{
	char c[INET6_ADDRSTRLEN];

	if (ev == LIVE_EV_DEAD)
		log_notice("probe: CoA %s (%s, bid %u) dead: %u probes to the home agent unanswered",
			   a6s(&l->coa, c), l->ifname, l->bid,
			   st->p.probe.misses);
	else if (ev == LIVE_EV_ALIVE)
		log_notice("probe: CoA %s (%s, bid %u) alive again: %u replies in a row",
			   a6s(&l->coa, c), l->ifname, l->bid,
			   st->p.probe.recover);
}

/* Apply the verdicts; log what left or came back into service. */
static void settle(struct mn_state *st, const bool *was_dead,
		   struct mn_out *out)
{
	bool was[MN_MAX_LINKS];
	unsigned int i;

	for (i = 0; i < st->nlinks; i++)
		was[i] = st->links[i].suspended;
	mn_liveness(st, out);
	for (i = 0; i < st->nlinks; i++) {
		const struct mn_link *l = &st->links[i];
		bool dead = l->live.state == LIVE_DEAD;

		if (was[i] != l->suspended)
			log_notice("bid %u (%s) %s", l->bid, l->ifname,
				   l->suspended ?
				   "out of service: its flows move to the other CoAs, de-registering it" :
				   dead ? "back in service as the last resort: no other CoA is known to work" :
				   "back in service: registering it again");
		else if (dead && !was_dead[i] && !l->suspended)
			log_warn("bid %u (%s) stays in service: no other CoA is known to work",
				 l->bid, l->ifname);
	}
}

static void snapshot_dead(const struct mn_state *st, bool *dead)
{
	unsigned int i;

	for (i = 0; i < st->nlinks; i++)
		dead[i] = st->links[i].live.state == LIVE_DEAD;
}

uint64_t mn_live_tick(struct mcoad *d, struct mn_state *st, uint64_t now,
		      struct mn_out *out)
{
	const struct live_params *p = &st->p.probe;
	bool was_dead[MN_MAX_LINKS];
	uint64_t next = UINT64_MAX;
	unsigned int i;

	(void)d;
	memset(out, 0, sizeof(*out));
	if (!p->on || ps.fd < 0)
		return next;
	snapshot_dead(st, was_dead);
	mn_live_sync(st, now);
	for (i = 0; i < st->nlinks; i++) {
		struct mn_link *l = &st->links[i];
		enum live_event ev;
		bool send;
		int ret;

		ev = live_tick(&l->live, p, now, &send);
		if (send) {
			ret = probe_send(&ps, &l->coa, l->ifindex, &st->p.ha,
					 l->live.ident, l->live.seq);
			if (ret) {
				live_send_failed(&l->live);
				log_dbg("probe from %s: %s", l->ifname,
					strerror(-ret));
			}
		}
		log_verdict(st, l, ev);
		if (live_next(&l->live, p) < next)
			next = live_next(&l->live, p);
	}
	settle(st, was_dead, out);
	return next;
}

static struct mn_link *reply_link(struct mn_state *st,
				  const struct probe_reply *r)
{
	unsigned int i;

	if (!in6_eq(&r->src, &st->p.ha))
		return NULL;
	for (i = 0; i < st->nlinks; i++) {
		struct mn_link *l = &st->links[i];

		/* back to this CoA, in by its own interface: both ways work */
		if (mn_link_probeable(l) && in6_eq(&l->coa, &r->dst) &&
		    l->ifindex == r->ifindex && l->live.ident == r->ident)
			return l;
	}
	return NULL;
}

void mn_live_input(struct mcoad *d, struct mn_state *st, uint64_t now,
		   struct mn_out *out)
{
	bool was_dead[MN_MAX_LINKS];
	struct probe_reply r;
	struct mn_link *l;
	int ret;

	(void)d;
	memset(out, 0, sizeof(*out));
	snapshot_dead(st, was_dead);
	for (;;) {
		ret = probe_recv(&ps, &r);
		if (ret == -EAGAIN || ret == -EWOULDBLOCK)
			break;
		if (ret < 0) {
			log_warn("probe socket: %s", strerror(-ret));
			break;
		}
		if (!ret)
			continue;	/* someone else's Echo Reply */
		l = reply_link(st, &r);
		if (!l) {
			st->st.probe_unmatched++;
			continue;
		}
		log_verdict(st, l, live_reply(&l->live, &st->p.probe, r.seq,
					      now));
	}
	settle(st, was_dead, out);
}

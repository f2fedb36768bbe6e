/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XFRM route-optimisation (RO) states and policies, over NETLINK_XFRM.
 *
 * With CONFIG_IPV6_MIP6, Linux drops an incoming Home Address option or
 * type 2 routing header unless an XFRM state of mode ROUTEOPTIMIZATION
 * (proto IPPROTO_DSTOPTS resp. IPPROTO_ROUTING) accepts it, and then drops
 * the packet in the input policy check unless an IN policy lists such a
 * state in its templates. These calls install exactly that, restricted to
 * Mobility Header messages:
 *
 *   HA: accept a HAO on a BU from @coa for @hoa sent to @ha
 *   MN: accept a RH2 carrying @hoa on a BA/BRR/BE from @ha to @coa
 *
 * The daemon sends its own HAO/RH2 as ancillary data (mhsock.c), so no
 * OUT states are needed. Every call is idempotent (allow = create or
 * replace, remove of something absent = 0). An address given as :: is a
 * wildcard.
 *
 * The kernel matches the RO state of a packet against the policy's
 * template by exact addresses, so one (ha, hoa) policy can name one CoA.
 * MCoA callers therefore pass coa = :: (the daemon checks CoAs itself):
 * HA: mcoa_xfrm_ha_allow(x, ha, any, any) accepts MH (any type) with HAO
 * from any CoA for any HoA, MH without HAO (at home) still pass; the
 * daemon checks the HAO against its bindings. A specific coa
 * limits the HAO to that single source address (legacy RFC 6275 use).
 *
 * Remove deletes the policy, and the state if coa is specific; wildcard
 * states (shared by all HoAs) go with mcoa_xfrm_flush().
 */
#ifndef MCOA_XFRM_H
#define MCOA_XFRM_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "sa.h"

struct mcoa_xfrm {
	int fd;			/* NETLINK_XFRM */
	unsigned int seq;
};

/* 0 or -errno (needs CAP_NET_ADMIN; loads xfrm_user) */
int mcoa_xfrm_open(struct mcoa_xfrm *x);
void mcoa_xfrm_close(struct mcoa_xfrm *x);

/* HA side: HAO on incoming MH from @coa with HoA @hoa to @ha */
int mcoa_xfrm_ha_allow(struct mcoa_xfrm *x, const struct in6_addr *ha,
		       const struct in6_addr *hoa, const struct in6_addr *coa);
int mcoa_xfrm_ha_remove(struct mcoa_xfrm *x, const struct in6_addr *ha,
			const struct in6_addr *hoa, const struct in6_addr *coa);

/* MN side: RH2 with @hoa on incoming MH from @ha to @coa */
int mcoa_xfrm_mn_allow(struct mcoa_xfrm *x, const struct in6_addr *hoa,
		       const struct in6_addr *coa, const struct in6_addr *ha);
/* Only the RH2 state (mcoa_xfrm_mn_allow() adds the SUB policy) */
int mcoa_xfrm_mn_rh2(struct mcoa_xfrm *x, const struct in6_addr *hoa,
		     const struct in6_addr *coa, const struct in6_addr *ha);
int mcoa_xfrm_mn_remove(struct mcoa_xfrm *x, const struct in6_addr *hoa,
			const struct in6_addr *coa, const struct in6_addr *ha);

/*
 * ESP transport mode for BU/BA (xfrm_esp.c, RFC 3776 s.4, RFC 4877 s.4)
 * between one HoA and the HA, with manually keyed SAs:
 *
 *   HA: IN  MH src HoA dst HA: ESP (reqid) then, optional, the HAO state;
 *           the SA's selector names the HoA, so one MN's keys cannot
 *           carry a BU for another's HoA (the kernel drops it).
 *       OUT MH src HA dst HoA: ESP. A BA leaves with a RH2 to the CoA;
 *           the flow's destination is the HoA (RFC 3542 IPV6_RTHDR).
 *   MN: OUT MH dst HA from any source (a CoA, or the HoA at home): ESP;
 *           the SA has no source address so it serves every CoA.
 *       IN  MH src HA dst HoA: ESP then, optional, the RH2 state (this
 *           replaces the RO-only policy of mcoa_xfrm_mn_allow).
 *
 * An SA is deleted and added again (keys may have changed); policies are
 * replaced in place, so there is no moment without one: a BU arriving
 * between the two finds no SA and is dropped (fail closed).
 * Priority MCOA_XFRM_PRIO_ESP, reqid MCOA_REQID_BASE + n.
 */
#define MCOA_REQID_BASE		0x6d630000u	/* "mc" */
#define MCOA_REQID_MASK		0xffff0000u

struct mcoa_esp {
	struct in6_addr hoa, ha;
	bool ike;			/* SAs from IKEv2: no config_sa */
	const struct config_sa *mn_to_ha, *ha_to_mn;
	uint32_t reqid;
};

/* 0 or -errno; *@what names the step that failed */
int mcoa_xfrm_esp_ha(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what);
int mcoa_xfrm_esp_mn(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what);
/*
 * The same with SAs from IKEv2 (xfrm_ike.c; "ike HOA"): strongSwan's charon
 * installs the ESP transport SAs between HoA and HA (mode transport_proxy)
 * and its own MAIN policies; mcoad adds, priority MCOA_XFRM_PRIO_ESP:
 *
 *   HA: IN  MH type BU src HoA dst HA: ESP (any reqid) required;
 *       OUT MH types BA, BRR src HA dst HoA: ESP, the CHILD_SA's reqid
 *           (once mcoa_xfrm_ike_sync() has seen it).
 *   MN: IN  MH types BA, BRR src HA dst HoA: ESP (any reqid) required;
 *       OUT MH dst HA from any source: ESP, reqid e->reqid, i.e. charon's
 *           outbound SA once taken over (mcoa_xfrm_ike_sync).
 *
 * Without a CHILD_SA every BU/BA is dropped (fail closed).
 */
#define MCOA_REQID_IKE		(MCOA_REQID_BASE + 0x8000u)

int mcoa_xfrm_ike_ha(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what);
int mcoa_xfrm_ike_mn(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		     const char **what);
/*
 * The @i-th policy of ours for @e (prune): role (*@ha, else MN), direction
 * and selector. false past the last.
 */
struct xfrm_selector;
bool mcoa_xfrm_ike_sel(const struct mcoa_esp *e, unsigned int i, bool *ha,
		       uint8_t *dir, struct xfrm_selector *sel);
/*
 * Keep charon's SAs of @e->hoa in transport-proxy shape (@ha: on the HA,
 * else on the MN): the MN's outbound one with any source and reqid
 * e->reqid, so that a BU from any CoA uses it; any SA that MOBIKE moved
 * to a CoA back between HoA and HA. Returns how many SAs were changed
 * (the SPI of the last outbound one in *@spi) or -errno.
 */
int mcoa_xfrm_ike_sync(struct mcoa_xfrm *x, const struct mcoa_esp *e,
		       bool ha, uint32_t *spi);

/*
 * Delete our ESP SAs (reqid MCOA_REQID_BASE..) and policies (priority
 * MCOA_XFRM_PRIO_ESP) that are not in @keep (@n entries), e.g. those of
 * a mobile node removed from the config. Returns the number deleted or
 * -errno.
 */
int mcoa_xfrm_esp_prune(struct mcoa_xfrm *x, const struct mcoa_esp *keep,
			unsigned int n);

/* Remove every state/policy this module may have installed (startup
 * after a crash, shutdown). 0 or -errno. */
int mcoa_xfrm_flush(struct mcoa_xfrm *x);

#endif /* MCOA_XFRM_H */

// SPDX-License-Identifier: GPL-2.0
/* IPsec for BU/BA, the daemon's side: see ipsec.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec.h"
#include "log.h"
#include "mcoad.h"

#define IPSEC_LOG_INTERVAL_MS	10000
/* How soon a new or moved CHILD_SA of charon's is reshaped (xfrm_ike.c) */
#define IPSEC_ADOPT_INTERVAL_MS	500

/*
 * /proc/net/xfrm_stat lines that mean "an IPsec check refused an incoming
 * packet". The file is per network namespace; other IPsec users of the
 * namespace count there too, hence "kernel" in the name we show.
 */
static const char *const kernel_drop_keys[] = {
	"XfrmInNoStates", "XfrmInStateProtoError", "XfrmInStateMismatch",
	"XfrmInTmplMismatch", "XfrmInNoPols", "XfrmInPolBlock",
};

static struct {
	unsigned int nesp, nike;	/* entries; of these from IKEv2 */
	struct mcoa_esp esp[CONFIG_MAX_SAS / 2 + CONFIG_MAX_IKE];
	uint64_t adopted;		/* charon's SAs reshaped */
	uint32_t adopted_spi;		/* MN: the last outbound one */
	uint64_t next_adopt;
	uint64_t unprotected;		/* BUs we dropped */
	uint64_t unprotected_logged;
	uint64_t last_log;		/* ms, our rate limit */
	uint64_t kernel_base;		/* kernel drops when we started */
	uint64_t kernel_logged;
	uint64_t next_poll;
} ips;

static uint64_t kernel_drops(void)
{
	char key[64];
	unsigned long long v, sum = 0;
	size_t i;
	FILE *f = fopen("/proc/net/xfrm_stat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", key, &v) == 2)
		for (i = 0; i < sizeof(kernel_drop_keys) / sizeof(kernel_drop_keys[0]); i++)
			if (!strcmp(key, kernel_drop_keys[i]))
				sum += v;
	fclose(f);
	return sum;
}

static const struct config_sa *find_sa(const struct mcoad_config *c,
				       const struct in6_addr *hoa, bool mn_to_ha)
{
	unsigned int i;

	for (i = 0; i < c->nsas; i++)
		if (!memcmp(&c->sas[i].hoa, hoa, sizeof(*hoa)) &&
		    c->sas[i].mn_to_ha == mn_to_ha)
			return &c->sas[i];
	return NULL;
}

/* One mcoa_esp per HoA, in config order (reqid follows that order) */
static void collect(const struct mcoad_config *c)
{
	unsigned int i;

	ips.nesp = 0;
	for (i = 0; i < c->nsas; i++) {
		const struct config_sa *sa = &c->sas[i];
		struct mcoa_esp *e;

		if (!sa->mn_to_ha)
			continue;
		e = &ips.esp[ips.nesp];
		e->hoa = sa->hoa;
		e->ha = c->ha_addr;
		e->mn_to_ha = sa;
		/* config_parse made sure the other direction exists */
		e->ha_to_mn = find_sa(c, &sa->hoa, false);
		e->reqid = MCOA_REQID_BASE + 1 + ips.nesp;
		ips.nesp++;
	}
	/* own reqids: a HoA moved from manual keys to IKE shares nothing */
	for (i = 0; i < c->nike; i++) {
		struct mcoa_esp *e = &ips.esp[ips.nesp++];

		memset(e, 0, sizeof(*e));
		e->hoa = c->ike[i];
		e->ha = c->ha_addr;
		e->ike = true;
		e->reqid = MCOA_REQID_IKE + 1 + i;
	}
	ips.nike = c->nike;
}

/* Keep charon's SAs in transport-proxy shape (xfrm_ike.c), log changes */
static void ike_sync(struct mcoad *d)
{
	bool ha = d->cfg.role == ROLE_HA;
	char h[INET6_ADDRSTRLEN];
	unsigned int i;
	uint32_t spi;
	int n;

	for (i = 0; i < ips.nesp; i++) {
		const struct mcoa_esp *e = &ips.esp[i];

		if (!e->ike)
			continue;
		spi = 0;
		n = mcoa_xfrm_ike_sync(&d->xfrm, e, ha, &spi);
		inet_ntop(AF_INET6, &e->hoa, h, sizeof(h));
		if (n >= 0 && spi)
			ips.adopted_spi = spi;
		if (n < 0) {
			log_warn("ipsec: reshaping the IKE SAs of %s: %s", h,
				 strerror(-n));
		} else if (n) {
			ips.adopted += n;
			log_notice("ipsec: %d IKE SA(s) of %s set between home address and home agent%s",
				   n, h, ha || !spi ? "" :
				   ", for BUs from every care-of address");
		}
	}
}

static unsigned int ike_line(const struct mcoad_config *c,
			     const struct in6_addr *hoa)
{
	unsigned int i;

	for (i = 0; i < c->nike; i++)
		if (!memcmp(&c->ike[i], hoa, sizeof(*hoa)))
			return c->ike_line[i];
	return 0;
}

int ipsec_start(struct mcoad *d)
{
	const struct mcoad_config *c = &d->cfg;
	const char *what = "";
	unsigned int i;
	int ret;

	ips.kernel_base = ips.kernel_logged = kernel_drops();
	if (!c->ipsec) {
		log_warn("ipsec no: Binding Updates are not authenticated; anyone who can reach %s can redirect %s",
			 c->role == ROLE_HA ? "this home agent" : "the home agent",
			 c->role == ROLE_HA ? "any home address of the prefix" :
					      "this home address");
		return 0;
	}
	collect(c);
	for (i = 0; i < ips.nesp; i++) {
		const struct mcoa_esp *e = &ips.esp[i];

		if (e->ike) {
			ret = c->role == ROLE_HA ?
			      mcoa_xfrm_ike_ha(&d->xfrm, e, &what) :
			      mcoa_xfrm_ike_mn(&d->xfrm, e, &what);
			if (ret) {
				log_err("%s:%u: ike: the kernel refused the %s: %s",
					c->path, ike_line(c, &e->hoa), what,
					strerror(-ret));
				return -1;
			}
			continue;
		}
		ret = c->role == ROLE_HA ?
		      mcoa_xfrm_esp_ha(&d->xfrm, e, &what) :
		      mcoa_xfrm_esp_mn(&d->xfrm, e, &what);
		if (ret) {
			const struct config_sa *sa = strstr(what, "ha-to-mn") ?
						     e->ha_to_mn : e->mn_to_ha;

			log_err("%s:%u: sa: the kernel refused the %s: %s%s",
				c->path, sa->line, what, strerror(-ret),
				ret == -ENOENT || ret == -ENOSYS ?
				" (algorithm not available in this kernel?)" : "");
			return -1;
		}
	}
	if (ips.nike)
		ike_sync(d);
	ret = mcoa_xfrm_esp_prune(&d->xfrm, ips.esp, ips.nesp);
	if (ret < 0) {
		log_err("xfrm: removing stale SAs and policies: %s",
			strerror(-ret));
		return -1;
	}
	if (ret)
		log_notice("ipsec: removed %d SA(s)/policies of mobile nodes no longer configured",
			   ret);
	log_notice("ipsec: BU/BA protected by ESP for %u home address(es), %u of them keyed by IKEv2",
		   ips.nesp, ips.nike);
	return 0;
}

bool ipsec_hoa_keyed(const struct mcoad *d, const struct in6_addr *hoa)
{
	unsigned int i;

	if (!d->cfg.ipsec)
		return false;
	for (i = 0; i < ips.nesp; i++)
		if (!memcmp(&ips.esp[i].hoa, hoa, sizeof(*hoa)))
			return true;
	return false;
}

void ipsec_unprotected(struct mcoad *d, const struct in6_addr *hoa,
		       const struct in6_addr *src)
{
	char h[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	uint64_t now = now_ms();

	(void)d;
	ips.unprotected++;
	if (ips.last_log && now - ips.last_log < IPSEC_LOG_INTERVAL_MS)
		return;
	ips.last_log = now;
	log_warn("ipsec: dropped unprotected BU from %s for home address %s with no sa (%llu such BU(s) so far, RFC 6275 s.9.5.1)",
		 inet_ntop(AF_INET6, src, s, sizeof(s)),
		 inet_ntop(AF_INET6, hoa, h, sizeof(h)),
		 (unsigned long long)ips.unprotected);
	ips.unprotected_logged = ips.unprotected;
}

uint64_t ipsec_tick(struct mcoad *d, uint64_t now)
{
	bool adopting = ips.nike;
	uint64_t k;

	if (!d->cfg.ipsec)
		return UINT64_MAX;
	if (adopting && now >= ips.next_adopt) {
		ike_sync(d);
		ips.next_adopt = now + IPSEC_ADOPT_INTERVAL_MS;
	}
	if (now >= ips.next_poll) {
		ips.next_poll = now + IPSEC_LOG_INTERVAL_MS;
		k = kernel_drops();
		if (k > ips.kernel_logged)
			log_warn("ipsec: the kernel refused %llu incoming packet(s) in its IPsec checks (no or wrong SA, another node's SA) in the last %d s",
				 (unsigned long long)(k - ips.kernel_logged),
				 IPSEC_LOG_INTERVAL_MS / 1000);
		ips.kernel_logged = k;
	}
	return adopting && ips.next_adopt < ips.next_poll ? ips.next_adopt :
							    ips.next_poll;
}

void ipsec_show(const struct mcoad *d, FILE *f, bool json)
{
	uint64_t k = kernel_drops() - ips.kernel_base;

	if (json)
		fprintf(f, ",\"ipsec\":{\"enabled\":%s,\"keyed_hoas\":%u,\"ike_hoas\":%u,\"ike_sas_adopted\":%llu,\"ike_spi\":%u,\"unprotected_dropped\":%llu,\"kernel_dropped\":%llu}",
			d->cfg.ipsec ? "true" : "false", ips.nesp, ips.nike,
			(unsigned long long)ips.adopted, ips.adopted_spi,
			(unsigned long long)ips.unprotected,
			(unsigned long long)k);
	else
		fprintf(f, "ipsec %s keyed-hoas %u ike-hoas %u ike-sas-adopted %llu ike-spi %#x unprotected-dropped %llu kernel-dropped %llu\n",
			d->cfg.ipsec ? "on" : "off", ips.nesp, ips.nike,
			(unsigned long long)ips.adopted, ips.adopted_spi,
			(unsigned long long)ips.unprotected,
			(unsigned long long)k);
}

void ipsec_append_show(const struct mcoad *d, FILE *f, bool json,
		       const char *buf, size_t len)
{
	/* the JSON object ends in "}\n": the member goes before it */
	if (json && len >= 2 && buf[len - 2] == '}') {
		fwrite(buf, 1, len - 2, f);
		ipsec_show(d, f, true);
		fputs("}\n", f);
	} else {
		fwrite(buf, 1, len, f);
		ipsec_show(d, f, false);
	}
}

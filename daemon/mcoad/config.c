// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "mip6.h"

struct parser {
	struct mcoad_config *cfg;
	const char *name;
	unsigned int line;
	unsigned int home_link_line;	/* where home-link was given */
	unsigned int hoa_line;		/* where home-address was given */
	unsigned int ha_line;		/* where home-agent was given */
	unsigned int link_line[CONFIG_MAX_LINKS];
	unsigned int brr_line, maxlife_line;
	unsigned int ipsec_line;
	unsigned int mnp_line[CONFIG_MAX_MNPS];	/* "mobile-network" lines */
	unsigned int mrcap;			/* room in cfg->mrs */
	unsigned int probe_line;	/* where "probe" was given */
	/* the line of every keyword given so far ("link" may repeat) */
	struct {
		const char *kw;
		unsigned int line;
	} seen[32];
	unsigned int nseen;
	FILE *err;
};

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(p->err, "%s:%u: ", p->name, p->line);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
	return -1;
}

/*
 * Home agent limits (issue 11). Defaults a real deployment lives with: a
 * mobile node has a handful of uplinks (mcoad's own at most
 * CONFIG_MAX_LINKS) and one HoA per CoA, sends at most 3 BUs a second
 * (RFC 6275 MAX_UPDATE_RATE); the cache is a list searched per BU, fine
 * for ten thousand mobile nodes (about 13 MB).
 */
#define DEFAULT_MAX_BINDINGS_PER_HOA	16
#define DEFAULT_MAX_HOAS_PER_SOURCE	16
#define DEFAULT_MAX_HOAS		10000
#define DEFAULT_MAX_BU_RATE		10

static void config_limit_defaults(struct mcoad_config *cfg)
{
	cfg->max_bindings_per_hoa = DEFAULT_MAX_BINDINGS_PER_HOA;
	cfg->max_hoas_per_source = DEFAULT_MAX_HOAS_PER_SOURCE;
	cfg->max_hoas = DEFAULT_MAX_HOAS;
	cfg->max_bu_rate = DEFAULT_MAX_BU_RATE;
}

void config_defaults(struct mcoad_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->device, "mip0");
	strcpy(cfg->ctl_socket, CONFIG_DEFAULT_SOCKET);
	cfg->log_level = LOG_LVL_INFO;
	cfg->max_lifetime = 300;
	cfg->brr_lead = 10;
	cfg->allow_mcoa = true;
	cfg->allow_bulk = true;
	cfg->dad = true;
	cfg->lifetime = 60;
	cfg->first_reg_timeout_ms = INITIAL_BINDACK_TIMEOUT_FIRSTREG_MS;
	cfg->use_mcoa = true;
	cfg->use_bulk = true;
	config_limit_defaults(cfg);
	cfg->ipsec = true;
	live_params_default(&cfg->probe);
}

static int parse_u32(struct parser *p, const char *kw, const char *s,
		     uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !isdigit((unsigned char)*s) || v < min || v > max)
		return perr(p, "%s: '%s' is not a number in %u..%u", kw, s,
			    min, max);
	*out = v;
	return 0;
}

static int parse_bool(struct parser *p, const char *kw, const char *s,
		      bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "true") ||
	    !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "off") ||
		 !strcmp(s, "false") || !strcmp(s, "0"))
		*out = false;
	else
		return perr(p, "%s: expected yes or no, got '%s'", kw, s);
	return 0;
}

static int parse_addr(struct parser *p, const char *kw, const char *s,
		      struct in6_addr *out)
{
	if (inet_pton(AF_INET6, s, out) != 1)
		return perr(p, "%s: '%s' is not an IPv6 address", kw, s);
	if (IN6_IS_ADDR_UNSPECIFIED(out) || IN6_IS_ADDR_MULTICAST(out) ||
	    IN6_IS_ADDR_LINKLOCAL(out) || IN6_IS_ADDR_LOOPBACK(out))
		return perr(p, "%s: '%s' is not a global unicast address", kw, s);
	return 0;
}

static int parse_prefix(struct parser *p, const char *kw, char *s,
			struct in6_addr *out, uint8_t *plen)
{
	char *slash = strchr(s, '/');
	uint32_t v;

	if (!slash)
		return perr(p, "%s: '%s' needs a /prefix-length", kw, s);
	*slash = '\0';
	if (inet_pton(AF_INET6, s, out) != 1)
		return perr(p, "%s: '%s' is not an IPv6 prefix", kw, s);
	if (parse_u32(p, kw, slash + 1, 1, 128, &v))
		return -1;
	*plen = v;
	/* fd00:1::1/64 is an address, not a prefix: probably a typo */
	{
		struct in6_addr net = *out;
		char buf[INET6_ADDRSTRLEN];
		unsigned int i;

		for (i = v; i < 128; i++)
			net.s6_addr[i / 8] &= ~(0x80 >> (i % 8));
		if (memcmp(&net, out, sizeof(net)))
			return perr(p, "%s: %s/%u has host bits set (%s/%u?)", kw,
				    s, v, inet_ntop(AF_INET6, &net, buf, sizeof(buf)), v);
	}
	return 0;
}

/* The kernel's dev_valid_name(): < IFNAMSIZ, not . or .., no '/', ':'
 * or white space; and printable, so that messages and JSON stay sane. */
static int parse_ifname(struct parser *p, const char *kw, const char *s,
			char *out)
{
	const char *c;
	bool ok = *s && strlen(s) < IF_NAMESIZE && strcmp(s, ".") &&
		  strcmp(s, "..");

	for (c = s; ok && *c; c++)
		ok = isgraph((unsigned char)*c) && *c != '/' && *c != ':';
	if (!ok)
		return perr(p, "%s: '%s' is not a valid interface name (at most %d characters, no '/', ':', '.', '..')",
			    kw, s, IF_NAMESIZE - 1);
	strcpy(out, s);
	return 0;
}

/* "link IFNAME bid N [prio N]" */
static int parse_link(struct parser *p, char **argv, int argc)
{
	struct mcoad_config *cfg = p->cfg;
	struct config_link *l;
	uint32_t v;
	unsigned int i;
	int a;

	if (argc < 2)
		return perr(p, "link: expected 'link IFNAME bid N [prio N]'");
	if (cfg->nlinks >= CONFIG_MAX_LINKS)
		return perr(p, "link: at most %d links", CONFIG_MAX_LINKS);
	l = &cfg->links[cfg->nlinks];
	memset(l, 0, sizeof(*l));
	if (parse_ifname(p, "link", argv[1], l->ifname))
		return -1;
	for (a = 2; a < argc; a += 2) {
		if (a + 1 >= argc)
			return perr(p, "link: '%s' needs a value", argv[a]);
		if (!strcmp(argv[a], "bid")) {
			if (parse_u32(p, "bid", argv[a + 1], 1, 65535, &v))
				return -1;
			l->bid = v;
		} else if (!strcmp(argv[a], "prio")) {
			if (parse_u32(p, "prio", argv[a + 1], 0, 127, &v))
				return -1;
			l->prio = v;
		} else {
			return perr(p, "link: unknown parameter '%s'", argv[a]);
		}
	}
	if (!l->bid)
		l->bid = cfg->nlinks + 1;
	p->link_line[cfg->nlinks] = p->line;
	for (i = 0; i < cfg->nlinks; i++) {
		if (cfg->links[i].bid == l->bid)
			return perr(p, "link: bid %u already used by %s",
				    l->bid, cfg->links[i].ifname);
		if (!strcmp(cfg->links[i].ifname, l->ifname))
			return perr(p, "link: %s listed twice", l->ifname);
	}
	cfg->nlinks++;
	return 0;
}

/* "sa HOA mn-to-ha|ha-to-mn spi SPI ..." (sa.c), repeats like "link" */
static int parse_sa(struct parser *p, char **argv, int argc)
{
	struct mcoad_config *cfg = p->cfg;
	struct config_sa *sa;
	char err[256];
	unsigned int i;

	if (cfg->nsas >= CONFIG_MAX_SAS)
		return perr(p, "sa: at most %d", CONFIG_MAX_SAS);
	sa = &cfg->sas[cfg->nsas];
	if (sa_parse(argv, argc, sa, err, sizeof(err)))
		return perr(p, "sa: %s", err);
	sa->line = p->line;
	for (i = 0; i < cfg->nsas; i++) {
		const struct config_sa *o = &cfg->sas[i];

		if (!memcmp(&o->hoa, &sa->hoa, sizeof(sa->hoa)) &&
		    o->mn_to_ha == sa->mn_to_ha)
			return perr(p, "sa: %s %s given twice (first at line %u)",
				    argv[1], argv[2], o->line);
		/* unique in the file: an SPI names one SA to its receiver */
		if (o->spi == sa->spi)
			return perr(p, "sa: spi %#x already used at line %u",
				    sa->spi, o->line);
	}
	cfg->nsas++;
	return 0;
}

/* "ike HOA": keys for HOA come from IKEv2 (ipsec.c); repeats like "sa" */
static int parse_ike(struct parser *p, char **argv, int argc)
{
	struct mcoad_config *cfg = p->cfg;
	struct in6_addr a;
	unsigned int i;

	if (argc != 2)
		return perr(p, "ike: expected one home address");
	if (cfg->nike >= CONFIG_MAX_IKE)
		return perr(p, "ike: at most %d", CONFIG_MAX_IKE);
	if (parse_addr(p, "ike", argv[1], &a))
		return -1;
	for (i = 0; i < cfg->nike; i++)
		if (!memcmp(&cfg->ike[i], &a, sizeof(a)))
			return perr(p, "ike: %s given twice (first at line %u)",
				    argv[1], cfg->ike_line[i]);
	cfg->ike[cfg->nike] = a;
	cfg->ike_line[cfg->nike++] = p->line;
	return 0;
}

/*
 * A keyword given twice: the second would silently win. Only "link"
 * repeats (one per uplink).
 */
static int seen_once(struct parser *p, const char *kw)
{
	unsigned int i;

	for (i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i].kw, kw))
			return perr(p, "%s: given twice (first at line %u)", kw,
				    p->seen[i].line);
	if (p->nseen < sizeof(p->seen) / sizeof(p->seen[0])) {
		p->seen[p->nseen].kw = strdup(kw);
		p->seen[p->nseen++].line = p->line;
	}
	return 0;
}

/* 0 when kw was not given, else the line it was on. */
static unsigned int seen_line(const struct parser *p, const char *kw)
{
	unsigned int i;

	for (i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i].kw, kw))
			return p->seen[i].line;
	return 0;
}

/* The home agent limits; 1 when @kw is none of them. 0 = unlimited. */
static int parse_limit(struct parser *p, const char *kw, const char *s)
{
	struct mcoad_config *cfg = p->cfg;

	/* a cache entry has room for so many; there is no "unlimited" */
	if (!strcmp(kw, "max-bindings-per-hoa"))
		return parse_u32(p, kw, s, 1, CONFIG_MAX_BINDINGS_PER_HOA,
				 &cfg->max_bindings_per_hoa);
	if (!strcmp(kw, "max-hoas-per-source"))
		return parse_u32(p, kw, s, 0, 1000000,
				 &cfg->max_hoas_per_source);
	if (!strcmp(kw, "max-hoas"))
		return parse_u32(p, kw, s, 0, 10000000, &cfg->max_hoas);
	if (!strcmp(kw, "max-bu-rate"))
		return parse_u32(p, kw, s, 0, 1000000, &cfg->max_bu_rate);
	return 1;
}

/*
 * The mobile node's liveness probes (liveness.h); 1 when @kw is none of
 * them. Intervals in milliseconds, counts of probes in a row.
 */
static int parse_probe(struct parser *p, const char *kw, const char *s)
{
	struct live_params *lp = &p->cfg->probe;

	if (!strcmp(kw, "probe")) {
		p->probe_line = p->line;
		return parse_bool(p, kw, s, &lp->on);
	}
	if (!strcmp(kw, "probe-interval"))
		return parse_u32(p, kw, s, LIVE_MIN_INTERVAL_MS,
				 LIVE_MAX_INTERVAL_MS, &lp->interval_ms);
	if (!strcmp(kw, "probe-misses"))
		return parse_u32(p, kw, s, 1, LIVE_MAX_COUNT, &lp->misses);
	if (!strcmp(kw, "probe-recover"))
		return parse_u32(p, kw, s, 1, LIVE_MAX_COUNT, &lp->recover);
	return 1;
}

static const char *const probe_keywords[] = {
	"probe-interval", "probe-misses", "probe-recover",
};

/* Tuning probes that are off is a contradiction, as "sa" with "ipsec no". */
static int check_probe(struct parser *p)
{
	unsigned int i, line;

	if (p->cfg->probe.on)
		return 0;
	for (i = 0; i < sizeof(probe_keywords) / sizeof(probe_keywords[0]);
	     i++) {
		line = seen_line(p, probe_keywords[i]);
		if (line) {
			p->line = line;
			return perr(p, "%s: given with 'probe no' (line %u)",
				    probe_keywords[i], p->probe_line);
		}
	}
	return 0;
}

static const char *const limit_keywords[] = {
	"max-bindings-per-hoa", "max-hoas-per-source", "max-hoas",
	"max-bu-rate",
};

/* The limits are for the home agent only, as check_other_role() says. */
static int check_limits_role(struct parser *p)
{
	unsigned int i, line;

	if (p->cfg->role == ROLE_HA)
		return 0;
	for (i = 0; i < sizeof(limit_keywords) / sizeof(limit_keywords[0]);
	     i++) {
		line = seen_line(p, limit_keywords[i]);
		if (line) {
			p->line = line;
			return perr(p, "%s: is for role ha only",
				    limit_keywords[i]);
		}
	}
	return 0;
}

/* ---- NEMO (RFC 3963) ---------------------------------------------------- */

/* "mobile-network PREFIX/LEN" (mobile node): the LAN behind the router */
static int parse_mobile_network(struct parser *p, char **argv, int argc)
{
	struct mcoad_config *cfg = p->cfg;
	struct config_prefix *m;

	if (argc != 2)
		return perr(p, "mobile-network: expected one PREFIX/LEN");
	if (cfg->nmnps >= CONFIG_MAX_MNPS)
		return perr(p, "mobile-network: at most %d", CONFIG_MAX_MNPS);
	m = &cfg->mnps[cfg->nmnps];
	if (parse_prefix(p, argv[0], argv[1], &m->addr, &m->plen))
		return -1;
	p->mnp_line[cfg->nmnps++] = p->line;
	return 0;
}

/* "mobile-router HOA PREFIX/LEN..." (home agent), one line per router */
static int parse_mr_line(struct parser *p, char **argv, int argc)
{
	struct mcoad_config *cfg = p->cfg;
	struct config_mr *mr;
	int a;

	if (argc < 3)
		return perr(p, "mobile-router: %s needs the PREFIX/LEN(s) it may claim",
			    argv[1]);
	if (argc - 2 > CONFIG_MAX_MNPS)
		return perr(p, "mobile-router: at most %d prefixes per mobile router",
			    CONFIG_MAX_MNPS);
	if (cfg->nmrs == p->mrcap) {
		unsigned int cap = p->mrcap ? 2 * p->mrcap : 16;
		struct config_mr *n = realloc(cfg->mrs, cap * sizeof(*n));

		if (!n)
			return perr(p, "mobile-router: out of memory");
		cfg->mrs = n;
		p->mrcap = cap;
	}
	mr = &cfg->mrs[cfg->nmrs];
	memset(mr, 0, sizeof(*mr));
	if (parse_addr(p, argv[0], argv[1], &mr->hoa))
		return -1;
	for (a = 2; a < argc; a++, mr->nmnp++)
		if (parse_prefix(p, argv[0], argv[a], &mr->mnp[mr->nmnp].addr,
				 &mr->mnp[mr->nmnp].plen))
			return -1;
	mr->line = p->line;
	cfg->nmrs++;
	return 0;
}

/*
 * The one keyword of both roles with two forms: a mobile node's switch
 * ("yes"/"no"), a home agent's list (an address, then prefixes). Which
 * role it is may come later in the file: check_nemo() matches them up.
 */
static int parse_mobile_router(struct parser *p, char **argv, int argc)
{
	if (argc < 2)
		return perr(p, "mobile-router: expected 'yes' or 'no' (role mn) or 'HOA PREFIX/LEN...' (role ha)");
	if (argc > 2 || strchr(argv[1], ':'))
		return parse_mr_line(p, argv, argc);
	if (seen_once(p, argv[0]))
		return -1;
	return parse_bool(p, argv[0], argv[1], &p->cfg->mobile_router);
}

static int parse_line(struct parser *p, char **argv, int argc)
{
	struct mcoad_config *cfg = p->cfg;
	const char *kw = argv[0];
	uint32_t v;
	int lvl, ret;

	if (!strcmp(kw, "link"))
		return parse_link(p, argv, argc);
	if (!strcmp(kw, "sa"))
		return parse_sa(p, argv, argc);
	if (!strcmp(kw, "ike"))
		return parse_ike(p, argv, argc);
	if (!strcmp(kw, "mobile-router"))
		return parse_mobile_router(p, argv, argc);
	if (!strcmp(kw, "mobile-network"))
		return parse_mobile_network(p, argv, argc);
	if (argc != 2)
		return perr(p, "%s: expected exactly one value", kw);
	if (seen_once(p, kw))
		return -1;

	if (!strcmp(kw, "role")) {
		if (!strcmp(argv[1], "ha") || !strcmp(argv[1], "home-agent"))
			cfg->role = ROLE_HA;
		else if (!strcmp(argv[1], "mn") ||
			 !strcmp(argv[1], "mobile-node"))
			cfg->role = ROLE_MN;
		else
			return perr(p, "role: expected ha or mn, got '%s'",
				    argv[1]);
		return 0;
	}
	if (!strcmp(kw, "device"))
		return parse_ifname(p, kw, argv[1], cfg->device);
	if (!strcmp(kw, "control-socket")) {
		if (strlen(argv[1]) >= sizeof(cfg->ctl_socket) ||
		    argv[1][0] != '/')
			return perr(p, "%s: need an absolute path shorter than %zu",
				    kw, sizeof(cfg->ctl_socket));
		strcpy(cfg->ctl_socket, argv[1]);
		return 0;
	}
	if (!strcmp(kw, "log-level")) {
		lvl = log_level_parse(argv[1]);
		if (lvl < 0)
			return perr(p, "log-level: unknown level '%s' (err, warn, notice, info, debug)",
				    argv[1]);
		cfg->log_level = lvl;
		return 0;
	}
	if (!strcmp(kw, "home-agent")) {
		cfg->have_ha_addr = true;
		p->ha_line = p->line;
		return parse_addr(p, kw, argv[1], &cfg->ha_addr);
	}
	if (!strcmp(kw, "home-prefix")) {
		cfg->have_prefix = true;
		return parse_prefix(p, kw, argv[1], &cfg->home_prefix,
				    &cfg->home_plen);
	}
	if (!strcmp(kw, "home-address")) {
		cfg->have_hoa = true;
		p->hoa_line = p->line;
		return parse_addr(p, kw, argv[1], &cfg->hoa);
	}
	if (!strcmp(kw, "home-link")) {
		p->home_link_line = p->line;
		return parse_ifname(p, kw, argv[1], cfg->home_link);
	}
	if (!strcmp(kw, "max-lifetime")) {
		p->maxlife_line = p->line;
		/* the BU lifetime field counts 4 s units in 16 bits */
		return parse_u32(p, kw, argv[1], 4, 65535 * 4,
				 &cfg->max_lifetime);
	}
	if (!strcmp(kw, "lifetime"))
		return parse_u32(p, kw, argv[1], 4, 65535 * 4, &cfg->lifetime);
	/* RFC 6275 s.13 InitialBindackTimeoutFirstReg, milliseconds */
	if (!strcmp(kw, "initial-bindack-timeout-first-reg"))
		return parse_u32(p, kw, argv[1], INITIAL_BINDACK_TIMEOUT_MS,
				 MAX_BINDACK_TIMEOUT_MS,
				 &cfg->first_reg_timeout_ms);
	if (!strcmp(kw, "brr-lead")) {
		p->brr_line = p->line;
		if (parse_u32(p, kw, argv[1], 1, 3600, &v))
			return -1;
		cfg->brr_lead = v;
		return 0;
	}
	if (!strcmp(kw, "allow-mcoa"))
		return parse_bool(p, kw, argv[1], &cfg->allow_mcoa);
	if (!strcmp(kw, "allow-bulk"))
		return parse_bool(p, kw, argv[1], &cfg->allow_bulk);
	if (!strcmp(kw, "dad"))
		return parse_bool(p, kw, argv[1], &cfg->dad);
	if (!strcmp(kw, "allow-home-binding")) {
		bool on;

		/*
		 * A home binding needs delivery on the home link while the HA
		 * keeps proxy ND; without it the HoA's traffic is lost.
		 */
		if (parse_bool(p, kw, argv[1], &on))
			return -1;
		if (on)
			return perr(p, "allow-home-binding: simultaneous home and foreign bindings are not implemented yet (the HA answers 169)");
		return 0;
	}
	ret = parse_limit(p, kw, argv[1]);
	if (ret <= 0)
		return ret;
	ret = parse_probe(p, kw, argv[1]);
	if (ret <= 0)
		return ret;
	if (!strcmp(kw, "mcoa"))
		return parse_bool(p, kw, argv[1], &cfg->use_mcoa);
	if (!strcmp(kw, "bulk"))
		return parse_bool(p, kw, argv[1], &cfg->use_bulk);
	if (!strcmp(kw, "first-individual"))
		return parse_bool(p, kw, argv[1], &cfg->first_individual);
	if (!strcmp(kw, "nemo-mode")) {
		if (!strcmp(argv[1], "explicit"))
			cfg->nemo_mode = NEMO_EXPLICIT;
		else if (!strcmp(argv[1], "implicit"))
			cfg->nemo_mode = NEMO_IMPLICIT;
		else
			return perr(p, "nemo-mode: expected explicit or implicit, got '%s'",
				    argv[1]);
		return 0;
	}
	if (!strcmp(kw, "ipsec")) {
		p->ipsec_line = p->line;
		return parse_bool(p, kw, argv[1], &cfg->ipsec);
	}
	return perr(p, "unknown keyword '%s'", kw);
}

/*
 * The MN's home interface carries the HoA when at home: it cannot also be
 * a care-of address link or the mcoa device. Reported at its own line.
 */
static int check_mn_home_link(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;
	unsigned int i;

	if (!cfg->home_link[0])
		return 0;
	p->line = p->home_link_line;
	if (!strcmp(cfg->home_link, cfg->device))
		return perr(p, "home-link: %s is the mcoa device", cfg->device);
	for (i = 0; i < cfg->nlinks; i++)
		if (!strcmp(cfg->home_link, cfg->links[i].ifname))
			return perr(p, "home-link: %s is also a 'link' (care-of address interface)",
				    cfg->home_link);
	return 0;
}

static bool in6_eq_cfg(const struct in6_addr *a, const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* true when a lies in prefix/plen */
static bool in_prefix(const struct in6_addr *a, const struct in6_addr *pfx,
		      unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < plen; i++)
		if ((a->s6_addr[i / 8] ^ pfx->s6_addr[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

static int outside_prefix(struct parser *p, unsigned int line,
			  const char *kw, const struct in6_addr *a)
{
	const struct mcoad_config *cfg = p->cfg;
	char ab[INET6_ADDRSTRLEN], pb[INET6_ADDRSTRLEN];

	p->line = line;
	return perr(p, "%s: %s is outside home-prefix %s/%u", kw,
		    inet_ntop(AF_INET6, a, ab, sizeof(ab)),
		    inet_ntop(AF_INET6, &cfg->home_prefix, pb, sizeof(pb)),
		    cfg->home_plen);
}

/* Keywords that mean nothing in the other role: a sign of a mixed-up file. */
static int check_other_role(struct parser *p)
{
	static const char *const ha_only[] = {
		"max-lifetime", "brr-lead", "allow-mcoa", "allow-bulk",
		"allow-home-binding", "dad",
	};
	static const char *const mn_only[] = {
		"home-address", "lifetime", "initial-bindack-timeout-first-reg",
		"mcoa", "bulk", "first-individual", "nemo-mode",
		"mcoa", "bulk", "first-individual",
		"probe", "probe-interval", "probe-misses", "probe-recover",
	};
	bool ha = p->cfg->role == ROLE_HA;
	const char *const *list = ha ? mn_only : ha_only;
	size_t i, n = ha ? sizeof(mn_only) / sizeof(mn_only[0]) :
			   sizeof(ha_only) / sizeof(ha_only[0]);
	unsigned int line;

	for (i = 0; i < n; i++) {
		line = seen_line(p, list[i]);
		if (line) {
			p->line = line;
			return perr(p, "%s: is for role %s only", list[i],
				    ha ? "mn" : "ha");
		}
	}
	return 0;
}

static int check_semantics(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;
	unsigned int i, end = p->line;

	if (check_other_role(p) || check_limits_role(p) || check_probe(p))
		return -1;
	if (!in_prefix(&cfg->ha_addr, &cfg->home_prefix, cfg->home_plen))
		return outside_prefix(p, p->ha_line, "home-agent", &cfg->ha_addr);
	if (cfg->role == ROLE_MN && cfg->have_hoa &&
	    !in_prefix(&cfg->hoa, &cfg->home_prefix, cfg->home_plen))
		return outside_prefix(p, p->hoa_line, "home-address", &cfg->hoa);
	for (i = 0; i < cfg->nlinks; i++) {
		if (!strcmp(cfg->links[i].ifname, cfg->device)) {
			p->line = p->link_line[i];
			return perr(p, "link: %s is the mcoa device ('device')",
				    cfg->device);
		}
	}
	if (cfg->role == ROLE_HA && cfg->brr_lead >= cfg->max_lifetime) {
		p->line = p->brr_line > p->maxlife_line ? p->brr_line :
			  p->maxlife_line;
		if (!p->line)
			p->line = end;
		return perr(p, "brr-lead: %u s is not shorter than max-lifetime %u",
			    cfg->brr_lead, cfg->max_lifetime);
	}
	p->line = end;
	return 0;
}

/* Does @hoa have an sa in direction @mn_to_ha? */
static bool has_sa(const struct mcoad_config *cfg, const struct in6_addr *hoa,
		   bool mn_to_ha)
{
	unsigned int i;

	for (i = 0; i < cfg->nsas; i++)
		if (in6_eq_cfg(&cfg->sas[i].hoa, hoa) &&
		    cfg->sas[i].mn_to_ha == mn_to_ha)
			return true;
	return false;
}

/*
 * IPsec is the default (RFC 6275 s.5.1: BU/BA MUST be protected): a file
 * without keys must say "ipsec no". Every HoA needs both directions, and
 * an MN's file names only its own HoA.
 */
static int check_ipsec(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;
	char ab[INET6_ADDRSTRLEN];
	unsigned int i, end = p->line;

	if (!cfg->ipsec) {
		if (cfg->nsas) {
			p->line = cfg->sas[0].line;
			return perr(p, "sa: given with 'ipsec no' (line %u)",
				    p->ipsec_line);
		}
		if (cfg->nike) {
			p->line = cfg->ike_line[0];
			return perr(p, "ike: given with 'ipsec no' (line %u)",
				    p->ipsec_line);
		}
		return 0;
	}
	for (i = 0; i < cfg->nike; i++) {
		const struct in6_addr *a = &cfg->ike[i];
		unsigned int j;

		p->line = cfg->ike_line[i];
		inet_ntop(AF_INET6, a, ab, sizeof(ab));
		if (!in_prefix(a, &cfg->home_prefix, cfg->home_plen))
			return outside_prefix(p, p->line, "ike", a);
		if (in6_eq_cfg(a, &cfg->ha_addr))
			return perr(p, "ike: %s is the home-agent address", ab);
		if (cfg->role == ROLE_MN && !in6_eq_cfg(a, &cfg->hoa))
			return perr(p, "ike: %s is not this mobile node's home-address",
				    ab);
		/* one source of keys per HoA: two SAs would race */
		for (j = 0; j < cfg->nsas; j++)
			if (in6_eq_cfg(&cfg->sas[j].hoa, a))
				return perr(p, "ike: %s also has manual keys ('sa' at line %u): use one or the other",
					    ab, cfg->sas[j].line);
	}
	for (i = 0; i < cfg->nsas; i++) {
		const struct config_sa *sa = &cfg->sas[i];

		p->line = sa->line;
		inet_ntop(AF_INET6, &sa->hoa, ab, sizeof(ab));
		if (!in_prefix(&sa->hoa, &cfg->home_prefix, cfg->home_plen))
			return outside_prefix(p, sa->line, "sa", &sa->hoa);
		if (in6_eq_cfg(&sa->hoa, &cfg->ha_addr))
			return perr(p, "sa: %s is the home-agent address", ab);
		if (cfg->role == ROLE_MN && !in6_eq_cfg(&sa->hoa, &cfg->hoa))
			return perr(p, "sa: %s is not this mobile node's home-address",
				    ab);
		if (!has_sa(cfg, &sa->hoa, !sa->mn_to_ha))
			return perr(p, "sa: %s has no '%s' sa: each home address needs both directions",
				    ab, sa->mn_to_ha ? "ha-to-mn" : "mn-to-ha");
	}
	p->line = end;
	if (!cfg->nsas && !cfg->nike)
		return perr(p, "IPsec protects BU/BA by default (RFC 6275 s.5.1): give 'sa HOA mn-to-ha spi ...' and 'sa HOA ha-to-mn spi ...' lines, or 'ike HOA' for keys from IKEv2 (see mcoad.conf.example), or 'ipsec no' to run unprotected");
	return 0;
}

/* ---- NEMO (RFC 3963): checks once the whole file is read ---------------- */

/* A prefix of the file, for the overlap check */
struct pfx_item {
	struct in6_addr first, last;
	uint8_t plen;
	unsigned int line;
	const char *kw;
};

static void pfx_item(struct pfx_item *it, const struct in6_addr *a,
		     uint8_t plen, unsigned int line, const char *kw)
{
	unsigned int i;

	it->first = it->last = *a;
	for (i = plen; i < 128; i++)
		it->last.s6_addr[i / 8] |= 0x80 >> (i % 8);
	it->plen = plen;
	it->line = line;
	it->kw = kw;
}

static int pfx_cmp(const void *x, const void *y)
{
	const struct pfx_item *a = x, *b = y;
	int c = memcmp(&a->first, &b->first, sizeof(a->first));

	return c ? c : (int)a->plen - (int)b->plen;
}

/*
 * No two prefixes may overlap: an address inside two of them would
 * belong to two routers (or to a router and the home link), and the HA
 * would take a LAN address's traffic from the wrong one. Prefixes nest
 * or are disjoint, so sorted by first address an overlap is an item that
 * starts before the furthest end seen so far: O(n log n), for a home
 * agent with many mobile routers.
 */
static int check_overlaps(struct parser *p, struct pfx_item *it, size_t n)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const struct pfx_item *far, *x, *y;
	size_t i;

	qsort(it, n, sizeof(*it), pfx_cmp);
	for (i = 1, far = it; i < n; i++) {
		if (memcmp(&it[i].first, &far->last, sizeof(far->last)) <= 0) {
			/* reported at the later of the two lines */
			x = it[i].line >= far->line ? &it[i] : far;
			y = x == far ? &it[i] : far;
			p->line = x->line;
			return perr(p, "%s: %s/%u overlaps %s/%u (%s, line %u)",
				    x->kw, inet_ntop(AF_INET6, &x->first, a,
						     sizeof(a)), x->plen,
				    inet_ntop(AF_INET6, &y->first, b, sizeof(b)),
				    y->plen, y->kw, y->line);
		}
		if (memcmp(&it[i].last, &far->last, sizeof(far->last)) > 0)
			far = &it[i];
	}
	return 0;
}

static int mr_cmp(const void *x, const void *y)
{
	const struct config_mr *a = x, *b = y;
	int c = memcmp(&a->hoa, &b->hoa, sizeof(a->hoa));

	return c ? c : (int)a->line - (int)b->line;
}

/* Every prefix of the file and the home prefix, checked for overlaps */
static int check_nemo_prefixes(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;
	size_t n = 1, i, j;
	struct pfx_item *it;
	int ret;

	for (i = 0; i < cfg->nmrs; i++)
		n += cfg->mrs[i].nmnp;
	n += cfg->nmnps;
	it = calloc(n, sizeof(*it));
	if (!it)
		return perr(p, "out of memory");
	n = 0;
	pfx_item(&it[n++], &cfg->home_prefix, cfg->home_plen,
		 seen_line(p, "home-prefix"), "home-prefix");
	for (i = 0; i < cfg->nmrs; i++)
		for (j = 0; j < cfg->mrs[i].nmnp; j++)
			pfx_item(&it[n++], &cfg->mrs[i].mnp[j].addr,
				 cfg->mrs[i].mnp[j].plen, cfg->mrs[i].line,
				 "mobile-router");
	for (i = 0; i < cfg->nmnps; i++)
		pfx_item(&it[n++], &cfg->mnps[i].addr, cfg->mnps[i].plen,
			 p->mnp_line[i], "mobile-network");
	ret = check_overlaps(p, it, n);
	free(it);
	return ret;
}

/* The home agent's mobile routers: HoAs in the home prefix, each once */
static int check_mrs(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;
	char ab[INET6_ADDRSTRLEN];
	struct config_mr *s;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < cfg->nmrs; i++) {
		const struct config_mr *mr = &cfg->mrs[i];

		p->line = mr->line;
		if (!in_prefix(&mr->hoa, &cfg->home_prefix, cfg->home_plen))
			return outside_prefix(p, mr->line, "mobile-router",
					      &mr->hoa);
		if (in6_eq_cfg(&mr->hoa, &cfg->ha_addr))
			return perr(p, "mobile-router: %s is the home-agent address",
				    inet_ntop(AF_INET6, &mr->hoa, ab, sizeof(ab)));
	}
	if (cfg->nmrs < 2)
		return 0;
	/* sorted copy: the file's order is kept for messages and the HA */
	s = malloc(cfg->nmrs * sizeof(*s));
	if (!s)
		return perr(p, "out of memory");
	memcpy(s, cfg->mrs, cfg->nmrs * sizeof(*s));
	qsort(s, cfg->nmrs, sizeof(*s), mr_cmp);
	for (i = 1; i < cfg->nmrs && !ret; i++) {
		if (!in6_eq_cfg(&s[i].hoa, &s[i - 1].hoa))
			continue;
		p->line = s[i].line;
		ret = perr(p, "mobile-router: %s given twice (first at line %u)",
			   inet_ntop(AF_INET6, &s[i].hoa, ab, sizeof(ab)),
			   s[i - 1].line);
	}
	free(s);
	return ret;
}

/* Which lines go with which role, what "mobile-router yes" needs. */
static int check_nemo(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;
	unsigned int end = p->line, line = seen_line(p, "mobile-router");

	if (cfg->role == ROLE_HA) {
		if (line) {
			p->line = line;
			return perr(p, "mobile-router: 'yes|no' is for role mn; a home agent lists 'mobile-router HOA PREFIX/LEN...'");
		}
		if (cfg->nmnps) {
			p->line = p->mnp_line[0];
			return perr(p, "mobile-network: is for role mn only (a home agent lists 'mobile-router HOA PREFIX/LEN...')");
		}
		if (check_mrs(p))
			return -1;
	} else {
		if (cfg->nmrs) {
			p->line = cfg->mrs[0].line;
			return perr(p, "mobile-router: HOA PREFIX/LEN... is for role ha; a mobile router says 'mobile-router yes'");
		}
		if (!cfg->mobile_router && cfg->nmnps) {
			p->line = p->mnp_line[0];
			return perr(p, "mobile-network: given without 'mobile-router yes'");
		}
		if (!cfg->mobile_router && seen_line(p, "nemo-mode")) {
			p->line = seen_line(p, "nemo-mode");
			return perr(p, "nemo-mode: given without 'mobile-router yes'");
		}
		if (cfg->mobile_router && !cfg->nmnps) {
			p->line = line;
			return perr(p, "mobile-router: yes needs at least one 'mobile-network PREFIX/LEN' (the network behind the router)");
		}
	}
	if (check_nemo_prefixes(p))
		return -1;
	p->line = end;
	return 0;
}

static int check_role(struct parser *p)
{
	struct mcoad_config *cfg = p->cfg;

	if (cfg->role == ROLE_NONE)
		return perr(p, "missing 'role ha' or 'role mn'");
	if (!cfg->have_ha_addr)
		return perr(p, "missing 'home-agent ADDRESS'");
	if (!cfg->have_prefix)
		return perr(p, "missing 'home-prefix PREFIX/LEN'");
	if (check_semantics(p) || check_ipsec(p) || check_nemo(p))
		return -1;
	if (cfg->role == ROLE_HA) {
		if (!cfg->home_link[0])
			return perr(p, "role ha needs 'home-link IFNAME'");
		if (cfg->nlinks)
			return perr(p, "'link' is for role mn only");
	} else {
		if (!cfg->have_hoa)
			return perr(p, "role mn needs 'home-address ADDRESS'");
		if (!cfg->nlinks)
			return perr(p, "role mn needs at least one 'link IFNAME'");
		if (in6_eq_cfg(&cfg->hoa, &cfg->ha_addr)) {
			p->line = p->hoa_line;
			return perr(p, "home-address: is the home-agent address");
		}
		return check_mn_home_link(p);
	}
	return 0;
}

#define MAX_ARGS 16

/*
 * A line with a NUL or a control byte (other than tab and CR) is not a
 * configuration someone wrote: say so rather than "unknown keyword".
 */
static int check_text(struct parser *p, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return perr(p, "binary data (byte 0x%02x), not a text configuration",
				    c);
	}
	return 0;
}

static void free_seen(struct parser *p)
{
	while (p->nseen)
		free((char *)p->seen[--p->nseen].kw);
}

static int parse_stream(struct parser *p, FILE *in)
{
	char *buf = NULL, *argv[MAX_ARGS], *s, *tok;
	bool words = false;
	size_t cap = 0;
	ssize_t len;
	int argc, ret = -1;

	while ((len = getline(&buf, &cap, in)) >= 0) {
		p->line++;
		s = buf;
		/* a UTF-8 byte order mark, as some editors write */
		if (p->line == 1 && !strncmp(s, "\xef\xbb\xbf", 3)) {
			s += 3;
			len -= 3;
		}
		if (check_text(p, s, (size_t)len))
			goto out;
		if (len > 511) {
			perr(p, "line too long (more than 511 characters)");
			goto out;
		}
		tok = strchr(s, '#');
		if (tok)
			*tok = '\0';
		argc = 0;
		for (tok = strtok(s, " \t\r\n"); tok;
		     tok = strtok(NULL, " \t\r\n")) {
			if (argc == MAX_ARGS) {
				perr(p, "too many words");
				goto out;
			}
			argv[argc++] = tok;
		}
		if (!argc)
			continue;
		words = true;
		if (parse_line(p, argv, argc))
			goto out;
	}
	if (!p->line) {
		fprintf(p->err, "%s: the file is empty\n", p->name);
		goto out;
	}
	if (!words) {
		perr(p, "no keywords, only comments or blank lines");
		goto out;
	}
	/* semantic errors point at the end of the file or at their line */
	ret = check_role(p);
out:
	free(buf);
	return ret;
}

int config_parse(struct mcoad_config *cfg, FILE *in, const char *name,
		 FILE *err)
{
	struct parser p = { .cfg = cfg, .name = name, .err = err };
	int ret = parse_stream(&p, in);

	free_seen(&p);
	return ret;
}

void config_free(struct mcoad_config *cfg)
{
	free(cfg->mrs);
	cfg->mrs = NULL;
	cfg->nmrs = 0;
}

int config_load(struct mcoad_config *cfg, const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = config_parse(cfg, f, path, err);
	fclose(f);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	return ret;
}

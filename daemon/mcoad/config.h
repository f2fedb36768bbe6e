/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcoad configuration (/etc/mcoa/mcoad.conf): "keyword value..." lines,
 * '#' comments. See mcoad.conf.example for every keyword.
 */
#ifndef MCOAD_CONFIG_H
#define MCOAD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>

#include "liveness.h"
#include "sa.h"

#define CONFIG_DEFAULT_PATH	"/etc/mcoa/mcoad.conf"
#define CONFIG_DEFAULT_SOCKET	"/run/mcoa/mcoad.sock"
#define CONFIG_MAX_LINKS	16
/* what one HoA's cache entry holds (HA_MAX_BINDINGS in ha_bu.h) */
#define CONFIG_MAX_BINDINGS_PER_HOA	32
/* two per mobile node (one each way) */
#define CONFIG_MAX_SAS		128
#define CONFIG_MAX_IKE		(CONFIG_MAX_SAS / 2)

/* Mobile network prefixes one mobile router has (MH_MAX_MNPS in mh.h) */
#define CONFIG_MAX_MNPS		8

/* One prefix, bits past plen zero */
struct config_prefix {
	struct in6_addr addr;
	uint8_t plen;			/* 1..128 */
};

/*
 * HA: "mobile-router HOA PREFIX/LEN [PREFIX/LEN ...]": the mobile router
 * (RFC 3963) registering from HOA may claim these prefixes.
 */
struct config_mr {
	struct in6_addr hoa;
	unsigned int nmnp;
	struct config_prefix mnp[CONFIG_MAX_MNPS];
	unsigned int line;
};

/* MN: how the BU tells the HA the prefixes (RFC 3963 s.5.1/6.1.2) */
enum config_nemo_mode {
	NEMO_EXPLICIT = 0,		/* Mobile Network Prefix options */
	NEMO_IMPLICIT,			/* none: the HA's configuration */
};

enum mcoad_role {
	ROLE_NONE = 0,
	ROLE_HA,
	ROLE_MN,
};

/* One MN interface that provides a care-of address. */
struct config_link {
	char ifname[IF_NAMESIZE];
	uint16_t bid;
	uint8_t prio;
};

struct mcoad_config {
	char path[256];			/* the file it came from, for messages */
	enum mcoad_role role;
	char device[IF_NAMESIZE];	/* the mcoa netdevice, e.g. mip0 */
	char ctl_socket[108];
	int log_level;

	/* both roles */
	struct in6_addr ha_addr;	/* home agent address */
	struct in6_addr home_prefix;
	uint8_t home_plen;
	bool have_ha_addr, have_prefix;

	/*
	 * IPsec for BU/BA (RFC 6275 s.5.1, RFC 3776): on unless "ipsec no".
	 * HA: one pair of sas per mobile node it serves; MN: its own pair.
	 */
	bool ipsec;
	unsigned int nsas;
	struct config_sa sas[CONFIG_MAX_SAS];
	/*
	 * "ike HOA": this HoA's BU/BA SAs come from IKEv2 (strongSwan's
	 * charon, RFC 4877), not from "sa" lines. Same line on HA and MN.
	 */
	unsigned int nike;
	struct in6_addr ike[CONFIG_MAX_IKE];
	unsigned int ike_line[CONFIG_MAX_IKE];

	/*
	 * HA: where proxy ND answers for HoAs. MN (optional): the interface
	 * that attaches to the home link when the MN is at home.
	 */
	char home_link[IF_NAMESIZE];

	/* home agent */
	uint32_t max_lifetime;		/* seconds granted at most */
	uint32_t brr_lead;		/* seconds before expiry to send BRR */
	bool allow_mcoa;		/* else 166 MCOA PROHIBITED */
	bool allow_bulk;		/* else 168 BULK REGISTRATION PROHIBITED */
	bool dad;			/* DAD on the home link for new HoAs */
	/* home agent limits on what BUs create (0 = unlimited) */
	uint32_t max_bindings_per_hoa;	/* 1..CONFIG_MAX_BINDINGS_PER_HOA */
	uint32_t max_hoas_per_source;
	uint32_t max_hoas;
	uint32_t max_bu_rate;		/* BUs per second per source address */

	/* mobile node */
	struct in6_addr hoa;
	bool have_hoa;
	uint32_t lifetime;		/* seconds requested */
	uint32_t first_reg_timeout_ms;	/* InitialBindackTimeoutFirstReg */
	bool use_mcoa;
	bool use_bulk;
	bool first_individual;		/* RFC 5648 s.10: first BU of a CoA alone */
	unsigned int nlinks;
	struct config_link links[CONFIG_MAX_LINKS];

	/* NEMO (RFC 3963), mobile node: "mobile-router yes" */
	bool mobile_router;
	enum config_nemo_mode nemo_mode;
	unsigned int nmnps;		/* "mobile-network PREFIX/LEN" lines */
	struct config_prefix mnps[CONFIG_MAX_MNPS];
	/* home agent: "mobile-router HOA PREFIX/LEN..." lines (malloc'd) */
	unsigned int nmrs;
	struct config_mr *mrs;
	/* per-CoA Echo probes to the home agent (liveness.h) */
	struct live_params probe;
};

void config_defaults(struct mcoad_config *cfg);
/* What config_parse() allocated (the home agent's mobile routers). */
void config_free(struct mcoad_config *cfg);
/*
 * Parse @path into @cfg (already holding defaults). On error prints
 * "file:line: message" to @err and returns -1; @cfg is then undefined.
 */
int config_load(struct mcoad_config *cfg, const char *path, FILE *err);
/* Parse from an open stream, @name is used in messages (unit tests). */
int config_parse(struct mcoad_config *cfg, FILE *in, const char *name, FILE *err);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobility Header (RFC 6275 s6.1) build and parse, with the RFC 5648
 * Binding Identifier option. Pure functions: no I/O, no globals, no
 * allocation, so they can be unit tested and fuzzed on the host.
 *
 * Byte order: every field in the structs below is in host order, except
 * addresses (struct in6_addr / in_addr), which are kept as on the wire.
 * Lifetimes and the Binding Refresh Advice interval are in the wire's
 * 4-second units; use mh_lifetime_sec()/mh_lifetime_units() to convert.
 */
#ifndef MCOA_MH_H
#define MCOA_MH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#ifndef IPPROTO_MH
#define IPPROTO_MH		135
#endif
#define MH_PAYLOAD_PROTO	59	/* IPPROTO_NONE: the only valid value */

/* (HdrLen + 1) * 8 with an 8-bit HdrLen */
#define MH_MAX_LEN		2048
#define MH_HDR_LEN		6	/* PayloadProto..Checksum */
#define MH_CSUM_OFFSET		4	/* for IPV6_CHECKSUM */

/* MH types (RFC 6275 s6.1.2 ff, IANA) */
enum mh_type {
	MH_TYPE_BRR		= 0,	/* Binding Refresh Request */
	MH_TYPE_HOTI		= 1,
	MH_TYPE_COTI		= 2,
	MH_TYPE_HOT		= 3,
	MH_TYPE_COT		= 4,
	MH_TYPE_BU		= 5,	/* Binding Update */
	MH_TYPE_BA		= 6,	/* Binding Acknowledgement */
	MH_TYPE_BE		= 7,	/* Binding Error */
	MH_TYPE_FBU		= 8,
	MH_TYPE_FBACK		= 9,
	MH_TYPE_FNA		= 10,
	MH_TYPE_EXPERIMENTAL	= 11,
	MH_TYPE_HAS		= 12,
	MH_TYPE_HB		= 13,
	MH_TYPE_HI		= 14,
	MH_TYPE_HACK		= 15,
	MH_TYPE_BREV		= 16,
};

/* Mobility option types (RFC 6275 s6.2, IANA) */
enum mh_opt_type {
	MH_OPT_PAD1		= 0,
	MH_OPT_PADN		= 1,
	MH_OPT_BRA		= 2,	/* Binding Refresh Advice, len 2, 2n */
	MH_OPT_ALTCOA		= 3,	/* Alternate CoA, len 16, 8n+6 */
	MH_OPT_NONCE		= 4,	/* Nonce Indices, len 4, 2n */
	MH_OPT_AUTH_DATA	= 5,	/* Binding Authorization Data, last */
	MH_OPT_MNP		= 6,	/* Mobile Network Prefix (RFC 3963) */
	MH_OPT_LLA		= 7,	/* MH Link-Layer Address (RFC 5568) */
	MH_OPT_MNID		= 8,	/* Mobile Node Identifier (RFC 4283) */
	MH_OPT_AUTH		= 9,	/* Mobility Message Auth (RFC 4285) */
	MH_OPT_REPLAY		= 10,	/* Replay Protection (RFC 4285) */
	MH_OPT_V4HOA		= 29,	/* DSMIPv6 (RFC 5555) */
	MH_OPT_V4ACK		= 30,
	MH_OPT_NATD		= 31,
	MH_OPT_V4COA		= 32,
	MH_OPT_BID		= 35,	/* Binding Identifier (RFC 5648) */
	MH_OPT_FLOW_SUMMARY	= 44,	/* RFC 6089 */
	MH_OPT_FLOW_ID		= 45,
};

/* BID option Length values (RFC 5648 s4.3); anything else is 164 */
#define MH_BID_LEN_NOCOA	4
#define MH_BID_LEN_V4		8
#define MH_BID_LEN_V6		20
#define MH_BID_F_H		0x80	/* octet 5: simultaneous home/foreign */
#define MH_BID_PRI_MASK		0x7f	/* octet 5 low bits: BID-PRI (RFC 6089) */

/*
 * Mobile Network Prefix option (RFC 3963 s.4.3): Length 18 (Reserved,
 * Prefix Length, Prefix), alignment 8n+4. Anything else is dropped.
 */
#define MH_MNP_LEN		18
/*
 * Most MNP options one message can carry; a BU with more gets
 * MH_PARSE_REPLY with status 130, like one with too many BID options.
 */
#define MH_MAX_MNPS		8

/* LLA option code carrying the MN's link-layer address (RFC 5568) */
#define MH_LLA_CODE_MN		2
#define MH_LLA_MAX		16

/*
 * BU flags: masks of the 16-bit flag word at offset 8 read with ntohs().
 * O (RFC 5648) shares its bit with RFC 6602's B flag; Wireshark shows "B".
 */
#define MH_BU_F_A		0x8000	/* acknowledge */
#define MH_BU_F_H		0x4000	/* home registration */
#define MH_BU_F_L		0x2000	/* link-local compatibility */
#define MH_BU_F_K		0x1000	/* key management mobility */
#define MH_BU_F_M		0x0800	/* MAP registration (RFC 4140) */
#define MH_BU_F_R		0x0400	/* mobile router (RFC 3963) */
#define MH_BU_F_P		0x0200	/* proxy registration (RFC 5213) */
#define MH_BU_F_F		0x0100	/* force UDP encapsulation (RFC 5555) */
#define MH_BU_F_T		0x0080	/* TLV header format (RFC 5845) */
#define MH_BU_F_O		0x0040	/* overwrite all bindings (RFC 5648) */

/* BA flags: octet 7 */
#define MH_BA_F_K		0x80
#define MH_BA_F_R		0x40
#define MH_BA_F_P		0x20
#define MH_BA_F_T		0x10
#define MH_BA_F_B		0x08
#define MH_BA_F_S		0x04
#define MH_BA_F_D		0x02

/* BA status (RFC 6275 s6.1.8, RFC 5648 s4.4, IANA). < 128 = accepted */
enum mh_ba_status {
	MH_BA_ACCEPTED			= 0,
	MH_BA_PREFIX_DISCOVERY		= 1,
	MH_BA_MCOA_NOTCOMPLETE		= 4,
	MH_BA_MCOA_RETURNHOME_WO_NDP	= 5,
	MH_BA_REJECTED			= 128,	/* first rejection code */
	MH_BA_UNSPECIFIED		= 128,
	MH_BA_PROHIBITED		= 129,
	MH_BA_INSUFFICIENT		= 130,
	MH_BA_HR_NOT_SUPPORTED		= 131,
	MH_BA_NOT_HOME_SUBNET		= 132,
	MH_BA_NOT_HA_FOR_MN		= 133,
	MH_BA_DAD_FAILED		= 134,
	MH_BA_SEQ_OUT_OF_WINDOW		= 135,
	MH_BA_EXPIRED_HOME_NONCE	= 136,
	MH_BA_EXPIRED_COA_NONCE		= 137,
	MH_BA_EXPIRED_NONCES		= 138,
	MH_BA_REG_TYPE_CHANGE		= 139,
	MH_BA_MR_NOT_PERMITTED		= 140,	/* RFC 3963 */
	MH_BA_INVALID_PREFIX		= 141,
	MH_BA_PREFIX_NOT_AUTHORIZED	= 142,
	MH_BA_FORWARDING_FAILED		= 143,
	MH_BA_MIPV6_ID_MISMATCH		= 144,
	MH_BA_MIPV6_MESG_ID_REQD	= 145,
	MH_BA_MIPV6_AUTH_FAIL		= 146,
	MH_BA_MCOA_MALFORMED		= 164,
	MH_BA_MCOA_NON_MCOA_EXISTS	= 165,
	MH_BA_MCOA_PROHIBITED		= 166,
	MH_BA_MCOA_UNKNOWN_COA		= 167,
	MH_BA_MCOA_BULK_PROHIBITED	= 168,
	MH_BA_MCOA_SIMUL_HOME_FOREIGN	= 169,
	MH_BA_INVALID_COA		= 174,
};

/* Binding Error status (RFC 6275 s6.1.9) */
enum mh_be_status {
	MH_BE_UNKNOWN_HAO	= 1,	/* no binding for the HAO's HoA */
	MH_BE_UNKNOWN_MH	= 2,	/* unrecognized MH type */
};

/*
 * Most BID options one message can carry. A 2048-octet MH holds at most
 * ~85 BID options with an IPv6 CoA; a BU with more than this many gets
 * MH_PARSE_REPLY with status 130 (insufficient resources).
 */
#define MH_MAX_BIDS		32

/* One Binding Identifier option */
struct mh_bid {
	uint16_t bid;		/* 1..65535 (0 reserved: parsed, not refused) */
	uint8_t status;		/* BA/CoT only; 0 = "see the BA status" */
	bool h;			/* H flag: home binding, CoA field = HoA */
	uint8_t pri;		/* BID-PRI (RFC 6089), 0 when unused */
	/*
	 * 0 (length 4, no CoA), AF_INET (length 8, coa4) or
	 * AF_INET6 (length 20, coa6).
	 */
	uint8_t coa_family;
	/*
	 * Parse only: non-zero when this option must be refused on its own
	 * (164: CoA not unicast routable). Ignored by the builders.
	 */
	uint8_t err;
	struct in_addr coa4;
	struct in6_addr coa6;
};

/*
 * One Mobile Network Prefix option, as on the wire: neither the parser
 * nor the builders judge plen and the prefix bits (mh_mnp_valid() does),
 * so that a home agent can answer a bad one with 141.
 */
struct mh_mnp {
	uint8_t plen;		/* Prefix Length */
	struct in6_addr prefix;
};

/*
 * Mobility options of one message. Builders emit, in this order:
 * BRA (if has_bra), Alternate CoA (if has_altcoa), every BID option,
 * every MNP option, MH-LLA (if has_lla), with the RFC alignment and end
 * padding.
 */
struct mh_opts {
	unsigned int nbids;
	struct mh_bid bids[MH_MAX_BIDS];

	unsigned int nmnps;
	struct mh_mnp mnps[MH_MAX_MNPS];

	bool has_altcoa;
	struct in6_addr altcoa;

	bool has_bra;
	uint16_t refresh;	/* BRA refresh interval, 4-s units */

	bool has_lla;
	uint8_t lla_code;	/* MH_LLA_CODE_MN */
	uint8_t lla_len;	/* 0..MH_LLA_MAX */
	uint8_t lla[MH_LLA_MAX];

	/* Parse only */
	bool has_auth;		/* Auth Data (5) or RFC 4285 auth (9) seen */
	unsigned int nunknown;	/* options skipped (unknown or unused) */
	uint8_t seen[32];	/* bitmap: option type t seen -> bit t */
};

struct mh_bu {
	uint16_t seq;
	uint16_t flags;		/* MH_BU_F_* */
	uint16_t lifetime;	/* 4-s units; 0 = de-register */
	struct mh_opts opts;
};

struct mh_ba {
	uint8_t status;		/* enum mh_ba_status */
	uint8_t flags;		/* MH_BA_F_* (R: RFC 3963 s.4.2) */
	uint16_t seq;		/* copied from the BU */
	uint16_t lifetime;	/* granted, 4-s units */
	struct mh_opts opts;
};

struct mh_brr {
	struct mh_opts opts;	/* BIDs to refresh (RFC 5648 s6.4) */
};

struct mh_be {
	uint8_t status;		/* enum mh_be_status */
	struct in6_addr hoa;	/* HAO content of the offending packet or :: */
	struct mh_opts opts;
};

/* Result of mh_parse() */
enum mh_verdict {
	MH_PARSE_OK = 0,	/* message in out->u, act on it */
	MH_PARSE_DROP,		/* silently drop; count out->drop */
	/*
	 * BU only: refuse the whole BU with a BA carrying out->status.
	 * out->u.bu holds the fixed part (seq for the BA) and every BID
	 * option that could be parsed, so the BA can echo them.
	 */
	MH_PARSE_REPLY,
	/* send a Binding Error with out->status (2: unknown MH type) */
	MH_PARSE_BE,
};

/* Why a message was dropped: index for a counter array */
enum mh_drop {
	MH_DROP_NONE = 0,
	MH_DROP_SHORT,		/* < 8 octets, or HdrLen below the type's min */
	MH_DROP_PROTO,		/* Payload Proto != 59 */
	MH_DROP_HDRLEN,		/* (HdrLen+1)*8 != received length */
	MH_DROP_OPT_TRUNC,	/* option header cut by the end of the MH */
	MH_DROP_OPT_OVERRUN,	/* option data runs past the end of the MH */
	MH_DROP_OPT_LEN,	/* known fixed-size option with a wrong Length */
	MH_DROP_OPT_DUP,	/* option allowed once appears twice */
	MH_DROP_BID,		/* malformed BID option in a non-BU message */
	MH_DROP_TOO_MANY_BIDS,	/* > MH_MAX_BIDS in a non-BU message */
	MH_DROP__MAX,
};

struct mh_msg {
	uint8_t type;		/* enum mh_type */
	uint16_t len;		/* MH length in octets */
	enum mh_drop drop;	/* MH_PARSE_DROP */
	uint8_t status;		/* MH_PARSE_REPLY (BA status), MH_PARSE_BE */
	union {
		struct mh_bu bu;
		struct mh_ba ba;
		struct mh_brr brr;
		struct mh_be be;
	} u;
};

/*
 * Builders: write one complete MH (checksum 0: the kernel or
 * mh_checksum() fills it) into buf. Return the length in octets (a
 * multiple of 8) or -EINVAL (bad field: nbids > MH_MAX_BIDS, unknown
 * coa_family, lla_len > MH_LLA_MAX), -ENOSPC (cap too small) or
 * -EMSGSIZE (would exceed MH_MAX_LEN). nmnps > MH_MAX_MNPS is -EINVAL.
 */
int mh_build_bu(void *buf, size_t cap, const struct mh_bu *bu);
int mh_build_ba(void *buf, size_t cap, const struct mh_ba *ba);
int mh_build_brr(void *buf, size_t cap, const struct mh_brr *brr);
int mh_build_be(void *buf, size_t cap, const struct mh_be *be);

/*
 * Parse and validate one MH (the raw socket's payload). Always fills
 * out->type/len/drop/status; out->u as far as parsing got. Never reads
 * outside buf[0..len). Rules:
 *  - DROP: len < 8, Payload Proto != 59, (HdrLen+1)*8 != len, HdrLen
 *    below the type's minimum, option header or data running past the
 *    end, wrong Length for BRA (2)/AltCoA (16)/Nonce (4)/LLA (< 1),
 *    BRA or AltCoA twice, malformed BID option in a BA/BRR, MNP option
 *    with a Length other than 18.
 *  - REPLY (BU): a BID option with Length not 4/8/20 -> 164; more BID
 *    options than MH_MAX_BIDS or more MNP options than MH_MAX_MNPS
 *    -> 130 (in other messages extra MNP options are skipped, counted
 *    in nunknown). A BID option whose CoA is not
 *    unicast routable gets bid.err = 164; if every BID option of the BU
 *    has err set -> REPLY 164, else the verdict stays OK and the HA
 *    refuses just those options (per-BID status 164, BA status 4).
 *  - BE: MH type other than BRR/BU/BA/BE -> status 2.
 * Options: Pad1/PadN skipped, alignment not enforced on receipt (fields
 * are read bytewise), unknown types skipped and counted.
 */
enum mh_verdict mh_parse(const void *buf, size_t len, struct mh_msg *out);

/*
 * RFC 6275 s6.1.1 checksum over the pseudo-header (src = HoA when a HAO
 * is present, dst = final destination) and the MH with its checksum
 * field taken as 0. Returns the value to store at offset 4, host order.
 */
uint16_t mh_checksum(const struct in6_addr *src, const struct in6_addr *dst,
		     const void *mh, size_t len);

/* true if addr may be a care-of address: not ::, loopback, multicast,
 * link-local, v4-mapped/compatible (RFC 5648 "unicast routable") */
bool mh_addr6_routable(const struct in6_addr *a);
bool mh_addr4_routable(const struct in_addr *a);

/* Option type t seen in a parsed message */
static inline bool mh_opt_seen(const struct mh_opts *o, uint8_t t)
{
	return o->seen[t >> 3] & (1u << (t & 7));
}

/* RFC 6275 s9.5.1: a is newer than b; exactly 32768 ahead is NOT newer */
static inline bool mh_seq_after(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) > 0;
}

/* Lifetime / refresh interval: 4-second units <-> seconds */
static inline uint32_t mh_lifetime_sec(uint16_t units)
{
	return (uint32_t)units * 4;
}

/* Rounds down (never grants more than asked), saturates at 0xffff */
static inline uint16_t mh_lifetime_units(uint32_t sec)
{
	return sec / 4 > 0xffff ? 0xffff : (uint16_t)(sec / 4);
}

/*
 * RFC 3963 s.6.2: a prefix a home agent can route: Prefix Length 1..128
 * and no bit set past it (else 141 Invalid Prefix).
 */
static inline bool mh_mnp_valid(const struct mh_mnp *m)
{
	unsigned int i;

	if (!m->plen || m->plen > 128)
		return false;
	for (i = m->plen; i < 128; i++)
		if (m->prefix.s6_addr[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static inline bool mh_ba_accepted(uint8_t status)
{
	return status < MH_BA_REJECTED;
}

/* Names for logs; never NULL */
const char *mh_type_str(uint8_t type);
const char *mh_ba_status_str(uint8_t status);
const char *mh_drop_str(enum mh_drop drop);

#endif /* MCOA_MH_H */

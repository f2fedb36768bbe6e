// SPDX-License-Identifier: GPL-2.0
/*
 * Mobility Header build and parse (RFC 6275 s6.1/6.2, RFC 5648 s4).
 *
 * Builders write through a small cursor that keeps counting past the end
 * of the buffer, so an overflow is detected once, at the end, and the
 * caller learns whether the message was too big for its buffer (-ENOSPC)
 * or for any MH (-EMSGSIZE). The parser reads bytewise: options need not
 * be aligned on receipt and nothing is ever read outside [buf, buf+len).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "mh.h"

/* Octets before the first option, and the smallest valid HdrLen */
#define BRR_FIXED	8
#define BU_FIXED	12
#define BA_FIXED	12
#define BE_FIXED	24

struct wr {
	uint8_t *p;
	size_t cap;
	size_t off;
};

static void wr_put(struct wr *w, const void *src, size_t n)
{
	if (w->off + n <= w->cap)
		memcpy(w->p + w->off, src, n);
	w->off += n;
}

static void wr_u8(struct wr *w, uint8_t v)
{
	wr_put(w, &v, 1);
}

static void wr_be16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	wr_put(w, b, 2);
}

static void wr_zero(struct wr *w, size_t n)
{
	static const uint8_t z[256];

	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);

		wr_put(w, z, k);
		n -= k;
	}
}

/* n octets of padding: Pad1 for one, PadN for more (RFC 6275 s6.2.2/3) */
static void wr_pad(struct wr *w, size_t n)
{
	if (n == 0)
		return;
	if (n == 1) {
		wr_u8(w, MH_OPT_PAD1);
		return;
	}
	wr_u8(w, MH_OPT_PADN);
	wr_u8(w, n - 2);
	wr_zero(w, n - 2);
}

/* Put the next option's Type octet at an offset == y (mod x) */
static void wr_align(struct wr *w, unsigned int x, unsigned int y)
{
	wr_pad(w, (y - w->off) & (x - 1));
}

static int wr_bid(struct wr *w, const struct mh_bid *b)
{
	uint8_t olen;

	switch (b->coa_family) {
	case 0:
		olen = MH_BID_LEN_NOCOA;
		wr_align(w, 2, 0);
		break;
	case AF_INET:
		olen = MH_BID_LEN_V4;
		wr_align(w, 8, 2);
		break;
	case AF_INET6:
		olen = MH_BID_LEN_V6;
		wr_align(w, 8, 2);
		break;
	default:
		return -EINVAL;
	}
	wr_u8(w, MH_OPT_BID);
	wr_u8(w, olen);
	wr_be16(w, b->bid);
	wr_u8(w, b->status);
	wr_u8(w, (b->h ? MH_BID_F_H : 0) | (b->pri & MH_BID_PRI_MASK));
	if (b->coa_family == AF_INET)
		wr_put(w, &b->coa4, 4);
	else if (b->coa_family == AF_INET6)
		wr_put(w, &b->coa6, 16);
	return 0;
}

static int wr_opts(struct wr *w, const struct mh_opts *o)
{
	unsigned int i;
	int err;

	if (o->nbids > MH_MAX_BIDS || o->nmnps > MH_MAX_MNPS ||
	    (o->has_lla && o->lla_len > MH_LLA_MAX))
		return -EINVAL;

	if (o->has_bra) {
		wr_align(w, 2, 0);
		wr_u8(w, MH_OPT_BRA);
		wr_u8(w, 2);
		wr_be16(w, o->refresh);
	}
	if (o->has_altcoa) {
		wr_align(w, 8, 6);
		wr_u8(w, MH_OPT_ALTCOA);
		wr_u8(w, 16);
		wr_put(w, &o->altcoa, 16);
	}
	for (i = 0; i < o->nbids; i++) {
		err = wr_bid(w, &o->bids[i]);
		if (err)
			return err;
	}
	for (i = 0; i < o->nmnps; i++) {
		/* RFC 3963 s.4.3: 8n+4, so the prefix is 8-octet aligned */
		wr_align(w, 8, 4);
		wr_u8(w, MH_OPT_MNP);
		wr_u8(w, MH_MNP_LEN);
		wr_u8(w, 0);		/* Reserved */
		wr_u8(w, o->mnps[i].plen);
		wr_put(w, &o->mnps[i].prefix, 16);
	}
	if (o->has_lla) {
		wr_u8(w, MH_OPT_LLA);
		wr_u8(w, 1 + o->lla_len);
		wr_u8(w, o->lla_code);
		wr_put(w, o->lla, o->lla_len);
	}
	return 0;
}

static void wr_start(struct wr *w, void *buf, size_t cap, uint8_t type)
{
	w->p = buf;
	w->cap = cap;
	w->off = 0;
	wr_u8(w, MH_PAYLOAD_PROTO);
	wr_u8(w, 0);		/* HdrLen, set by wr_finish() */
	wr_u8(w, type);
	wr_u8(w, 0);		/* Reserved */
	wr_be16(w, 0);		/* Checksum: kernel or mh_checksum() */
}

/* Pad the end to a multiple of 8, set HdrLen, report the length */
static int wr_finish(struct wr *w)
{
	wr_pad(w, (8 - (w->off & 7)) & 7);
	if (w->off > MH_MAX_LEN)
		return -EMSGSIZE;
	if (w->off > w->cap)
		return -ENOSPC;
	w->p[1] = w->off / 8 - 1;
	return w->off;
}

int mh_build_bu(void *buf, size_t cap, const struct mh_bu *bu)
{
	struct wr w;
	int err;

	wr_start(&w, buf, cap, MH_TYPE_BU);
	wr_be16(&w, bu->seq);
	wr_be16(&w, bu->flags);
	wr_be16(&w, bu->lifetime);
	err = wr_opts(&w, &bu->opts);
	return err ? err : wr_finish(&w);
}

int mh_build_ba(void *buf, size_t cap, const struct mh_ba *ba)
{
	struct wr w;
	int err;

	wr_start(&w, buf, cap, MH_TYPE_BA);
	wr_u8(&w, ba->status);
	wr_u8(&w, ba->flags);
	wr_be16(&w, ba->seq);
	wr_be16(&w, ba->lifetime);
	err = wr_opts(&w, &ba->opts);
	return err ? err : wr_finish(&w);
}

int mh_build_brr(void *buf, size_t cap, const struct mh_brr *brr)
{
	struct wr w;
	int err;

	wr_start(&w, buf, cap, MH_TYPE_BRR);
	wr_be16(&w, 0);		/* Reserved */
	err = wr_opts(&w, &brr->opts);
	return err ? err : wr_finish(&w);
}

int mh_build_be(void *buf, size_t cap, const struct mh_be *be)
{
	struct wr w;
	int err;

	wr_start(&w, buf, cap, MH_TYPE_BE);
	wr_u8(&w, be->status);
	wr_u8(&w, 0);		/* Reserved */
	wr_put(&w, &be->hoa, 16);
	err = wr_opts(&w, &be->opts);
	return err ? err : wr_finish(&w);
}

/* ---- parsing ----------------------------------------------------------- */

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

bool mh_addr6_routable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_LINKLOCAL(a) &&
	       !IN6_IS_ADDR_V4MAPPED(a) && !IN6_IS_ADDR_V4COMPAT(a);
}

bool mh_addr4_routable(const struct in_addr *a)
{
	const uint8_t *b = (const uint8_t *)&a->s_addr;

	return b[0] != 0 && b[0] != 127 && b[0] < 224 &&
	       !(b[0] == 169 && b[1] == 254);
}

struct rd {
	const uint8_t *p;
	size_t len;
	struct mh_msg *out;
	struct mh_opts *o;
	uint8_t reply;		/* first BA status the BU must be refused with */
};

static enum mh_verdict drop(struct mh_msg *out, enum mh_drop why)
{
	out->drop = why;
	return MH_PARSE_DROP;
}

/* One BID option; returns a drop reason or MH_DROP_NONE */
static enum mh_drop rd_bid(struct rd *r, const uint8_t *d, uint8_t olen)
{
	bool is_bu = r->out->type == MH_TYPE_BU;
	struct mh_bid *b;

	if (olen != MH_BID_LEN_NOCOA && olen != MH_BID_LEN_V4 &&
	    olen != MH_BID_LEN_V6) {
		if (!is_bu)
			return MH_DROP_BID;
		if (!r->reply)
			r->reply = MH_BA_MCOA_MALFORMED;
		return MH_DROP_NONE;
	}
	if (r->o->nbids == MH_MAX_BIDS) {
		if (!is_bu)
			return MH_DROP_TOO_MANY_BIDS;
		if (!r->reply)
			r->reply = MH_BA_INSUFFICIENT;
		return MH_DROP_NONE;
	}

	b = &r->o->bids[r->o->nbids++];
	b->bid = get_be16(d);
	b->status = d[2];
	b->h = d[3] & MH_BID_F_H;
	b->pri = d[3] & MH_BID_PRI_MASK;
	if (olen == MH_BID_LEN_V4) {
		b->coa_family = AF_INET;
		memcpy(&b->coa4, d + 4, 4);
		if (is_bu && !mh_addr4_routable(&b->coa4))
			b->err = MH_BA_MCOA_MALFORMED;
	} else if (olen == MH_BID_LEN_V6) {
		b->coa_family = AF_INET6;
		memcpy(&b->coa6, d + 4, 16);
		if (is_bu && !mh_addr6_routable(&b->coa6))
			b->err = MH_BA_MCOA_MALFORMED;
	}
	return MH_DROP_NONE;
}

/* One Mobile Network Prefix option (RFC 3963 s.4.3) */
static enum mh_drop rd_mnp(struct rd *r, const uint8_t *d, uint8_t olen)
{
	struct mh_mnp *m;

	if (olen != MH_MNP_LEN)
		return MH_DROP_OPT_LEN;
	if (r->o->nmnps == MH_MAX_MNPS) {
		if (r->out->type == MH_TYPE_BU) {
			if (!r->reply)
				r->reply = MH_BA_INSUFFICIENT;
		} else {
			r->o->nunknown++;
		}
		return MH_DROP_NONE;
	}
	m = &r->o->mnps[r->o->nmnps++];
	/* d[0] is Reserved: ignored on receipt */
	m->plen = d[1];
	memcpy(&m->prefix, d + 2, 16);
	return MH_DROP_NONE;
}

static enum mh_drop rd_opt(struct rd *r, uint8_t type, const uint8_t *d,
			   uint8_t olen)
{
	struct mh_opts *o = r->o;
	bool dup = mh_opt_seen(o, type);

	o->seen[type >> 3] |= 1u << (type & 7);

	switch (type) {
	case MH_OPT_PADN:
		return MH_DROP_NONE;
	case MH_OPT_BID:
		return rd_bid(r, d, olen);
	case MH_OPT_MNP:
		return rd_mnp(r, d, olen);
	case MH_OPT_BRA:
		if (olen != 2)
			return MH_DROP_OPT_LEN;
		if (dup)
			return MH_DROP_OPT_DUP;
		o->has_bra = true;
		o->refresh = get_be16(d);
		return MH_DROP_NONE;
	case MH_OPT_ALTCOA:
		if (olen != 16)
			return MH_DROP_OPT_LEN;
		if (dup)
			return MH_DROP_OPT_DUP;
		o->has_altcoa = true;
		memcpy(&o->altcoa, d, 16);
		return MH_DROP_NONE;
	case MH_OPT_NONCE:
		if (olen != 4)
			return MH_DROP_OPT_LEN;
		break;
	case MH_OPT_LLA:
		if (olen < 1)
			return MH_DROP_OPT_LEN;
		/* keep the first one we can store; others are skipped */
		if (o->has_lla || olen - 1 > MH_LLA_MAX)
			break;
		o->has_lla = true;
		o->lla_code = d[0];
		o->lla_len = olen - 1;
		memcpy(o->lla, d + 1, o->lla_len);
		return MH_DROP_NONE;
	case MH_OPT_AUTH_DATA:
	case MH_OPT_AUTH:
		o->has_auth = true;
		break;
	default:
		break;
	}
	/* RFC 6275 s6.2.1: unknown options are skipped silently */
	o->nunknown++;
	return MH_DROP_NONE;
}

static enum mh_drop rd_opts(struct rd *r, size_t off)
{
	enum mh_drop why;

	while (off < r->len) {
		uint8_t type = r->p[off], olen;

		if (type == MH_OPT_PAD1) {
			off++;
			continue;
		}
		if (r->len - off < 2)
			return MH_DROP_OPT_TRUNC;
		olen = r->p[off + 1];
		if (r->len - off - 2 < olen)
			return MH_DROP_OPT_OVERRUN;
		why = rd_opt(r, type, r->p + off + 2, olen);
		if (why != MH_DROP_NONE)
			return why;
		off += 2 + (size_t)olen;
	}
	return MH_DROP_NONE;
}

enum mh_verdict mh_parse(const void *buf, size_t len, struct mh_msg *out)
{
	const uint8_t *p = buf;
	struct rd r = { .p = p, .len = len, .out = out };
	enum mh_drop why;
	size_t fixed;
	unsigned int i, bad;

	memset(out, 0, sizeof(*out));
	out->len = len > MH_MAX_LEN ? 0 : len;
	if (len >= 3)
		out->type = p[2];
	if (len < 8)
		return drop(out, MH_DROP_SHORT);
	if (p[0] != MH_PAYLOAD_PROTO)
		return drop(out, MH_DROP_PROTO);
	if (((size_t)p[1] + 1) * 8 != len)
		return drop(out, MH_DROP_HDRLEN);

	switch (out->type) {
	case MH_TYPE_BRR:
		fixed = BRR_FIXED;
		r.o = &out->u.brr.opts;
		break;
	case MH_TYPE_BU:
		fixed = BU_FIXED;
		r.o = &out->u.bu.opts;
		break;
	case MH_TYPE_BA:
		fixed = BA_FIXED;
		r.o = &out->u.ba.opts;
		break;
	case MH_TYPE_BE:
		fixed = BE_FIXED;
		r.o = &out->u.be.opts;
		break;
	default:
		/* RFC 6275 s9.2: unrecognized (or unsupported) MH type */
		out->status = MH_BE_UNKNOWN_MH;
		return MH_PARSE_BE;
	}
	/* the minimum HdrLen of each type is its fixed part rounded up */
	if (len < ((fixed + 7) & ~(size_t)7))
		return drop(out, MH_DROP_SHORT);

	switch (out->type) {
	case MH_TYPE_BU:
		out->u.bu.seq = get_be16(p + 6);
		out->u.bu.flags = get_be16(p + 8);
		out->u.bu.lifetime = get_be16(p + 10);
		break;
	case MH_TYPE_BA:
		out->u.ba.status = p[6];
		out->u.ba.flags = p[7];
		out->u.ba.seq = get_be16(p + 8);
		out->u.ba.lifetime = get_be16(p + 10);
		break;
	case MH_TYPE_BE:
		out->u.be.status = p[6];
		memcpy(&out->u.be.hoa, p + 8, 16);
		break;
	}

	why = rd_opts(&r, fixed);
	if (why != MH_DROP_NONE)
		return drop(out, why);

	if (r.reply) {
		out->status = r.reply;
		return MH_PARSE_REPLY;
	}
	if (out->type == MH_TYPE_BU && r.o->nbids) {
		for (i = 0, bad = 0; i < r.o->nbids; i++)
			bad += !!r.o->bids[i].err;
		/* nothing left to register: refuse the whole BU */
		if (bad == r.o->nbids) {
			out->status = MH_BA_MCOA_MALFORMED;
			return MH_PARSE_REPLY;
		}
	}
	return MH_PARSE_OK;
}

/* ---- checksum ---------------------------------------------------------- */

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

uint16_t mh_checksum(const struct in6_addr *src, const struct in6_addr *dst,
		     const void *mh, size_t len)
{
	const uint8_t *p = mh;
	uint8_t ph[8] = {
		len >> 24, len >> 16, len >> 8, len, 0, 0, 0, IPPROTO_MH
	};
	uint32_t s = 0;
	uint16_t c;

	s = sum16(s, src->s6_addr, 16);
	s = sum16(s, dst->s6_addr, 16);
	s = sum16(s, ph, 8);
	if (len > MH_CSUM_OFFSET + 2) {
		s = sum16(s, p, MH_CSUM_OFFSET);
		s = sum16(s, p + MH_CSUM_OFFSET + 2,
			  len - MH_CSUM_OFFSET - 2);
	} else {
		s = sum16(s, p, len < MH_CSUM_OFFSET ? len : MH_CSUM_OFFSET);
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	c = ~s & 0xffff;
	/* no 0 -> 0xffff mapping: that is UDP's rule, the kernel skips it */
	return c;
}

/* ---- names ------------------------------------------------------------- */

const char *mh_type_str(uint8_t type)
{
	static const char *const n[] = {
		[MH_TYPE_BRR] = "BRR", [MH_TYPE_HOTI] = "HoTI",
		[MH_TYPE_COTI] = "CoTI", [MH_TYPE_HOT] = "HoT",
		[MH_TYPE_COT] = "CoT", [MH_TYPE_BU] = "BU",
		[MH_TYPE_BA] = "BA", [MH_TYPE_BE] = "BE",
		[MH_TYPE_FBU] = "FBU", [MH_TYPE_FBACK] = "FBack",
		[MH_TYPE_FNA] = "FNA", [MH_TYPE_EXPERIMENTAL] = "Experimental",
		[MH_TYPE_HAS] = "HAS", [MH_TYPE_HB] = "Heartbeat",
		[MH_TYPE_HI] = "HI", [MH_TYPE_HACK] = "HAck",
		[MH_TYPE_BREV] = "BRev",
	};

	return type < sizeof(n) / sizeof(n[0]) && n[type] ? n[type] : "unknown";
}

const char *mh_ba_status_str(uint8_t status)
{
	switch (status) {
	case MH_BA_ACCEPTED:			return "accepted";
	case MH_BA_PREFIX_DISCOVERY:		return "accepted, prefix discovery necessary";
	case MH_BA_MCOA_NOTCOMPLETE:		return "MCOA NOTCOMPLETE";
	case MH_BA_MCOA_RETURNHOME_WO_NDP:	return "MCOA RETURNHOME WO/NDP";
	case MH_BA_UNSPECIFIED:			return "reason unspecified";
	case MH_BA_PROHIBITED:			return "administratively prohibited";
	case MH_BA_INSUFFICIENT:		return "insufficient resources";
	case MH_BA_HR_NOT_SUPPORTED:		return "home registration not supported";
	case MH_BA_NOT_HOME_SUBNET:		return "not home subnet";
	case MH_BA_NOT_HA_FOR_MN:		return "not home agent for this mobile node";
	case MH_BA_DAD_FAILED:			return "duplicate address detection failed";
	case MH_BA_SEQ_OUT_OF_WINDOW:		return "sequence number out of window";
	case MH_BA_EXPIRED_HOME_NONCE:		return "expired home nonce index";
	case MH_BA_EXPIRED_COA_NONCE:		return "expired care-of nonce index";
	case MH_BA_EXPIRED_NONCES:		return "expired nonces";
	case MH_BA_REG_TYPE_CHANGE:		return "registration type change disallowed";
	case MH_BA_MR_NOT_PERMITTED:		return "mobile router operation not permitted";
	case MH_BA_INVALID_PREFIX:		return "invalid prefix";
	case MH_BA_PREFIX_NOT_AUTHORIZED:	return "not authorized for prefix";
	case MH_BA_FORWARDING_FAILED:		return "forwarding setup failed";
	case MH_BA_MIPV6_ID_MISMATCH:		return "MIPV6-ID-MISMATCH";
	case MH_BA_MIPV6_MESG_ID_REQD:		return "MIPV6-MESG-ID-REQD";
	case MH_BA_MIPV6_AUTH_FAIL:		return "MIPV6-AUTH-FAIL";
	case MH_BA_MCOA_MALFORMED:		return "MCOA MALFORMED";
	case MH_BA_MCOA_NON_MCOA_EXISTS:	return "MCOA NON-MCOA BINDING EXISTS";
	case MH_BA_MCOA_PROHIBITED:		return "MCOA PROHIBITED";
	case MH_BA_MCOA_UNKNOWN_COA:		return "MCOA UNKNOWN COA";
	case MH_BA_MCOA_BULK_PROHIBITED:	return "MCOA BULK REGISTRATION PROHIBITED";
	case MH_BA_MCOA_SIMUL_HOME_FOREIGN:	return "MCOA SIMULTANEOUS HOME AND FOREIGN PROHIBITED";
	case MH_BA_INVALID_COA:			return "invalid care-of address";
	}
	return status < MH_BA_REJECTED ? "accepted (other)" : "rejected (other)";
}

const char *mh_drop_str(enum mh_drop drop)
{
	static const char *const n[MH_DROP__MAX] = {
		[MH_DROP_NONE] = "none",
		[MH_DROP_SHORT] = "too short",
		[MH_DROP_PROTO] = "payload proto not 59",
		[MH_DROP_HDRLEN] = "header length mismatch",
		[MH_DROP_OPT_TRUNC] = "option truncated",
		[MH_DROP_OPT_OVERRUN] = "option overruns message",
		[MH_DROP_OPT_LEN] = "option length invalid",
		[MH_DROP_OPT_DUP] = "option duplicated",
		[MH_DROP_BID] = "malformed BID option",
		[MH_DROP_TOO_MANY_BIDS] = "too many BID options",
	};

	return (unsigned int)drop < MH_DROP__MAX ? n[drop] : "unknown";
}

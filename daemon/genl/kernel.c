// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.c - libnl-3 client of the "mcoa" genetlink family and of the
 * "mcoa" rtnetlink link kind. See kernel.h for the contract.
 *
 * Synchronous requests go through mcoa_nl_request(): one request, its
 * replies, then its ack (or the NLMSG_DONE of a dump), with extack decoded
 * into a message for the user (the hostapd send_and_recv pattern).
 * Events and pipelined bulk requests bypass libnl's receive loop and read
 * the socket directly: that is the only way to see ENOBUFS as such, and it
 * lets one sendmsg() carry hundreds of requests.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/if_mcoa.h>
#include "kernel.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Event socket buffer: a burst of expiries (one per binding) must fit. */
#define MCOA_EV_RCVBUF		(8 << 20)
/* Pipelined requests per sendmsg(); their error acks must fit rcvbuf. */
#define MCOA_PIPE_MSGS		256
#define MCOA_PIPE_BYTES		(48 << 10)
#define MCOA_PIPE_RCVBUF	(8 << 20)
#define MCOA_RXBUF		(64 << 10)

struct mcoa_nl {
	struct nl_sock *cmd;
	struct nl_sock *ev;
	int family;
	int mcgrp;		/* -1 when the kernel has no such group */
	mcoa_prefix_event_cb prefix_cb;	/* prefix ntfs; NULL: skipped */
	uint32_t pipe_seq;
	unsigned int pipe_n;	/* requests queued in pipe_buf */
	size_t pipe_len;
	bool pipe_rcvbuf_set;
	unsigned char pipe_buf[MCOA_PIPE_BYTES];
	uint32_t pipe_off[MCOA_PIPE_MSGS];	/* offset of each request */
	unsigned long pipe_cookie[MCOA_PIPE_MSGS];
	unsigned char rx[MCOA_RXBUF] __attribute__((aligned(8)));
};

/* ---- attribute names, to turn NLMSGERR_ATTR_OFFS into words ----------- */

struct mcoa_aset {
	const char *const *names;
	unsigned int max;
	const struct mcoa_aset *const *nests;	/* indexed by type, or NULL */
};

static const char *const stats_names[] = {
	[MCOA_A_STATS_TX_PACKETS] = "tx-packets",
	[MCOA_A_STATS_TX_BYTES] = "tx-bytes",
	[MCOA_A_STATS_TX_DROPPED] = "tx-dropped",
	[MCOA_A_STATS_RX_PACKETS] = "rx-packets",
	[MCOA_A_STATS_RX_BYTES] = "rx-bytes",
	[MCOA_A_STATS_RX_DROPPED] = "rx-dropped",
	[MCOA_A_STATS_RX_SPOOFED] = "rx-spoofed",
	[MCOA_A_STATS_TX_NO_BINDING] = "tx-no-binding",
	[MCOA_A_STATS_TX_TOO_BIG] = "tx-too-big",
	[MCOA_A_STATS_PAD] = "pad",
	[MCOA_A_STATS_HOAS] = "hoas",
	[MCOA_A_STATS_ERR_IGNORED] = "err-ignored",
	[MCOA_A_STATS_RX_ECN_DROPPED] = "rx-ecn-dropped",
	[MCOA_A_STATS_PREFIXES] = "prefixes",
	[MCOA_A_STATS_GC_LAST_US] = "gc-last-us",
	[MCOA_A_STATS_GC_MAX_US] = "gc-max-us",
};

static const struct mcoa_aset stats_set = { stats_names, MCOA_A_STATS_MAX, NULL };

static const char *const binding_names[] = {
	[MCOA_A_BINDING_HOA] = "hoa",
	[MCOA_A_BINDING_BID] = "bid",
	[MCOA_A_BINDING_COA] = "coa",
	[MCOA_A_BINDING_COA4] = "coa4",
	[MCOA_A_BINDING_PEER] = "peer",
	[MCOA_A_BINDING_LINK] = "link",
	[MCOA_A_BINDING_PRIO] = "prio",
	[MCOA_A_BINDING_FLAGS] = "flags",
	[MCOA_A_BINDING_LIFETIME] = "lifetime",
	[MCOA_A_BINDING_EXPIRES] = "expires",
	[MCOA_A_BINDING_VERIFIED] = "verified",
	[MCOA_A_BINDING_STATS] = "stats",
	[MCOA_A_BINDING_DEL_REASON] = "del-reason",
	[MCOA_A_BINDING_PAD] = "pad",
	[MCOA_A_BINDING_VERIFY] = "verify",
	[MCOA_A_BINDING_NO_CARRIER] = "no-carrier",
};

static const struct mcoa_aset *const binding_nests[MCOA_A_BINDING_MAX + 1] = {
	[MCOA_A_BINDING_STATS] = &stats_set,
};

static const struct mcoa_aset binding_set = {
	binding_names, MCOA_A_BINDING_MAX, binding_nests
};

static const char *const flow_names[] = {
	[MCOA_A_FLOW_HOA] = "hoa",
	[MCOA_A_FLOW_FID] = "fid",
	[MCOA_A_FLOW_PRI] = "pri",
	[MCOA_A_FLOW_SRC] = "src",
	[MCOA_A_FLOW_SRC_PLEN] = "src-plen",
	[MCOA_A_FLOW_DST] = "dst",
	[MCOA_A_FLOW_DST_PLEN] = "dst-plen",
	[MCOA_A_FLOW_PROTO] = "proto",
	[MCOA_A_FLOW_SPORT_MIN] = "sport-min",
	[MCOA_A_FLOW_SPORT_MAX] = "sport-max",
	[MCOA_A_FLOW_DPORT_MIN] = "dport-min",
	[MCOA_A_FLOW_DPORT_MAX] = "dport-max",
	[MCOA_A_FLOW_TCLASS] = "tclass",
	[MCOA_A_FLOW_TCLASS_MASK] = "tclass-mask",
	[MCOA_A_FLOW_BIDS] = "bids",
	[MCOA_A_FLOW_PACKETS] = "packets",
	[MCOA_A_FLOW_PAD] = "pad",
};

static const struct mcoa_aset flow_set = { flow_names, MCOA_A_FLOW_MAX, NULL };

static const char *const hoa_names[] = {
	[MCOA_A_HOA_ADDR] = "addr",
	[MCOA_A_HOA_POLICY] = "policy",
	[MCOA_A_HOA_SEQ] = "seq",
	[MCOA_A_HOA_BINDINGS] = "bindings",
	[MCOA_A_HOA_RECENT_BID] = "recent-bid",
};

static const struct mcoa_aset hoa_set = { hoa_names, MCOA_A_HOA_MAX, NULL };

static const char *const prefix_names[] = {
	[MCOA_A_PREFIX_HOA] = "hoa",
	[MCOA_A_PREFIX_ADDR] = "addr",
	[MCOA_A_PREFIX_PLEN] = "plen",
};

static const struct mcoa_aset prefix_set = { prefix_names, MCOA_A_PREFIX_MAX, NULL };

static const char *const mcoa_names[] = {
	[MCOA_A_IFINDEX] = "ifindex",
	[MCOA_A_IFNAME] = "ifname",
	[MCOA_A_MODE] = "mode",
	[MCOA_A_BINDING] = "binding",
	[MCOA_A_FLOW] = "flow",
	[MCOA_A_HOA] = "hoa",
	[MCOA_A_STATS] = "stats",
	[MCOA_A_PREFIX] = "prefix",
};

static const struct mcoa_aset *const mcoa_nests[MCOA_A_MAX + 1] = {
	[MCOA_A_BINDING] = &binding_set,
	[MCOA_A_FLOW] = &flow_set,
	[MCOA_A_HOA] = &hoa_set,
	[MCOA_A_STATS] = &stats_set,
	[MCOA_A_PREFIX] = &prefix_set,
};

static const struct mcoa_aset mcoa_set = { mcoa_names, MCOA_A_MAX, mcoa_nests };

/* The part of rtnetlink that mcoa_link_add() sends. */
static const char *const mcoa_ifla_data_names[] = {
	[IFLA_MCOA_MODE] = "mode",
};

static const struct mcoa_aset ifla_data_set = {
	mcoa_ifla_data_names, IFLA_MCOA_MAX, NULL
};

static const char *const ifla_info_names[] = {
	[IFLA_INFO_KIND] = "kind",
	[IFLA_INFO_DATA] = "data",
};

static const struct mcoa_aset *const ifla_info_nests[IFLA_INFO_DATA + 1] = {
	[IFLA_INFO_DATA] = &ifla_data_set,
};

static const struct mcoa_aset ifla_info_set = {
	ifla_info_names, IFLA_INFO_DATA, ifla_info_nests
};

static const char *const ifla_names[] = {
	[IFLA_IFNAME] = "ifname",
	[IFLA_LINKINFO] = "linkinfo",
};

static const struct mcoa_aset *const ifla_nests[IFLA_LINKINFO + 1] = {
	[IFLA_LINKINFO] = &ifla_info_set,
};

static const struct mcoa_aset ifla_set = { ifla_names, IFLA_LINKINFO, ifla_nests };

static void aset_append(char *buf, size_t len, const struct mcoa_aset *set,
			unsigned int type)
{
	size_t used = strlen(buf);
	const char *sep = used ? "." : "";

	if (set && type <= set->max && set->names[type])
		snprintf(buf + used, len - used, "%s%s", sep, set->names[type]);
	else
		snprintf(buf + used, len - used, "%s%u", sep, type);
}

/*
 * Name the attribute at byte offset off of the request (from its
 * nlmsghdr), descending into nests: "binding.bid". want_nest: off points
 * at a nest and the caller wants its name (NLMSGERR_ATTR_MISS_NEST).
 */
static bool attr_path(const struct nlmsghdr *req, size_t hdrlen,
		      const struct mcoa_aset *set, uint32_t off,
		      char *buf, size_t len)
{
	const unsigned char *base = (const unsigned char *)req;
	size_t pos = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);
	size_t end = req->nlmsg_len;

	buf[0] = '\0';
	while (pos + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)(base + pos);
		unsigned int type = a->nla_type & NLA_TYPE_MASK;
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || pos + alen > end)
			return false;
		if (off == pos) {
			aset_append(buf, len, set, type);
			return true;
		}
		if (off > pos && off < pos + alen) {
			/* inside this attribute: a nest, or its payload */
			aset_append(buf, len, set, type);
			if (off < pos + NLA_HDRLEN)
				return true;
			set = (set && set->nests && type <= set->max) ?
				set->nests[type] : NULL;
			end = pos + alen;
			pos += NLA_HDRLEN;
			continue;
		}
		pos += NLA_ALIGN(alen);
	}
	return false;
}

/*
 * Turn an NLMSG_ERROR (or an NLMSG_DONE carrying an error) into the user's
 * message. errp points at the int error; tlv/tlvlen are the extack TLVs.
 */
static void format_error(int error, const struct nlattr *tlv, int tlvlen,
			 const struct nlmsghdr *req, size_t hdrlen,
			 const struct mcoa_aset *set, char *err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	char path[96];
	const char *msg = NULL;
	size_t used;

	if (!err)
		return;
	if (tlv && tlvlen > 0)
		nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlv, tlvlen,
			  NULL);
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		msg = nla_data(tb[NLMSGERR_ATTR_MSG]);
		snprintf(err, MCOA_NL_ERRLEN, "kernel: %.*s",
			 (int)strnlen(msg, nla_len(tb[NLMSGERR_ATTR_MSG])),
			 msg);
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		/* the attribute name follows below */
		snprintf(err, MCOA_NL_ERRLEN, "kernel: %s", strerror(-error));
	} else {
		snprintf(err, MCOA_NL_ERRLEN, "%s", strerror(-error));
	}
	used = strlen(err);

	if (tb[NLMSGERR_ATTR_OFFS] && req && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4 &&
	    attr_path(req, hdrlen, set, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]),
		      path, sizeof(path))) {
		snprintf(err + used, MCOA_NL_ERRLEN - used, " (attribute %s)",
			 path);
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
		   nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4) {
		unsigned int type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		const struct mcoa_aset *s = set;

		path[0] = '\0';
		if (tb[NLMSGERR_ATTR_MISS_NEST] && req &&
		    nla_len(tb[NLMSGERR_ATTR_MISS_NEST]) >= 4 &&
		    attr_path(req, hdrlen, set,
			      nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]),
			      path, sizeof(path))) {
			/* find the set of the nest: walk the names again */
			const struct nlattr *a = (const void *)((const char *)req +
				nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]));
			unsigned int nt = a->nla_type & NLA_TYPE_MASK;

			s = (set && set->nests && nt <= set->max) ?
				set->nests[nt] : NULL;
		}
		aset_append(path, sizeof(path), s, type);
		snprintf(err + used, MCOA_NL_ERRLEN - used,
			 " (missing attribute %s)", path);
	}
}

/* Decode the extack part of an NLMSG_ERROR message. */
static int parse_nlmsgerr(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
			  size_t hdrlen, const struct mcoa_aset *set, char *err)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t ack_len = NLMSG_HDRLEN + sizeof(*e);
	const struct nlattr *tlv = NULL;
	int tlvlen = 0;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return -EPROTO;
	if (!e->error)
		return 0;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > ack_len) {
		tlv = (const void *)((const char *)nlh + ack_len);
		tlvlen = nlh->nlmsg_len - ack_len;
	}
	format_error(e->error, tlv, tlvlen, req, hdrlen, set, err);
	return e->error;
}

static void set_err(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(char *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, MCOA_NL_ERRLEN, fmt, ap);
	va_end(ap);
}

/* A request that could not be built (no memory, or attributes too big). */
static int msg_failed(struct nl_msg *msg, char *err)
{
	nlmsg_free(msg);	/* NULL is fine */
	set_err(err, "cannot build netlink message");
	return -ENOMEM;
}

/* libnl's own error codes back to errno, for the few that can happen. */
static int nlerr_to_errno(int nlerr)
{
	switch (abs(nlerr)) {
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_PERM:		return -EPERM;
	case NLE_DUMP_INTR:	return -EAGAIN;
	case NLE_MSGSIZE:	return -EMSGSIZE;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_INTR:		return -EINTR;
	case NLE_INVAL:		return -EINVAL;
	case NLE_NOACCESS:	return -EACCES;
	default:		return -EIO;
	}
}

/* ---- synchronous request/reply ---------------------------------------- */

/*
 * A dump the kernel flags as torn (NLM_F_DUMP_INTR: the cache changed
 * between two of its messages) is dumped again, this many times at most.
 * Its messages are kept until the dump is known to be whole, so callers
 * see one consistent dump, never a mix of two. Should the cache change
 * during every try (a busy home agent), the last torn dump is handed over
 * all the same, and the call returns -EAGAIN: the caller knows it may miss
 * or repeat entries, and has the rest.
 */
#define DUMP_TRIES	16

struct mcoa_req {
	const struct nlmsghdr *req;
	size_t hdrlen;
	const struct mcoa_aset *set;
	int status;		/* 1: pending, 0: done, <0: -errno */
	bool intr;
	int (*parse)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int cb_ret;		/* first non-zero return of parse */
	char *err;
	/* a dump's replies, back to back, until NLMSG_DONE */
	bool buffer;
	bool keep_torn;		/* last try: keep them even when torn */
	char *buf;
	size_t len, cap;
};

static int req_keep(struct mcoa_req *r, const struct nlmsghdr *nlh)
{
	size_t need = NLMSG_ALIGN(nlh->nlmsg_len);
	char *nb;

	if (r->len + need > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 65536;

		while (cap < r->len + need)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (!nb)
			return -ENOMEM;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, nlh, nlh->nlmsg_len);
	r->len += need;
	return 0;
}

/* Hand a whole dump's replies to the parser. */
static void req_replay(struct mcoa_req *r)
{
	size_t off = 0;

	while (off < r->len && !r->cb_ret) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(r->buf + off);

		r->cb_ret = r->parse(nlh, r->arg);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct mcoa_req *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	if (!r->parse || r->cb_ret || (r->intr && !r->keep_torn))
		return NL_OK;
	if (r->buffer)
		r->cb_ret = req_keep(r, nlh);
	else
		r->cb_ret = r->parse(nlh, r->arg);
	return NL_OK;
}

static int req_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct mcoa_req *r = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	r->status = parse_nlmsgerr(nlh, r->req, r->hdrlen, r->set, r->err);
	if (r->status > 0)
		r->status = -r->status;
	return NL_STOP;
}

static int req_ack(struct nl_msg *msg, void *arg)
{
	struct mcoa_req *r = arg;

	(void)msg;
	r->status = 0;
	return NL_STOP;
}

/* NLMSG_DONE of a dump; since 4.x it may carry the dump's error + extack. */
static int req_finish(struct nl_msg *msg, void *arg)
{
	struct mcoa_req *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int error = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&error, NLMSG_DATA(nlh), sizeof(int));
	if (error < 0) {
		const struct nlattr *tlv = NULL;
		int tlvlen = 0;
		size_t off = NLMSG_HDRLEN + sizeof(int);

		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > off) {
			tlv = (const void *)((char *)nlh + off);
			tlvlen = nlh->nlmsg_len - off;
		}
		format_error(error, tlv, tlvlen, r->req, r->hdrlen, r->set,
			     r->err);
		r->status = error;
	} else {
		r->status = 0;
	}
	return NL_STOP;
}

static int nl_sock_setup(struct nl_sock *sk)
{
	int one = 1;
	int fd = nl_socket_get_fd(sk);

	/* extack messages, and no copy of our request in every ack */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* dump replies can be bigger than a page */
	nl_socket_enable_msg_peek(sk);
	return 0;
}

static int sock_request(struct nl_sock *sk, struct nl_msg *msg, size_t hdrlen,
			const struct mcoa_aset *set,
			int (*parse)(struct nlmsghdr *, void *), void *arg,
			bool keep_torn, char *err)
{
	struct mcoa_req r = {
		.hdrlen = hdrlen, .set = set, .status = 1,
		.parse = parse, .arg = arg, .err = err,
		.buffer = parse && (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP),
		.keep_torn = keep_torn,
	};
	struct nl_cb *cb;
	int ret;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		set_err(err, "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_ack, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, req_error, &r);

	ret = nl_send_auto(sk, msg);
	if (ret < 0) {
		set_err(err, "netlink send: %s", nl_geterror(ret));
		nl_cb_put(cb);
		return nlerr_to_errno(ret);
	}
	r.req = nlmsg_hdr(msg);

	while (r.status > 0) {
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0 && r.status > 0) {
			if (ret == -NLE_DUMP_INTR) {
				r.intr = true;
				continue;
			}
			set_err(err, "netlink receive: %s", nl_geterror(ret));
			r.status = nlerr_to_errno(ret);
		}
	}
	nl_cb_put(cb);

	if (r.status == 0 && (!r.intr || r.keep_torn) && r.buffer && !r.cb_ret)
		req_replay(&r);
	free(r.buf);
	if (r.status < 0)
		return r.status;
	if (r.intr) {
		set_err(err, "the kernel's table changed during every dump; "
			"this one may miss or repeat entries");
		return -EAGAIN;
	}
	return r.cb_ret;
}

/* ---- genl message building -------------------------------------------- */

static struct nl_msg *genl_msg(struct mcoa_nl *nl, uint8_t cmd, int flags,
			       int ifindex)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, MCOA_FAMILY_VERSION))
		goto fail;
	if (ifindex && nla_put_u32(msg, MCOA_A_IFINDEX, ifindex) < 0)
		goto fail;
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static int genl_request(struct mcoa_nl *nl, struct nl_msg *msg,
			int (*parse)(struct nlmsghdr *, void *), void *arg,
			char *err)
{
	bool dump = nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP;
	int ret, tries = 0;

	do {
		/* the same request again, with a sequence number of its own */
		nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
		ret = sock_request(nl->cmd, msg, GENL_HDRLEN, &mcoa_set,
				   parse, arg, tries == DUMP_TRIES - 1, err);
	} while (dump && ret == -EAGAIN && ++tries < DUMP_TRIES);
	nlmsg_free(msg);
	return ret;
}

static int put_addr(struct nl_msg *msg, int type, const struct in6_addr *a)
{
	return nla_put(msg, type, sizeof(*a), a);
}

static int put_binding(struct nl_msg *msg, const struct mcoa_binding *b,
		       bool key_only)
{
	struct nlattr *nest = nla_nest_start(msg, MCOA_A_BINDING);

	if (!nest)
		return -EMSGSIZE;
	if (put_addr(msg, MCOA_A_BINDING_HOA, &b->hoa) ||
	    nla_put_u16(msg, MCOA_A_BINDING_BID, b->bid))
		return -EMSGSIZE;
	if (key_only)
		goto out;
	if ((b->has & MCOA_B_COA) && put_addr(msg, MCOA_A_BINDING_COA, &b->coa))
		return -EMSGSIZE;
	if ((b->has & MCOA_B_PEER) &&
	    put_addr(msg, MCOA_A_BINDING_PEER, &b->peer))
		return -EMSGSIZE;
	if ((b->has & MCOA_B_LINK) &&
	    nla_put_u32(msg, MCOA_A_BINDING_LINK, b->link))
		return -EMSGSIZE;
	if ((b->has & MCOA_B_PRIO) &&
	    nla_put_u8(msg, MCOA_A_BINDING_PRIO, b->prio))
		return -EMSGSIZE;
	if ((b->has & MCOA_B_FLAGS) &&
	    nla_put_u32(msg, MCOA_A_BINDING_FLAGS, b->flags))
		return -EMSGSIZE;
	if ((b->has & MCOA_B_LIFETIME) &&
	    nla_put_u32(msg, MCOA_A_BINDING_LIFETIME, b->lifetime))
		return -EMSGSIZE;
	if ((b->has & MCOA_B_VERIFY) && nla_put_flag(msg, MCOA_A_BINDING_VERIFY))
		return -EMSGSIZE;
out:
	nla_nest_end(msg, nest);
	return 0;
}

/* ---- reply parsing (no policy in libnl: check every length) ----------- */

static bool get_addr(const struct nlattr *a, struct in6_addr *out)
{
	if (!a || nla_len(a) != sizeof(*out))
		return false;
	memcpy(out, nla_data(a), sizeof(*out));
	return true;
}

static bool get_u8(const struct nlattr *a, uint8_t *out)
{
	if (!a || nla_len(a) < 1)
		return false;
	*out = *(const uint8_t *)nla_data(a);
	return true;
}

static bool get_u16(const struct nlattr *a, uint16_t *out)
{
	if (!a || nla_len(a) < 2)
		return false;
	memcpy(out, nla_data(a), 2);
	return true;
}

static bool get_u32(const struct nlattr *a, uint32_t *out)
{
	if (!a || nla_len(a) < 4)
		return false;
	memcpy(out, nla_data(a), 4);
	return true;
}

/* u64 (and YNL "uint", which may be sent as 4 bytes) */
static bool get_u64(const struct nlattr *a, uint64_t *out)
{
	uint32_t v32;

	if (!a)
		return false;
	if (nla_len(a) >= 8) {
		memcpy(out, nla_data(a), 8);
		return true;
	}
	if (nla_len(a) == 4) {
		memcpy(&v32, nla_data(a), 4);
		*out = v32;
		return true;
	}
	return false;
}

static void parse_stats(struct nlattr *nest, struct mcoa_stats *s)
{
	struct nlattr *tb[MCOA_A_STATS_MAX + 1];
	uint64_t *fields[MCOA_A_STATS_MAX + 1] = {
		[MCOA_A_STATS_TX_PACKETS] = &s->tx_packets,
		[MCOA_A_STATS_TX_BYTES] = &s->tx_bytes,
		[MCOA_A_STATS_TX_DROPPED] = &s->tx_dropped,
		[MCOA_A_STATS_RX_PACKETS] = &s->rx_packets,
		[MCOA_A_STATS_RX_BYTES] = &s->rx_bytes,
		[MCOA_A_STATS_RX_DROPPED] = &s->rx_dropped,
		[MCOA_A_STATS_RX_SPOOFED] = &s->rx_spoofed,
		[MCOA_A_STATS_TX_NO_BINDING] = &s->tx_no_binding,
		[MCOA_A_STATS_TX_TOO_BIG] = &s->tx_too_big,
		[MCOA_A_STATS_HOAS] = &s->hoas,
		[MCOA_A_STATS_ERR_IGNORED] = &s->err_ignored,
		[MCOA_A_STATS_RX_ECN_DROPPED] = &s->rx_ecn_dropped,
		[MCOA_A_STATS_PREFIXES] = &s->prefixes,
		[MCOA_A_STATS_GC_LAST_US] = &s->gc_last_us,
		[MCOA_A_STATS_GC_MAX_US] = &s->gc_max_us,
	};
	int i;

	memset(s, 0, sizeof(*s));
	if (nla_parse_nested(tb, MCOA_A_STATS_MAX, nest, NULL) < 0)
		return;
	for (i = 1; i <= MCOA_A_STATS_MAX; i++)
		if (fields[i] && get_u64(tb[i], fields[i]))
			s->has |= MCOA_STATS_HAS(i);
}

static int parse_binding(struct nlattr *nest, struct mcoa_binding *b)
{
	struct nlattr *tb[MCOA_A_BINDING_MAX + 1];

	memset(b, 0, sizeof(*b));
	if (!nest || nla_parse_nested(tb, MCOA_A_BINDING_MAX, nest, NULL) < 0)
		return -EPROTO;
	if (!get_addr(tb[MCOA_A_BINDING_HOA], &b->hoa) ||
	    !get_u16(tb[MCOA_A_BINDING_BID], &b->bid))
		return -EPROTO;
	if (get_addr(tb[MCOA_A_BINDING_COA], &b->coa))
		b->has |= MCOA_B_COA;
	if (get_addr(tb[MCOA_A_BINDING_PEER], &b->peer))
		b->has |= MCOA_B_PEER;
	if (get_u32(tb[MCOA_A_BINDING_LINK], &b->link))
		b->has |= MCOA_B_LINK;
	if (get_u8(tb[MCOA_A_BINDING_PRIO], &b->prio))
		b->has |= MCOA_B_PRIO;
	if (get_u32(tb[MCOA_A_BINDING_FLAGS], &b->flags))
		b->has |= MCOA_B_FLAGS;
	if (get_u32(tb[MCOA_A_BINDING_LIFETIME], &b->lifetime))
		b->has |= MCOA_B_LIFETIME;
	if (get_u64(tb[MCOA_A_BINDING_EXPIRES], &b->expires_ms))
		b->has |= MCOA_B_EXPIRES;
	if (get_u64(tb[MCOA_A_BINDING_VERIFIED], &b->verified_ms))
		b->has |= MCOA_B_VERIFIED;
	if (get_u32(tb[MCOA_A_BINDING_DEL_REASON], &b->del_reason))
		b->has |= MCOA_B_DEL_REASON;
	if (tb[MCOA_A_BINDING_NO_CARRIER])
		b->has |= MCOA_B_NO_CARRIER;
	if (tb[MCOA_A_BINDING_STATS]) {
		parse_stats(tb[MCOA_A_BINDING_STATS], &b->stats);
		b->has |= MCOA_B_STATS;
	}
	return 0;
}

static int parse_flow(struct nlattr *nest, struct mcoa_flow *f)
{
	struct nlattr *tb[MCOA_A_FLOW_MAX + 1];

	memset(f, 0, sizeof(*f));
	if (!nest || nla_parse_nested(tb, MCOA_A_FLOW_MAX, nest, NULL) < 0)
		return -EPROTO;
	if (!get_addr(tb[MCOA_A_FLOW_HOA], &f->hoa) ||
	    !get_u16(tb[MCOA_A_FLOW_FID], &f->fid))
		return -EPROTO;
	if (get_u16(tb[MCOA_A_FLOW_PRI], &f->pri))
		f->has |= MCOA_F_PRI;
	if (get_addr(tb[MCOA_A_FLOW_SRC], &f->src)) {
		f->has |= MCOA_F_SRC;
		f->src_plen = 128;
		get_u8(tb[MCOA_A_FLOW_SRC_PLEN], &f->src_plen);
	}
	if (get_addr(tb[MCOA_A_FLOW_DST], &f->dst)) {
		f->has |= MCOA_F_DST;
		f->dst_plen = 128;
		get_u8(tb[MCOA_A_FLOW_DST_PLEN], &f->dst_plen);
	}
	if (get_u8(tb[MCOA_A_FLOW_PROTO], &f->proto))
		f->has |= MCOA_F_PROTO;
	if (get_u16(tb[MCOA_A_FLOW_SPORT_MIN], &f->sport_min)) {
		f->has |= MCOA_F_SPORT;
		f->sport_max = f->sport_min;
	}
	if (get_u16(tb[MCOA_A_FLOW_SPORT_MAX], &f->sport_max))
		f->has |= MCOA_F_SPORT;
	if (get_u16(tb[MCOA_A_FLOW_DPORT_MIN], &f->dport_min)) {
		f->has |= MCOA_F_DPORT;
		f->dport_max = f->dport_min;
	}
	if (get_u16(tb[MCOA_A_FLOW_DPORT_MAX], &f->dport_max))
		f->has |= MCOA_F_DPORT;
	if (get_u8(tb[MCOA_A_FLOW_TCLASS], &f->tclass)) {
		f->has |= MCOA_F_TCLASS;
		f->tclass_mask = 0xff;
		get_u8(tb[MCOA_A_FLOW_TCLASS_MASK], &f->tclass_mask);
	}
	if (tb[MCOA_A_FLOW_BIDS]) {
		unsigned int n = nla_len(tb[MCOA_A_FLOW_BIDS]) / 2;

		if (n > MCOA_FLOW_BIDS_MAX)
			n = MCOA_FLOW_BIDS_MAX;
		memcpy(f->bids, nla_data(tb[MCOA_A_FLOW_BIDS]), n * 2);
		f->n_bids = n;
		f->has |= MCOA_F_BIDS;
	}
	if (get_u64(tb[MCOA_A_FLOW_PACKETS], &f->packets))
		f->has |= MCOA_F_PACKETS;
	return 0;
}

static int parse_hoa(struct nlattr *nest, struct mcoa_hoa *h)
{
	struct nlattr *tb[MCOA_A_HOA_MAX + 1];

	memset(h, 0, sizeof(*h));
	if (!nest || nla_parse_nested(tb, MCOA_A_HOA_MAX, nest, NULL) < 0)
		return -EPROTO;
	if (!get_addr(tb[MCOA_A_HOA_ADDR], &h->addr))
		return -EPROTO;
	if (get_u32(tb[MCOA_A_HOA_POLICY], &h->policy))
		h->has |= MCOA_H_POLICY;
	if (get_u16(tb[MCOA_A_HOA_SEQ], &h->seq))
		h->has |= MCOA_H_SEQ;
	if (get_u32(tb[MCOA_A_HOA_BINDINGS], &h->bindings))
		h->has |= MCOA_H_BINDINGS;
	if (get_u16(tb[MCOA_A_HOA_RECENT_BID], &h->recent_bid))
		h->has |= MCOA_H_RECENT_BID;
	return 0;
}

static int parse_prefix(struct nlattr *nest, struct mcoa_prefix *p)
{
	struct nlattr *tb[MCOA_A_PREFIX_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (!nest || nla_parse_nested(tb, MCOA_A_PREFIX_MAX, nest, NULL) < 0)
		return -EPROTO;
	if (!get_addr(tb[MCOA_A_PREFIX_HOA], &p->hoa) ||
	    !get_addr(tb[MCOA_A_PREFIX_ADDR], &p->addr) ||
	    !get_u8(tb[MCOA_A_PREFIX_PLEN], &p->plen))
		return -EPROTO;
	return 0;
}

static int top_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (genlmsg_parse(nlh, 0, tb, MCOA_A_MAX, NULL) < 0)
		return -EPROTO;
	return 0;
}

static int top_ifindex(struct nlattr **tb)
{
	uint32_t v = 0;

	get_u32(tb[MCOA_A_IFINDEX], &v);
	return (int)v;
}

/* ---- handle ------------------------------------------------------------ */

int mcoa_nl_open(struct mcoa_nl **nlp, char *err)
{
	struct mcoa_nl *nl;
	int ret;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		set_err(err, "out of memory");
		return -ENOMEM;
	}
	nl->mcgrp = -1;
	nl->cmd = nl_socket_alloc();
	if (!nl->cmd) {
		set_err(err, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	ret = genl_connect(nl->cmd);
	if (ret < 0) {
		set_err(err, "generic netlink socket: %s", nl_geterror(ret));
		ret = nlerr_to_errno(ret);
		goto fail;
	}
	nl_sock_setup(nl->cmd);

	ret = genl_ctrl_resolve(nl->cmd, MCOA_FAMILY_NAME);
	if (ret < 0) {
		set_err(err, "mcoa genetlink family not found (is mcoa.ko loaded?)");
		ret = -ENOENT;
		goto fail;
	}
	nl->family = ret;
	ret = genl_ctrl_resolve_grp(nl->cmd, MCOA_FAMILY_NAME,
				    MCOA_MCGRP_BINDINGS);
	nl->mcgrp = ret < 0 ? -1 : ret;
	*nlp = nl;
	return 0;
fail:
	mcoa_nl_close(nl);
	return ret;
}

void mcoa_nl_close(struct mcoa_nl *nl)
{
	if (!nl)
		return;
	if (nl->ev)
		nl_socket_free(nl->ev);
	if (nl->cmd)
		nl_socket_free(nl->cmd);
	free(nl);
}

/* ---- binding ops ------------------------------------------------------- */

static int binding_write(struct mcoa_nl *nl, uint8_t cmd, int ifindex,
			 const struct mcoa_binding *b, bool key_only, char *err)
{
	struct nl_msg *msg = genl_msg(nl, cmd, 0, ifindex);

	if (!msg || put_binding(msg, b, key_only))
		return msg_failed(msg, err);
	return genl_request(nl, msg, NULL, NULL, err);
}

int mcoa_nl_binding_new(struct mcoa_nl *nl, int ifindex,
			const struct mcoa_binding *b, char *err)
{
	return binding_write(nl, MCOA_CMD_BINDING_NEW, ifindex, b, false, err);
}

int mcoa_nl_binding_set(struct mcoa_nl *nl, int ifindex,
			const struct mcoa_binding *b, char *err)
{
	return binding_write(nl, MCOA_CMD_BINDING_SET, ifindex, b, false, err);
}

int mcoa_nl_binding_del(struct mcoa_nl *nl, int ifindex,
			const struct in6_addr *hoa, uint16_t bid, char *err)
{
	struct mcoa_binding b = { .hoa = *hoa, .bid = bid };

	return binding_write(nl, MCOA_CMD_BINDING_DEL, ifindex, &b, true, err);
}

struct binding_dump_ctx {
	mcoa_binding_cb cb;
	void *arg;
	struct mcoa_binding *out;	/* binding_get */
	bool got;
};

static int binding_reply(struct nlmsghdr *nlh, void *arg)
{
	struct binding_dump_ctx *c = arg;
	struct nlattr *tb[MCOA_A_MAX + 1];
	struct mcoa_binding b;

	if (top_parse(nlh, tb) || parse_binding(tb[MCOA_A_BINDING], &b))
		return 0;	/* not ours to judge: skip malformed entries */
	b.ifindex = top_ifindex(tb);
	if (c->out) {
		*c->out = b;
		c->got = true;
		return 0;
	}
	return c->cb(&b, c->arg);
}

int mcoa_nl_binding_get(struct mcoa_nl *nl, int ifindex,
			const struct in6_addr *hoa, uint16_t bid,
			struct mcoa_binding *out, char *err)
{
	struct mcoa_binding key = { .hoa = *hoa, .bid = bid };
	struct binding_dump_ctx c = { .out = out };
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_BINDING_GET, 0, ifindex);
	int ret;

	if (!msg || put_binding(msg, &key, true))
		return msg_failed(msg, err);
	ret = genl_request(nl, msg, binding_reply, &c, err);
	if (!ret && !c.got) {
		set_err(err, "no reply from the kernel");
		return -EPROTO;
	}
	return ret;
}

/* Optional filter: a @nest_type nest holding only the HoA; 0 or -1. */
static int put_hoa_filter(struct nl_msg *msg, int nest_type, int addr_type,
			  const struct in6_addr *hoa)
{
	struct nlattr *nest;

	if (!hoa)
		return 0;
	nest = nla_nest_start(msg, nest_type);
	if (!nest || put_addr(msg, addr_type, hoa))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

int mcoa_nl_binding_flush(struct mcoa_nl *nl, int ifindex,
			  const struct in6_addr *hoa, char *err)
{
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_BINDING_FLUSH, 0, ifindex);

	if (!msg || put_hoa_filter(msg, MCOA_A_BINDING, MCOA_A_BINDING_HOA,
				   hoa))
		return msg_failed(msg, err);
	return genl_request(nl, msg, NULL, NULL, err);
}

/* Dump request with an optional nest holding only the HoA filter. */
static struct nl_msg *dump_msg(struct mcoa_nl *nl, uint8_t cmd, int ifindex,
			       int nest_type, int addr_type,
			       const struct in6_addr *hoa)
{
	struct nl_msg *msg = genl_msg(nl, cmd, NLM_F_DUMP, ifindex);

	if (msg && put_hoa_filter(msg, nest_type, addr_type, hoa)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int mcoa_nl_binding_dump(struct mcoa_nl *nl, int ifindex,
			 const struct in6_addr *hoa,
			 mcoa_binding_cb cb, void *arg, char *err)
{
	struct binding_dump_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg *msg = dump_msg(nl, MCOA_CMD_BINDING_GET, ifindex,
				      MCOA_A_BINDING, MCOA_A_BINDING_HOA, hoa);

	if (!msg)
		return msg_failed(msg, err);
	return genl_request(nl, msg, binding_reply, &c, err);
}

/* ---- flows ------------------------------------------------------------- */

int mcoa_nl_flow_new(struct mcoa_nl *nl, int ifindex,
		     const struct mcoa_flow *f, char *err)
{
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_FLOW_NEW, 0, ifindex);
	struct nlattr *nest;

	if (!msg)
		goto nomem;
	nest = nla_nest_start(msg, MCOA_A_FLOW);
	if (!nest || put_addr(msg, MCOA_A_FLOW_HOA, &f->hoa) ||
	    nla_put_u16(msg, MCOA_A_FLOW_FID, f->fid))
		goto nomem;
	if ((f->has & MCOA_F_PRI) && nla_put_u16(msg, MCOA_A_FLOW_PRI, f->pri))
		goto nomem;
	if ((f->has & MCOA_F_SRC) &&
	    (put_addr(msg, MCOA_A_FLOW_SRC, &f->src) ||
	     nla_put_u8(msg, MCOA_A_FLOW_SRC_PLEN, f->src_plen)))
		goto nomem;
	if ((f->has & MCOA_F_DST) &&
	    (put_addr(msg, MCOA_A_FLOW_DST, &f->dst) ||
	     nla_put_u8(msg, MCOA_A_FLOW_DST_PLEN, f->dst_plen)))
		goto nomem;
	if ((f->has & MCOA_F_PROTO) &&
	    nla_put_u8(msg, MCOA_A_FLOW_PROTO, f->proto))
		goto nomem;
	if ((f->has & MCOA_F_SPORT) &&
	    (nla_put_u16(msg, MCOA_A_FLOW_SPORT_MIN, f->sport_min) ||
	     nla_put_u16(msg, MCOA_A_FLOW_SPORT_MAX, f->sport_max)))
		goto nomem;
	if ((f->has & MCOA_F_DPORT) &&
	    (nla_put_u16(msg, MCOA_A_FLOW_DPORT_MIN, f->dport_min) ||
	     nla_put_u16(msg, MCOA_A_FLOW_DPORT_MAX, f->dport_max)))
		goto nomem;
	if ((f->has & MCOA_F_TCLASS) &&
	    (nla_put_u8(msg, MCOA_A_FLOW_TCLASS, f->tclass) ||
	     nla_put_u8(msg, MCOA_A_FLOW_TCLASS_MASK, f->tclass_mask)))
		goto nomem;
	if ((f->has & MCOA_F_BIDS) &&
	    nla_put(msg, MCOA_A_FLOW_BIDS, f->n_bids * sizeof(f->bids[0]),
		    f->bids))
		goto nomem;
	nla_nest_end(msg, nest);
	return genl_request(nl, msg, NULL, NULL, err);
nomem:
	return msg_failed(msg, err);
}

int mcoa_nl_flow_del(struct mcoa_nl *nl, int ifindex,
		     const struct in6_addr *hoa, uint16_t fid, char *err)
{
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_FLOW_DEL, 0, ifindex);
	struct nlattr *nest;

	if (!msg)
		goto nomem;
	nest = nla_nest_start(msg, MCOA_A_FLOW);
	if (!nest || put_addr(msg, MCOA_A_FLOW_HOA, hoa) ||
	    nla_put_u16(msg, MCOA_A_FLOW_FID, fid))
		goto nomem;
	nla_nest_end(msg, nest);
	return genl_request(nl, msg, NULL, NULL, err);
nomem:
	return msg_failed(msg, err);
}

struct flow_dump_ctx {
	mcoa_flow_cb cb;
	void *arg;
};

static int flow_reply(struct nlmsghdr *nlh, void *arg)
{
	struct flow_dump_ctx *c = arg;
	struct nlattr *tb[MCOA_A_MAX + 1];
	struct mcoa_flow f;

	if (top_parse(nlh, tb) || parse_flow(tb[MCOA_A_FLOW], &f))
		return 0;
	f.ifindex = top_ifindex(tb);
	return c->cb(&f, c->arg);
}

int mcoa_nl_flow_dump(struct mcoa_nl *nl, int ifindex,
		      const struct in6_addr *hoa,
		      mcoa_flow_cb cb, void *arg, char *err)
{
	struct flow_dump_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg *msg = dump_msg(nl, MCOA_CMD_FLOW_GET, ifindex,
				      MCOA_A_FLOW, MCOA_A_FLOW_HOA, hoa);

	if (!msg)
		return msg_failed(msg, err);
	return genl_request(nl, msg, flow_reply, &c, err);
}

/* ---- per-HoA state ----------------------------------------------------- */

int mcoa_nl_hoa_set(struct mcoa_nl *nl, int ifindex,
		    const struct mcoa_hoa *h, char *err)
{
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_HOA_SET, 0, ifindex);
	struct nlattr *nest;

	if (!msg)
		goto nomem;
	nest = nla_nest_start(msg, MCOA_A_HOA);
	if (!nest || put_addr(msg, MCOA_A_HOA_ADDR, &h->addr))
		goto nomem;
	if ((h->has & MCOA_H_POLICY) &&
	    nla_put_u32(msg, MCOA_A_HOA_POLICY, h->policy))
		goto nomem;
	if ((h->has & MCOA_H_SEQ) && nla_put_u16(msg, MCOA_A_HOA_SEQ, h->seq))
		goto nomem;
	nla_nest_end(msg, nest);
	return genl_request(nl, msg, NULL, NULL, err);
nomem:
	return msg_failed(msg, err);
}

int mcoa_nl_hoa_del(struct mcoa_nl *nl, int ifindex,
		    const struct in6_addr *addr, char *err)
{
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_HOA_DEL, 0, ifindex);
	struct nlattr *nest;

	if (!msg)
		goto nomem;
	nest = nla_nest_start(msg, MCOA_A_HOA);
	if (!nest || put_addr(msg, MCOA_A_HOA_ADDR, addr))
		goto nomem;
	nla_nest_end(msg, nest);
	return genl_request(nl, msg, NULL, NULL, err);
nomem:
	return msg_failed(msg, err);
}

struct hoa_dump_ctx {
	mcoa_hoa_cb cb;
	void *arg;
};

static int hoa_reply(struct nlmsghdr *nlh, void *arg)
{
	struct hoa_dump_ctx *c = arg;
	struct nlattr *tb[MCOA_A_MAX + 1];
	struct mcoa_hoa h;

	if (top_parse(nlh, tb) || parse_hoa(tb[MCOA_A_HOA], &h))
		return 0;
	h.ifindex = top_ifindex(tb);
	return c->cb(&h, c->arg);
}

int mcoa_nl_hoa_dump(struct mcoa_nl *nl, int ifindex,
		     const struct in6_addr *hoa,
		     mcoa_hoa_cb cb, void *arg, char *err)
{
	struct hoa_dump_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg *msg = dump_msg(nl, MCOA_CMD_HOA_GET, ifindex,
				      MCOA_A_HOA, MCOA_A_HOA_ADDR, hoa);

	if (!msg)
		return msg_failed(msg, err);
	return genl_request(nl, msg, hoa_reply, &c, err);
}

/* ---- mobile network prefixes ----------------------------------------- */

static int prefix_write(struct mcoa_nl *nl, uint8_t cmd, int ifindex,
			const struct mcoa_prefix *p, char *err)
{
	struct nl_msg *msg = genl_msg(nl, cmd, 0, ifindex);
	struct nlattr *nest;

	if (!msg)
		goto nomem;
	nest = nla_nest_start(msg, MCOA_A_PREFIX);
	if (!nest || put_addr(msg, MCOA_A_PREFIX_ADDR, &p->addr) ||
	    nla_put_u8(msg, MCOA_A_PREFIX_PLEN, p->plen))
		goto nomem;
	/* prefix-del takes the HoA as a check: :: leaves it out */
	if ((cmd == MCOA_CMD_PREFIX_NEW || !IN6_IS_ADDR_UNSPECIFIED(&p->hoa)) &&
	    put_addr(msg, MCOA_A_PREFIX_HOA, &p->hoa))
		goto nomem;
	nla_nest_end(msg, nest);
	return genl_request(nl, msg, NULL, NULL, err);
nomem:
	return msg_failed(msg, err);
}

int mcoa_nl_prefix_new(struct mcoa_nl *nl, int ifindex,
		       const struct mcoa_prefix *p, char *err)
{
	return prefix_write(nl, MCOA_CMD_PREFIX_NEW, ifindex, p, err);
}

int mcoa_nl_prefix_del(struct mcoa_nl *nl, int ifindex,
		       const struct mcoa_prefix *p, char *err)
{
	return prefix_write(nl, MCOA_CMD_PREFIX_DEL, ifindex, p, err);
}

struct prefix_dump_ctx {
	mcoa_prefix_cb cb;
	void *arg;
};

static int prefix_reply(struct nlmsghdr *nlh, void *arg)
{
	struct prefix_dump_ctx *c = arg;
	struct nlattr *tb[MCOA_A_MAX + 1];
	struct mcoa_prefix p;

	if (top_parse(nlh, tb) || parse_prefix(tb[MCOA_A_PREFIX], &p))
		return 0;
	p.ifindex = top_ifindex(tb);
	return c->cb(&p, c->arg);
}

int mcoa_nl_prefix_dump(struct mcoa_nl *nl, int ifindex,
			const struct in6_addr *hoa,
			mcoa_prefix_cb cb, void *arg, char *err)
{
	struct prefix_dump_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg *msg = dump_msg(nl, MCOA_CMD_PREFIX_GET, ifindex,
				      MCOA_A_PREFIX, MCOA_A_PREFIX_HOA, hoa);

	if (!msg)
		return msg_failed(msg, err);
	return genl_request(nl, msg, prefix_reply, &c, err);
}

/* ---- devices ----------------------------------------------------------- */

struct dev_ctx {
	mcoa_dev_cb cb;
	void *arg;
	struct mcoa_dev_info *out;
	bool got;
};

static int dev_reply(struct nlmsghdr *nlh, void *arg)
{
	struct dev_ctx *c = arg;
	struct nlattr *tb[MCOA_A_MAX + 1];
	struct mcoa_dev_info d;
	struct nlattr *a;
	int rem;

	if (top_parse(nlh, tb))
		return 0;
	memset(&d, 0, sizeof(d));
	d.ifindex = top_ifindex(tb);
	if (tb[MCOA_A_IFNAME])
		snprintf(d.ifname, sizeof(d.ifname), "%.*s",
			 nla_len(tb[MCOA_A_IFNAME]),
			 (const char *)nla_data(tb[MCOA_A_IFNAME]));
	else if (!if_indextoname(d.ifindex, d.ifname))
		snprintf(d.ifname, sizeof(d.ifname), "%d", d.ifindex);
	if (get_u32(tb[MCOA_A_MODE], &d.mode))
		d.has |= MCOA_D_MODE;
	if (tb[MCOA_A_STATS]) {
		parse_stats(tb[MCOA_A_STATS], &d.stats);
		d.has |= MCOA_D_STATS;
	}
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		struct nlattr *htb[MCOA_A_HOA_MAX + 1];

		if (nla_type(a) != MCOA_A_HOA)
			continue;
		d.n_hoas++;
		/* the kernel puts the device-wide binding count here */
		if (!nla_parse_nested(htb, MCOA_A_HOA_MAX, a, NULL) &&
		    get_u32(htb[MCOA_A_HOA_BINDINGS], &d.bindings))
			d.has |= MCOA_D_BINDINGS;
	}
	if (c->out) {
		*c->out = d;
		c->got = true;
		return 0;
	}
	return c->cb(&d, c->arg);
}

int mcoa_nl_dev_get(struct mcoa_nl *nl, int ifindex,
		    struct mcoa_dev_info *out, char *err)
{
	struct dev_ctx c = { .out = out };
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_DEV_GET, 0, ifindex);
	int ret;

	if (!msg)
		return msg_failed(msg, err);
	ret = genl_request(nl, msg, dev_reply, &c, err);
	if (!ret && !c.got) {
		set_err(err, "no reply from the kernel");
		return -EPROTO;
	}
	return ret;
}

int mcoa_nl_dev_dump(struct mcoa_nl *nl, mcoa_dev_cb cb, void *arg,
		     char *err)
{
	struct dev_ctx c = { .cb = cb, .arg = arg };
	struct nl_msg *msg = genl_msg(nl, MCOA_CMD_DEV_GET, NLM_F_DUMP, 0);

	if (!msg)
		return msg_failed(msg, err);
	return genl_request(nl, msg, dev_reply, &c, err);
}

static int raw_reply(struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(unsigned int *)arg)++;
	return 0;
}

int mcoa_nl_raw_request(struct mcoa_nl *nl, uint8_t cmd, uint16_t flags,
			const void *attrs, size_t len, char *err)
{
	struct nl_msg *msg = genl_msg(nl, cmd, flags, 0);
	unsigned int replies = 0;
	void *p;

	if (!msg)
		goto nomem;
	p = nlmsg_reserve(msg, len, NLMSG_ALIGNTO);
	if (len && !p)
		goto nomem;
	if (len)
		memcpy(p, attrs, len);
	return genl_request(nl, msg, raw_reply, &replies, err);
nomem:
	return msg_failed(msg, err);
}

/* ---- pipelined requests ------------------------------------------------ */

/*
 * Requests are packed into pipe_buf without NLM_F_ACK, so the kernel only
 * answers the ones it rejects; the last request of each batch carries
 * NLM_F_ACK and acts as a fence: once its answer is read, every error of
 * the batch has been read too (netlink processes a batch in order).
 */
static int pipe_send(struct mcoa_nl *nl, mcoa_ack_cb ack_cb, void *arg,
		     char *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = nl_socket_get_fd(nl->cmd);
	struct nlmsghdr *last;
	uint32_t first_seq, last_seq;
	bool done = false;
	ssize_t n;

	if (!nl->pipe_n)
		return 0;
	if (!nl->pipe_rcvbuf_set) {
		int sz = MCOA_PIPE_RCVBUF;

		/* FORCE needs CAP_NET_ADMIN, which every op needs anyway */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		nl->pipe_rcvbuf_set = true;
	}
	last = (void *)(nl->pipe_buf + nl->pipe_off[nl->pipe_n - 1]);
	last->nlmsg_flags |= NLM_F_ACK;
	first_seq = ((struct nlmsghdr *)nl->pipe_buf)->nlmsg_seq;
	last_seq = last->nlmsg_seq;

	do {
		n = sendto(fd, nl->pipe_buf, nl->pipe_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_err(err, "netlink send: %s", strerror(errno));
		return -errno;
	}

	while (!done) {
		struct nlmsghdr *nlh;
		int len;

		n = recv(fd, nl->rx, sizeof(nl->rx), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			set_err(err, "netlink receive: %s%s", strerror(errno),
				errno == ENOBUFS ? " (acks lost)" : "");
			return -errno;
		}
		len = (int)n;
		for (nlh = (void *)nl->rx; nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			uint32_t seq = nlh->nlmsg_seq;
			unsigned int i = seq - first_seq;
			char msg[MCOA_NL_ERRLEN];
			const struct nlmsghdr *req;
			int e;

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    i >= nl->pipe_n)
				continue;	/* stale: not from this batch */
			req = (void *)(nl->pipe_buf + nl->pipe_off[i]);
			msg[0] = '\0';
			e = parse_nlmsgerr(nlh, req, GENL_HDRLEN, &mcoa_set,
					   msg);
			if (e && ack_cb)
				ack_cb(nl->pipe_cookie[i], e, msg, arg);
			if (seq == last_seq)
				done = true;
		}
	}
	nl->pipe_n = 0;
	nl->pipe_len = 0;
	return 0;
}

int mcoa_nl_pipe_binding(struct mcoa_nl *nl, uint8_t cmd, int ifindex,
			 const struct mcoa_binding *b, unsigned long cookie,
			 mcoa_ack_cb ack_cb, void *arg, char *err)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	int ret;

	msg = genl_msg(nl, cmd, 0, ifindex);
	if (!msg || put_binding(msg, b, cmd == MCOA_CMD_BINDING_DEL))
		return msg_failed(msg, err);
	nlh = nlmsg_hdr(msg);
	if (nl->pipe_n == MCOA_PIPE_MSGS ||
	    nl->pipe_len + NLMSG_ALIGN(nlh->nlmsg_len) > sizeof(nl->pipe_buf)) {
		ret = pipe_send(nl, ack_cb, arg, err);
		if (ret) {
			nlmsg_free(msg);
			return ret;
		}
	}
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->pipe_seq;
	nlh->nlmsg_pid = 0;
	nl->pipe_off[nl->pipe_n] = nl->pipe_len;
	nl->pipe_cookie[nl->pipe_n] = cookie;
	memcpy(nl->pipe_buf + nl->pipe_len, nlh, nlh->nlmsg_len);
	nl->pipe_len += NLMSG_ALIGN(nlh->nlmsg_len);
	nl->pipe_n++;
	nlmsg_free(msg);
	return 0;
}

int mcoa_nl_pipe_flush(struct mcoa_nl *nl, mcoa_ack_cb ack_cb, void *arg,
		       char *err)
{
	return pipe_send(nl, ack_cb, arg, err);
}

/* pipe_send() waits for its fence ack: the queue is all that is pending. */
void mcoa_nl_pipe_discard(struct mcoa_nl *nl)
{
	nl->pipe_n = 0;
	nl->pipe_len = 0;
}

/* ---- events ------------------------------------------------------------ */

int mcoa_nl_event_subscribe(struct mcoa_nl *nl, char *err)
{
	int sz = MCOA_EV_RCVBUF;
	int fd, ret;

	if (nl->ev)
		return 0;
	if (nl->mcgrp < 0) {
		set_err(err, "mcoa multicast group \"%s\" not found",
			MCOA_MCGRP_BINDINGS);
		return -ENOENT;
	}
	nl->ev = nl_socket_alloc();
	if (!nl->ev) {
		set_err(err, "out of memory");
		return -ENOMEM;
	}
	ret = genl_connect(nl->ev);
	if (ret < 0)
		goto fail;
	ret = nl_socket_add_membership(nl->ev, nl->mcgrp);
	if (ret < 0)
		goto fail;
	ret = nl_socket_set_nonblocking(nl->ev);
	if (ret < 0)
		goto fail;
	fd = nl_socket_get_fd(nl->ev);
	/*
	 * A flush or a GC run announces one event per binding; a deep queue
	 * makes ENOBUFS (and the resync dump it forces) rare.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return 0;
fail:
	set_err(err, "event socket: %s", nl_geterror(ret));
	nl_socket_free(nl->ev);
	nl->ev = NULL;
	return nlerr_to_errno(ret);
}

void mcoa_nl_event_prefixes(struct mcoa_nl *nl, mcoa_prefix_event_cb cb)
{
	nl->prefix_cb = cb;
}

int mcoa_nl_event_fd(const struct mcoa_nl *nl)
{
	return nl->ev ? nl_socket_get_fd(nl->ev) : -1;
}

int mcoa_nl_event_read(struct mcoa_nl *nl, mcoa_event_cb cb, void *arg,
		       char *err)
{
	int fd = mcoa_nl_event_fd(nl);
	int count = 0;

	if (fd < 0) {
		set_err(err, "not subscribed to events");
		return -EINVAL;
	}
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		n = recv(fd, nl->rx, sizeof(nl->rx), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return count;
			if (errno == ENOBUFS)
				set_err(err, "event socket overrun, events lost");
			else
				set_err(err, "event socket: %s", strerror(errno));
			return -errno;
		}
		len = (int)n;
		for (nlh = (void *)nl->rx; nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			struct nlattr *tb[MCOA_A_MAX + 1];
			struct genlmsghdr *g;
			struct mcoa_binding b;

			if (nlh->nlmsg_type != nl->family ||
			    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
				continue;
			g = nlmsg_data(nlh);
			if ((g->cmd == MCOA_CMD_PREFIX_NEW_NTF ||
			     g->cmd == MCOA_CMD_PREFIX_DEL_NTF) && nl->prefix_cb) {
				struct mcoa_prefix p;

				if (top_parse(nlh, tb) ||
				    parse_prefix(tb[MCOA_A_PREFIX], &p))
					continue;
				p.ifindex = top_ifindex(tb);
				nl->prefix_cb(g->cmd, &p, arg);
				count++;
				continue;
			}
			if (g->cmd != MCOA_CMD_BINDING_NEW_NTF &&
			    g->cmd != MCOA_CMD_BINDING_CHANGE_NTF &&
			    g->cmd != MCOA_CMD_BINDING_DEL_NTF)
				continue;
			if (top_parse(nlh, tb) ||
			    parse_binding(tb[MCOA_A_BINDING], &b))
				continue;
			b.ifindex = top_ifindex(tb);
			cb(g->cmd, &b, arg);
			count++;
		}
	}
}

/* ---- links over rtnetlink ---------------------------------------------- */

static int rtnl_request(struct nl_msg *msg,
			int (*parse)(struct nlmsghdr *, void *), void *arg,
			char *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk) {
		set_err(err, "out of memory");
		return -ENOMEM;
	}
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret < 0) {
		set_err(err, "rtnetlink socket: %s", nl_geterror(ret));
		nl_socket_free(sk);
		return nlerr_to_errno(ret);
	}
	nl_sock_setup(sk);
	ret = sock_request(sk, msg, sizeof(struct ifinfomsg), &ifla_set,
			   parse, arg, false, err);
	nl_socket_free(sk);
	return ret;
}

/* IFLA_INFO_KIND and the mode of an RTM_NEWLINK's IFLA_LINKINFO. */
static void parse_linkinfo(struct nlattr *nest, struct mcoa_link *l)
{
	struct nlattr *tb[IFLA_INFO_MAX + 1], *dtb[IFLA_MCOA_MAX + 1];
	struct nlattr *kind;

	if (!nest || nla_parse_nested(tb, IFLA_INFO_MAX, nest, NULL) < 0)
		return;
	kind = tb[IFLA_INFO_KIND];
	if (kind)
		snprintf(l->kind, sizeof(l->kind), "%.*s", nla_len(kind),
			 (const char *)nla_data(kind));
	l->is_mcoa = !strcmp(l->kind, "mcoa");
	if (l->is_mcoa && tb[IFLA_INFO_DATA] &&
	    !nla_parse_nested(dtb, IFLA_MCOA_MAX, tb[IFLA_INFO_DATA], NULL) &&
	    get_u32(dtb[IFLA_MCOA_MODE], &l->mode))
		l->has_mode = true;
}

static int link_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[IFLA_MAX + 1];
	struct mcoa_link *l = arg;
	struct ifinfomsg *ifi;
	uint8_t oper;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return 0;
	ifi = nlmsg_data(nlh);
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_IFNAME])
		snprintf(l->ifname, sizeof(l->ifname), "%.*s",
			 nla_len(tb[IFLA_IFNAME]),
			 (const char *)nla_data(tb[IFLA_IFNAME]));
	get_u32(tb[IFLA_MTU], &l->mtu);
	/* 0 is IF_OPER_UNKNOWN (linux/if.h clashes with net/if.h) */
	l->operstate = get_u8(tb[IFLA_OPERSTATE], &oper) ? oper : 0;
	parse_linkinfo(tb[IFLA_LINKINFO], l);
	l->got = true;
	return 0;
}

int mcoa_link_get(const char *name, struct mcoa_link *out, char *err)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = mcoa_ifindex(name, err);
	if (ret < 0)
		return ret;
	ifi.ifi_index = ret;
	msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		return msg_failed(msg, err);
	ret = rtnl_request(msg, link_reply, out, err);
	nlmsg_free(msg);
	if (!ret && !out->got) {
		set_err(err, "no reply from the kernel");
		return -EPROTO;
	}
	return ret;
}

int mcoa_link_add(const char *name, uint32_t mode, char *err)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *linkinfo, *data;
	struct nl_msg *msg;
	int ret;

	if (strlen(name) >= IF_NAMESIZE) {
		set_err(err, "device name \"%s\" is too long", name);
		return -EINVAL;
	}
	msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!msg)
		goto nomem;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name))
		goto nomem;
	linkinfo = nla_nest_start(msg, IFLA_LINKINFO);
	if (!linkinfo || nla_put_string(msg, IFLA_INFO_KIND, "mcoa"))
		goto nomem;
	data = nla_nest_start(msg, IFLA_INFO_DATA);
	if (!data || nla_put_u32(msg, IFLA_MCOA_MODE, mode))
		goto nomem;
	nla_nest_end(msg, data);
	nla_nest_end(msg, linkinfo);
	ret = rtnl_request(msg, NULL, NULL, err);
	nlmsg_free(msg);
	return ret;
nomem:
	return msg_failed(msg, err);
}

/*
 * Only an mcoa device: "mcoactl link del eth0" must not take the uplink
 * away. The kind is checked, then the device is deleted by that ifindex,
 * so a device renamed in between is not the one deleted.
 */
int mcoa_link_del(const char *name, char *err)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct mcoa_link l;
	struct nl_msg *msg;
	int ret;

	ret = mcoa_link_get(name, &l, err);
	if (ret < 0)
		return ret;
	if (!l.is_mcoa) {
		set_err(err, "device \"%s\" is not an mcoa device (kind %s)",
			name, *l.kind ? l.kind : "none");
		return -EOPNOTSUPP;
	}
	ifi.ifi_index = l.ifindex;
	msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		return msg_failed(msg, err);
	ret = rtnl_request(msg, NULL, NULL, err);
	nlmsg_free(msg);
	return ret;
}

int mcoa_ifindex(const char *name, char *err)
{
	unsigned int idx = if_nametoindex(name);

	if (!idx) {
		set_err(err, "device \"%s\" not found", name);
		return -ENODEV;
	}
	return (int)idx;
}

/* ---- names ------------------------------------------------------------- */

const char *mcoa_mode_name(uint32_t mode)
{
	switch (mode) {
	case MCOA_MODE_HA:	return "ha";
	case MCOA_MODE_MN:	return "mn";
	default:		return "unknown";
	}
}

const char *mcoa_policy_name(uint32_t policy)
{
	switch (policy) {
	case MCOA_POLICY_HASH:		return "hash";
	case MCOA_POLICY_RECENT:	return "recent";
	default:			return "unknown";
	}
}

const char *mcoa_del_reason_name(uint32_t reason)
{
	switch (reason) {
	case MCOA_DEL_REASON_USER:		return "user";
	case MCOA_DEL_REASON_EXPIRED:		return "expired";
	case MCOA_DEL_REASON_DEVICE_DOWN:	return "device-down";
	default:				return "unknown";
	}
}

const char *mcoa_event_name(uint8_t cmd)
{
	switch (cmd) {
	case MCOA_CMD_BINDING_NEW_NTF:		return "new";
	case MCOA_CMD_BINDING_CHANGE_NTF:	return "change";
	case MCOA_CMD_BINDING_DEL_NTF:		return "del";
	case MCOA_CMD_PREFIX_NEW_NTF:		return "prefix-new";
	case MCOA_CMD_PREFIX_DEL_NTF:		return "prefix-del";
	default:				return "unknown";
	}
}

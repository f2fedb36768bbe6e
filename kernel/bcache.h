/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcoa binding cache: (HoA, BID) -> binding, per-HoA and per-CoA indexes.
 * See the comment at the top of bcache.c for locking and lifetimes.
 */
#ifndef _MCOA_BCACHE_H
#define _MCOA_BCACHE_H

#include <linux/atomic.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/time.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct mcoa_dev;

/* Upper bound on bindings per device; 1,000,000 must fit with room. */
#define MCOA_BINDINGS_MAX	(1U << 22)
#define MCOA_FLOWS_MAX		256	/* per HoA */

/* What names a binding in requests: (HoA, BID). */
struct mcoa_bkey {
	struct in6_addr hoa;
	u16 bid;
};

/*
 * Per-binding counters. A percpu block per binding would cost
 * nr_cpu_ids * 40 bytes for each of up to millions of bindings, so these
 * are plain atomics: one flow sticks to one binding and mostly one CPU.
 */
struct mcoa_bstats {
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t tx_dropped;
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
};

struct mcoa_hoa;
struct mcoa_dst_slot;
struct mcoa_flow_index;

/*
 * Binding time stamps (expires, verified) are the low 32 bits of jiffies,
 * 0 meaning none (a stamp that would be 0 is taken as 1). Comparisons
 * hold over 2^31 jiffies, 99 days at HZ=250: far beyond the longest
 * lifetime (MCOA_LIFETIME_MAX); an age of "verified" longer than that is
 * reported modulo 2^32 jiffies.
 */
static inline u32 mcoa_stamp(unsigned long j)
{
	return (u32)j ?: 1;
}

/* The full jiffies value of a stamp in the past or future of now. */
static inline unsigned long mcoa_stamp_jiffies(u32 stamp)
{
	unsigned long now = jiffies;

	return now + (long)(s32)(stamp - (u32)now);
}

/*
 * A binding is found through its HoA (bcache->hoas, then hoa->bindings):
 * it holds neither the HoA's address nor a node of a table of its own.
 * 168 bytes on x86-64 (pahole); bench/README.md has the layout.
 */
struct mcoa_binding {
	struct rhlist_head coa_node;	/* bcache->coas, coa */
	struct list_head hoa_list;	/* hoa->bindings, ascending bid */
	struct in6_addr coa;
	struct in6_addr peer;
	struct mcoa_hoa *hoa;		/* outlives the binding */
	u32 link;
	u32 flags;
	u32 lifetime;
	u32 expires;			/* low 32 bits of jiffies; 0 never */
	u32 verified;			/* same, of the last verifying
					 * signalling; 0 never */
	u16 bid;
	u8 prio;
	bool dead;
	bool no_carrier;		/* link set, not running or no carrier */
	struct mcoa_bstats stats;
	struct mcoa_dst_slot __rcu *dst;	/* outer route cache, xmit.c */
	struct rcu_head rcu;
};

struct mcoa_flow {
	struct list_head list;		/* hoa->flows, ascending pri */
	u16 fid;
	u16 pri;
	struct in6_addr src;
	struct in6_addr dst;
	u8 src_plen;
	u8 dst_plen;
	u8 proto;			/* 0: any */
	u8 tclass;
	u8 tclass_mask;			/* 0: any */
	u8 nbids;
	u16 sport_min, sport_max;	/* 0..0xffff when absent */
	u16 dport_min, dport_max;
	u16 bids[16];
	/*
	 * Packets it matched: one counter per CPU, so that a rule matched by
	 * every CPU at once costs no shared cache line (mcoa_flow_packets()).
	 */
	u64 __percpu *packets;
	struct rcu_head rcu;
};

struct mcoa_hoa {
	struct rhash_head node;		/* bcache->hoas, addr */
	struct in6_addr addr;
	struct list_head bindings;	/* RCU readers, bcache->lock writers */
	struct list_head flows;		/* same; writers and dumps */
	struct mcoa_flow_index __rcu *fidx;	/* of @flows, transmit path */
	struct list_head prefixes;	/* writers and dumps (prefix.c) */
	u32 nbindings;
	u32 exp_tick;			/* tick it is filed for (exp_node) */
	u16 nflows;			/* <= MCOA_FLOWS_MAX */
	u16 nprefixes;			/* <= MCOA_HOA_PREFIXES_MAX */
	u16 seq;
	u16 recent_bid;			/* last verified by signalling */
	u8 policy;			/* enum mcoa_policy */
	bool seq_set;			/* cleared with the last binding */
	struct hlist_node exp_node;	/* bc->exp[] or bc->exp_todo; GC */
	struct rcu_head rcu;
};

/*
 * Expiry: HoAs with timed bindings are filed by the tick (a quarter of a
 * second, counted from the cache's creation) at which their earliest
 * binding expires, in a wheel of MCOA_EXP_SLOTS slots (32 KB a device);
 * one turn is 4096 ticks, 17 minutes.
 */
#define MCOA_EXP_TICK		(HZ / 4)
#define MCOA_EXP_SLOTS		4096

/* Prefix lengths 0..128, one bit each (prefix.c). */
#define MCOA_PLENS		129

struct mcoa_bcache {
	struct mutex lock;		/* all writers */
	struct rhltable coas;
	struct rhashtable hoas;
	struct rhashtable prefixes;	/* prefix.c */
	u32 count;
	u32 nhoas;			/* objects in @hoas */
	u32 nprefixes;			/* objects in @prefixes */
	u32 plen_refs[MCOA_PLENS];	/* prefixes of each length */
	DECLARE_BITMAP(plens, MCOA_PLENS);	/* bit 128 - plen: in use */
	u32 gen;			/* bumped by every change; never 0 */
	u32 nlinked;			/* bindings with a link set */
	u64 removals;			/* bumped by every removal */
	bool dead;			/* device going away: no inserts */
	bool ready;			/* tables initialised */
	struct delayed_work gc;
	struct hlist_head *exp;		/* MCOA_EXP_SLOTS slots (kvcalloc) */
	struct hlist_head exp_todo;	/* taken from a slot, not yet seen */
	unsigned long exp_base;		/* jiffies of tick 0 */
	u32 exp_done;			/* last tick moved to exp_todo */
	u32 gc_last_us;			/* the last GC run, under bc->lock */
	u32 gc_max_us;			/* the longest one */
};

/* New binding or changes to one; MCOA_BP_* say which fields are given. */
struct mcoa_bparams {
	struct mcoa_bkey key;
	struct in6_addr coa;
	struct in6_addr peer;
	u32 link;
	u32 flags;
	u32 lifetime;
	u8 prio;
	u32 has;
};

#define MCOA_BP_COA		BIT(0)
#define MCOA_BP_PEER		BIT(1)
#define MCOA_BP_LINK		BIT(2)
#define MCOA_BP_FLAGS		BIT(3)
#define MCOA_BP_LIFETIME	BIT(4)
#define MCOA_BP_PRIO		BIT(5)
#define MCOA_BP_VERIFY		BIT(6)	/* signalling verified it just now */

int mcoa_bcache_module_init(void);
void mcoa_bcache_module_exit(void);

int mcoa_bcache_init(struct mcoa_dev *mdev);
/* Device unregistering: no more inserts, no more expiry runs. */
void mcoa_bcache_close(struct mcoa_dev *mdev);
void mcoa_bcache_destroy(struct mcoa_dev *mdev);

/* Readers: rcu_read_lock() (or _bh) held, or bcache->lock. */
struct mcoa_binding *mcoa_binding_lookup(struct mcoa_dev *mdev,
					 const struct mcoa_bkey *key);
struct mcoa_hoa *mcoa_hoa_lookup(struct mcoa_dev *mdev,
				 const struct in6_addr *addr);
/* Some binding has @coa, with @local as its peer (or unset). */
bool mcoa_coa_known(struct mcoa_dev *mdev, const struct in6_addr *coa,
		    const struct in6_addr *local);
bool mcoa_binding_live(const struct mcoa_binding *b);

/* Writers: take bcache->lock themselves. */
int mcoa_binding_add(struct mcoa_dev *mdev, const struct mcoa_bparams *p,
		     struct netlink_ext_ack *extack);
int mcoa_binding_change(struct mcoa_dev *mdev, const struct mcoa_bparams *p,
			struct netlink_ext_ack *extack);
int mcoa_binding_remove(struct mcoa_dev *mdev, const struct mcoa_bkey *key);
int mcoa_bcache_flush_hoa(struct mcoa_dev *mdev, const struct in6_addr *hoa);
void mcoa_bcache_link_state(struct mcoa_dev *mdev, int ifindex, bool down);
void mcoa_bcache_link_gone(struct mcoa_dev *mdev, int ifindex);

u64 mcoa_flow_packets(const struct mcoa_flow *f);
int mcoa_flow_add(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		  const struct mcoa_flow *tmpl, struct netlink_ext_ack *extack);
int mcoa_flow_remove(struct mcoa_dev *mdev, const struct in6_addr *hoa,
		     u16 fid);
int mcoa_hoa_set(struct mcoa_dev *mdev, const struct in6_addr *addr,
		 u32 policy, bool has_policy, u16 seq, bool has_seq);
int mcoa_hoa_remove(struct mcoa_dev *mdev, const struct in6_addr *addr);

/* Inside the cache (bcache.c, prefix.c), under bc->lock. */
struct mcoa_hoa *mcoa_bc_hoa_get(struct mcoa_bcache *bc,
				 const struct in6_addr *addr);
/* Free @hoa if nothing uses it any more; true if it was freed. */
bool mcoa_bc_hoa_put(struct mcoa_bcache *bc, struct mcoa_hoa *hoa);
/* Every change a dump could observe. */
void mcoa_bc_changed(struct mcoa_bcache *bc);

#endif /* _MCOA_BCACHE_H */

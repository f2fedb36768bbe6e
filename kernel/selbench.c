// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of CoA selection alone, for `make bench` (bench/select.sh).
 *
 * Packet rates through a whole forwarding path under emulation vary by
 * tens of percent from run to run, far more than the selection costs, so
 * the benchmark asks the kernel to time what the transmit path does to
 * pick a CoA (HoA lookup, then mcoa_select()) on a synthetic UDP packet to
 * a HoA, next to a peer measured in the same call:
 * __skb_get_hash_symmetric() alone, the flow hash every multi-path
 * forwarder pays. Each iteration changes the source port, so every call
 * dissects and hashes a new flow, as in traffic of many flows.
 *
 * Interface: debugfs file mcoa/select_bench (root only), in the writer's
 * netns. Write "IFINDEX HOA ITERATIONS", read back one line:
 *   iterations=N select_ns=S hash_ns=H selected=B
 * (per-call averages; B: BIDs chosen, "-" for none). The timed loops run
 * under RCU in batches and reschedule between them, so bindings may change
 * meanwhile; a HoA that disappears ends the run with ENOENT.
 */

#include <linux/debugfs.h>
#include <linux/inet.h>
#include <linux/ipv6.h>
#include <linux/ktime.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ipv6.h>

#include "bcache.h"
#include "device.h"
#include "select.h"
#include "selbench.h"

#define SELBENCH_BATCH		256
#define SELBENCH_MAX_ITER	10000000
#define SELBENCH_MAX_BIDS	8

static struct dentry *selbench_dir;
static DEFINE_MUTEX(selbench_lock);	/* one run at a time; guards result */
static char selbench_result[160];

static struct sk_buff *selbench_skb(struct net_device *dev,
				    const struct in6_addr *hoa)
{
	struct sk_buff *skb;
	struct ipv6hdr *ip6;
	struct udphdr *uh;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(*ip6) + sizeof(*uh) + 64,
			GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	ip6 = skb_put_zero(skb, sizeof(*ip6));
	ip6->version = 6;
	ip6->nexthdr = IPPROTO_UDP;
	ip6->hop_limit = 64;
	ip6->payload_len = htons(sizeof(*uh) + 64);
	ipv6_addr_set(&ip6->saddr, htonl(0xfd000001), 0, 0, htonl(0x10));
	ip6->daddr = *hoa;
	skb_set_transport_header(skb, sizeof(*ip6));
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->dest = htons(9);
	uh->len = htons(sizeof(*uh) + 64);
	skb_put_zero(skb, 64);
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dev;		/* the flow dissector takes the netns from it */
	return skb;
}

static void selbench_set_port(struct sk_buff *skb, u32 i)
{
	udp_hdr(skb)->source = htons(1024 + i % 64000);
	skb_clear_hash(skb);
}

struct selbench_run {
	u64 select_ns;
	u64 hash_ns;
	u32 done;
	u16 bids[SELBENCH_MAX_BIDS];
	unsigned int nbids;
};

static void selbench_note_bid(struct selbench_run *r, u16 bid)
{
	unsigned int i;

	for (i = 0; i < r->nbids; i++)
		if (r->bids[i] == bid)
			return;
	if (r->nbids < SELBENCH_MAX_BIDS)
		r->bids[r->nbids++] = bid;
}

/*
 * One batch of each loop; false when the HoA is gone. The HoA is looked up
 * for every packet, as the transmit path does, so a big cache shows.
 */
static bool selbench_batch(struct mcoa_dev *mdev, const struct in6_addr *addr,
			   struct sk_buff *skb, u32 first, u32 n,
			   struct selbench_run *r)
{
	struct mcoa_binding *b;
	struct mcoa_hoa *hoa;
	bool found = true;
	u32 i, sink = 0;
	u64 t0;

	/* as in transmit: BHs off, and a plain RCU reader for the cache */
	local_bh_disable();
	rcu_read_lock();
	t0 = ktime_get_ns();
	for (i = first; i < first + n; i++) {
		selbench_set_port(skb, i);
		hoa = mcoa_hoa_lookup(mdev, addr);
		if (unlikely(!hoa)) {
			found = false;
			break;
		}
		b = mcoa_select(hoa, skb);
		if (b && i < first + SELBENCH_MAX_BIDS)
			selbench_note_bid(r, b->bid);
	}
	r->select_ns += ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = first; found && i < first + n; i++) {
		selbench_set_port(skb, i);
		sink += __skb_get_hash_symmetric(skb);
	}
	r->hash_ns += ktime_get_ns() - t0;
	rcu_read_unlock();
	local_bh_enable();
	/* keep the compiler from dropping the hash loop */
	skb->mark = sink;
	r->done += n;
	return found;
}

static int selbench_run(struct net *net, int ifindex,
			const struct in6_addr *addr, u32 iter)
{
	struct selbench_run r = {};
	netdevice_tracker tracker;
	struct net_device *dev;
	struct sk_buff *skb;
	unsigned int i;
	int ret = 0, len;
	u32 n;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev && mcoa_is_mcoa_dev(dev))
		netdev_hold(dev, &tracker, GFP_ATOMIC);
	else
		ret = dev ? -EINVAL : -ENODEV;
	rcu_read_unlock();
	if (ret)
		return ret;
	skb = selbench_skb(dev, addr);
	if (!skb) {
		ret = -ENOMEM;
		goto out_dev;
	}
	while (r.done < iter) {
		n = min_t(u32, iter - r.done, SELBENCH_BATCH);
		if (!selbench_batch(netdev_priv(dev), addr, skb, r.done, n,
				    &r)) {
			ret = -ENOENT;
			goto out_skb;
		}
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_skb;
		}
		cond_resched();
	}
	len = scnprintf(selbench_result, sizeof(selbench_result),
			"iterations=%u select_ns=%llu hash_ns=%llu selected=",
			r.done, div_u64(r.select_ns, r.done),
			div_u64(r.hash_ns, r.done));
	for (i = 0; i < r.nbids; i++)
		len += scnprintf(selbench_result + len,
				 sizeof(selbench_result) - len, "%s%u",
				 i ? "," : "", r.bids[i]);
	scnprintf(selbench_result + len, sizeof(selbench_result) - len,
		  "%s\n", r.nbids ? "" : "-");
out_skb:
	kfree_skb(skb);
out_dev:
	netdev_put(dev, &tracker);
	return ret;
}

static ssize_t selbench_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char buf[96], addr[INET6_ADDRSTRLEN + 1];
	struct in6_addr hoa;
	int ifindex, ret;
	u32 iter;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%d %46s %u", &ifindex, addr, &iter) != 3 ||
	    !in6_pton(addr, -1, hoa.s6_addr, -1, NULL) ||
	    !iter || iter > SELBENCH_MAX_ITER)
		return -EINVAL;

	mutex_lock(&selbench_lock);
	selbench_result[0] = '\0';
	ret = selbench_run(current->nsproxy->net_ns, ifindex, &hoa, iter);
	mutex_unlock(&selbench_lock);
	return ret ? ret : count;
}

static ssize_t selbench_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&selbench_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, selbench_result,
				      strlen(selbench_result));
	mutex_unlock(&selbench_lock);
	return ret;
}

static const struct file_operations selbench_fops = {
	.owner	= THIS_MODULE,
	.read	= selbench_read,
	.write	= selbench_write,
	.llseek	= default_llseek,
};

/* Without debugfs the benchmark is simply absent: never an error. */
void mcoa_selbench_init(void)
{
	selbench_dir = debugfs_create_dir("mcoa", NULL);
	debugfs_create_file("select_bench", 0600, selbench_dir, NULL,
			    &selbench_fops);
}

void mcoa_selbench_uninit(void)
{
	debugfs_remove(selbench_dir);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * kbugs: one deliberate kernel bug per load, for scripts/tests/debug-detect.sh
 * to prove that the debug kernel and scripts/vm's log scan catch each kind
 * of report check-debug relies on. Never load it anywhere else.
 *
 *   insmod kbugs.ko bug=rcu|lockdep|sleep|rcuhead|leak|kasan
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

static char *bug = "";
module_param(bug, charp, 0444);

static int __rcu *kbugs_ptr;
static DEFINE_MUTEX(kbugs_a);
static DEFINE_MUTEX(kbugs_b);

struct kbugs_obj {
	struct rcu_head rcu;
	char pad[32];
};

static void kbugs_free(struct rcu_head *h)
{
	kfree(container_of(h, struct kbugs_obj, rcu));
}

static int __init kbugs_init(void)
{
	if (!strcmp(bug, "rcu")) {
		/* PROVE_RCU: rcu_dereference() outside rcu_read_lock() */
		pr_info("kbugs: rcu_dereference() unlocked: %p\n", rcu_dereference(kbugs_ptr));
	} else if (!strcmp(bug, "lockdep")) {
		/* PROVE_LOCKING: A->B then B->A */
		mutex_lock(&kbugs_a);
		mutex_lock(&kbugs_b);
		mutex_unlock(&kbugs_b);
		mutex_unlock(&kbugs_a);
		mutex_lock(&kbugs_b);
		mutex_lock(&kbugs_a);
		mutex_unlock(&kbugs_a);
		mutex_unlock(&kbugs_b);
	} else if (!strcmp(bug, "sleep")) {
		/* DEBUG_ATOMIC_SLEEP: might_sleep() with preemption off */
		preempt_disable();
		might_sleep();
		preempt_enable();
	} else if (!strcmp(bug, "rcuhead")) {
		/* DEBUG_OBJECTS_RCU_HEAD: the same rcu_head queued twice
		 * (the kernel leaks the second callback instead of corrupting) */
		struct kbugs_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

		if (!o)
			return -ENOMEM;
		call_rcu(&o->rcu, kbugs_free);
		call_rcu(&o->rcu, kbugs_free);
	} else if (!strcmp(bug, "leak")) {
		/* kmemleak: objects nobody points to */
		int i;

		for (i = 0; i < 8; i++)
			pr_info("kbugs: leaked %p\n", kmalloc(96, GFP_KERNEL));
	} else if (!strcmp(bug, "kasan")) {
		/* KASAN: use after free */
		volatile char *p = kmalloc(64, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		kfree((void *)p);
		pr_info("kbugs: read after free: %d\n", p[8]);
	} else {
		pr_err("kbugs: unknown bug '%s'\n", bug);
		return -EINVAL;
	}
	return 0;
}

static void __exit kbugs_exit(void)
{
}

module_init(kbugs_init);
module_exit(kbugs_exit);
MODULE_DESCRIPTION("deliberate bugs to test the debug kernel's reports");
MODULE_LICENSE("GPL");

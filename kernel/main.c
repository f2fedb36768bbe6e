// SPDX-License-Identifier: GPL-2.0
/*
 * mcoa: Multiple Care-of Addresses Registration (RFC 5648) data plane.
 * Module init and exit only.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include <linux/mcoa.h>

#include "bcache.h"
#include "device.h"
#include "netlink.h"
#include "rcv.h"
#include "selbench.h"
#include "select.h"

static int __init mcoa_mod_init(void)
{
	int ret;

	mcoa_select_init();
	ret = mcoa_bcache_module_init();
	if (ret)
		return ret;
	ret = mcoa_device_init();
	if (ret)
		goto err_device;
	ret = mcoa_rcv_init();
	if (ret)
		goto err_rcv;
	ret = mcoa_genl_init();
	if (ret)
		goto err_genl;
	mcoa_selbench_init();
	pr_info("Multiple Care-of Addresses data plane loaded\n");
	return 0;

err_genl:
	mcoa_rcv_uninit();
err_rcv:
	mcoa_device_uninit();
err_device:
	mcoa_bcache_module_exit();
	return ret;
}

/*
 * Devices go first: their removal notifies the genetlink group and needs
 * the family; receive is unhooked once no device is left to deliver to.
 */
static void __exit mcoa_mod_exit(void)
{
	mcoa_selbench_uninit();
	mcoa_device_uninit();
	mcoa_rcv_uninit();
	mcoa_genl_uninit();
	/* Bindings, HoAs and flows are freed by call_rcu. */
	rcu_barrier();
	mcoa_bcache_module_exit();
}

module_init(mcoa_mod_init);
module_exit(mcoa_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Mobile IPv6 Multiple Care-of Addresses (RFC 5648) data plane");
MODULE_AUTHOR("mcoa developers");
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
MODULE_ALIAS_GENL_FAMILY(MCOA_FAMILY_NAME);

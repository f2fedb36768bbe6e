// SPDX-License-Identifier: GPL-2.0
/* Mobile network prefixes in mcoa.ko, for both roles: see nemo_nl.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "mip6.h"
#include "nemo_nl.h"

const char *nemo_pfx_str(const struct in6_addr *addr, uint8_t plen,
			 char *buf)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, a, sizeof(a));
	snprintf(buf, NEMO_PFXSTRLEN, "%s/%u", a, plen);
	return buf;
}

struct owner {
	const struct in6_addr *addr;
	uint8_t plen;
	bool found;
};

static int owner_cb(const struct mcoa_prefix *kp, void *arg)
{
	struct owner *o = arg;

	if (kp->plen == o->plen && in6_eq(&kp->addr, o->addr))
		o->found = true;
	return 0;
}

bool nemo_nl_holds(struct mcoad *d, const struct in6_addr *hoa,
		   const struct in6_addr *addr, uint8_t plen)
{
	struct owner o = { .addr = addr, .plen = plen };
	char err[MCOA_NL_ERRLEN];

	return d->nl && mcoa_nl_prefix_dump(d->nl, d->ifindex, hoa, owner_cb,
					    &o, err) >= 0 && o.found;
}

int nemo_nl_delegate(struct mcoad *d, const struct in6_addr *hoa,
		     const struct in6_addr *addr, uint8_t plen, char *err)
{
	struct mcoa_prefix kp = { .hoa = *hoa, .addr = *addr, .plen = plen };
	int ret;

	if (!d->nl)
		return 0;
	ret = mcoa_nl_prefix_new(d->nl, d->ifindex, &kp, err);
	if (ret != -EEXIST || nemo_nl_holds(d, hoa, addr, plen))
		return ret == -EEXIST ? 0 : ret;
	snprintf(err, MCOA_NL_ERRLEN, "delegated to another home address");
	return -EEXIST;
}

int nemo_nl_withdraw(struct mcoad *d, const struct in6_addr *hoa,
		     const struct in6_addr *addr, uint8_t plen, char *err)
{
	struct mcoa_prefix kp = { .hoa = *hoa, .addr = *addr, .plen = plen };
	int ret;

	if (!d->nl)
		return 0;
	ret = mcoa_nl_prefix_del(d->nl, d->ifindex, &kp, err);
	return ret == -ENOENT ? 0 : ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The home agent's mobile router table and prefix claims (RFC 3963 s.6.2),
 * see nemo.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mh.h"
#include "mip6.h"
#include "nemo.h"

_Static_assert(NEMO_MAX_MNPS == MH_MAX_MNPS,
	       "a mobile router's prefixes fit in one BU");

bool nemo_prefix_valid(const struct nemo_prefix *p)
{
	struct mh_mnp m = { .plen = p->plen, .prefix = p->addr };

	return mh_mnp_valid(&m);
}

bool nemo_prefix_eq(const struct nemo_prefix *a, const struct nemo_prefix *b)
{
	return a->plen == b->plen && in6_eq(&a->addr, &b->addr);
}

static uint32_t bucket_of(const struct nemo_table *t,
			  const struct in6_addr *hoa)
{
	return (uint32_t)siphash24(hoa, sizeof(*hoa), &t->key) &
	       (t->nbucket - 1);
}

const struct nemo_mr *nemo_find(const struct nemo_table *t,
				const struct in6_addr *hoa)
{
	const struct nemo_mr *mr;

	if (!t || !t->n)
		return NULL;
	for (mr = t->bucket[bucket_of(t, hoa)]; mr; mr = mr->next)
		if (in6_eq(&mr->hoa, hoa))
			return mr;
	return NULL;
}

void nemo_table_free(struct nemo_table *t)
{
	free(t->mrs);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

int nemo_table_build(struct nemo_table *t, const struct nemo_mr *mrs,
		     uint32_t n)
{
	uint32_t i, j, k, nb = 1;
	struct nemo_mr *mr;

	memset(t, 0, sizeof(*t));
	siphash_key_init(&t->key);
	if (!n)
		return 0;
	/* about one router a bucket, never more than two */
	while (nb < n)
		nb <<= 1;
	t->mrs = calloc(n, sizeof(*t->mrs));
	t->bucket = calloc(nb, sizeof(*t->bucket));
	if (!t->mrs || !t->bucket) {
		nemo_table_free(t);
		return -ENOMEM;
	}
	t->nbucket = nb;
	for (i = 0; i < n; i++) {
		mr = &t->mrs[i];
		*mr = mrs[i];
		mr->next = NULL;
		if (!mr->nmnp || mr->nmnp > NEMO_MAX_MNPS)
			goto inval;
		for (j = 0; j < mr->nmnp; j++) {
			if (!nemo_prefix_valid(&mr->mnp[j]))
				goto inval;
			for (k = 0; k < j; k++)
				if (nemo_prefix_eq(&mr->mnp[j], &mr->mnp[k]))
					goto inval;
		}
		if (nemo_find(t, &mr->hoa)) {
			nemo_table_free(t);
			return -EEXIST;
		}
		k = bucket_of(t, &mr->hoa);
		mr->next = t->bucket[k];
		t->bucket[k] = mr;
		t->n++;
	}
	return 0;
inval:
	nemo_table_free(t);
	return -EINVAL;
}

static bool mr_has(const struct nemo_mr *mr, const struct nemo_prefix *p)
{
	unsigned int i;

	for (i = 0; i < mr->nmnp; i++)
		if (nemo_prefix_eq(&mr->mnp[i], p))
			return true;
	return false;
}

bool nemo_authorized(const struct nemo_table *t, const struct in6_addr *hoa,
		     const struct nemo_prefix *p)
{
	const struct nemo_mr *mr = nemo_find(t, hoa);

	return mr && mr_has(mr, p);
}

uint8_t nemo_claim(const struct nemo_table *t, const struct in6_addr *hoa,
		   const struct nemo_prefix *opt, unsigned int nopt,
		   struct nemo_prefix *out, unsigned int *nout)
{
	const struct nemo_mr *mr = nemo_find(t, hoa);
	unsigned int i, j;

	*nout = 0;
	if (!mr)
		return BA_ST_MR_NOT_PERMITTED;
	if (!nopt) {
		/* implicit mode: what the home agent has configured */
		memcpy(out, mr->mnp, mr->nmnp * sizeof(*out));
		*nout = mr->nmnp;
		return 0;
	}
	if (nopt > NEMO_MAX_MNPS)
		return BA_ST_INSUFFICIENT;
	/* a malformed option is 141 even next to an unauthorized one */
	for (i = 0; i < nopt; i++)
		if (!nemo_prefix_valid(&opt[i]))
			return BA_ST_INVALID_PREFIX;
	for (i = 0; i < nopt; i++) {
		if (!mr_has(mr, &opt[i])) {
			*nout = 0;
			return BA_ST_PREFIX_NOT_AUTHORIZED;
		}
		for (j = 0; j < *nout; j++)
			if (nemo_prefix_eq(&out[j], &opt[i]))
				break;
		if (j == *nout)
			out[(*nout)++] = opt[i];
	}
	return 0;
}

enum nemo_ba_verdict nemo_ba_verdict(uint8_t status, bool r)
{
	if (status >= BA_ST_MR_NOT_PERMITTED &&
	    status <= BA_ST_FORWARDING_FAILED)
		return NEMO_BA_REFUSED;
	if (status >= 128)
		return NEMO_BA_OTHER;
	return r ? NEMO_BA_SERVED : NEMO_BA_NO_R;
}

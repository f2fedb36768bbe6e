// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_vec.c - a growing array of fixed-size records. Show commands collect
 * a whole dump into one before printing anything: the output can then be
 * sorted (the kernel dumps in hash order) and a dump that fails half way
 * prints an error, never part of a listing or a truncated JSON array.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

void ctl_vec_init(struct ctl_vec *v, size_t size)
{
	memset(v, 0, sizeof(*v));
	v->size = size;
}

int ctl_vec_push(struct ctl_vec *v, const void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		char *nb = realloc(v->buf, cap * v->size);

		if (!nb)
			return -ENOMEM;
		v->buf = nb;
		v->cap = cap;
	}
	memcpy(v->buf + v->n * v->size, item, v->size);
	v->n++;
	return 0;
}

void *ctl_vec_at(const struct ctl_vec *v, size_t i)
{
	return v->buf + i * v->size;
}

void ctl_vec_sort(struct ctl_vec *v, int (*cmp)(const void *, const void *))
{
	if (v->n > 1)
		qsort(v->buf, v->n, v->size, cmp);
}

void ctl_vec_free(struct ctl_vec *v)
{
	free(v->buf);
	ctl_vec_init(v, v->size);
}

/* The order of every listing: device, then HoA (as bytes, i.e. numeric). */
int ctl_cmp_dev_hoa(int ifa, const struct in6_addr *a, int ifb,
		    const struct in6_addr *b)
{
	if (ifa != ifb)
		return ifa < ifb ? -1 : 1;
	return memcmp(a, b, sizeof(*a));
}

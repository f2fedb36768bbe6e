// SPDX-License-Identifier: GPL-2.0
/* The home agent's indexes over its mobile nodes: see ha_index.h. */
#include <stdlib.h>
#include <string.h>

#include "ha_bu.h"
#include "ha_index.h"

#define HIDX_MIN_BUCKETS	256

struct ha_src {
	struct ha_src *next;
	struct in6_addr src;
	uint32_t n;
};

static bool a6_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static uint32_t slot(const struct ha_index *ix, const struct in6_addr *a,
		     uint32_t n)
{
	return (uint32_t)siphash24(a, sizeof(*a), &ix->key) & (n - 1);
}

void hidx_init(struct ha_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	siphash_key_init(&ix->key);
}

void hidx_free(struct ha_index *ix)
{
	uint32_t i;

	for (i = 0; i < ix->nsbucket; i++) {
		struct ha_src *s, *n;

		for (s = ix->sbucket[i]; s; s = n) {
			n = s->next;
			free(s);
		}
	}
	free(ix->sbucket);
	free(ix->bucket);
	free(ix->heap);
	memset(ix, 0, sizeof(*ix));
}

struct ha_mn *hidx_find(const struct ha_index *ix, const struct in6_addr *hoa)
{
	struct ha_mn *mn;

	if (!ix->nbucket)
		return NULL;
	for (mn = ix->bucket[slot(ix, hoa, ix->nbucket)]; mn; mn = mn->ix.hnext)
		if (a6_eq(&mn->hoa, hoa))
			return mn;
	return NULL;
}

/* Rehash into @n buckets; on no memory keep the old table (longer chains) */
static void grow(struct ha_index *ix, uint32_t n)
{
	struct ha_mn **b = calloc(n, sizeof(*b));
	uint32_t i;

	if (!b)
		return;
	for (i = 0; i < ix->nbucket; i++) {
		struct ha_mn *mn, *next;

		for (mn = ix->bucket[i]; mn; mn = next) {
			uint32_t h = slot(ix, &mn->hoa, n);

			next = mn->ix.hnext;
			mn->ix.hnext = b[h];
			b[h] = mn;
		}
	}
	free(ix->bucket);
	ix->bucket = b;
	ix->nbucket = n;
}

static bool heap_reserve(struct ha_index *ix, uint32_t n);

int hidx_add(struct ha_index *ix, struct ha_mn *mn)
{
	uint32_t h;

	if (!ix->nbucket)
		grow(ix, HIDX_MIN_BUCKETS);
	else if (ix->count >= ix->nbucket)
		grow(ix, ix->nbucket * 2);
	if (!ix->nbucket || !heap_reserve(ix, ix->count + 1))
		return -1;
	mn->ix.hpos = HIDX_NONE;
	mn->ix.due = UINT64_MAX;
	mn->ix.live = mn->ix.src_counted = false;
	h = slot(ix, &mn->hoa, ix->nbucket);
	mn->ix.hnext = ix->bucket[h];
	ix->bucket[h] = mn;
	ix->count++;
	return 0;
}

/* ---- the deadline heap ---------------------------------------------- */

static void heap_set(struct ha_index *ix, uint32_t i, struct ha_mn *mn)
{
	ix->heap[i] = mn;
	mn->ix.hpos = i;
}

static void sift_up(struct ha_index *ix, uint32_t i)
{
	struct ha_mn *mn = ix->heap[i];

	while (i) {
		uint32_t p = (i - 1) / 2;

		if (ix->heap[p]->ix.due <= mn->ix.due)
			break;
		heap_set(ix, i, ix->heap[p]);
		i = p;
	}
	heap_set(ix, i, mn);
}

static void sift_down(struct ha_index *ix, uint32_t i)
{
	struct ha_mn *mn = ix->heap[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= ix->nheap)
			break;
		if (c + 1 < ix->nheap &&
		    ix->heap[c + 1]->ix.due < ix->heap[c]->ix.due)
			c++;
		if (mn->ix.due <= ix->heap[c]->ix.due)
			break;
		heap_set(ix, i, ix->heap[c]);
		i = c;
	}
	heap_set(ix, i, mn);
}

static void heap_remove(struct ha_index *ix, struct ha_mn *mn)
{
	uint32_t i = mn->ix.hpos;
	struct ha_mn *last;

	if (i == HIDX_NONE)
		return;
	mn->ix.hpos = HIDX_NONE;
	last = ix->heap[--ix->nheap];
	if (last == mn)
		return;
	heap_set(ix, i, last);
	sift_up(ix, i);
	sift_down(ix, last->ix.hpos);
}

/*
 * The heap has a slot for every indexed node (heapcap >= count, reserved
 * by hidx_add()), so that a node can always take its place: a node left
 * out of the heap would never expire.
 */
static bool heap_reserve(struct ha_index *ix, uint32_t n)
{
	struct ha_mn **h;
	uint32_t cap;

	if (n <= ix->heapcap)
		return true;
	cap = ix->heapcap ? ix->heapcap * 2 : HIDX_MIN_BUCKETS;
	h = realloc(ix->heap, cap * sizeof(*h));
	if (!h)
		return false;
	ix->heap = h;
	ix->heapcap = cap;
	return true;
}

static void heap_update(struct ha_index *ix, struct ha_mn *mn, uint64_t due)
{
	uint64_t old = mn->ix.due;

	mn->ix.due = due;
	if (due == UINT64_MAX) {
		heap_remove(ix, mn);
		return;
	}
	if (mn->ix.hpos == HIDX_NONE) {
		heap_set(ix, ix->nheap++, mn);
		sift_up(ix, mn->ix.hpos);
	} else if (due < old) {
		sift_up(ix, mn->ix.hpos);
	} else if (due > old) {
		sift_down(ix, mn->ix.hpos);
	}
}

struct ha_mn *hidx_first(const struct ha_index *ix)
{
	return ix->nheap ? ix->heap[0] : NULL;
}

/* ---- live nodes per source address ----------------------------------- */

static struct ha_src **src_ref(const struct ha_index *ix,
			       const struct in6_addr *src)
{
	struct ha_src **pp;

	if (!ix->nsbucket)
		return NULL;
	for (pp = &ix->sbucket[slot(ix, src, ix->nsbucket)]; *pp;
	     pp = &(*pp)->next)
		if (a6_eq(&(*pp)->src, src))
			return pp;
	return NULL;
}

static void src_grow(struct ha_index *ix)
{
	uint32_t n = ix->nsbucket ? ix->nsbucket * 2 : HIDX_MIN_BUCKETS;
	struct ha_src **b = calloc(n, sizeof(*b));
	uint32_t i;

	if (!b)
		return;
	for (i = 0; i < ix->nsbucket; i++) {
		struct ha_src *s, *next;

		for (s = ix->sbucket[i]; s; s = next) {
			uint32_t h = slot(ix, &s->src, n);

			next = s->next;
			s->next = b[h];
			b[h] = s;
		}
	}
	free(ix->sbucket);
	ix->sbucket = b;
	ix->nsbucket = n;
}

static bool src_inc(struct ha_index *ix, const struct in6_addr *src)
{
	struct ha_src **pp = src_ref(ix, src), *s;
	uint32_t h;

	if (pp) {
		(*pp)->n++;
		return true;
	}
	if (!ix->nsbucket || ix->nsrc >= ix->nsbucket)
		src_grow(ix);
	if (!ix->nsbucket)
		return false;
	s = calloc(1, sizeof(*s));
	if (!s)
		return false;
	s->src = *src;
	s->n = 1;
	h = slot(ix, src, ix->nsbucket);
	s->next = ix->sbucket[h];
	ix->sbucket[h] = s;
	ix->nsrc++;
	return true;
}

static void src_dec(struct ha_index *ix, const struct in6_addr *src)
{
	struct ha_src **pp = src_ref(ix, src), *s;

	if (!pp)
		return;
	s = *pp;
	if (--s->n)
		return;
	*pp = s->next;
	free(s);
	ix->nsrc--;
}

uint32_t hidx_from_src(const struct ha_index *ix, const struct in6_addr *src)
{
	struct ha_src **pp = src_ref(ix, src);

	return pp ? (*pp)->n : 0;
}

uint32_t hidx_live(const struct ha_index *ix)
{
	return ix->live;
}

/* ---- keeping it all in step with the node ----------------------------- */

void hidx_sync(struct ha_index *ix, struct ha_mn *mn, uint64_t due, bool live,
	       const struct in6_addr *src)
{
	struct ha_mn_ix *m = &mn->ix;

	if (m->src_counted && (!live || !a6_eq(&m->src, src))) {
		src_dec(ix, &m->src);
		m->src_counted = false;
	}
	if (live && !m->src_counted) {
		m->src = *src;
		m->src_counted = src_inc(ix, src);
	}
	if (m->live != live) {
		m->live = live;
		if (live)
			ix->live++;
		else
			ix->live--;
	}
	heap_update(ix, mn, due);
}

void hidx_del(struct ha_index *ix, struct ha_mn *mn)
{
	struct ha_mn **pp;

	hidx_sync(ix, mn, UINT64_MAX, false, NULL);
	if (!ix->nbucket)
		return;
	for (pp = &ix->bucket[slot(ix, &mn->hoa, ix->nbucket)]; *pp;
	     pp = &(*pp)->ix.hnext) {
		if (*pp == mn) {
			*pp = mn->ix.hnext;
			ix->count--;
			return;
		}
	}
}

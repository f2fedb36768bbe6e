// SPDX-License-Identifier: GPL-2.0
/*
 * ctl_json.c - a streaming JSON writer, so that a dump of a million
 * bindings is printed as it arrives instead of being held in memory.
 */
#include <arpa/inet.h>
#include <inttypes.h>

#include "ctl.h"
#include "jsonesc.h"

void jw_init(struct jw *w, FILE *f)
{
	w->f = f;
	w->pretty = ctl.pretty;
	w->depth = 0;
	w->need_comma[0] = false;
}

/* one escaper for mcoactl and mcoad: bad UTF-8 never reaches jq raw */
static void jw_str_raw(FILE *f, const char *s)
{
	json_escape(f, s);
}

static void jw_indent(struct jw *w, int depth)
{
	fputc('\n', w->f);
	while (depth-- > 0)
		fputs("  ", w->f);
}

static void jw_key(struct jw *w, const char *key)
{
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	if (w->pretty && w->depth)
		jw_indent(w, w->depth);
	w->need_comma[w->depth] = true;
	if (key) {
		jw_str_raw(w->f, key);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

void jw_key_raw(struct jw *w, const char *key)
{
	jw_key(w, key);
}

static void jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	fputc(c, w->f);
	if (w->depth < (int)(sizeof(w->need_comma) - 1))
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void jw_close(struct jw *w, char c)
{
	/* an empty [] or {} stays on one line */
	if (w->pretty && w->need_comma[w->depth])
		jw_indent(w, w->depth - 1);
	fputc(c, w->f);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj_open(struct jw *w, const char *key)
{
	jw_open(w, key, '{');
}

void jw_obj_close(struct jw *w)
{
	jw_close(w, '}');
}

void jw_arr_open(struct jw *w, const char *key)
{
	jw_open(w, key, '[');
}

void jw_arr_close(struct jw *w)
{
	jw_close(w, ']');
}

void ctl_list_begin(struct jw *w)
{
	jw_init(w, stdout);
	if (ctl.json)
		jw_arr_open(w, NULL);
}

void ctl_list_end(struct jw *w)
{
	if (ctl.json) {
		jw_arr_close(w);
		putchar('\n');
	}
}

void jw_str(struct jw *w, const char *key, const char *val)
{
	jw_key(w, key);
	if (val)
		jw_str_raw(w->f, val);
	else
		fputs("null", w->f);
}

void jw_uint(struct jw *w, const char *key, uint64_t val)
{
	jw_key(w, key);
	fprintf(w->f, "%" PRIu64, val);
}

void jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	fputs("null", w->f);
}

void jw_bool(struct jw *w, const char *key, bool val)
{
	jw_key(w, key);
	fputs(val ? "true" : "false", w->f);
}

void jw_addr(struct jw *w, const char *key, const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	jw_str(w, key, a ? inet_ntop(AF_INET6, a, buf, sizeof(buf)) : NULL);
}

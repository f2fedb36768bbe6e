// SPDX-License-Identifier: GPL-2.0
/* mcoactl's JSON writer: compact by default, indented with -p, escaped. */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ctl.h"
#include "jsonesc.h"

struct ctl_state ctl;

/* Write {"a":[1,2],"s":"x","e":[]} into buf. */
static void doc(char *buf, size_t len, bool pretty)
{
	FILE *f = fmemopen(buf, len, "w");
	struct jw w;

	memset(buf, 0, len);
	ctl.pretty = pretty;
	jw_init(&w, f);
	jw_obj_open(&w, NULL);
	jw_arr_open(&w, "a");
	jw_uint(&w, NULL, 1);
	jw_uint(&w, NULL, 2);
	jw_arr_close(&w);
	jw_str(&w, "s", "x");
	jw_arr_open(&w, "e");
	jw_arr_close(&w);
	jw_obj_close(&w);
	fclose(f);
}

TEST(compact)
{
	char buf[256];

	doc(buf, sizeof(buf), false);
	EXPECT_STREQ("{\"a\":[1,2],\"s\":\"x\",\"e\":[]}", buf);
}

TEST(pretty)
{
	char buf[256];

	doc(buf, sizeof(buf), true);
	EXPECT_STREQ("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"s\": \"x\",\n"
		     "  \"e\": []\n}", buf);
}

TEST(escapes_control_quote_backslash)
{
	char buf[128];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct jw w;

	memset(buf, 0, sizeof(buf));
	ctl.pretty = false;
	jw_init(&w, f);
	jw_str(&w, NULL, "a\"b\\c\n\x01");
	fclose(f);
	EXPECT_STREQ("\"a\\\"b\\\\c\\u000a\\u0001\"", buf);
}

/* mcoad's escaper: quotes, control bytes, valid UTF-8 kept, bad bytes U+FFFD */
static void esc(char *buf, size_t len, const char *s)
{
	FILE *f = fmemopen(buf, len, "w");

	memset(buf, 0, len);
	json_escape(f, s);
	fclose(f);
}

TEST(daemon_json_escape)
{
	char buf[128];

	esc(buf, sizeof(buf), "mip0");
	EXPECT_STREQ("\"mip0\"", buf);
	esc(buf, sizeof(buf), "a\"b\\c\t\x7f");
	EXPECT_STREQ("\"a\\\"b\\\\c\\u0009\\u007f\"", buf);
	esc(buf, sizeof(buf), "caf\xc3\xa9");		/* valid UTF-8 */
	EXPECT_STREQ("\"caf\xc3\xa9\"", buf);
	esc(buf, sizeof(buf), "x\xff\xc0\xafy\xed\xa0\x80");	/* invalid */
	EXPECT_STREQ("\"x\\ufffd\\ufffd\\ufffdy\\ufffd\\ufffd\\ufffd\"", buf);
}

TEST_HARNESS_MAIN

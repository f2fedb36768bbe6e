// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static const char *log_ident = "mcoad";
static enum log_level log_level = LOG_LVL_INFO;
static bool log_journal;

static const char *const level_names[] = {
	[LOG_LVL_ERR] = "err",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_NOTICE] = "notice",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_init(const char *ident, enum log_level level)
{
	if (ident)
		log_ident = ident;
	log_level = level;
	/* systemd sets JOURNAL_STREAM when stderr is connected to the journal */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level log_get_level(void)
{
	return log_level;
}

int log_level_parse(const char *s)
{
	unsigned int i;

	for (i = LOG_LVL_ERR; i <= LOG_LVL_DEBUG; i++)
		if (!strcmp(s, level_names[i]))
			return i;
	if (!strcmp(s, "error"))
		return LOG_LVL_ERR;
	if (!strcmp(s, "warning"))
		return LOG_LVL_WARN;
	return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char buf[1024];
	struct timespec ts;
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (log_journal) {
		fprintf(stderr, "<%d>%s\n", level, buf);
		return;
	}
	/* monotonic seconds make retransmission timing visible in test logs */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "%s[%ld.%03ld] %s: %s\n", log_ident, (long)ts.tv_sec,
		ts.tv_nsec / 1000000, level_names[level], buf);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mcoad logging: one line per message on stderr. Under systemd (JOURNAL_STREAM
 * set) each line starts with the sd-daemon "<N>" priority prefix, so the
 * journal keeps the level without linking libsystemd.
 */
#ifndef MCOAD_LOG_H
#define MCOAD_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LVL_ERR = 3,
	LOG_LVL_WARN = 4,
	LOG_LVL_NOTICE = 5,
	LOG_LVL_INFO = 6,
	LOG_LVL_DEBUG = 7,
};

void log_init(const char *ident, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parse "err", "warn", "notice", "info", "debug"; -1 if unknown. */
int log_level_parse(const char *s);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_dbg(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif

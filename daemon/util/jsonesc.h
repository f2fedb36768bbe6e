/* SPDX-License-Identifier: GPL-2.0 */
/* jsonesc.h - a JSON string for mcoad's control socket answers. */
#ifndef MCOA_JSONESC_H
#define MCOA_JSONESC_H

#include <stdio.h>

/*
 * Write s as a quoted JSON string: '"', '\\' and control bytes escaped,
 * valid UTF-8 passed through, any other byte as U+FFFD, so that every
 * answer parses (jq) whatever an interface name holds.
 */
void json_escape(FILE *f, const char *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Home agent role of mcoad: the hooks are declared in mcoad.h; the
 * decisions live in ha_bu.h (pure, unit tested).
 */
#ifndef MCOAD_HA_H
#define MCOAD_HA_H

#include "ha_bu.h"
#include "mcoad.h"

/* ha_nemo.c: mobile routers (RFC 3963) */
/* The table of mobile-router lines, NULL when there are none. */
const struct nemo_table *ha_nemo_start(struct mcoad *d);
void ha_nemo_stop(void);
/* KOP_PREFIX_ADD/DEL: kernel and route; 0 or -errno (add only) */
int ha_nemo_prefix(struct mcoad *d, const struct kop *op);
/* After the bindings: adopt the kernel's prefixes (ha_restore_prefix()) */
void ha_nemo_restore(struct mcoad *d, struct ha_state *st);

#endif

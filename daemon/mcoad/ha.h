/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Home agent role of mcoad: the hooks are declared in mcoad.h; the
 * decisions live in ha_bu.h (pure, unit tested).
 */
#ifndef MCOAD_HA_H
#define MCOAD_HA_H

#include "ha_bu.h"
#include "mcoad.h"

#endif

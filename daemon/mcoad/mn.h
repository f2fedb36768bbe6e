/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobile node role of mcoad: the hooks are declared in mcoad.h; the
 * Binding Update List and decisions live in mn_bul.h (pure).
 */
#ifndef MCOAD_MN_H
#define MCOAD_MN_H

#include "mcoad.h"
#include "mn_bul.h"

#endif

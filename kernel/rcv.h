/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MCOA_RCV_H
#define _MCOA_RCV_H

int mcoa_rcv_init(void);
void mcoa_rcv_uninit(void);

#endif /* _MCOA_RCV_H */

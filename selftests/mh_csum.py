#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check every Mobility Header checksum in a pcap, independently of the C
code (RFC 6275 s6.1.1: pseudo-header source = HoA from a Home Address
option, destination = HoA from a type 2 routing header).

Prints one line per MH: "mh type=T csum=ok|bad src=.. dst=.. opts=T:L,.."
(the pseudo-header addresses and the option types/lengths) and exits 1
if any is bad or none was found.  Ethernet (1) or Linux cooked (113, 276).
"""
import ipaddress
import struct
import sys


def packets(path):
    with open(path, 'rb') as f:
        hdr = f.read(24)
        magic = struct.unpack('<I', hdr[:4])[0]
        endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        linktype = struct.unpack(endian + 'I', hdr[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(endian + 'IIII', rec)[2]
            yield linktype, f.read(incl)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def check(pkt):
    ip = pkt
    if (ip[0] >> 4) != 6:
        return None
    src, dst = ip[8:24], ip[24:40]
    nh, off = ip[6], 40
    while nh in (0, 43, 60):
        ext = ip[off:off + (ip[off + 1] + 1) * 8]
        if nh == 60:
            o = 2
            while o < len(ext):
                if ext[o] == 0:
                    o += 1
                    continue
                if ext[o] == 0xc9:
                    src = ext[o + 2:o + 18]
                o += 2 + ext[o + 1]
        if nh == 43 and ext[2] == 2:
            dst = ext[8:24]
        nh, off = ext[0], off + len(ext)
    if nh != 135:
        return None
    mh = ip[off:]
    pseudo = src + dst + struct.pack('!I3xB', len(mh), 135)
    ok = csum(pseudo + mh) == 0xffff
    return (mh[2], ok, ipaddress.IPv6Address(src),
            ipaddress.IPv6Address(dst), options(mh))


def options(mh):
    """type:length of each mobility option, Pad1 as 0:-"""
    fixed = {0: 8, 5: 12, 6: 12, 7: 24}.get(mh[2], len(mh))
    out, o = [], fixed
    while o < len(mh):
        if mh[o] == 0:
            out.append('0:-')
            o += 1
            continue
        out.append('%d:%d' % (mh[o], mh[o + 1]))
        o += 2 + mh[o + 1]
    return ','.join(out) or '-'


def main():
    seen = bad = 0
    for linktype, pkt in packets(sys.argv[1]):
        if linktype == 1:
            pkt = pkt[14:]
        elif linktype == 113:
            pkt = pkt[16:]
        elif linktype == 276:       # LINUX_SLL2 (tcpdump -i any)
            pkt = pkt[20:]
        r = check(pkt)
        if r is None:
            continue
        seen += 1
        bad += not r[1]
        print('mh type=%d csum=%s src=%s dst=%s opts=%s' %
              (r[0], 'ok' if r[1] else 'bad', r[2], r[3], r[4]))
    sys.exit(1 if bad or not seen else 0)


main()

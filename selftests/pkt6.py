#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Craft the IPv6 packets the selftests need and no tool sends (stdlib only).

  pkt6.py ip6ip6 SRC DST TCLASS ISRC IDST ITCLASS DPORT [COUNT]
      COUNT IPv6-in-IPv6 packets from local SRC to DST, outer traffic
      class TCLASS, carrying a UDP datagram ISRC -> IDST:DPORT with inner
      traffic class ITCLASS. The kernel builds the outer header.
  pkt6.py ptb DST MTU OSRC ODST ISRC IDST
      An ICMPv6 Packet Too Big (MTU) to DST quoting an IPv6-in-IPv6
      packet OSRC -> ODST whose inner header is ISRC -> IDST (UDP): what a
      router on the tunnel path would send, or what an attacker forges.
"""
import socket
import struct
import sys

IPPROTO_IPV6 = 41
IPPROTO_UDP = 17


def addr(a):
    return socket.inet_pton(socket.AF_INET6, a)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip6hdr(src, dst, nexthdr, plen, tclass=0, hlim=64):
    first = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB", first, plen, nexthdr, hlim) + addr(src) + addr(dst)


def udp(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    pseudo = addr(src) + addr(dst) + struct.pack("!I3xB", length, IPPROTO_UDP)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def inner_packet(isrc, idst, itclass, dport):
    payload = b"mcoa pkt6"
    seg = udp(isrc, idst, 40000, dport, payload)
    return ip6hdr(isrc, idst, IPPROTO_UDP, len(seg), itclass) + seg


def cmd_ip6ip6(src, dst, tclass, isrc, idst, itclass, dport, count="1"):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, IPPROTO_IPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, int(tclass, 0))
    s.bind((src, 0))
    pkt = inner_packet(isrc, idst, int(itclass, 0), int(dport))
    for _ in range(int(count)):
        s.sendto(pkt, (dst, 0))


def cmd_ptb(dst, mtu, osrc, odst, isrc, idst):
    inner = inner_packet(isrc, idst, 0, 9)
    quoted = ip6hdr(osrc, odst, IPPROTO_IPV6, len(inner)) + inner
    # type 2 code 0, checksum filled by the kernel (ICMPv6 raw socket)
    msg = struct.pack("!BBHI", 2, 0, 0, int(mtu)) + quoted
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.sendto(msg, (dst, 0))


def main(argv):
    cmds = {"ip6ip6": (cmd_ip6ip6, 7, 8), "ptb": (cmd_ptb, 6, 6)}
    if len(argv) < 2 or argv[1] not in cmds:
        sys.exit(__doc__)
    fn, lo, hi = cmds[argv[1]]
    if not lo <= len(argv) - 2 <= hi:
        sys.exit(__doc__)
    fn(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)

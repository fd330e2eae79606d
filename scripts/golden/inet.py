#!/usr/bin/env python3
"""Record CPython's answers for socket.inet_aton/inet_ntoa/inet_pton/inet_ntop.

Writes fixtures/golden/inet.json, which test/inet.test.ts replays against
netdb so `npm test` needs no Python. These functions touch no network, so
this runs directly:  python3 scripts/golden/inet.py

Each case is {"call", "args", and "result" or "error"}. Values are tagged:
{"str": text}, {"bytes": hex}, {"int": n}, {"float": x}, {"none": null}.
An error is {"type": Python class name, "errno": int or null, "message": str(e)}.
"""
import json
import os
import platform
import random
import socket
import sys

from calls import record

AF_INET = int(socket.AF_INET)
AF_INET6 = int(socket.AF_INET6)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "golden", "inet.json")




# The seed tour's examples.
SEED_V4 = ["192.168.1.1", "127.0.0.1"]
SEED_V6 = ["2002:ac10:10a:1234:21e:52ff:fe74:40e"]

# inet_aton: glibc's forgiving parser.
ATON = SEED_V4 + [
    # forms with 1-4 parts, each decimal, octal or hex
    "0", "1", "127.1", "127.0.1", "10.1", "1.2.3", "1.2.3.4", "255.255.255.255", "0.0.0.0",
    "4294967295", "4294967296", "16777216", "0xffffffff", "0x100000000", "037777777777", "040000000000",
    "0177.0.0.1", "0x7f.0.0.1", "0X7F.0X0.0X0.0X1", "0x7f.1", "0X7f.1", "0xAbCd", "0xabcdef12",
    "1.16777215", "1.16777216", "1.0xffffff", "1.077777777", "1.2.65535", "1.2.65536", "1.2.0xffff",
    "255.255.65535", "255.16777215", "256.1", "1.256.1", "1.1.256.1", "1.1.1.256",
    "0377.0377.0377.0377", "0400.1.1.1", "0xff.0xff.0xff.0xff", "0x100.1.1.1",
    "00000000000000000000000000000001.2", "0x00000000000000000000ff.1", "000", "00", "0x0", "0x00",
    "99999999999999999999", "0x1ffffffffffffffffffff", "077777777777777777777777",
    # rejected forms
    "", ".", "..", "...", "....", "1.", "1.2.", "1.2.3.", "1.2.3.4.", ".1.2.3", "1..2", "1.2..3",
    "1.2.3.4.5", "1.2.3.4.5.6", "08.1.1.1", "09", "1.08", "1.2.3.08", "0x", "0X", "0x.1.1.1", "1.0x",
    "0xg", "0x1g", "1.0x1g", "0x-1", "00x1", "1a", "a", "abc", "a.b.c.d", "1.2.3.a",
    "-1", "+1", "1.2.3.-4", "1.2.3.+4", "1,2,3,4", "1.2.3.4/24", "1.2.3.4:80", "::1", "::ffff:1.2.3.4",
    "localhost", "1e3", "1.5e2",
    # whitespace ends the address; leading whitespace does not start one
    "1.2.3.4 junk", "1.2.3.4 ", "1.2.3.4\tx", "1.2.3.4\n", "1.2.3.4\r\n", "1.2.3.4\x0bx", "1.2.3.4\x0cx",
    "127.1 ", "0x7f.1\tjunk", "1.2.3 .4", "1 2", " 1.2.3.4", "\t1.2.3.4", "1.2.3.4\x1c", "1.2.3.4\x85",
    "1.2.3.4\xa0", "1.2.3.4\u3000", "1.2.3.4\u2028", "1.2.3.4é", "１.２.３.４", "١٢٣",
    # NUL and lone surrogates fail in CPython's argument conversion
    "1.2.3.4\x00", "1.2.3.4 \x00", "\x00", "\x00\ud800", "\ud800", "1.2.3.4 \ud800", "\udfff1",
    "\ud800\udbff", "a\ud800\ud801x\udc00", "\U0001f600\ud800", "1.2.3.4 \U0001f600",
]

# inet_pton(AF_INET): strict dotted quad.
PTON4 = SEED_V4 + [
    "0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.0.1", "100.64.0.1", "1.2.3.255",
    "01.2.3.4", "1.02.3.4", "1.2.3.00", "00.0.0.0", "0.0.0.00", "256.1.1.1", "1.1.1.256", "1.2.3.1000",
    "1.2.3", "1.2", "1", "127.1", "1.2.3.4.", "1.2.3.4.5", ".1.2.3.4", "1..2.3", "1.2.3.4 ", " 1.2.3.4",
    "1.2.3.4\n", "0x7f.0.0.1", "1.2.3.a", "", ".", "4294967295", "::1", "::ffff:1.2.3.4", "1.2.3.4%eth0",
    "1.2.3.-0", "1.2.3.4\x00", "\ud800",
]

# inet_pton(AF_INET6).
PTON6 = SEED_V6 + [
    "::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "::ffff:0.0.0.0", "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:1.2.3.4", "1::1.2.3.4", "1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6::", "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8", "::3:4:5:6:7:8", "1::8", "1:2::7:8", "fe80::1", "FE80::1", "ABCD:EF01:2345:6789:abcd:ef01:2345:6789",
    "2001:db8::", "2001:DB8:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001", "0::0", "0:0:0:0:0:0:0:0",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "0000::", "::0000",
    "::ffff:1.2.3.4".upper(), "64:ff9b::192.0.2.33", "2001:db8:85a3::8a2e:370:7334", "ff02::1:ff00:1",
    # rejected
    "", ":", ":::", "::::", "1:", ":1", "1::2::3", "::1::", "1:::2", ":1::", "1::2:", "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
    "1:2:3:4::5:6:7:8", "12345::", "00001::", "::00001", "1:2:3:4:5:6:7:10000", "g::", "::g", "1:2:3:4:5:6:7:8g",
    "::1%eth0", "fe80::1%1", "fe80::1%", "%1", "[::1]", "::1/128", " ::1", "::1 ", "::1\n", "::1\x00",
    "1.2.3.4", "::1.2.3.4:5", "::1.2.3.4::", "::1.2.3.4.", "::01.2.3.4", "::1.2.3", "::1.2.3.4.5", "::256.1.1.1",
    "::a.1.2.3", "::1234.1.1.1", "1:2:3:4:5:6:7::1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::1:2:3:4:5:6:1.2.3.4",
    "::1:2:3:4:5:1.2.3.4", "1:2:3:4:5:6:7:8.1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8:1.2.3.4", "1.2.3.4::", "::1.2.3.4/96",
    "::ffff:1.2.3", "::ffff:1.2.3.04", "1::2:1.2.3.4:5", "::-1", "::+1", "::0x1", "\ud800::",
]

# inet_ntop(AF_INET6) inputs beyond what parsing gives: every pattern of zero
# and non-zero groups (how glibc picks the run for "::"), the IPv4-mapped and
# -compatible forms around their edges, and random bytes.
def ntop6_inputs():
    inputs = []
    for mask in range(256):
        groups = [(g + 1) * 0x1111 if mask >> (7 - g) & 1 else 0 for g in range(8)]
        inputs.append(b"".join(g.to_bytes(2, "big") for g in groups))
    ipv4_tails = ["00000000", "00000001", "0000ffff", "00010000", "00ff0000", "01020304", "ffffffff", "7f000001", "c0a80101"]
    for prefix in ["0" * 24, "0" * 20 + "ffff", "0" * 20 + "fffe", "0" * 20 + "0001", "0" * 16 + "ffff0000",
                   "0" * 16 + "0000ffff", "0" * 4 + "0" * 16 + "ffff", "0064ff9b" + "0" * 16]:
        inputs.extend(bytes.fromhex((prefix + tail)[:32]) for tail in ipv4_tails)
    rng = random.Random(20240603)
    for _ in range(60):
        inputs.append(bytes(rng.choice([0, 0, 0, rng.randrange(256)]) for _ in range(16)))
    for _ in range(20):
        inputs.append(bytes(rng.randrange(256) for _ in range(16)))
    return inputs


def cases():
    out = []
    for s in ATON:
        out.append(record("inet_aton", s))
    for packed in [bytes.fromhex(h) for h in ["c0a80101", "7f000001", "00000000", "ffffffff", "01020304", "0a000001"]]:
        out.append(record("inet_ntoa", packed))
    for s in PTON4:
        out.append(record("inet_pton", AF_INET, s))
    for s in PTON6:
        out.append(record("inet_pton", AF_INET6, s))
    # ntop of everything that parsed, so both directions see the same addresses.
    for c in list(out):
        if "result" in c and c["call"] in ("inet_aton", "inet_pton"):
            packed = bytes.fromhex(c["result"]["bytes"])
            out.append(record("inet_ntop", AF_INET6 if len(packed) == 16 else AF_INET, packed))
            if len(packed) == 4:
                out.append(record("inet_ntoa", packed))
    for packed in ntop6_inputs():
        out.append(record("inet_ntop", AF_INET6, packed))
        # and the text glibc prints parses back
        out.append(record("inet_pton", AF_INET6, socket.inet_ntop(socket.AF_INET6, packed)))
    # wrong lengths, families and types
    for n in [0, 1, 3, 5, 15, 16, 17]:
        out.append(record("inet_ntoa", bytes(range(n))))
        out.append(record("inet_ntop", AF_INET, bytes(range(n))))
        out.append(record("inet_ntop", AF_INET6, bytes(range(n))))
    for family in [0, 1, 3, 9, 11, 17, 28, -1, 2**31 - 1, -2**31]:
        out.append(record("inet_pton", family, "1.2.3.4"))
        out.append(record("inet_pton", family, "::1"))
        out.append(record("inet_ntop", family, bytes(4)))
        out.append(record("inet_ntop", family, bytes(16)))
    out.append(record("inet_pton", 3, "bad\x00"))
    out.append(record("inet_pton", 3, "\ud800"))
    for family in [2**31, -2**31 - 1, 2**62, -2**62, 2**63, -2**63, 2**64, -2**64]:
        out.append(record("inet_pton", family, "1.2.3.4"))
        out.append(record("inet_ntop", family, bytes(4)))
    for bad in [None, 1, 2.5, b"1.2.3.4"]:
        out.append(record("inet_aton", bad))
        out.append(record("inet_pton", AF_INET, bad))
        out.append(record("inet_pton", AF_INET6, bad))
    for bad in [None, 1, 2.5, "1234"]:
        out.append(record("inet_ntoa", bad))
        out.append(record("inet_ntop", AF_INET, bad))
    for bad in [None, 2.5, "2"]:
        out.append(record("inet_pton", bad, "1.2.3.4"))
        out.append(record("inet_ntop", bad, bytes(4)))
    # the family is converted before the address, the address before the family is checked
    out.append(record("inet_pton", "2", None))
    out.append(record("inet_ntop", None, "1234"))
    out.append(record("inet_pton", 3, None))
    out.append(record("inet_ntop", 3, None))
    return unique(out)


def unique(recorded):
    """The cases in order, each call with the same arguments once."""
    seen = set()
    kept = []
    for case in recorded:
        key = json.dumps([case["call"], case["args"]])
        if key not in seen:
            seen.add(key)
            kept.append(case)
    return kept


def main():
    golden = {
        "generator": "scripts/golden/inet.py",
        "python": platform.python_version(),
        "libc": " ".join(platform.libc_ver()),
        "cases": cases(),
    }
    lines = ",\n".join("  " + json.dumps(c) for c in golden.pop("cases"))
    head = json.dumps(golden)[:-1]
    with open(OUT, "w", encoding="ascii") as f:
        f.write(f'{head}, "cases": [\n{lines}\n]}}\n')
    print(f"wrote {os.path.relpath(OUT)}: {lines.count(chr(10)) + 1} cases", file=sys.stderr)


if __name__ == "__main__":
    main()

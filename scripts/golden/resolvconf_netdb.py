#!/usr/bin/env python3
"""Record that glibc reads a resolv.conf with netdb's `# netdb: nameserver
URI` lines exactly as it reads the same file without them.

Each pair below is a plain resolv.conf and the same file with netdb's lines
put before, between and after its own (and in the forms netdb accepts:
`# netdb:` and `#netdb:`, a URI glibc could not use either way). Both run
in the namespace machinery of unreachable.py (lo up, the test server on
127.0.0.1:53, a silent socket on 127.0.0.3:53, the same /etc files), with
the same calls, each timed: a file glibc read differently (another server
count, another order, a lost search list or option) would show in the
answers or the times. Writes fixtures/golden/resolvconf-netdb.json, which
test/files/resolvconf-netdb.test.ts checks (both files alike in glibc, and
netdb's `bootstrap` of the extended file is glibc's server list). Run as
root: python3 scripts/golden/resolvconf_netdb.py
"""
import json
import os
import platform
import sys

import unreachable

OUT = os.path.join(unreachable.ROOT, "fixtures", "golden", "resolvconf-netdb.json")

STEPS = [unreachable.WARM_UP, ["getaddrinfo", "www", 80], ["gethostbyname", "www"], ["gethostbyname_ex", "www.example.test"]]

PAIRS = [
    ("silent-first", "the first server never answers: one timeout, then the second",
     "nameserver 127.0.0.3\nnameserver 127.0.0.1\nsearch example.test\noptions timeout:1 attempts:1\n",
     "# netdb: nameserver tls://127.0.0.1?name=dns.example\nnameserver 127.0.0.3\n"
     "#netdb: nameserver https://dns.example/dns-query\nnameserver 127.0.0.1\n"
     "# netdb: nameserver tls://[::1]:853?profile=opportunistic\nsearch example.test\noptions timeout:1 attempts:1\n"
     "# netdb: nameserver https://127.0.0.1/dns-query#method=get\n"),
    ("three-servers", "three plain servers (MAXNS) and netdb lines: the third still counts",
     "nameserver 127.0.0.3\nnameserver 127.0.0.3\nnameserver 127.0.0.1\nsearch example.test\noptions timeout:1 attempts:1\n",
     "nameserver 127.0.0.3\n# netdb: nameserver tls://127.0.0.1\n# netdb: nameserver tls://127.0.0.2\nnameserver 127.0.0.3\n"
     "# netdb: nameserver tls://127.0.0.3\nnameserver 127.0.0.1\nsearch example.test\noptions timeout:1 attempts:1\n"),
]


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root: this uses unshare, ip and mount")
    scenarios = []
    for sid, what, plain, extended in PAIRS:
        scenarios.append({"id": f"{sid}-plain", "what": what, "resolv.conf": plain, "steps": STEPS})
        scenarios.append({"id": f"{sid}-netdb", "what": what + ", with netdb's lines", "resolv.conf": extended, "steps": STEPS})
    spec = {"id": "netdb-lines", "what": "lo up, the test server on 127.0.0.1:53, a silent socket on 127.0.0.3:53",
            "ip": ["link set lo up"], "serve": True, "scenarios": scenarios,
            "outer_netns": os.readlink("/proc/self/ns/net")}
    results = unreachable.in_namespace(spec)
    golden = {
        "generator": "scripts/golden/resolvconf_netdb.py",
        "python": platform.python_version(),
        "libc": " ".join(platform.libc_ver()),
        "scenarios": results,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in golden.items() if k != "scenarios"))
        f.write(',\n "scenarios": [\n' + ",\n".join("  " + json.dumps(sc) for sc in results) + "\n ]\n}\n")
    print(f"wrote {os.path.relpath(OUT, unreachable.ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

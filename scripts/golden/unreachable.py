#!/usr/bin/env python3
"""Record what CPython and glibc answer when the name servers cannot be
reached: no route, routes of type prohibit/blackhole/unreachable/throw,
nothing listening (ICMP port unreachable), no loopback at all, a server
whose route is prohibited after a first answer, and mixes of those with a
working server.

Writes fixtures/golden/unreachable.json, which test/dns/transport/
unreachable.test.ts replays against netdb inside the same namespaces, so
`npm test` needs no Python. Run as root from anywhere (unshare, ip, mount):

    python3 scripts/golden/unreachable.py

Each namespace below is a fresh network, mount and UTS namespace: its `ip`
commands run first (a namespace starts with `lo` down), then /etc/hosts,
nsswitch.conf, host.conf, gai.conf and resolv.conf are bind-mounted over
/etc (the host's /etc is never written) and, where `serve` is set, the
test server (test/dns/transport/unreachable-child.ts serve: the in-process
test DNS server on 127.0.0.1:53 with ZONES, and a UDP socket on
127.0.0.3:53 that reads and never answers) starts. Every scenario then
runs in a fresh python process with its resolv.conf: its steps in order
(a call, or `ip` arguments that change the namespace between calls), each
call timed. Last, every server of the scenario's resolv.conf is probed
with one query over the scenario's protocol (UDP, or TCP with use-vc):
"answers", "silent" or the errno name the kernel gave, so the replay can
check that netdb met the same failure (its trace names the same errno).

Nothing leaves the namespaces: they have no interface but `lo`.
"""
import errno as errno_names
import json
import os
import platform
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time

from calls import to_json
from namespace import bind_etc, in_fresh_namespace

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "fixtures", "golden", "unreachable.json")
SERVER = os.path.join(ROOT, "test", "dns", "transport", "unreachable-child.ts")

# Durations are rounded to this many milliseconds, as in the lookup golden
# files: 0 is "at once", a timeout (whole seconds) stays visible, and reruns
# on a busy machine compare equal.
MS_GRANULARITY = 100

HOSTNAME = "golden"  # no dot: no search list from the host name

ETC = {
    "hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    "nsswitch.conf": "hosts: files dns\n",
    "host.conf": "multi on\n",
    "gai.conf": "",
}

ZONES = [
    {"origin": "example.test.", "text": (
        "$TTL 300\n"
        "@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n"
        "@ IN NS ns.example.test.\n"
        "ns IN A 127.0.0.1\n"
        "www IN A 192.0.2.80\n"
        "www IN AAAA 2001:db8::80\n")},
    {"origin": "2.0.192.in-addr.arpa.", "text": (
        "$TTL 300\n"
        "@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\n"
        "@ IN NS ns.example.test.\n"
        "80 IN PTR www.example.test.\n")},
]

NAME = "www.example.test"
CALLS = [
    ["gethostbyname", NAME],
    ["gethostbyname_ex", NAME],
    ["getaddrinfo", NAME, None],
    ["gethostbyaddr", "192.0.2.80"],
]
# First a name from the hosts file: the libraries are loaded and the files
# read before the timed DNS calls, in CPython as in netdb.
WARM_UP = ["gethostbyname", "localhost"]

# Two attempts of one second: a resolver that waited for a timeout instead
# of taking the error would need seconds, where glibc needs none.
OPTIONS = "options timeout:1 attempts:2\n"


def scenario(sid, what, servers, options=OPTIONS, steps=None):
    conf = "".join(f"nameserver {s}\n" for s in servers) + options
    return {"id": sid, "what": what, "resolv.conf": conf, "steps": steps or [WARM_UP, *CALLS]}


ROUTES = [
    "link set lo up",
    "route add prohibit 198.51.100.0/24",
    "route add blackhole 203.0.113.0/24",
    "route add unreachable 198.18.0.0/15",
    "route add throw 100.64.0.0/10",
    "-6 route add prohibit 2001:db8:1::/48",
    "-6 route add blackhole 2001:db8:2::/48",
    "-6 route add unreachable 2001:db8:3::/48",
]

NAMESPACES = [
    {"id": "routes", "what": "lo up; routes of each type to documentation prefixes; the test server on 127.0.0.1:53 (not ::1), a silent socket on 127.0.0.3:53",
     "ip": ROUTES, "serve": True, "scenarios": [
        scenario("v4-unroutable", "no route to 10.255.255.1", ["10.255.255.1"]),
        scenario("v6-unroutable", "no route to 2001:db8::53", ["2001:db8::53"]),
        scenario("v4-prohibit", "a prohibit route", ["198.51.100.53"]),
        scenario("v6-prohibit", "a prohibit route", ["2001:db8:1::53"]),
        scenario("v4-blackhole", "a blackhole route", ["203.0.113.53"]),
        scenario("v6-blackhole", "a blackhole route", ["2001:db8:2::53"]),
        scenario("v4-unreachable", "an unreachable route", ["198.18.0.53"]),
        scenario("v6-unreachable", "an unreachable route", ["2001:db8:3::53"]),
        scenario("v4-throw", "a throw route (nothing in the other tables)", ["100.64.0.53"]),
        scenario("v4-refused", "a local address where nothing listens (ICMP port unreachable)", ["127.0.0.2"]),
        scenario("v6-refused", "::1 where nothing listens", ["::1"]),
        scenario("three-unreachable", "three servers, each failing another way", ["10.255.255.1", "2001:db8:1::53", "127.0.0.2"]),
        scenario("mix-unroutable-first", "first server unroutable, second answers", ["10.255.255.1", "127.0.0.1"]),
        scenario("mix-each-kind-first", "unroutable v6, prohibited, blackholed, then a server that answers",
                 ["2001:db8::53", "198.51.100.53", "127.0.0.1"]),
        scenario("mix-refused-first", "nothing listens on the first, the second answers", ["127.0.0.2", "127.0.0.1"]),
        scenario("silent-then-unroutable", "the first never answers (a timeout), the second is unroutable",
                 ["127.0.0.3", "10.255.255.1"], "options timeout:1 attempts:1\n"),
        scenario("vc-unroutable", "use-vc: TCP connect fails with ENETUNREACH", ["10.255.255.1"], "options use-vc timeout:1 attempts:2\n"),
        scenario("vc-prohibit", "use-vc: TCP connect fails with EACCES", ["198.51.100.53"], "options use-vc timeout:1 attempts:2\n"),
        scenario("vc-refused", "use-vc: TCP connect refused (RST)", ["127.0.0.2"], "options use-vc timeout:1 attempts:2\n"),
        scenario("vc-mix-unroutable-first", "use-vc: first unroutable, second answers", ["10.255.255.1", "127.0.0.1"],
                 "options use-vc timeout:1 attempts:2\n"),
    ]},
    {"id": "no-lo", "what": "not even lo up: no address, no route at all",
     "ip": [], "serve": False, "scenarios": [
        scenario("no-lo-v4", "127.0.0.1 without lo", ["127.0.0.1"]),
        scenario("no-lo-v6", "::1 without lo", ["::1"]),
        scenario("no-lo-default", "no nameserver line: the default, 127.0.0.1", [], ""),
        scenario("no-lo-unroutable", "10.255.255.1 without lo", ["10.255.255.1"]),
        scenario("no-lo-vc", "use-vc, 127.0.0.1 without lo", ["127.0.0.1"], "options use-vc timeout:1 attempts:2\n"),
    ]},
    {"id": "prohibited-later", "what": "lo up, the test server on 127.0.0.1:53; after a first answer a rule prohibits 127.0.0.1",
     "ip": ["link set lo up"], "serve": True, "scenarios": [
        scenario("prohibited-after-answer", "one answer, then `ip rule` prohibits the server", ["127.0.0.1"], steps=[
            WARM_UP, CALLS[0],
            # The local table's rule moves behind a prohibit rule for the server.
            {"ip": ["rule add pref 5 to 127.0.0.1 prohibit", "rule add pref 10 table local", "rule del pref 0 table local"]},
            *CALLS]),
    ]},
]

PYTHON_CALLS = {
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "gethostbyaddr": socket.gethostbyaddr,
    "getaddrinfo": socket.getaddrinfo,
}


# ---------------------------------------------------------------------------
# The innermost child: one scenario in one fresh python process.

def run_steps(steps):
    records = []
    for step in steps:
        if isinstance(step, dict):
            for command in step["ip"]:
                subprocess.run(["ip", *command.split()], check=True)
            records.append(step)
            continue
        call, *args = step
        record = {"call": call, "args": args}
        started = time.monotonic()
        try:
            record["ok"] = to_json(PYTHON_CALLS[call](*args))
        except OSError as error:
            errno = getattr(error, "errno", None)
            record["error"] = {"type": type(error).__name__, "errno": errno, "message": str(error)}
        ms = (time.monotonic() - started) * 1000
        record["ms"] = int(round(ms / MS_GRANULARITY) * MS_GRANULARITY)
        records.append(record)
    return records


def query_bytes(qid):
    """A plain A query for NAME, no EDNS: enough for the probe to get an answer."""
    qname = b"".join(bytes([len(label)]) + label.encode() for label in NAME.split(".")) + b"\0"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + struct.pack("!HH", 1, 1)


def probe(address, tcp):
    """What one query to address:53 meets: "answers", "silent", or the kernel's errno name."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
    sock.settimeout(0.5)
    try:
        sock.connect((address, 53))
        query = query_bytes(0x5a5a)
        if tcp:
            sock.sendall(struct.pack("!H", len(query)) + query)
            return "answers" if len(sock.recv(2)) == 2 else "closed"
        sock.send(query)
        readable, _, _ = select.select([sock], [], [], 0.5)
        if not readable:
            return "silent"
        sock.recv(512)
        return "answers"
    except socket.timeout:
        return "silent"
    except OSError as error:
        return errno_names.errorcode.get(error.errno, str(error.errno))
    finally:
        sock.close()


def scenario_child(spec):
    records = run_steps(spec["steps"])
    conf = spec["resolv.conf"]
    servers = [line.split()[1] for line in conf.splitlines() if line.startswith("nameserver")] or ["127.0.0.1"]
    tcp = "use-vc" in conf
    return {"steps": records, "servers": {s: probe(s, tcp) for s in servers}}


# ---------------------------------------------------------------------------
# The namespace child: network, files, server, then each scenario.

def namespace_child(spec):
    if not in_fresh_namespace():
        raise SystemExit("unreachable.py: not in a fresh network namespace")
    for command in spec["ip"]:
        subprocess.run(["ip", *command.split()], check=True)
    socket.sethostname(HOSTNAME)
    server = None
    with tempfile.TemporaryDirectory() as scratch:
        bind_etc(scratch, {**ETC, "resolv.conf": ""})
        try:
            if spec["serve"]:
                server = subprocess.Popen(["node", "--import", "tsx", SERVER, "serve"], cwd=ROOT,
                                          env={**os.environ, "UNREACHABLE_OUTER_NETNS": spec["outer_netns"]},
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                server.stdin.write(json.dumps(ZONES))
                server.stdin.close()
                if server.stdout.readline().strip() != "ready":
                    raise SystemExit("the test server did not start")
            results = []
            for sc in spec["scenarios"]:
                # Rewritten in place: the bind mount holds the inode.
                with open(os.path.join(scratch, "resolv.conf"), "w", encoding="utf-8") as f:
                    f.write(sc["resolv.conf"])
                env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
                       "PYTHONDONTWRITEBYTECODE": "1"}
                out = subprocess.run([sys.executable, os.path.abspath(__file__), "--scenario"], input=json.dumps(sc),
                                     capture_output=True, text=True, check=False, env=env)
                if out.returncode != 0:
                    raise SystemExit(f"scenario {sc['id']} failed:\n{out.stderr}")
                results.append({**{k: sc[k] for k in ("id", "what", "resolv.conf")}, **json.loads(out.stdout)})
                print(f"  {sc['id']}", file=sys.stderr)
            return results
        finally:
            if server is not None:
                server.terminate()
                server.wait()


def in_namespace(spec):
    out = subprocess.run(
        ["unshare", "--mount", "--net", "--uts", "--propagation", "private", "--",
         sys.executable, os.path.abspath(__file__), "--namespace"],
        input=json.dumps(spec), stdout=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"namespace {spec['id']} failed")
    return json.loads(out.stdout)


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root: this script uses unshare, ip and mount")
    namespaces = []
    for spec in NAMESPACES:
        print(f"{spec['id']}:", file=sys.stderr)
        scenarios = in_namespace({**spec, "outer_netns": os.readlink("/proc/self/ns/net")})
        namespaces.append({**{k: spec[k] for k in ("id", "what", "ip", "serve")}, "scenarios": scenarios})
    golden = {
        "generator": "scripts/golden/unreachable.py",
        "python": platform.python_version(),
        "libc": " ".join(platform.libc_ver()),
        "hostname": HOSTNAME,
        "etc": ETC,
        "zones": ZONES,
        "namespaces": namespaces,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(compact_json(golden))
    print(f"wrote {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


def compact_json(golden):
    """One line per scenario, for readable diffs."""
    out = ["{"]
    for key in ("generator", "python", "libc", "hostname", "etc", "zones"):
        out.append(f" {json.dumps(key)}: {json.dumps(golden[key])},")
    out.append(' "namespaces": [')
    for i, ns in enumerate(golden["namespaces"]):
        head = {k: v for k, v in ns.items() if k != "scenarios"}
        out.append("  " + json.dumps(head)[:-1] + ', "scenarios": [')
        out.append(",\n".join("   " + json.dumps(sc) for sc in ns["scenarios"]))
        out.append("  ]}" + ("," if i < len(golden["namespaces"]) - 1 else ""))
    out.append(" ]")
    out.append("}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--scenario"]:
        json.dump(scenario_child(json.load(sys.stdin)), sys.stdout)
    elif sys.argv[1:] == ["--namespace"]:
        json.dump(namespace_child(json.load(sys.stdin)), sys.stdout)
    else:
        main()

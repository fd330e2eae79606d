#!/usr/bin/env python3
"""Record what CPython and glibc answer to the glibc-parity scenarios of
test/dns/parity/scenarios.ts: answers shaped as glibc 2.36's own resolver
tests shape them (resolv/tst-resolv-*.c), sortlist, no-tld-query, no-aaaa,
EDNS sizes, FORMERR to EDNS, thousands of addresses, escaped and
right-to-left names.

Writes fixtures/golden/resolv-parity.json, which test/dns/parity/
parity.test.ts replays against netdb with the same server bytes, so
`npm test` needs no Python. Run as root from anywhere (unshare, mount):

    python3 scripts/golden/resolv-parity.py

One fresh network, mount and UTS namespace (only lo, brought up): the
scripted server (test/dns/parity/serve.ts) answers on 127.0.0.1, .2 and .3
port 53; /etc/hosts, nsswitch.conf, host.conf, gai.conf and resolv.conf
are bind-mounted over /etc (the host's /etc is never written). Every
scenario runs in a fresh python process with its resolv.conf; after each
call the server's log of the queries that call sent is taken, so the
golden says what glibc asked as well as what it answered.
"""
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time

from calls import to_json
from namespace import bind_etc, in_fresh_namespace

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "fixtures", "golden", "resolv-parity.json")
SERVER = os.path.join(ROOT, "test", "dns", "parity", "serve.ts")
ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
HOSTNAME = "golden"
ETC = {
    "hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    "nsswitch.conf": "hosts: files dns\n",
    "host.conf": "multi on\n",
    "gai.conf": "",
}
MS_GRANULARITY = 100


# ---------------------------------------------------------------------------
# The innermost child: one scenario's calls in one fresh python process.
# After each call it prints the record and waits for a line on stdin, so the
# namespace child can take the server's log of that call's queries.

def scenario_child(spec):
    for call, *args in spec["calls"]:
        record = {"call": call, "args": args}
        started = time.monotonic()
        try:
            record["ok"] = to_json(getattr(socket, call)(*args))
        except Exception as error:  # noqa: BLE001 - every exception is an answer to record
            errno = error.errno if isinstance(error, OSError) else None
            record["error"] = {"type": type(error).__name__, "errno": errno, "message": str(error)}
        ms = (time.monotonic() - started) * 1000
        record["ms"] = int(round(ms / MS_GRANULARITY) * MS_GRANULARITY)
        print(json.dumps(record), flush=True)
        sys.stdin.readline()


# ---------------------------------------------------------------------------
# The namespace child.

def namespace_child(spec):
    if not in_fresh_namespace():
        raise SystemExit("resolv-parity.py: not in a fresh network namespace")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    socket.sethostname(HOSTNAME)
    with tempfile.TemporaryDirectory() as scratch:
        bind_etc(scratch, {**ETC, "resolv.conf": ""})
        server = subprocess.Popen(["node", "--import", "tsx", SERVER, "serve"], cwd=ROOT,
                                  env={**os.environ, "PARITY_OUTER_NETNS": spec["outer_netns"]},
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            if server.stdout.readline().strip() != "ready":
                raise SystemExit("the scripted server did not start")
            results = []
            for sc in spec["scenarios"]:
                results.append(run_scenario(sc, scratch, server))
                print(f"  {sc['id']}", file=sys.stderr)
            return results
        finally:
            server.stdin.close()
            server.wait()


def command(server, line):
    server.stdin.write(line + "\n")
    server.stdin.flush()
    return server.stdout.readline()


def run_scenario(sc, scratch, server):
    conf = "".join(f"nameserver {a}\n" for a in ADDRESSES[:sc["servers"]]) + sc["conf"]
    # Rewritten in place: the bind mount holds the inode.
    with open(os.path.join(scratch, "resolv.conf"), "w", encoding="utf-8") as f:
        f.write(conf)
    if command(server, "use " + sc["id"]).strip() != "ok":
        raise SystemExit(f"the server refused scenario {sc['id']}")
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--scenario"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
    child.stdin.write(json.dumps(sc) + "\n")
    child.stdin.flush()
    calls = []
    for _ in sc["calls"]:
        line = child.stdout.readline()
        if not line:
            raise SystemExit(f"scenario {sc['id']}: the child ended early")
        record = json.loads(line)
        record["queries"] = json.loads(command(server, "log"))
        calls.append(record)
        child.stdin.write("\n")
        child.stdin.flush()
    child.stdin.close()
    if child.wait() != 0:
        raise SystemExit(f"scenario {sc['id']} failed")
    return {"id": sc["id"], "kind": sc["kind"], "what": sc["what"], "resolv.conf": conf, "calls": calls}


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root: this script uses unshare, ip and mount")
    listed = subprocess.run(["node", "--import", "tsx", SERVER, "list"], cwd=ROOT, check=True,
                            capture_output=True, text=True)
    scenarios = json.loads(listed.stdout)
    only = sys.argv[1:]
    if only:
        scenarios = [s for s in scenarios if s["id"] in only]
    spec = {"scenarios": scenarios, "outer_netns": os.readlink("/proc/self/ns/net")}
    out = subprocess.run(
        ["unshare", "--mount", "--net", "--uts", "--propagation", "private", "--",
         sys.executable, os.path.abspath(__file__), "--namespace"],
        input=json.dumps(spec), stdout=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit("the namespace failed")
    recorded = json.loads(out.stdout)
    if only and os.path.exists(OUT):
        with open(OUT, encoding="utf-8") as f:
            old = {s["id"]: s for s in json.load(f)["scenarios"]}
        fresh = {s["id"]: s for s in recorded}
        order = [s["id"] for s in json.loads(listed.stdout)]
        recorded = [fresh.get(i) or old[i] for i in order if i in fresh or i in old]
    golden = {
        "generator": "scripts/golden/resolv-parity.py",
        "python": platform.python_version(),
        "libc": " ".join(platform.libc_ver()),
        "hostname": HOSTNAME,
        "etc": ETC,
        "servers": ADDRESSES,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(compact_json(golden, recorded))
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(recorded)} scenarios, "
          f"{sum(len(s['calls']) for s in recorded)} calls", file=sys.stderr)


def compact_json(golden, scenarios):
    """One line per scenario, for readable diffs."""
    out = ["{"]
    for key, value in golden.items():
        out.append(f" {json.dumps(key)}: {json.dumps(value)},")
    out.append(' "scenarios": [')
    out.append(",\n".join("  " + json.dumps(sc) for sc in scenarios))
    out.append(" ]")
    out.append("}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--scenario"]:
        scenario_child(json.loads(sys.stdin.readline()))
    elif sys.argv[1:] == ["--namespace"]:
        json.dump(namespace_child(json.load(sys.stdin)), sys.stdout)
    else:
        main()

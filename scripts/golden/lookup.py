"""Ask CPython's socket module (and so glibc) the lookup cases of one world
and write the answers as a golden file.

Run inside the world, through scripts/netns/run.sh (scripts/golden/regen.sh
does that for every world):

    scripts/netns/run.sh fixtures/worlds/seed -- \
        python3 scripts/golden/lookup.py seed fixtures/golden/lookup-seed.json

The file is {"world", "python", "glibc", "namespace", "cases": [...]}; each
case is {"id", "call", "args", "ok" | "error", "ms"} as described in
fixtures/golden/README.md. The cases themselves are in cases.py.
"""

import json
import os
import platform
import socket
import subprocess
import sys
import time

from cases import CASES_BY_WORLD

from calls import to_json

CALLS = {
    "gethostname": socket.gethostname,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "gethostbyaddr": socket.gethostbyaddr,
    "getfqdn": socket.getfqdn,
    "getaddrinfo": socket.getaddrinfo,
    # The sockaddr travels as a JSON array; Python wants a tuple.
    "getnameinfo": lambda sockaddr, *rest: socket.getnameinfo(tuple(sockaddr), *rest),
    "getservbyname": socket.getservbyname,
    "getservbyport": socket.getservbyport,
    "getprotobyname": socket.getprotobyname,
}

# Durations are rounded to this many milliseconds so that two runs of the
# same world compare equal, while timeouts (whole seconds) stay visible.
MS_GRANULARITY = 100


def describe_error(error):
    errno = getattr(error, "errno", None) if isinstance(error, OSError) else None
    return {"type": type(error).__name__, "errno": errno, "message": str(error)}


def evaluate(case):
    case_id, call, args = case
    record = {"id": case_id, "call": call, "args": args}
    started = time.monotonic()
    try:
        record["ok"] = to_json(CALLS[call](*args))
    except Exception as error:  # every failure is an answer to record
        record["error"] = describe_error(error)
    elapsed_ms = (time.monotonic() - started) * 1000
    record["ms"] = int(round(elapsed_ms / MS_GRANULARITY) * MS_GRANULARITY)
    return record


def ip_json(*args):
    output = subprocess.run(["ip", "-j", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def namespace():
    """The addresses and routes the lookups ran with (AI_ADDRCONFIG and
    RFC 6724 sorting depend on them)."""
    addresses = []
    for link in ip_json("addr", "show"):
        for info in link.get("addr_info", []):
            addresses.append({"interface": link["ifname"], "index": link["ifindex"],
                              "address": info["local"], "prefixlen": info["prefixlen"]})
    routes = []
    for family in ("-4", "-6"):
        for route in ip_json(family, "route", "show"):
            routes.append({key: route[key] for key in ("dst", "dev", "gateway") if key in route})
    return {"addresses": addresses, "routes": routes}


def glibc_version():
    name, _, version = os.confstr("CS_GNU_LIBC_VERSION").partition(" ")
    assert name == "glibc", name
    return version


def dump(value):
    return json.dumps(value, ensure_ascii=False)


def write_golden(golden, out_path):
    """One case per line, so a change in glibc's answers is a readable diff."""
    header = ",\n".join(" %s: %s" % (dump(key), dump(value))
                        for key, value in golden.items() if key != "cases")
    cases = ",\n".join("  " + dump(case) for case in golden["cases"])
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("{\n%s,\n \"cases\": [\n%s\n ]\n}\n" % (header, cases))


def main(world, out_path):
    cases = CASES_BY_WORLD[world]
    ids = [case[0] for case in cases]
    # Ids abbreviate long strings; two cases must never end up with one id.
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if duplicates:
        sys.exit("duplicate case ids in %s: %s" % (world, duplicates))
    golden = {
        "world": world,
        "python": platform.python_version(),
        "glibc": glibc_version(),
        "namespace": namespace(),
        "cases": [evaluate(case) for case in cases],
    }
    write_golden(golden, out_path)
    print("%s: %d cases -> %s" % (world, len(cases), out_path))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in CASES_BY_WORLD:
        sys.exit("usage: lookup.py WORLD OUT.json  (worlds: %s)" % " ".join(sorted(CASES_BY_WORLD)))
    main(sys.argv[1], sys.argv[2])

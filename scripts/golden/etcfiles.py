"""Ask CPython (glibc) lookups with one /etc file that is not a plain file,
and print the answer of one case as a JSON line.

Run by scripts/golden/etcfiles.sh inside a world's namespace after it has
put the odd file in place; each case runs in a fresh process (the FIFO
case hangs, glibc reads /etc/hosts again on every call anyway, and a
process's first call is the one that matters for the files glibc reads
once), so the shell can time it out:

    python3 etcfiles.py CASE_INDEX      prints {"id","call","args","ok"|"error","ms"}
    python3 etcfiles.py --list          prints the scenarios as JSON

A scenario is (world, file, kind, cases). Kinds: unreadable (mode 000, the
lookup run as user nobody), directory, fifo (no writer), zero (/dev/zero
bound over the file).
"""
import json
import sys

from cases import case
from lookup import evaluate

HOSTS_CASES = [
    case("gethostbyname", "localhost"),
    case("gethostbyname_ex", "farnsworth"),
    case("gethostbyaddr", "127.0.0.1"),
    case("getaddrinfo", "localhost", None),
    case("getaddrinfo", "farnsworth", None, 2),
    case("getaddrinfo", "www.python.org", 80, 2, 1),
]
SERVICES_CASES = [case("getservbyname", "http"), case("getservbyport", 443)]
PROTOCOLS_CASES = [case("getprotobyname", "tcp")]
RESOLV_CASES = [case("gethostbyname", "www"), case("getaddrinfo", "www.python.org", 80, 2, 1)]
NSSWITCH_CASES = [case("gethostbyname_ex", "farnsworth"), case("gethostbyname", "www.python.org")]

SCENARIOS = (
    [("seed", "hosts", kind, HOSTS_CASES) for kind in ("unreadable", "directory", "zero")]
    + [("hostsonly", "hosts", kind, HOSTS_CASES) for kind in ("unreadable", "directory", "zero")]
    + [("seed", "hosts", "fifo", HOSTS_CASES[:1])]
    + [("seed", "services", kind, SERVICES_CASES) for kind in ("unreadable", "directory", "zero")]
    + [("seed", "protocols", kind, PROTOCOLS_CASES) for kind in ("unreadable", "directory", "zero")]
    + [("seed", "resolv.conf", kind, RESOLV_CASES) for kind in ("unreadable", "directory", "zero")]
    + [("seed", "nsswitch.conf", kind, NSSWITCH_CASES) for kind in ("unreadable", "directory")]
)


def flat_cases():
    for world, name, kind, cases in SCENARIOS:
        for one in cases:
            yield world, name, kind, one


if __name__ == "__main__":
    if sys.argv[1] == "--list":
        print(json.dumps([[w, n, k, c] for w, n, k, c in flat_cases()]))
    else:
        print(json.dumps(evaluate(list(flat_cases())[int(sys.argv[1])][3])))

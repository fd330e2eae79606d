"""Ask CPython (glibc) getaddrinfo with bytes hosts and the IDN flags, in
the seed world, and write fixtures/golden/idn.json (the format of
lookup-<world>.json, bytes arguments tagged {"bytes": hex}).

CPython encodes a str host with its own idna codec, so only bytes reach
glibc's IDN code (libidn2, with the locale's charset: LANG=C.UTF-8 here).
That is where EAI_IDN_ENCODE comes from: bytes that are no UTF-8, with
AI_IDN. Run by scripts/golden/seedextra.sh inside the world.
"""
import platform
import sys

from cases import AI_CANONIDN, AI_IDN, make_id
from lookup import describe_error, glibc_version, namespace, to_json, write_golden
from socket import AF_INET, AI_CANONNAME, SOCK_STREAM, getaddrinfo
import time

HOSTS = [b"\xc3\xbc.example", b"\xff.example", b"b\xc3\xbccher.example", b"B\xc3\x9cCHER.example", b"\xe2\x80\x8b.example",
         b"xn--zz.example", b"\xd7\xa9\xd7\x9d1.example", b"\xc3\xbc" * 40 + b".example", b"fa\xc3\x9f.example",
         b"\xc3.example", b"\xed\xa0\x80.example", b"www\xc2\xa0.python.org", b"homer", b"h\xc3\xb6mer"]
FLAGS = [0, AI_IDN, AI_IDN | AI_CANONNAME, AI_IDN | AI_CANONNAME | AI_CANONIDN]


def tagged(arg):
    return {"bytes": arg.hex()} if isinstance(arg, bytes) else arg


def evaluate(host, flags):
    args = [host, 80, AF_INET, SOCK_STREAM, 0, flags]
    record = {"id": make_id("getaddrinfo", [host.decode("latin-1")] + args[1:]).replace("gai '", "gai b'", 1),
              "call": "getaddrinfo", "args": [tagged(a) for a in args]}
    started = time.monotonic()
    try:
        record["ok"] = to_json(getaddrinfo(*args))
    except Exception as error:
        record["error"] = describe_error(error)
    record["ms"] = int(round((time.monotonic() - started) * 10) * 100)
    return record


def main(out_path):
    cases = [evaluate(host, flags) for host in HOSTS for flags in FLAGS]
    golden = {"world": "seed", "python": platform.python_version(), "glibc": glibc_version(),
              "namespace": namespace(), "cases": cases}
    write_golden(golden, out_path)
    print("idn: %d cases -> %s" % (len(cases), out_path))


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Record what CPython and glibc answer from the /etc tables.

Writes fixtures/golden/tables.json, which the tests replay against netdb so
`npm test` needs no Python. Run as root (it uses unshare and bind mounts):

    python3 scripts/golden/tables.py

Three kinds of records:

- "sets": socket.getservbyname, getservbyport, getprotobyname,
  gethostbyname_ex and gethostbyaddr, each set of cases run in a private
  mount and network namespace with that set's services, protocols and hosts
  files bind-mounted over /etc, beside an nsswitch.conf saying "files" for
  each database and a host.conf saying "multi on" (Debian's).
- "resolv": the resolver state glibc's res_init builds (read through ctypes
  from _res) for a resolv.conf text, LOCALDOMAIN/RES_OPTIONS and a host
  name, one fresh process per case because glibc caches the parsed file.

Arguments and results are tagged as in calls.py: {"str": text},
{"int": n}, {"float": x}, {"none": null}, {"list": [...]}. An error is
{"type": Python class name, "errno": int or null, "message": str(e)}.
"""
import ctypes
import json
import os
import platform
import socket
import subprocess
import sys

from calls import record
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "fixtures", "golden", "tables.json")

NSSWITCH = "hosts: files\nservices: files\nprotocols: files\nnetworks: files\n"
HOST_CONF = "multi on\n"
RESOLV_CONF = "nameserver 127.0.0.1\n"


# ---------------------------------------------------------------------------
# glibc's resolver state, read with ctypes (layout of struct __res_state on
# 64-bit Linux; checked against offsetof when this script was written).

class SockaddrIn(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_ushort),
                ("addr", ctypes.c_ubyte * 4), ("zero", ctypes.c_ubyte * 8)]


class SockaddrIn6(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_ushort), ("flowinfo", ctypes.c_uint32),
                ("addr", ctypes.c_ubyte * 16), ("scope_id", ctypes.c_uint32)]


class ResExt(ctypes.Structure):
    _fields_ = [("nscount", ctypes.c_uint16), ("nsmap", ctypes.c_uint16 * 3), ("nssocks", ctypes.c_int * 3),
                ("nscount6", ctypes.c_uint16), ("nsinit", ctypes.c_uint16),
                ("nsaddrs", ctypes.POINTER(SockaddrIn6) * 3), ("reserved", ctypes.c_uint * 2)]


class ResUnion(ctypes.Union):
    _fields_ = [("pad", ctypes.c_char * 52), ("ext", ResExt)]


class ResState(ctypes.Structure):
    _fields_ = [("retrans", ctypes.c_int), ("retry", ctypes.c_int), ("options", ctypes.c_ulong),
                ("nscount", ctypes.c_int), ("nsaddr_list", SockaddrIn * 3), ("id", ctypes.c_ushort),
                ("dnsrch", ctypes.c_char_p * 7), ("defdname", ctypes.c_char * 256), ("pfcode", ctypes.c_ulong),
                ("ndots", ctypes.c_uint, 4), ("nsort", ctypes.c_uint, 4), ("ipv6_unavail", ctypes.c_uint, 1),
                ("unused", ctypes.c_uint, 23), ("sort_list", ctypes.c_uint32 * 20),
                ("qhook", ctypes.c_void_p), ("rhook", ctypes.c_void_p), ("res_h_errno", ctypes.c_int),
                ("vcsock", ctypes.c_int), ("flags", ctypes.c_uint), ("u", ResUnion)]


assert ctypes.sizeof(ResState) == 568 and ResState.dnsrch.offset == 72 and ResState.u.offset == 512

# <resolv.h> option bits.
FLAGS = {
    "rotate": 0x00004000, "edns0": 0x00100000, "singleRequest": 0x00200000,
    "singleRequestReopen": 0x00400000, "useVc": 0x00000008, "noTldQuery": 0x01000000,
    "noReload": 0x02000000, "trustAd": 0x04000000, "noAaaa": 0x08000000,
}


def resolver_state():
    libc = ctypes.CDLL(None)
    libc.__res_state.restype = ctypes.POINTER(ResState)
    if libc.__res_init() != 0:
        return {"error": "res_init failed"}
    res = libc.__res_state().contents
    servers = []
    for i in range(res.nscount):
        v4 = res.nsaddr_list[i]
        if v4.family == socket.AF_INET:
            servers.append({"address": socket.inet_ntop(socket.AF_INET, bytes(v4.addr)), "port": socket.ntohs(v4.port)})
        else:
            v6 = res.u.ext.nsaddrs[i].contents
            servers.append({"address": socket.inet_ntop(socket.AF_INET6, bytes(v6.addr)),
                            "port": socket.ntohs(v6.port), "scopeId": v6.scope_id})
    search = []
    for i in range(7):
        if res.dnsrch[i] is None:
            break
        search.append(res.dnsrch[i].decode("utf-8", "surrogateescape"))
    state = {"nameservers": servers, "search": search, "ndots": res.ndots,
             "timeout": res.retrans, "attempts": res.retry}
    state.update({name: bool(res.options & bit) for name, bit in FLAGS.items()})
    return state


# ---------------------------------------------------------------------------
# The child: runs inside `unshare`, binds the files, answers the calls.

def bind(source, target, scratch):
    """Bind-mounts source ({"path": file} or {"text": contents}) over target."""
    path = source.get("path")
    if path is None:
        fd, path = tempfile.mkstemp(dir=scratch)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(source["text"])
    subprocess.run(["mount", "--bind", path, target], check=True)


def child(spec):
    os.environ["LC_ALL"] = "C.UTF-8"
    for name in ("LOCALDOMAIN", "RES_OPTIONS", "HOSTALIASES"):
        os.environ.pop(name, None)
    os.environ.update(spec.get("env", {}))
    socket.sethostname(spec.get("hostname", "golden"))
    files = {"nsswitch.conf": {"text": NSSWITCH}, "host.conf": {"text": HOST_CONF},
             "resolv.conf": {"text": RESOLV_CONF}, "hosts": {"text": ""}}
    files.update(spec.get("files", {}))
    with tempfile.TemporaryDirectory() as scratch:
        for name, source in files.items():
            bind(source, "/etc/" + name, scratch)
        if "calls" in spec:
            return [record(call, *args) for call, *args in spec["calls"]]
        return resolver_state()


def in_namespace(spec):
    """Runs child(spec) in fresh mount, network and UTS namespaces."""
    out = subprocess.run(
        ["unshare", "--mount", "--net", "--uts", "--propagation", "private", "--",
         sys.executable, os.path.abspath(__file__), "--child"],
        input=json.dumps(spec), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"the namespaced child failed:\n{out.stderr}")
    return json.loads(out.stdout)


# ---------------------------------------------------------------------------
# The cases.

def rel(*parts):
    return os.path.join(ROOT, *parts)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def words(text):
    """Every whitespace-separated word of a file, comments and junk included, in order, once."""
    seen = []
    for word in text.replace("\0", " ").split():
        if word not in seen:
            seen.append(word)
    return seen


def variants(word):
    return unique([word, word.upper(), word.capitalize()])


def unique(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def entry_names(text):
    """Roughly, the names and aliases of a file's entries: enough to choose queries."""
    names = []
    for line in text.replace("\0", "\n").split("\n"):
        fields = line.split("#")[0].split()
        if len(fields) >= 2:
            names += [fields[0]] + fields[2:]
    return unique(names)


def service_calls(text, names, proto_names, protos):
    """getservbyname for each name alone and, for proto_names, with each protocol; getservbyport likewise."""
    calls = [["getservbyname", n] for n in names]
    calls += [["getservbyname", n, p] for n in proto_names for p in protos]
    ports = sorted({int(w.split("/")[0]) for w in words(text) if w.split("/")[0].isdigit()}
                   | {0, 1, 7, 80, 81, 83, 84, 443, 8080, 65535})
    calls += [["getservbyport", port] for port in ports]
    proto_ports = {e for n in proto_names for e in ports_of(text, n)} | {0, 80, 81, 443, 65535}
    calls += [["getservbyport", port, p] for port in sorted(proto_ports) for p in protos]
    return calls


def ports_of(text, name):
    """The ports written on the lines that start with `name`."""
    out = set()
    for line in text.split("\n"):
        fields = line.split()
        if len(fields) >= 2 and fields[0] == name and fields[1].split("/")[0].isdigit():
            out.add(int(fields[1].split("/")[0]))
    return out


def argument_errors():
    """CPython's checks on wrong arguments; any services file gives the same."""
    return [
        ["getservbyname", 80], ["getservbyname", None], ["getservbyname", "http", None],
        ["getservbyname", "http", 6], ["getservbyname", "ht\0tp"], ["getservbyname", "http", "tc\0p"],
        ["getservbyname", "h\ud800"], ["getservbyport", "80"], ["getservbyport", 80.5],
        ["getservbyport", None], ["getservbyport", 80, None], ["getservbyport", 80, 6],
        ["getservbyport", -1], ["getservbyport", 65536], ["getservbyport", -2**31],
        ["getservbyport", 2**31 - 1], ["getservbyport", 2**31], ["getservbyport", -2**31 - 1],
        ["getservbyport", 2**63], ["getservbyport", 70000, 6], ["getprotobyname", 6],
        ["getprotobyname", None], ["getprotobyname", "tc\0p"],
    ]


SEED_NAMES = ["http", "https", "ftp", "gopher", "smtp", "imap", "imaps", "pop3", "pop3s"]
SEED_PORTS = [80, 443, 21, 70, 25, 143, 993, 110, 995]
SEED_PROTOCOLS = ["icmp", "udp", "tcp"]


def netbase_set():
    services, protocols = rel("fixtures", "netbase", "services"), rel("fixtures", "netbase", "protocols")
    names = unique(SEED_NAMES + entry_names(read(services)) + ["HTTP", "Http", "nosuchservice", ""])
    calls = [["getservbyname", n] for n in SEED_NAMES] + [["getservbyport", p] for p in SEED_PORTS]
    calls += [["getprotobyname", n] for n in SEED_PROTOCOLS]
    # Every name alone; with a protocol, the seed's and a sample of the rest.
    calls += service_calls(read(services), names, unique(SEED_NAMES + names[::4]), ["tcp", "udp"])
    calls += [["getprotobyname", w] for v in entry_names(read(protocols)) + ["nosuchproto", ""] for w in variants(v)]
    calls += argument_errors()
    files = {"services": services, "protocols": protocols}
    return {"name": "netbase", "files": files, "calls": unique(calls)}


def hostile_set(name):
    base = rel("fixtures", "etc", name)
    files = {f: os.path.join(base, f) for f in ("services", "protocols", "hosts")}
    service_words = words(read(files["services"]))
    # Keep three of the long line's 500 aliases: the first, one inside, the last.
    service_words = [w for w in service_words if not w.startswith("longalias") or w in
                     ("longalias0", "longalias250", "longalias499")]
    names = unique([v for w in service_words for v in variants(w)] + ["nosuchservice", ""])
    proto_names = [n for n in entry_names(read(files["services"])) if n in service_words]
    protos = ["tcp", "udp", "TCP", "", "sctp", "tcp/extra", "tcpcp"]
    calls = service_calls(read(files["services"]), names, proto_names, protos)
    proto_names = unique([v for w in words(read(files["protocols"])) for v in variants(w)] + ["lstst", "tcp ", ""])
    calls += [["getprotobyname", n] for n in proto_names]
    host_words = words(read(files["hosts"]))
    # Python IDNA-encodes gethostbyname_ex's name, so only ASCII names test the file.
    host_names = unique([v for w in host_words if not w[0].isdigit() and ":" not in w and w.isascii()
                         for v in variants(w)] + ["lastt", "nosuchhost", ""])
    calls += [["gethostbyname_ex", n] for n in host_names]
    addresses = unique([a for a in host_words if is_address(a)] + [
        "127.0.0.1", "::1", "1.2.3.4", "5.6.7.8", "::ffff:5.6.7.8", "::ffff:1.2.3.4", "::1.2.3.4",
        "10.0.0.2", "203.0.113.9", "192.0.2.1", "::ffff:192.0.2.1", "2001:db8::1", "192.0.2.99", "10.0.0.6"])
    calls += [["gethostbyaddr", canonical(a)] for a in addresses]
    return {"name": name, "files": files, "calls": unique(calls)}


def is_address(text):
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, text)
            return True
        except OSError:
            pass
    return False


def canonical(text):
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_ntop(family, socket.inet_pton(family, text))
        except OSError:
            pass
    raise ValueError(text)


# resolv.conf cases: (text, env, hostname). Search lists stay within what
# _res can show (6 domains, 256 bytes): glibc keeps longer ones (res_search
# uses them all) but this record reads _res.
RESOLV_CASES = [
    ("", {}, "golden"),
    ("", {}, "host.example.com"),
    ("", {}, "host."),
    ("", {}, "a..b"),
    ("nameserver 127.0.0.1\n", {}, "golden"),
    ("nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n", {}, "golden"),
    ("nameserver 127.1\nnameserver 0x7f.1\nnameserver 1.2.3.4junk\nnameserver 1.2.3.4 junk\n", {}, "golden"),
    ("nameserver 10.0.0.1\r\nnameserver 10.0.0.2\r\n", {}, "golden"),
    ("nameserver ::1\r\nnameserver 10.0.0.3\n", {}, "golden"),
    ("nameserver fe80::1%lo\nnameserver fe80::2%7\nnameserver 2001:db8::53%12\n", {}, "golden"),
    ("nameserver [::1]\nnameserver ::1%\nnameserver ::ffff:1.2.3.4\nnameserver 1.2.3.4%eth0\n", {}, "golden"),
    (" nameserver 10.0.0.1\nnameserver\t10.0.0.2\nNAMESERVER 10.0.0.3\nnameserver10.0.0.4\n", {}, "golden"),
    ("nameserver\nnameserver \nnameserver 256.1.1.1\nnameserver 1:2:3\n", {}, "golden"),
    ("#nameserver 10.0.0.1\n;nameserver 10.0.0.2\nnameserver 10.0.0.3 # comment\n", {}, "golden"),
    ("search a b c d e f\n", {}, "golden"),
    ("search a.example b # comment\n", {}, "golden"),
    ("domain x.example y.example\nsearch a b\n", {}, "golden"),
    ("search a b\ndomain x.example y.example\n", {}, "golden"),
    ("search a b\nsearch\nsearch   \n", {}, "golden"),
    ("search a  b\t\tc \n", {}, "golden"),
    ("domain x\r\n", {}, "golden"),
    ("search a\r\nnameserver 10.0.0.9\r\n", {}, "golden"),
    ("search example.com.\n", {}, "golden"),
    ("search\n", {}, "h.dom"),
    ("domain  \t\n", {}, "h.dom"),
    ("#search a\n;search b\n search c\n", {}, "h.dom"),
    ("search a b\n", {"LOCALDOMAIN": ""}, "golden"),
    ("search a b\n", {"LOCALDOMAIN": " x  y "}, "golden"),
    ("domain q\n", {"LOCALDOMAIN": "x\ty\nz"}, "golden"),
    ("", {"LOCALDOMAIN": "only.example"}, "h.dom"),
    ("options ndots:-1\n", {}, "golden"),
    ("options ndots:-2 timeout:4294967297 attempts:-4294967295\n", {}, "golden"),
    ("options ndots:16 timeout:0 attempts:0\n", {}, "golden"),
    ("options ndots:3x timeout:31 attempts:6\n", {}, "golden"),
    ("options timeout:-5 attempts:-1\n", {}, "golden"),
    ("options ndots: timeout: attempts:\n", {}, "golden"),
    ("options ndots:  3\n", {}, "golden"),
    ("options ndots:\t3 ndots: 4\n", {}, "golden"),
    ("options ndots:99999999999 timeout:+3 attempts:2x\n", {}, "golden"),
    ("options rotatexyz edns0 single-request-reopen trust-ad no-aaaa use-vc no-tld-query no-reload\n", {}, "golden"),
    ("options single-request no_tld_query\n", {}, "golden"),
    ("options debug ip6-dotint inet6 no-check-names\n", {}, "golden"),
    ("optionsndots:3\noptions\tndots:4\n", {}, "golden"),
    ("options rotate\noptions ndots:2\n", {}, "golden"),
    ("options ndots:3 rotate\n", {"RES_OPTIONS": "ndots:5 edns0"}, "golden"),
    ("", {"RES_OPTIONS": " attempts:4\ttimeout:9  use-vc "}, "golden"),
    ("options edns0\r\n", {}, "golden"),
    ("nameserver 10.0.0.1\0junk\nsearch a\0b\n", {}, "golden"),
    ("sortlist 10.0.0.0/8\nnameserver 10.0.0.5\n", {}, "golden"),
]


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root: this script uses unshare and mount")
    sets = []
    for spec in (netbase_set(), hostile_set("hostile"), hostile_set("crlf")):
        files = {k: {"path": v} for k, v in spec["files"].items()}
        cases = in_namespace({"files": files, "calls": spec["calls"]})
        files = {k: os.path.relpath(v, ROOT) for k, v in spec["files"].items()}
        sets.append({"name": spec["name"], "files": files, "cases": cases})
        print(f"{spec['name']}: {len(cases)} cases", file=sys.stderr)
    resolv = []
    for text, env, hostname in RESOLV_CASES:
        state = in_namespace({"files": {"resolv.conf": {"text": text}}, "env": env, "hostname": hostname})
        resolv.append({"text": text, "env": env, "hostname": hostname, "state": state})
    print(f"resolv: {len(resolv)} cases", file=sys.stderr)
    golden = {
        "generator": "scripts/golden/tables.py",
        "python": platform.python_version(),
        "libc": " ".join(platform.libc_ver()),
        "sets": sets,
        "resolv": resolv,
    }
    with open(OUT, "w", encoding="ascii") as f:
        f.write(compact_json(golden))
    print(f"wrote {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


def compact_json(golden):
    """The golden JSON with one line per case, for readable diffs."""
    out = ["{"]
    for key in ("generator", "python", "libc"):
        out.append(f" {json.dumps(key)}: {json.dumps(golden[key])},")
    out.append(' "sets": [')
    for i, case_set in enumerate(golden["sets"]):
        head = {k: v for k, v in case_set.items() if k != "cases"}
        out.append("  " + json.dumps(head)[:-1] + ', "cases": [')
        out.append(",\n".join("   " + json.dumps(case) for case in case_set["cases"]))
        out.append("  ]}" + ("," if i < len(golden["sets"]) - 1 else ""))
    out.append(" ],")
    out.append(' "resolv": [')
    out.append(",\n".join("  " + json.dumps(case) for case in golden["resolv"]))
    out.append(" ]")
    out.append("}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        json.dump(child(json.load(sys.stdin)), sys.stdout)
    else:
        main()

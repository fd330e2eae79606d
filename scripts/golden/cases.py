"""The lookup cases asked of CPython in each test world.

A case is (id, call, args): `call` names a function of Python's socket
module and `args` are its positional arguments as JSON values (a
getnameinfo sockaddr is an array). Ids are derived from the arguments, so
adding a case never renames another. Names and addresses refer to the zones
and hosts files of fixtures/worlds/ (see fixtures/worlds/README.md).
"""

import json
from socket import (AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AI_ADDRCONFIG, AI_ALL, AI_CANONNAME,
                    AI_NUMERICHOST, AI_NUMERICSERV, AI_PASSIVE, AI_V4MAPPED, IPPROTO_SCTP,
                    IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_RAW, NI_DGRAM, NI_NAMEREQD,
                    NI_NOFQDN, NI_NUMERICHOST, NI_NUMERICSERV, SOCK_DGRAM, SOCK_RAW, SOCK_RDM,
                    SOCK_SEQPACKET, SOCK_STREAM)

# glibc flags Python passes through without naming them.
NI_IDN = 32
AI_IDN = 0x40
AI_CANONIDN = 0x80

# --- ids ---------------------------------------------------------------------

SHORT_CALLS = {
    "gethostname": "hostname",
    "gethostbyname": "ghbn",
    "gethostbyname_ex": "ghbnx",
    "gethostbyaddr": "ghba",
    "getfqdn": "fqdn",
    "getaddrinfo": "gai",
    "getnameinfo": "gni",
    "getservbyname": "gsbn",
    "getservbyport": "gsbp",
    "getprotobyname": "gpbn",
}
FAMILIES = {AF_UNSPEC: "UNSPEC", AF_INET: "INET", AF_INET6: "INET6", AF_UNIX: "UNIX"}
TYPES = {0: "ANY", SOCK_STREAM: "STREAM", SOCK_DGRAM: "DGRAM", SOCK_RAW: "RAW",
         SOCK_RDM: "RDM", SOCK_SEQPACKET: "SEQPACKET"}
PROTOS = {0: "0", IPPROTO_TCP: "TCP", IPPROTO_UDP: "UDP", IPPROTO_SCTP: "SCTP",
          IPPROTO_UDPLITE: "UDPLITE", IPPROTO_RAW: "RAW"}
AI_FLAGS = [(AI_PASSIVE, "PASSIVE"), (AI_CANONNAME, "CANONNAME"), (AI_NUMERICHOST, "NUMERICHOST"),
            (AI_V4MAPPED, "V4MAPPED"), (AI_ALL, "ALL"), (AI_ADDRCONFIG, "ADDRCONFIG"),
            (AI_NUMERICSERV, "NUMERICSERV"), (AI_IDN, "IDN"), (AI_CANONIDN, "CANONIDN")]
NI_FLAGS = [(NI_NUMERICHOST, "NUMERICHOST"), (NI_NUMERICSERV, "NUMERICSERV"), (NI_NOFQDN, "NOFQDN"),
            (NI_NAMEREQD, "NAMEREQD"), (NI_DGRAM, "DGRAM"), (NI_IDN, "IDN")]


def flag_names(value, table):
    names = [name for bit, name in table if value & bit]
    rest = value & ~sum(bit for bit, _ in table)
    if rest:
        names.append(hex(rest))
    return "|".join(names) or "0"


def word(value):
    """An argument as it appears in an id: long strings abbreviated."""
    if isinstance(value, str) and len(value) > 40:
        return "'%s...%s'(%d)" % (value[:8], value[-12:], len(value))
    return repr(value)


def make_id(call, args):
    words = [word(arg) for arg in args]
    if call == "getaddrinfo":
        named = [None, None, FAMILIES, TYPES, PROTOS]
        for index, table in enumerate(named):
            if table and index < len(args):
                words[index] = table.get(args[index], str(args[index]))
        if len(args) > 5:
            words[5] = flag_names(args[5], AI_FLAGS)
    elif call == "getnameinfo":
        words[0] = "(%s)" % ",".join(word(part) for part in args[0])
        if len(args) > 1 and isinstance(args[1], int):
            words[1] = flag_names(args[1], NI_FLAGS)
    return " ".join([SHORT_CALLS[call]] + words)


def case(call, *args):
    return (make_id(call, args), call, list(args))


# --- the seed document's examples ---------------------------------------------

SEED_NAMES = ["homer", "www", "www.python.org", "nosuchname"]

SEED_EXAMPLES = (
    [case("gethostname")]
    + [case("gethostbyname", name) for name in SEED_NAMES]
    + [case("gethostbyname_ex", name) for name in SEED_NAMES]
    + [case("getfqdn", name) for name in ["homer", "www"]]
    + [case("gethostbyaddr", "192.168.1.8")]
    + [case("getaddrinfo", "www.python.org", "http"),
       case("getaddrinfo", "www.doughellmann.com", "http", AF_INET, SOCK_STREAM, IPPROTO_TCP,
            AI_CANONNAME)]
    + [case("getservbyname", name) for name in
       ["http", "https", "ftp", "gopher", "smtp", "imap", "imaps", "pop3", "pop3s"]]
    + [case("getservbyport", port) for port in [80, 443, 21, 70, 25, 143, 993, 110, 995]]
    + [case("getprotobyname", name) for name in ["icmp", "udp", "tcp"]]
)

# --- forward lookups by name -------------------------------------------------

LONGEST_NAME = "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 51 + ".edge.test"  # 253
TOO_LONG_NAME = "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 52 + ".edge.test"  # 254
assert len(LONGEST_NAME) == 253 and len(TOO_LONG_NAME) == 254

# Names in the hosts files of the worlds built from seed's.
HOSTS_NAMES = [
    "localhost", "LOCALHOST", "localhost.", "ip6-localhost", "ip6-allnodes",
    "farnsworth", "FARNSWORTH", "farnsworth.hellfly.net", "farnsworth.hellfly.net.",
    "farnsworth6", "bender", "Bender.Hellfly.NET", "bender-alias", "leela", "leela2",
    "leela.hellfly.net", "zoidberg", "zoidberg.hellfly.net", "mapped", "hermes", "conrad", "v4only.edge.test",
]

# Names answered (or not) by the name server.
DNS_NAMES = [
    "homer", "www", "nosuchname", "www.python.org", "www.python.org.", "WWW.PYTHON.ORG",
    "nosuch.python.org", "python.org", "hellfly.net", "hellfly.net.", "WWW.HELLFLY.NET",
    "www.doughellmann.com", "hit-nxdomain.opendns.com", "hellfly1",
    "dual.edge.test", "dual.edge", "dual", "mail.edge.test",
    "chain5.edge.test", "chain20.edge.test", "chain40.edge.test",
    "loop1.edge.test", "self.edge.test",
    "only-aaaa.edge.test", "only-aaaa.edge.test.", "only-txt.edge.test", "only-txt.edge.test.",
    "only-mx.edge.test.", "_sip._tcp.edge.test.", "edge.test.",
    "cname-aaaa.edge.test.", "cname-txt.edge.test.", "cname-dangling.edge.test.",
    "cname-external.edge.test.", "cname-python.edge.test.",
    "x.wild.edge.test", "a.b.wild.edge.test.", "x.deleg.edge.test.",
    "big.edge.test", "big6.edge.test.", "MixedCase.edge.test", "MIXEDCASE.EDGE.TEST.",
    "www.broken.test", "www.broken.test.", "nosuch.invalid", "nosuch.invalid.",
    "x" * 63 + ".edge.test", LONGEST_NAME,
    "bücher.example", "BÜCHER.example", "faß.example", "xn--bcher-kva.example", "☃.example",
]

# Strings that are not plain names: numbers, literals, bad shapes.
ODD_HOSTS = [
    "", "<broadcast>", "255.255.255.255", "127.0.0.1", "127.1", "0x7f000001", "0177.0.0.1",
    "1.2.3", "256.1.1.1", "1.2.3.4.5", "127.0.0.1.", "::1", "fe80::1%lo",
    "a" * 64, "a" * 64 + ".example", TOO_LONG_NAME, "a..b", ".", ".a", "a\x00b", "-dash-.example",
    "under_score.example", "sp ace.example",
]


def by_name(names):
    """What a program asks about a name: its IPv4 entry and its addresses."""
    return ([case("gethostbyname_ex", name) for name in names]
            + [case("getaddrinfo", name, 80, 0, SOCK_STREAM) for name in names])


GETHOSTBYNAME = [case("gethostbyname", name) for name in
                 ["localhost", "farnsworth", "leela", "zoidberg", "dual.edge.test", "big.edge.test",
                  "only-aaaa.edge.test.", "nosuch.invalid.", "www.broken.test."] + ODD_HOSTS]
GETHOSTBYNAME_EX_ODD = [case("gethostbyname_ex", name) for name in ODD_HOSTS]

# --- reverse lookups and getfqdn -----------------------------------------------

REVERSE_ADDRESSES = [
    "192.168.1.8", "192.168.1.16", "192.168.1.17", "192.168.1.20", "192.168.1.21",
    "192.168.1.22", "192.168.1.23", "2001:db8:1::23", "192.168.1.24", "::ffff:192.168.1.24",
    "192.168.1.25", "67.215.65.132", "50.56.79.68", "50.56.79.69", "2001:888:2000:d::a2",
    "2001:db8::10", "2001:db8::1", "2001:db8:1::17", "192.0.2.10", "192.0.2.20", "192.0.2.30",
    "192.0.2.33", "192.0.2.34", "192.0.2.35", "192.0.2.36", "192.0.2.37", "192.0.2.40",
    "192.0.2.99", "198.51.100.1", "10.9.8.7", "2001:db8::99", "127.0.0.1", "127.0.0.2", "127.1",
    "::1", "::", "0.0.0.0", "255.255.255.255", "fe80::1%lo", "::ffff:127.0.0.1", "",
]
REVERSE_NAMES = ["homer", "www", "localhost", "farnsworth", "leela", "zoidberg", "www.python.org",
                 "nosuchname", "nosuch.invalid.", "www.broken.test.", "only-aaaa.edge.test.",
                 "dual.edge.test"]
GETHOSTBYADDR = [case("gethostbyaddr", host) for host in REVERSE_ADDRESSES + REVERSE_NAMES]

FQDN_NAMES = ["", "::", "0.0.0.0", " homer ", "farnsworth6", "homer", "www", "localhost", "farnsworth", "bender", "zoidberg", "127.0.0.1",
              "192.168.1.8", "192.0.2.30", "192.0.2.99", "198.51.100.1", "::1", "nosuch.invalid.",
              "www.broken.test.", "only-txt.edge.test."]
GETFQDN = [case("getfqdn")] + [case("getfqdn", name) for name in FQDN_NAMES]

# --- getaddrinfo ---------------------------------------------------------------

FLAG_SETS = [0, AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_V4MAPPED, AI_V4MAPPED | AI_ALL, AI_ALL,
             AI_ADDRCONFIG, AI_ADDRCONFIG | AI_V4MAPPED, AI_CANONNAME | AI_NUMERICSERV]
FLAG_HOSTS = [None, "localhost", "127.0.0.1", "::1", "www.python.org", "dual.edge.test", "homer",
              "only-aaaa.edge.test.", "zoidberg", "mapped"]


def family_flag_matrix(hosts, flag_sets):
    return [case("getaddrinfo", host, 80, family, SOCK_STREAM, 0, flags)
            for host in hosts for family in (AF_UNSPEC, AF_INET, AF_INET6) for flags in flag_sets]


SOCKTYPE_PROTO = [case("getaddrinfo", "127.0.0.1", 80, AF_INET, socktype, proto)
                  for socktype in (0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_RDM, 99)
                  for proto in (0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_UDPLITE,
                                IPPROTO_RAW, 999)]

SERVICE_ARGS = ["http", "www", "https", "domain", "syslog", "shell", "ssh", "tftp", "ntp",
                "kerberos", "HTTP", "nosuchservice", "80", "0", "65535", "65536", "-1", "",
                " 80", "80 ", "0x50", "1e2", "+80", 80, 0, 65535, 65536, -1, None, 80.5]
SERVICES = (
    [case("getaddrinfo", "127.0.0.1", port) for port in SERVICE_ARGS]
    + [case("getaddrinfo", "127.0.0.1", port, AF_INET, socktype)
       for port in ["http", "https", "domain", "syslog", "tftp", "ssh"]
       for socktype in (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET)]
    + [case("getaddrinfo", "127.0.0.1", port, AF_INET, socktype, proto)
       for port, socktype, proto in [("domain", 0, IPPROTO_UDP), ("domain", 0, IPPROTO_TCP),
                                     ("domain", SOCK_DGRAM, IPPROTO_TCP), ("http", 0, IPPROTO_SCTP),
                                     ("domain", 0, IPPROTO_UDPLITE), ("http", 0, IPPROTO_RAW)]]
    + [case("getaddrinfo", "127.0.0.1", port, AF_INET, SOCK_RAW) for port in [None, 0, "0"]]
    + [case("getaddrinfo", "127.0.0.1", port, 0, 0, 0, AI_NUMERICSERV)
       for port in ["http", "80", 80, None, ""]]
)

NUMERIC_HOSTS = ["127.1", "0x7f.1", "0177.0.0.1", "127.0.0.1.", "1.2.3", "4294967295", "4294967296",
                 "256.1.1.1", "1.2.3.4.5", "::", "::ffff:1.2.3.4", "::1.2.3.4", "2001:db8::1",
                 "2001:DB8::1", "fe80::1%lo", "fe80::1%1", "fe80::1%2", "fe80::1%nosuchif",
                 "fe80::1%", "2001:db8::1%lo", "ff02::1%lo", "1.2.3.4%lo", "[::1]", "::1 ", " ::1",
                 "1:2:3:4:5:6:7:8:9"]
NUMERIC = [case("getaddrinfo", host, 80, 0, SOCK_STREAM, 0, flags)
           for host in NUMERIC_HOSTS for flags in (0, AI_NUMERICHOST)]

NAME_SHAPES = [case("getaddrinfo", host, 80, 0, SOCK_STREAM)
               for host in ["", ".", "a..b", ".a", "a" * 64 + ".example", TOO_LONG_NAME, "a\x00b",
                            "-dash-.example", "under_score.example", "sp ace.example"]]

GAI_ERRORS = [
    case("getaddrinfo", None, None),
    case("getaddrinfo", None, 80, 0, 0, 0, AI_CANONNAME),
    case("getaddrinfo", None, "http", 0, 0, 0, AI_PASSIVE),
    case("getaddrinfo", None, 0, AF_INET6, SOCK_DGRAM, 0, AI_PASSIVE),
    case("getaddrinfo", "127.0.0.1", 80, AF_UNIX),
    case("getaddrinfo", "127.0.0.1", 80, 99),
    case("getaddrinfo", "127.0.0.1", 80, -1),
    case("getaddrinfo", "127.0.0.1", 80, 0, -1),
    case("getaddrinfo", "127.0.0.1", 80, 0, 0, 0, 0x10000),
    case("getaddrinfo", "127.0.0.1", 80, 0, 0, 0, -1),
    case("getaddrinfo", "127.0.0.1", 80, AF_INET6),
    case("getaddrinfo", "::1", 80, AF_INET),
    case("getaddrinfo", "www.python.org", "http", 0, 0, 0, AI_NUMERICHOST),
    case("getaddrinfo", "localhost", "http", 0, 0, 0, AI_NUMERICHOST),
    case("getaddrinfo", "localhost", "nosuchservice"),
    case("getaddrinfo", "nosuch.invalid.", "nosuchservice"),
    case("getaddrinfo", "localhost", "ssh", 0, SOCK_DGRAM),
    case("getaddrinfo", "localhost", 80, 0, 0, 0, AI_CANONNAME),
    case("getaddrinfo", "www", "http", 0, 0, 0, AI_CANONNAME),
    case("getaddrinfo", "www", None),
    case("getaddrinfo", "www.python.org", None),
    case("getaddrinfo", "dual.edge.test", "domain"),
    case("getaddrinfo", "dual.edge.test", "syslog", AF_INET6),
    # glibc reads "*" as no host / no service.
    case("getaddrinfo", "*", 80, 0, SOCK_STREAM),
    case("getaddrinfo", "*", "*"),
    case("getaddrinfo", "127.0.0.1", "*", 0, SOCK_STREAM),
    case("getaddrinfo", "*", 80, 0, SOCK_STREAM, 0, AI_PASSIVE),
    # glibc's IDN flags (libidn2): Python has already encoded the name.
    case("getaddrinfo", "bücher.example", 80, 0, SOCK_STREAM, 0, AI_CANONNAME | AI_CANONIDN),
    case("getaddrinfo", "bücher.example", 80, 0, SOCK_STREAM, 0, AI_IDN),
    case("getaddrinfo", "xn--bcher-kva.example", 80, 0, SOCK_STREAM, 0, AI_CANONNAME | AI_IDN | AI_CANONIDN),
    case("getaddrinfo", "127.0.0.1", 80, 0, SOCK_STREAM, 0, 0x300),
]

# --- getnameinfo ---------------------------------------------------------------

NI_FLAG_SETS = [0, NI_NUMERICHOST, NI_NUMERICSERV, NI_NUMERICHOST | NI_NUMERICSERV, NI_NOFQDN,
                NI_NAMEREQD, NI_DGRAM, NI_IDN, NI_NAMEREQD | NI_NUMERICHOST]
NI_ADDRESSES = ["127.0.0.1", "192.168.1.17", "192.168.1.8", "50.56.79.68", "192.0.2.40", "192.0.2.38",
                "192.0.2.99", "198.51.100.1", "::1", "2001:888:2000:d::a2", "2001:db8::99",
                "::ffff:192.168.1.8"]
GETNAMEINFO = (
    [case("getnameinfo", [address, 80], flags) for address in NI_ADDRESSES for flags in NI_FLAG_SETS]
    + [case("getnameinfo", ["192.0.2.99", port], flags)
       for port in [0, 22, 53, 514, 12345, 65535, 70000] for flags in (0, NI_DGRAM, NI_NUMERICSERV)]
    + [case("getnameinfo", sockaddr, flags) for sockaddr, flags in [
        (["fe80::1", 80, 0, 1], 0), (["fe80::1", 80, 0, 1], NI_NUMERICHOST),
        (["fe80::1", 80, 0, 0], NI_NUMERICHOST), (["fe80::1", 80, 0, 99], NI_NUMERICHOST),
        (["fe80::1%lo", 80, 0, 0], NI_NUMERICHOST), (["ff02::1", 80, 0, 1], NI_NUMERICHOST),
        (["::1", 80, 0, 1], NI_NUMERICHOST), (["2001:db8::1", 80, 0, 1], NI_NUMERICHOST),
        (["2001:db8::1", 80, 7, 0], NI_NUMERICHOST), (["::1", 80, 1 << 20, 0], 0),
        (["::1", 80, 0], 0), (["::1", 80, 0, 0, 0], 0), (["127.0.0.1", 80, 0, 0], 0),
        (["127.0.0.1"], 0), (["127.0.0.1", "80"], 0), (["127.0.0.1", -1], 0),
        (["127.0.0.1", 80], 0x1000), (["127.0.0.1", 80], -1),
        (["localhost", 80], 0), (["farnsworth", 80], NI_NUMERICHOST), (["", 80], 0),
        (["127.1", 80], 0), (["1.2.3", 80], NI_NUMERICHOST), (["0x7f.1", 80], 0),
    ]]
)

# --- per world -----------------------------------------------------------------

# What every world with a name server is asked: the search list, the hosts
# file, errors, reverse lookups, and the address order.
RESOLUTION_NAMES = [
    "homer", "www", "nosuchname", "www.python.org", "nosuch.python.org", "farnsworth",
    "localhost", "zoidberg", "bender", "dual", "dual.edge", "dual.edge.test", "chain5",
    "chain5.edge.test", "v4only", "only-aaaa", "only-aaaa.edge.test", "only-aaaa.edge.test.",
    "only-txt.edge.test", "edge.test", "x.wild", "x.deleg.edge.test", "www.broken.test",
    "www.broken.test.", "nosuch.invalid", "nosuch.invalid.", "cname-dangling.edge.test",
    "chain20.edge.test", "big.edge.test", "mail", "bender.edge.test", "MixedCase",
    "hellfly.net", "python.org", "only-txt", "www.hellfly.net", "www.broken",
]
RESOLUTION = (
    [case("gethostname"), case("getfqdn"), case("getfqdn", "homer"), case("getfqdn", "www"),
     case("getfqdn", "bender")]
    + by_name(RESOLUTION_NAMES)
    + [case("getaddrinfo", name, 80, AF_INET6, SOCK_STREAM)
       for name in ["www.python.org", "dual", "only-aaaa", "homer", "farnsworth6", "nosuchname"]]
    + [case("gethostbyaddr", host) for host in
       ["192.168.1.8", "192.168.1.17", "192.0.2.30", "192.0.2.99", "198.51.100.1", "::1",
        "2001:888:2000:d::a2", "homer", "dual", "farnsworth", "www.python.org", "localhost",
        "<broadcast>"]]
    + [case("getnameinfo", [address, 53], flags)
       for address in ["192.168.1.17", "192.0.2.99", "198.51.100.1", "192.0.2.38"]
       for flags in (0, NI_NOFQDN, NI_NAMEREQD)]
)
# Where addresses sort differently: families, mapped addresses, ADDRCONFIG.
SORTING = family_flag_matrix([None, "localhost", "www.python.org", "dual.edge.test", "zoidberg",
                              "big6.edge.test."],
                             [0, AI_V4MAPPED | AI_ALL, AI_ADDRCONFIG, AI_PASSIVE])

HOSTS_ONLY = (
    [case("gethostname"), case("getfqdn")]
    + by_name(["localhost", "farnsworth", "FARNSWORTH.hellfly.net", "homer", "www", "hellfly.net",
               "www.python.org", "python", "bender", "Bender.Hellfly.NET", "leela", "leela2",
               "leela.hellfly.net", "multi.hellfly.net", "mapped", "linklocal", "bad-address.hellfly.net",
               "trailing-dot.hellfly.net", "trailing-dot.hellfly.net.", "nosuchname",
               "nosuch.invalid."])
    + [case("getaddrinfo", name, 80, family, SOCK_STREAM, 0, flags)
       for name in ["multi.hellfly.net", "www.python.org"]
       for family in (AF_UNSPEC, AF_INET6) for flags in (0, AI_V4MAPPED | AI_ALL, AI_CANONNAME)]
    + [case("gethostbyaddr", host) for host in
       ["127.0.0.1", "127.0.1.1", "::1", "192.168.1.8", "50.56.79.68", "2001:888:2000:d::a2",
        "192.168.1.22", "192.168.1.30", "::ffff:192.168.1.24", "192.168.1.24", "fe80::1%lo",
        "192.0.2.99", "leela", "www"]]
    + [case("getfqdn", name) for name in ["www", "homer", "leela", "192.168.1.30", "nosuchname"]]
    + [case("getnameinfo", [address, 80], flags) for address in ["192.168.1.8", "192.0.2.99"]
       for flags in (0, NI_NOFQDN, NI_NAMEREQD)]
)

# Each of these waits for the dead server's timeout: few, but telling.
TIMEOUTS = [case("gethostbyname", "homer"), case("gethostbyname_ex", "www"),
            case("getaddrinfo", "www.python.org", 80, 0, SOCK_STREAM),
            case("getaddrinfo", "nosuch.invalid.", 80, 0, SOCK_STREAM),
            case("getaddrinfo", "www.broken.test.", 80, 0, SOCK_STREAM),
            case("gethostbyaddr", "192.168.1.8"), case("getfqdn", "homer"),
            case("getaddrinfo", "farnsworth", 80, 0, SOCK_STREAM)]

# The nss* worlds: one hosts: line each with actions (merge, return on
# NOTFOUND/TRYAGAIN/!UNAVAIL), asked about names in the hosts file only, in
# DNS only, in both with other addresses, NXDOMAIN, NODATA, SERVFAIL (which
# nss_dns reports as UNAVAIL) and CNAMEs without an address (TRYAGAIN),
# each through every path of getaddrinfo's source loop: one
# gethostbyname4_r for AF_UNSPEC, gethostbyname2_r (3_r with AI_CANONNAME)
# per family otherwise, both families for AF_INET6 with AI_V4MAPPED|AI_ALL,
# and gethostbyname_r's loop for gethostbyname(_ex).
NSS_NAMES = ["filesonly.invalid", "files-alias", "filesonly6.invalid", "farnsworth.hellfly.net",
             "v4only.edge.test", "dual.edge.test", "www.python.org", "only-aaaa.edge.test",
             "only-txt.edge.test", "nosuch.invalid", "www.broken.test", "files.broken.test",
             "cname-python.edge.test", "chain20.edge.test"]


def nss_actions(names):
    return (
        [case(call, name) for name in names for call in ("gethostbyname", "gethostbyname_ex")]
        # gethostbyaddr_r's loop: the hosts file only, both (DNS says farnsworth-dns), DNS only,
        # neither, SERVFAIL (100.51.198.in-addr.arpa cannot load), an IPv6 line of the hosts file.
        + [case("gethostbyaddr", address) for address in
           ["192.0.2.201", "192.168.1.17", "192.168.1.8", "192.0.2.99", "198.51.100.1", "2001:db8::201"]]
        + [case("getaddrinfo", name, 80, family, SOCK_STREAM, 0, flags)
           for name in names
           for family, flags in [(AF_UNSPEC, 0), (AF_UNSPEC, AI_CANONNAME), (AF_INET, 0), (AF_INET, AI_CANONNAME),
                                 (AF_INET6, 0), (AF_INET6, AI_CANONNAME), (AF_INET6, AI_V4MAPPED),
                                 (AF_INET6, AI_V4MAPPED | AI_ALL | AI_CANONNAME)]]
    )


NSS_ACTIONS = nss_actions(NSS_NAMES)
# In nssmerge (files [SUCCESS=merge] dns) glibc segfaults on chain20.edge.test
# in gethostbyname_r's loop: nss_dns fails after writing part of an answer
# into the caller's buffer, and the loop then returns that buffer as the
# merging source's SUCCESS. No answer to record.
NSS_MERGE = nss_actions([name for name in NSS_NAMES if name != "chain20.edge.test"])

SEED = (SEED_EXAMPLES + by_name(HOSTS_NAMES + DNS_NAMES) + GETHOSTBYNAME + GETHOSTBYNAME_EX_ODD
        + GETHOSTBYADDR + GETFQDN + family_flag_matrix(FLAG_HOSTS, FLAG_SETS) + SOCKTYPE_PROTO
        + SERVICES + NUMERIC + NAME_SHAPES + GAI_ERRORS + GETNAMEINFO)



# A name server that never answers: each of these waits for its 1 s timeout.
NSS_TIMEOUTS = ([case(call, "farnsworth.hellfly.net") for call in ("gethostbyname", "gethostbyname_ex")]
                + [case("getaddrinfo", "farnsworth.hellfly.net", 80, family, SOCK_STREAM, 0, flags)
                   for family, flags in [(AF_UNSPEC, 0), (AF_INET, AI_CANONNAME), (AF_INET6, AI_V4MAPPED)]]
                + [case("gethostbyaddr", "192.168.1.17")])


def unique(cases):
    """The cases in order, each once (groups overlap on purpose)."""
    seen = set()
    kept = []
    for case_id, call, args in cases:
        key = json.dumps([call, args])
        if key not in seen:
            seen.add(key)
            kept.append((case_id, call, args))
    return kept


CASES_BY_WORLD = {world: unique(cases) for world, cases in {
    "seed": SEED,
    "ndots2": RESOLUTION + SORTING,
    "nosearch": RESOLUTION + SORTING,
    "hostdomain": RESOLUTION,
    "deadfirst": RESOLUTION,
    "silentfirst": TIMEOUTS,
    "singlereq": RESOLUTION,
    "noaaaa": RESOLUTION + SORTING,
    "dnsfirst": RESOLUTION,
    "dualstack": RESOLUTION + SORTING,
    "hostsonly": HOSTS_ONLY,
    "nomulti": HOSTS_ONLY,
    "nssmerge": NSS_MERGE,
    "nssnotfoundmerge": NSS_ACTIONS,
    "nssreturn": NSS_ACTIONS,
    "nssunavail": NSS_ACTIONS,
    "nsstryagain": NSS_ACTIONS,
    "nsstryagainmerge": NSS_ACTIONS,
    "nssrefused": NSS_ACTIONS,
    "nsssilent": NSS_TIMEOUTS,
}.items()}

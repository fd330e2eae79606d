"""What glibc puts on the wire for the resolv.conf options that change only
the queries (rotate, use-vc, trust-ad, edns0, single-request), recorded from
CPython: a capture server on 127.0.0.1:53 and 127.0.0.2:53 (UDP and TCP)
answers every A query with 192.0.2.1 and anything else with no data, and
notes each query; CPython does the lookups of LOOKUPS in one process.

Run by scripts/golden/wire.sh inside a namespace whose /etc/resolv.conf is
the variant's and whose nsswitch.conf says `hosts: dns`:

    python3 wire.py VARIANT     prints {"variant", "resolv", "lookups": [...]} as JSON

Each lookup is {"call", "args", "queries": [{"server", "protocol", "name",
"type", "rd", "ad", "cd", "edns", "payload"}...]}; `server` is the index of
the address in resolv.conf, `name` folded to lower case.
"""
import json
import socket
import struct
import sys
import threading
import time

SERVERS = ["127.0.0.1", "127.0.0.2"]
VARIANTS = {
    "plain": "",
    "rotate": "options rotate\n",
    "use-vc": "options use-vc\n",
    "trust-ad": "options trust-ad\n",
    "edns0": "options edns0\n",
    "single-request": "options single-request\n",
    "all": "options rotate edns0 trust-ad single-request\n",
}
LOOKUPS = [("gethostbyname", ["a.test"]), ("gethostbyname", ["b.test"]), ("gethostbyname", ["c.test"]),
           ("getaddrinfo", ["d.test", None, 0, 1]), ("getaddrinfo", ["e.test", None, 0, 1])]
TYPES = {1: "A", 28: "AAAA"}

queries = []
lock = threading.Lock()


def resolv_conf(variant):
    return "".join("nameserver %s\n" % s for s in SERVERS) + VARIANTS[variant]


def read_name(msg, at):
    labels = []
    while msg[at] != 0:
        n = msg[at]
        labels.append(msg[at + 1:at + 1 + n].decode("ascii"))
        at += 1 + n
    return ".".join(labels), at + 1


def note(msg, server, protocol):
    _, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", msg[:12])
    name, at = read_name(msg, 12)
    qtype, _ = struct.unpack(">HH", msg[at:at + 4])
    at += 4
    edns, payload = False, None
    if ar >= 1 and msg[at] == 0:
        rtype, rclass = struct.unpack(">HH", msg[at + 1:at + 5])
        if rtype == 41:
            edns, payload = True, rclass
    with lock:
        queries.append({"server": SERVERS.index(server), "protocol": protocol, "name": name.lower(),
                        "type": TYPES.get(qtype, str(qtype)), "rd": bool(flags & 0x100), "ad": bool(flags & 0x20),
                        "cd": bool(flags & 0x10), "edns": edns, "payload": payload})
    return name, qtype, at


def answer(msg, server, protocol):
    name, qtype, end = note(msg, server, protocol)
    header = struct.pack(">HHHHHH", struct.unpack(">H", msg[:2])[0], 0x8180 | (struct.unpack(">H", msg[2:4])[0] & 0x0100),
                         1, 1 if qtype == 1 else 0, 0, 0)
    question = msg[12:end]
    body = struct.pack(">HHHIH", 0xc00c, 1, 1, 60, 4) + socket.inet_aton("192.0.2.1") if qtype == 1 else b""
    return header + question + body


def serve_udp(address):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 53))
    while True:
        msg, peer = sock.recvfrom(4096)
        sock.sendto(answer(msg, address, "udp"), peer)


def serve_tcp(address):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, 53))
    sock.listen(8)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_connection, args=(conn, address), daemon=True).start()


def serve_connection(conn, address):
    with conn:
        while True:
            head = conn.recv(2, socket.MSG_WAITALL)
            if len(head) < 2:
                return
            (length,) = struct.unpack(">H", head)
            msg = conn.recv(length, socket.MSG_WAITALL)
            reply = answer(msg, address, "tcp")
            conn.sendall(struct.pack(">H", len(reply)) + reply)


def main(variant):
    for address in SERVERS:
        for serve in (serve_udp, serve_tcp):
            threading.Thread(target=serve, args=(address,), daemon=True).start()
    time.sleep(0.2)
    lookups = []
    for call, args in LOOKUPS:
        with lock:
            queries.clear()
        try:
            result = getattr(socket, call)(*args)
            outcome = {"ok": [list(r[4]) for r in result] if call == "getaddrinfo" else result}
        except Exception as error:
            outcome = {"error": str(error)}
        time.sleep(0.05)
        with lock:
            lookups.append({"call": call, "args": args, **outcome, "queries": list(queries)})
    print(json.dumps({"variant": variant, "resolv": resolv_conf(variant), "lookups": lookups}))


if __name__ == "__main__":
    if sys.argv[1] == "--resolv":
        sys.stdout.write(resolv_conf(sys.argv[2]))
    elif sys.argv[1] == "--variants":
        print(" ".join(VARIANTS))
    else:
        main(sys.argv[1])

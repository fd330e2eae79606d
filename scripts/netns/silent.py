"""A name server that never answers: it reads UDP queries and accepts TCP
connections on ADDRESS PORT and ignores them, so clients time out.

    python3 silent.py ADDRESS PORT
"""
import select
import socket
import sys


def main(address: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    udp = socket.socket(family, socket.SOCK_DGRAM)
    udp.bind((address, port))
    tcp = socket.socket(family, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((address, port))
    tcp.listen()
    held = []  # accepted connections stay open and unanswered
    while True:
        ready, _, _ = select.select([udp, tcp], [], [])
        for sock in ready:
            if sock is udp:
                udp.recv(65535)
            else:
                held.append(tcp.accept()[0])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

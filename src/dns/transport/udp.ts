/**
 * One DNS exchange over UDP.
 *
 * Every exchange gets a new socket, connected to the server, and closes it
 * when done: the kernel picks a fresh source port each time (Linux
 * randomizes UDP ephemeral ports), so an off-path attacker has to guess
 * both the port and the 16-bit ID, and no socket outlives its query. A
 * connected socket also hears ICMP port-unreachable as ECONNREFUSED, which
 * is how glibc notices a server that is not there without waiting.
 *
 * While waiting, anything that is not a response to this query (another
 * source, another ID, QR clear, another question) is ignored, and the wait
 * goes on until the deadline.
 */
import dgram from "node:dgram";
import { parseIPv4, parseIPv6, splitScope } from "../../inet.js";
import type { NameServer, TransportRequest, TransportResponse } from "../../types.js";
import { TransportError } from "../errors.js";
import { classifyResponse } from "../message.js";
import { runExchange } from "./deadline.js";

/** Sends `request.message` to `request.server` over UDP and waits for its response. */
export function exchangeUdp(request: TransportRequest): Promise<TransportResponse> {
  const { server } = request;
  const started = performance.now();
  return runExchange<TransportResponse>(request, (finish) => {
    const socket = dgram.createSocket(server.family === 6 ? "udp6" : "udp4");
    const fail = (err: NodeJS.ErrnoException): void => {
      finish({ error: new TransportError(err.code ?? "EIO", `UDP ${err.syscall ?? "exchange"}: ${err.message}`, server, "udp", { cause: err }) });
    };
    socket.on("error", fail);
    socket.on("message", (bytes, from) => {
      if (!sameEndpoint(server, from.address, from.port)) return;
      const message = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (classifyResponse(request, message) === "accept") {
        finish({ value: { message, protocol: "udp", rtt: performance.now() - started } });
      }
    });
    socket.connect(server.port, hostWithScope(server), () => {
      socket.send(request.message, (err) => {
        if (err) fail(err);
      });
    });
    return { close: (done) => socket.close(done) };
  });
}

/** The address to connect to, with the zone of a scoped IPv6 address. */
export function hostWithScope(server: NameServer): string {
  return server.scope === undefined ? server.address : `${server.address}%${server.scope}`;
}

/** True when a datagram's source is the server (addresses compared as bytes, zones ignored). */
function sameEndpoint(server: NameServer, address: string, port: number): boolean {
  if (port !== server.port) return false;
  const parse = server.family === 6 ? parseIPv6 : parseIPv4;
  const want = parse(server.address);
  const got = parse(splitScope(address).address);
  return want !== null && got !== null && Buffer.compare(want, got) === 0;
}

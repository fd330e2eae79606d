/**
 * One DNS exchange over UDP, on a socket of the transport's pool
 * (udppool.ts): a connected socket to the server, shared with other
 * queries in flight to it and replaced after a while, so source ports keep
 * changing. An off-path attacker still has to guess the port and the
 * 16-bit ID; a connected socket hears ICMP port-unreachable as
 * ECONNREFUSED, which is how glibc notices a server that is not there
 * without waiting.
 *
 * While waiting, anything that is not a response to this query (another
 * source, another ID, QR clear, another question) is ignored, and the wait
 * goes on until the deadline.
 */
import type { TransportRequest, TransportResponse } from "../../types.js";
import { TransportError } from "../errors.js";
import { runExchange, type InFlight } from "./deadline.js";
import type { UdpPool } from "./udppool.js";

/** Sends `request.message` to `request.server` over UDP on a socket of `pool` and waits for its response. */
export function exchangeUdp(pool: UdpPool, request: TransportRequest, inFlight?: InFlight): Promise<TransportResponse> {
  const { server } = request;
  const started = performance.now();
  return runExchange<TransportResponse>(request, (finish) =>
    pool.send({
      request,
      answer: (message, decoded) => {
        const response: TransportResponse = { message, protocol: "udp", rtt: performance.now() - started };
        if (decoded !== undefined) response.decoded = decoded;
        finish({ value: response });
      },
      fail: (err) => {
        finish({ error: new TransportError(err.code ?? "EIO", `UDP ${err.syscall ?? "exchange"}: ${err.message}`, server, "udp", { cause: err }) });
      },
    }),
    inFlight,
  );
}

/**
 * One DNS exchange over TCP (RFC 1035 section 4.2.2, RFC 7766): a new
 * connection, the query with its 2-octet length prefix, then frames are
 * read until one answers the query. Frames may arrive in any pieces;
 * frames that answer something else are skipped, as glibc skips responses
 * with another ID. The connection is closed when the exchange ends.
 *
 * glibc's TCP path has no timeout of its own; here the request's timeout
 * covers connecting, sending and reading, so a server that accepts and
 * then stalls (or announces 65535 octets and sends ten) costs at most that.
 */
import net from "node:net";
import type { TransportRequest, TransportResponse } from "../../types.js";
import { TransportError } from "../errors.js";
import { HEADER_OCTETS, readResponse } from "../message.js";
import { runExchange, type InFlight } from "./deadline.js";
import { serverHost } from "../server.js";

/** Sends `request.message` to `request.server` over TCP and waits for its response. */
export function exchangeTcp(request: TransportRequest, inFlight?: InFlight): Promise<TransportResponse> {
  const { server } = request;
  const started = performance.now();
  return runExchange<TransportResponse>(request, (finish) => {
    const fail = (code: string, message: string, cause?: unknown): void => {
      finish({ error: new TransportError(code, `TCP: ${message}`, server, "tcp", { cause }) });
    };
    const socket = net.connect({ host: serverHost(server), port: server.port, family: server.family });
    let received: Buffer = Buffer.alloc(0);

    socket.on("error", (err: NodeJS.ErrnoException) => fail(err.code ?? "EIO", err.message, err));
    socket.on("end", () => fail("EOF", `connection closed by the server with ${received.length} octets of an unfinished frame`));
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(request.message.length);
      socket.write(Buffer.concat([length, request.message]));
    });
    socket.on("data", (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      while (received.length >= 2) {
        const length = received.readUInt16BE(0);
        if (length < HEADER_OCTETS) {
          fail("EMSGSIZE", `frame of ${length} octets is shorter than a DNS header`);
          return;
        }
        if (received.length < 2 + length) return;
        const frame = new Uint8Array(received.subarray(2, 2 + length));
        received = received.subarray(2 + length);
        const read = readResponse(request, frame);
        if (read !== "ignore") {
          const response: TransportResponse = { message: frame, protocol: "tcp", rtt: performance.now() - started };
          if (read !== "malformed") response.decoded = read;
          finish({ value: response });
          return;
        }
      }
    });
    return {
      close: (done) => {
        if (socket.destroyed && socket.closed) done();
        else {
          socket.once("close", () => done());
          socket.destroy();
        }
      },
    };
  }, inFlight);
}

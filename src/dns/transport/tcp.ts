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
 *
 * A server that floods the connection costs little and briefly:
 *
 * - A frame's ID (its first two octets) is compared as soon as it has
 *   arrived; a frame with another ID is skipped octet count by octet
 *   count as its pieces arrive, never copied or decoded. Only a frame with
 *   the query's ID is copied (once); it is decoded only if its QR bit and
 *   question are the answer's, and then it is the answer unless it has
 *   another opcode (of those, the octet limit allows four of full size).
 * - An exchange reads at most {@link TCP_LIMITS} `frames` frames and
 *   `octets` octets; past either the server has failed (`EPROTO`), as if it
 *   had closed the connection.
 * - Each turn of the event loop reads at most `framesPerTurn` frames and
 *   looks into at most one; with more left, the socket is paused and reading
 *   goes on after the event loop has done its other work (setImmediate).
 *   Every turn first checks the deadline, so a busy loop that delays the
 *   timer does not stretch the exchange.
 */
import { netModule } from "../../builtins.js";
import type { ExchangeSink, TransportRequest, TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import { HEADER_OCTETS, headerAndQuestionMatch, readResponse } from "../message.js";
import { serverHost } from "../server.js";
import { runExchangeTo, type InFlight } from "./deadline.js";

/**
 * What one TCP exchange reads before it gives up on the server. The query
 * is the only one on its connection, so a server that keeps to RFC 7766
 * sends exactly one frame; frames with another ID are tolerated (glibc
 * skips them), but a server still sending others after a few dozen is not
 * going to answer. 32 frames leave room for that; four full-size frames of
 * octets let the answer be of any size (up to 65,535 octets) after up to
 * three others of any size, while bounding what a flood makes the client
 * read. Eight frames a turn keep one turn to microseconds of header reads
 * plus at most one frame copied and looked into (its question read, and
 * the frame decoded if it may be the answer).
 */
export const TCP_LIMITS: Readonly<TcpLimits> = {
  frames: 32,
  octets: 4 * (2 + 0xffff),
  framesPerTurn: 8,
};

/** See {@link TCP_LIMITS}. */
export interface TcpLimits {
  /** Frames read per exchange, the answer included. */
  frames: number;
  /** Octets read per exchange (length prefixes included), the answer included. */
  octets: number;
  /** Frames whose header is read in one turn of the event loop. */
  framesPerTurn: number;
}

/** Sends `request.message` to `request.server` over TCP and waits for its response. */
export function exchangeTcp(request: TransportRequest, inFlight?: InFlight, limits: Readonly<TcpLimits> = TCP_LIMITS): Promise<TransportResponse> {
  return new Promise((resolve, reject) => sendTcp(request, { answered: resolve, failed: reject }, inFlight, limits));
}

/** {@link exchangeTcp} reported to `sink`. */
export function sendTcp(request: TransportRequest, sink: ExchangeSink, inFlight?: InFlight, limits: Readonly<TcpLimits> = TCP_LIMITS): void {
  const { server } = request;
  const started = performance.now();
  const deadline = started + Math.max(0, request.timeout);
  runExchangeTo<TransportResponse>(request, (finish) => {
    let ended = false;
    const end = (outcome: Parameters<typeof finish>[0]): void => {
      ended = true;
      finish(outcome);
    };
    const fail = (code: string, message: string, cause?: unknown): void => {
      end({ error: new TransportError(code, `TCP: ${message}`, server, "tcp", { cause }) });
    };
    const socket = netModule().connect({ host: serverHost(server), port: server.port, family: server.family, ...(server.source === undefined ? {} : { localAddress: server.source }) });

    // Chunks received and not read yet (one, unless reading was paused), and where reading is in the first.
    const queue: Buffer[] = [];
    let at = 0;
    let eof = false;
    // The length prefix and ID of the frame being started: four octets, which may come in pieces.
    const head = Buffer.alloc(4);
    let headFilled = 0;
    // Octets still to skip of a frame with another ID.
    let skip = 0;
    // The frame with the query's ID being received, and how much of it has arrived.
    let frame: Buffer | undefined;
    let frameFilled = 0;
    let frames = 0;
    let octets = 0;
    let later: NodeJS.Immediate | undefined;

    /** Reads what has arrived, at most one turn's worth; see the module comment. */
    const read = (): void => {
      if (performance.now() >= deadline) {
        end({ error: TransportError.timeout(request) });
        return;
      }
      let budget = limits.framesPerTurn;
      while (queue.length > 0) {
        const chunk = queue[0]!;
        if (at === chunk.length) {
          queue.shift();
          at = 0;
          continue;
        }
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - at);
          skip -= n;
          at += n;
          continue;
        }
        if (frame !== undefined) {
          const n = Math.min(frame.length - frameFilled, chunk.length - at);
          chunk.copy(frame, frameFilled, at, at + n);
          frameFilled += n;
          at += n;
          if (frameFilled < frame.length) continue;
          const message = frame;
          frame = undefined;
          const response = mayAnswer(request, message) ? readResponse(request, message) : "ignore";
          if (response !== "ignore") {
            const answer: TransportResponse = { message, protocol: "tcp", rtt: performance.now() - started };
            if (response !== "malformed") answer.decoded = response;
            end({ value: answer });
            return;
          }
          budget = 0;
          continue;
        }
        if (budget === 0) {
          socket.pause();
          later = setImmediate(() => {
            later = undefined;
            read();
            if (!ended && later === undefined) socket.resume();
          });
          return;
        }
        while (headFilled < 4 && at < chunk.length) head[headFilled++] = chunk[at++]!;
        if (headFilled < 4) continue;
        headFilled = 0;
        budget--;
        const length = head.readUInt16BE(0);
        if (length < HEADER_OCTETS) {
          fail("EMSGSIZE", `frame of ${length} octets is shorter than a DNS header`);
          return;
        }
        frames++;
        octets += 2 + length;
        if (frames > limits.frames) {
          fail("EPROTO", `no answer in the first ${limits.frames} frames`);
          return;
        }
        if (octets > limits.octets) {
          fail("EPROTO", `no answer in the first ${limits.octets} octets`);
          return;
        }
        if (head.readUInt16BE(2) === request.id) {
          frame = Buffer.allocUnsafe(length);
          head.copy(frame, 0, 2, 4);
          frameFilled = 2;
        } else skip = length - 2;
      }
      if (eof) {
        const midFrame = headFilled > 0 || skip > 0 || frame !== undefined;
        fail("EOF", `connection closed by the server ${midFrame ? "in the middle of a frame" : "before the answer"}`);
      }
    };

    socket.on("error", (err: NodeJS.ErrnoException) => fail(err.code ?? "EIO", err.message, err));
    socket.on("end", () => {
      eof = true;
      if (!ended && later === undefined) read();
    });
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(request.message.length);
      socket.write(Buffer.concat([length, request.message]));
    });
    socket.on("data", (chunk: Buffer) => {
      if (ended) return;
      queue.push(chunk);
      if (later === undefined) read();
    });
    return {
      close: (done) => {
        if (later !== undefined) clearImmediate(later);
        later = undefined;
        ended = true;
        if (socket.destroyed && socket.closed) done();
        else {
          socket.once("close", () => done());
          socket.destroy();
        }
      },
    };
  }, sink, inFlight);
}

/**
 * False for a frame with the query's ID that readResponse would ignore,
 * told from the header and the question alone: QR clear or another
 * question. A bare header (a 12-octet SERVFAIL, NOTIMP or REFUSED may
 * answer) is left to readResponse.
 */
function mayAnswer(request: TransportRequest, frame: Buffer): boolean {
  return frame.length === HEADER_OCTETS || headerAndQuestionMatch(request, frame);
}

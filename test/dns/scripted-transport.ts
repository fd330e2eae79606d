/**
 * A transport for testing res_send's logic without sockets: a script says,
 * per request, what comes back (an answer built from a description, raw
 * bytes, a transport error, or nothing until the deadline) and after how
 * long. It honours the request's timeout and signal as real transports do,
 * and logs every request.
 */
import { TransportError } from "../../src/dns/errors.js";
import { decodeMessage } from "../../src/dns/message.js";
import { serverLabel } from "../../src/dns/server.js";
import type { Transport, TransportRequest, TransportResponse } from "../../src/dns/transport/transport.js";
import { encodeResponse, type WireResponse } from "../../src/zone/wire.js";

/** An answer: these fields over a NOERROR response echoing the question and ID. */
export interface AnswerReply {
  answer: Partial<WireResponse>;
  after?: number;
}

/** What happens to one request. */
export type Reply =
  | AnswerReply
  /** These bytes (the ID is not patched). */
  | { bytes: (request: TransportRequest) => Uint8Array; after?: number }
  /** A transport error with this code. */
  | { error: string; after?: number }
  /** A rejection with something that is not a transport error (as a replay miss). */
  | { reject: unknown; after?: number }
  /** Nothing: the request times out. */
  | "silence";

/** One logged request. */
export interface Sent {
  server: string;
  protocol: "udp" | "tcp";
  name: string;
  type: string;
  edns: boolean;
  timeout: number;
  /** Milliseconds since the transport was made. */
  at: number;
}

export class ScriptedTransport implements Transport {
  readonly sent: Sent[] = [];
  readonly #script: (request: TransportRequest, sent: Sent) => Reply;
  readonly #start = performance.now();
  #open = 0;

  constructor(script: (request: TransportRequest, sent: Sent) => Reply) {
    this.#script = script;
  }

  /** Exchanges still running. */
  get open(): number {
    return this.#open;
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    const sent: Sent = {
      server: serverLabel(request.server),
      protocol: request.protocol,
      name: request.question.name,
      type: request.question.type,
      edns: decodeMessage(request.message).edns !== undefined,
      timeout: Math.round(request.timeout),
      at: performance.now() - this.#start,
    };
    this.sent.push(sent);
    const reply = this.#script(request, sent);
    this.#open++;
    return new Promise<TransportResponse>((resolve, reject) => {
      const started = performance.now();
      const finish = (outcome: () => void): void => {
        clearTimeout(replyTimer);
        clearTimeout(deadline);
        request.signal?.removeEventListener("abort", onAbort);
        this.#open--;
        outcome();
      };
      const onAbort = (): void => finish(() => reject(request.signal!.reason));
      const deadline = setTimeout(() => finish(() => reject(new TransportError("ETIMEDOUT", "timed out", request.server, request.protocol))), request.timeout);
      let replyTimer: NodeJS.Timeout | undefined;
      if (reply !== "silence") {
        replyTimer = setTimeout(() => {
          finish(() => {
            if ("error" in reply) reject(new TransportError(reply.error, reply.error, request.server, request.protocol));
            else if ("reject" in reply) reject(reply.reject);
            else {
              const message = "bytes" in reply ? reply.bytes(request) : encodeResponse({ id: request.id, rcode: "NOERROR", question: request.question, ...reply.answer });
              resolve({ message, protocol: request.protocol, rtt: performance.now() - started });
            }
          });
        }, reply.after ?? 0);
      }
      if (request.signal?.aborted) onAbort();
      else request.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async close(): Promise<void> {}
}

/** An answer with one address for the asked name. */
export function address(request: TransportRequest, ip = request.question.type === "AAAA" ? "2001:db8::1" : "192.0.2.1"): AnswerReply {
  return { answer: { aa: true, answers: [{ name: request.question.name, type: request.question.type, ttl: 60, data: ip }] } };
}

/** An answer with just this RCODE. */
export function rcode(name: string): AnswerReply {
  return { answer: { rcode: name, aa: true } };
}

/**
 * One DNS exchange over UDP, on a socket of the transport's pool
 * (udppool.ts, udpsocket.ts).
 *
 * While waiting, anything that is not a response to this query (another
 * source, another ID, QR clear, another question) is ignored, and the wait
 * goes on until the deadline. The deadline runs from the moment the
 * datagram leaves, not from the call: a query waiting for room in its
 * server's window has not started its try.
 *
 * An exchange is one object: the pool's entry for the query, its place
 * among the pool's deadlines, its abort listener, and what it reports to
 * (the sink). Whatever ends it first (response, socket error, deadline,
 * abort) takes it off the pool, and the sink is told once that is done,
 * so an exchange that has reported holds no socket or timer.
 */
import type { ExchangeSink, TransportRequest, TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import type { DnsMessage } from "../message.js";
import { abortReason } from "./deadline.js";
import { PooledQuery, type UdpPool } from "./udppool.js";

/** Sends `request.message` to `request.server` over UDP on a socket of `pool`; the outcome goes to `sink`. */
export function sendUdp(pool: UdpPool, request: TransportRequest, sink: ExchangeSink): void {
  const { signal } = request;
  if (signal?.aborted) sink.failed(abortReason(signal));
  else new UdpExchange(request, sink).start(pool);
}

/** {@link sendUdp} as a promise. */
export function exchangeUdp(pool: UdpPool, request: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => sendUdp(pool, request, { answered: resolve, failed: reject }));
}

const RUNNING = 0;
const ANSWERED = 1;
const FAILED = 2;

/** An exchange between its start and its report to the sink; see the module comment. */
class UdpExchange extends PooledQuery {
  readonly request: TransportRequest;
  readonly #sink: ExchangeSink;
  #state = RUNNING;
  /** The response or error to report, between the end and the pool letting it go. */
  #outcome: unknown = undefined;

  constructor(request: TransportRequest, sink: ExchangeSink) {
    super();
    this.request = request;
    this.#sink = sink;
  }

  start(pool: UdpPool): void {
    try {
      pool.send(this);
    } catch (err) {
      // Nothing was sent (a runtime that denies UDP sockets): the pool never held it.
      this.#state = FAILED;
      this.#sink.failed(err);
      return;
    }
    // A socket that failed as it sent may have ended it already.
    if (this.#state === RUNNING) this.request.signal?.addEventListener("abort", this);
  }

  answer(message: Uint8Array, decoded: DnsMessage | undefined, rtt: number): void {
    const response: TransportResponse = { message, protocol: "udp", rtt };
    if (decoded !== undefined) response.decoded = decoded;
    this.#end(ANSWERED, response);
  }

  fail(err: NodeJS.ErrnoException): void {
    if (this.#state !== RUNNING) return;
    this.#end(FAILED, new TransportError(err.code ?? "EIO", `UDP ${err.syscall ?? "exchange"}: ${err.message}`, this.request.server, "udp", { cause: err }));
  }

  timedOut(): void {
    if (this.#state === RUNNING) this.#end(FAILED, TransportError.timeout(this.request));
  }

  abort(reason: unknown): void {
    this.#end(FAILED, reason);
  }

  /** The abort listener (an object listener: no closure per exchange). */
  handleEvent(): void {
    this.abort(abortReason(this.request.signal!));
  }

  letGo(): void {
    const outcome = this.#outcome;
    this.#outcome = undefined;
    if (this.#state === ANSWERED) this.#sink.answered(outcome as TransportResponse);
    else this.#sink.failed(outcome);
  }

  /** The first outcome wins; it is reported once the pool has let the query go. */
  #end(state: number, outcome: unknown): void {
    if (this.#state !== RUNNING) return;
    this.#state = state;
    this.#outcome = outcome;
    this.request.signal?.removeEventListener("abort", this);
    this.server!.pool.release(this);
  }
}

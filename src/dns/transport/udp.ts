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
 * so an exchange that has reported holds no socket or timer. It reports
 * after `send` has returned (transport.ts `answerLater`), even when its
 * socket fails as it sends.
 */
import { failLater, type ExchangeSink, type TransportRequest, type TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import type { DnsMessage } from "../message.js";
import { abortReason } from "./deadline.js";
import { PooledQuery, type UdpPool } from "./udppool.js";

/** Sends `request.message` to `request.server` over UDP on a socket of `pool`; the outcome goes to `sink`. */
export function sendUdp(pool: UdpPool, request: TransportRequest, sink: ExchangeSink): void {
  const { signal } = request;
  if (signal?.aborted) failLater(sink, abortReason(signal));
  else new UdpExchange(request, sink).start(pool);
}

/** {@link sendUdp} as a promise. */
export function exchangeUdp(pool: UdpPool, request: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => sendUdp(pool, request, { answered: resolve, failed: reject }));
}

/** How it ended (the low bits of its state): not yet, answered, failed. */
const RUNNING = 0;
const ANSWERED = 1;
const FAILED = 2;
const ENDED = 3;
/** Flags: `start` has not returned yet; the pool let it go meanwhile. */
const STARTING = 4;
const LET_GO = 8;

/** An exchange between its start and its report to the sink; see the module comment. */
class UdpExchange extends PooledQuery {
  readonly request: TransportRequest;
  readonly #sink: ExchangeSink;
  /** The response or error to report, between the end and the report. */
  #outcome: unknown = undefined;

  constructor(request: TransportRequest, sink: ExchangeSink) {
    super();
    this.request = request;
    this.#sink = sink;
    this.state = RUNNING | STARTING;
  }

  start(pool: UdpPool): void {
    try {
      pool.send(this);
    } catch (err) {
      // Nothing was sent (a runtime that denies UDP sockets): the pool never held it.
      this.state = FAILED;
      failLater(this.#sink, err);
      return;
    }
    const state = this.state;
    this.state = state & ENDED;
    if ((state & ENDED) === RUNNING) this.request.signal?.addEventListener("abort", this);
    // Its socket failed as it sent, and the pool let it go: report once `send` is over.
    else if ((state & LET_GO) !== 0) queueMicrotask(() => this.report());
  }

  answer(message: Uint8Array, decoded: DnsMessage | undefined, rtt: number): void {
    const response: TransportResponse = { message, protocol: "udp", rtt };
    if (decoded !== undefined) response.decoded = decoded;
    this.finish(ANSWERED, response);
  }

  fail(err: NodeJS.ErrnoException): void {
    if ((this.state & ENDED) !== RUNNING) return;
    this.finish(FAILED, new TransportError(err.code ?? "EIO", `UDP ${err.syscall ?? "exchange"}: ${err.message}`, this.request.server, "udp", { cause: err }));
  }

  timedOut(): void {
    if ((this.state & ENDED) === RUNNING) this.finish(FAILED, TransportError.timeout(this.request));
  }

  abort(reason: unknown): void {
    this.finish(FAILED, reason);
  }

  /** The abort listener (an object listener: no closure per exchange). */
  handleEvent(): void {
    this.abort(abortReason(this.request.signal!));
  }

  letGo(): void {
    if ((this.state & STARTING) !== 0) this.state |= LET_GO;
    else this.report();
  }

  /** The first outcome wins; it is reported once the pool has let the query go. */
  private finish(how: number, outcome: unknown): void {
    if ((this.state & ENDED) !== RUNNING) return;
    this.state |= how;
    this.#outcome = outcome;
    this.request.signal?.removeEventListener("abort", this);
    this.server!.pool.release(this);
  }

  private report(): void {
    const outcome = this.#outcome;
    this.#outcome = undefined;
    if ((this.state & ENDED) === ANSWERED) this.#sink.answered(outcome as TransportResponse);
    else this.#sink.failed(outcome);
  }
}

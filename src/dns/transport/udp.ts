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
 * among the pool's deadlines, and its abort listener. Whatever ends it
 * first (response, socket error, deadline, abort) takes it off the pool,
 * and the promise settles once that is done, so a settled exchange holds
 * no socket or timer.
 */
import type { TransportRequest, TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import type { DnsMessage } from "../message.js";
import { abortReason } from "./deadline.js";
import { PooledQuery, type UdpPool } from "./udppool.js";

/** Sends `request.message` to `request.server` over UDP on a socket of `pool` and waits for its response. */
export function exchangeUdp(pool: UdpPool, request: TransportRequest): Promise<TransportResponse> {
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => new UdpExchange(pool, request, resolve, reject));
}

/** An exchange between its start and the settling of its promise; see the module comment. */
class UdpExchange extends PooledQuery {
  readonly request: TransportRequest;
  readonly #pool: UdpPool;
  readonly #resolve: (response: TransportResponse) => void;
  readonly #reject: (err: unknown) => void;
  #ended = false;

  constructor(pool: UdpPool, request: TransportRequest, resolve: (response: TransportResponse) => void, reject: (err: unknown) => void) {
    super();
    this.request = request;
    this.#pool = pool;
    this.#resolve = resolve;
    this.#reject = reject;
    request.signal?.addEventListener("abort", this);
    pool.send(this);
  }

  answer(message: Uint8Array, decoded: DnsMessage | undefined, rtt: number): void {
    const response: TransportResponse = { message, protocol: "udp", rtt };
    if (decoded !== undefined) response.decoded = decoded;
    this.#end(() => this.#resolve(response));
  }

  fail(err: NodeJS.ErrnoException): void {
    const error = new TransportError(err.code ?? "EIO", `UDP ${err.syscall ?? "exchange"}: ${err.message}`, this.request.server, "udp", { cause: err });
    this.#end(() => this.#reject(error));
  }

  timedOut(): void {
    this.#end(() => this.#reject(TransportError.timeout(this.request)));
  }

  abort(reason: unknown): void {
    this.#end(() => this.#reject(reason));
  }

  /** The abort listener (an object listener: no closure per exchange). */
  handleEvent(): void {
    this.abort(abortReason(this.request.signal!));
  }

  /** The first outcome wins; it is reported once the pool has let the query go. */
  #end(report: () => void): void {
    if (this.#ended) return;
    this.#ended = true;
    this.request.signal?.removeEventListener("abort", this);
    this.#pool.release(this, report);
  }
}

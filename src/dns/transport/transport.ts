/**
 * The transport contract: what the DNS client (src/dns/send.ts) asks of
 * the layer with the sockets, and what each transport layer (net.ts,
 * merge.ts, caching.ts, replay.ts, ...) implements.
 */
import type { NameServer } from "../server.js";
import type { DnsMessage } from "../message.js";
import type { Protocol, Question } from "../question.js";

/** One exchange the DNS client asks a transport to perform. */
export interface TransportRequest {
  server: NameServer;
  protocol: Protocol;
  /** The encoded query (without TCP length prefix). */
  message: Uint8Array;
  /** The query's 16-bit ID: responses with another ID are ignored. */
  id: number;
  /** The question asked: responses for another question are ignored. */
  question: Question;
  /** Give up after this many milliseconds. */
  timeout: number;
  /** Ends the exchange early: it rejects with the signal's reason. */
  signal?: ExchangeSignal;
}

/**
 * What a transport reads of the signal that ends an exchange early. An
 * AbortSignal has all of it; the DNS client passes a lighter object of its
 * own per try (dns/cancel.ts).
 */
export interface ExchangeSignal {
  readonly aborted: boolean;
  /** Why it was aborted: what the exchange rejects with. */
  readonly reason: unknown;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

/** A function, or an object with `handleEvent` (which saves a closure per listener), as EventTarget takes them. */
export type AbortListener = (() => void) | { handleEvent(): void };

/** A response accepted by a transport (already matched to the request). */
export interface TransportResponse {
  /** The raw response bytes (without TCP length prefix). */
  message: Uint8Array;
  protocol: Protocol;
  /** Round-trip time in milliseconds. */
  rtt: number;
  /**
   * `message` decoded, when the transport decoded it already to match it to
   * the query (UDP and TCP do); the client then does not decode it again.
   */
  decoded?: DnsMessage;
}

/**
 * Moves DNS messages: the only layer with sockets. Rejects with a
 * `TransportError` on timeout, abort, network error or a malformed frame.
 */
export interface Transport {
  exchange(request: TransportRequest): Promise<TransportResponse>;
  /** Releases every socket and timer; the transport is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * What every benchmarked DNS client is reduced to: ask for the A records of
 * one name on one loopback server, and release everything afterwards.
 */

/** Where the clients send their queries. */
export interface ServerAddress {
  address: string;
  port: number;
}

/** How long a client may wait for one query (ms), the same for every client. */
export interface ClientOptions {
  timeoutMs: number;
  /** Port of the DNS-over-HTTP front end, for clients that speak only DoH. */
  dohPort?: number;
  /** Port of the DNS-over-TLS front end (bench/encrypted-front.ts). */
  dotPort?: number;
  /** Port of the DNS-over-HTTPS front end, HTTP/2 and HTTP/1.1 (bench/encrypted-front.ts). */
  dohTlsPort?: number;
  /** The encrypted fronts' certificate (PEM file), to trust. */
  caFile?: string;
}

/** One client under test. */
export interface BenchClient {
  /** Set by the floors, which match responses by ID and never parse them (they resolve with no addresses). */
  unparsed?: true;
  /**
   * Resolves with the IPv4 addresses of `name`: a list, or the one address
   * of a call that returns one (netdb's gethostbyname), as the client
   * returns it. A wrapping `then` would cost the client a promise, a
   * reaction and a microtask per lookup that the others do not pay.
   */
  lookupA(name: string): Promise<string[] | string>;
  /** Releases sockets and timers so the process can exit. */
  close(): Promise<void>;
}

/** A module under bench/clients/ exports one of these as `create`. */
export type ClientFactory = (server: ServerAddress, options: ClientOptions) => Promise<BenchClient>;

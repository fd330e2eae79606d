/**
 * Errors of the DNS layer. They are internal: the lookup layer turns a
 * {@link DnsLookupError} into the public `GaiError`/`HError` of API.md.
 */
import type { Protocol, Question } from "./question.js";
import type { NameServer } from "./server.js";

/** A message that breaks the DNS wire format (RFC 1035 section 4). */
export class MalformedMessageError extends Error {
  /** Byte offset where the problem was found. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`malformed DNS message: ${message} (at byte ${offset})`);
    this.name = "MalformedMessageError";
    this.offset = offset;
  }
}

/** A name that cannot be put on the wire (empty label, label over 63 octets, name over 255). */
export class InvalidNameError extends Error {
  constructor(readonly domain: string, reason: string) {
    super(`cannot encode ${JSON.stringify(domain)}: ${reason}`);
    this.name = "InvalidNameError";
  }
}

/**
 * Why one exchange with one server gave no response. `code` is errno-like:
 * `ETIMEDOUT` (no matching response in time), `ECONNREFUSED` (ICMP port
 * unreachable on UDP, refused TCP connection), `ECONNRESET`, `EOF` (TCP
 * connection closed before the response was complete), `EMSGSIZE` (a TCP
 * frame shorter than a DNS header), or another system error code.
 */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly server: NameServer,
    readonly protocol: Protocol,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "TransportError";
  }

  /** The one timeout error of every transport: `request` got no response within its timeout. */
  static timeout(request: { server: NameServer; protocol: Protocol; timeout: number }): TransportError {
    return new TransportError("ETIMEDOUT", `no response within ${request.timeout} ms`, request.server, request.protocol);
  }
}

/**
 * `res_send` failed: no server gave a usable answer to `question`. Carries
 * what glibc's callers look at afterwards.
 */
export class DnsError extends Error {
  constructor(
    readonly question: Question,
    /** The servers asked, as `address:port` text. */
    readonly servers: string[],
    /**
     * The RCODE of the last response received before giving up (the first
     * one to arrive from the last server that answered anything), or
     * undefined when no response arrived. glibc's `res_search` keeps
     * searching after a failure only when this is SERVFAIL.
     */
    readonly lastRcode: string | undefined,
    /**
     * The errno glibc's `res_send` leaves behind: `ECONNREFUSED` when no
     * UDP server could be reached at all (every exchange failed with a
     * network error), otherwise `ETIMEDOUT`; over TCP the error of the
     * last connection (`ECONNREFUSED`, `ECONNRESET`, or `ETIMEDOUT`, and
     * undefined for a connection closed early, where glibc's errno is 0).
     */
    readonly errno: string | undefined,
    /** One line per failed exchange, for people. */
    readonly failures: string[],
  ) {
    super(`no usable answer for ${question.name} ${question.type} from ${servers.join(", ")}: ${failures.join("; ") || "no servers"}`);
    this.name = "DnsError";
  }
}

/**
 * glibc `h_errno` values as names: what `res_query`/`res_search` report.
 * `HOST_NOT_FOUND`: NXDOMAIN (or never asked); `NO_DATA`: the name exists
 * but has no records of the type; `TRY_AGAIN`: no server answered, or
 * SERVFAIL; `NO_RECOVERY`: REFUSED, FORMERR, NOTIMP and other rcodes, or a
 * name that cannot be encoded.
 */
export type DnsLookupStatus = "HOST_NOT_FOUND" | "NO_DATA" | "TRY_AGAIN" | "NO_RECOVERY";

/** `res_query`/`res_search` failed; `status` is glibc's `h_errno`. */
export class DnsLookupError extends Error {
  constructor(
    readonly status: DnsLookupStatus,
    /** The name as given to `query`/`search`. (Shadows Error#name on purpose: the contract names it so.) */
    override readonly name: string,
    /** The servers asked, as `address:port` text (empty when none was asked). */
    readonly servers: string[],
    /**
     * The errno of the last failed `res_send` of the lookup (see
     * {@link DnsError.errno}), undefined when the last query got an answer.
     * nss_dns reports NSS_STATUS_UNAVAIL for ECONNREFUSED and ETIMEDOUT and
     * NSS_STATUS_NOTFOUND otherwise.
     */
    readonly errno: string | undefined = undefined,
    /**
     * The RCODE glibc's `res_search` looks at to tell SERVFAIL from other
     * temporary failures: the first answer's RCODE when the query got
     * answers, else {@link DnsError.lastRcode}.
     */
    readonly rcode: string | undefined = undefined,
  ) {
    super(`${status} looking up ${JSON.stringify(name)}`);
  }
}

/**
 * DNS cookies, client side (RFC 7873, with the server cookies of RFC
 * 9018), with the rules c-ares 1.33 follows (ares_cookie.c): each server
 * gets its own random 8-octet client cookie, the server answers with it
 * and a server cookie (8 to 32 octets) that later queries carry, and a
 * response that does not echo our client cookie is not from the server.
 * An off-path forger must then guess 64 more bits; and a server that knows
 * our cookie may answer us where it would refuse unknown clients.
 *
 * Cookies ride on EDNS: a COOKIE option (code 10) in the OPT record. A
 * query without an OPT record gets none ({@link withCookie} leaves it
 * alone): glibc sends no OPT record unless resolv.conf says
 * `options edns0`, so by default neither do we, and adding one only for
 * the cookie would change what every server sees (and an old server's
 * FORMERR to EDNS) for all lookups. Cookies are for UDP only, as in c-ares:
 * TCP's handshake already shows the server our address is real.
 *
 * Per server, a {@link ServerCookies} keeps the state; the UDP pool calls
 * {@link withCookie} on the bytes it is about to send and
 * {@link checkCookie} on every response that passed its other checks.
 * Nothing here decodes a whole message, and no argument is modified.
 */
import { randomFillSync } from "../../builtins.js";
import { HEADER_OCTETS } from "../message.js";

/** EDNS option code of COOKIE (RFC 7873 section 4). */
export const COOKIE_OPTION = 10;
/** The extended RCODE BADCOOKIE (RFC 7873 section 8). */
export const BADCOOKIE = 23;
/** Octets of a client cookie. */
export const CLIENT_COOKIE_OCTETS = 8;
/**
 * Times the pool sends a query again over UDP after a BADCOOKIE response
 * to it, with the server cookie that response carried, at once and within
 * the same try; another BADCOOKIE after that fails the try at that server
 * (udppool.ts), as a SERVFAIL does, and res_send goes on to the next
 * server or round. One is enough for a working server: Knot answers a
 * query carrying only a client cookie with BADCOOKIE every time, and
 * accepts the cookie it just gave. A second BADCOOKIE to that cookie means
 * the server rejects what it issued (servers behind one address with
 * different secrets), where more retries at once would not help. c-ares
 * tries three times, then TCP; the pool has no TCP of its own, and TCP
 * after a UDP failure is not a step glibc's res_send takes.
 */
export const BADCOOKIE_RETRIES = 1;

const TYPE_OPT = 41;

/** What is known of a server's cookie support. */
export type CookieSupport =
  /** Nothing yet: no cookie made for it. */
  | "unknown"
  /** A client cookie was sent; no response with a cookie yet. */
  | "sent"
  /** It answered with a valid cookie. */
  | "supported"
  /** It answered a cookie without one: none is sent until {@link CookieTimes.unsupportedRetryMs} has passed. */
  | "unsupported";

/** The times the cookie rules use, in milliseconds (c-ares's values by default). */
export interface CookieTimes {
  /** A client cookie is replaced after this long (1 day), with its server cookie. */
  clientLifetimeMs: number;
  /** After a server answered without a cookie, it gets none for this long (5 minutes), then is tried again. */
  unsupportedRetryMs: number;
  /**
   * A server that did cookies and starts answering without one has its
   * responses ignored (they may be forgeries) for this long (2 minutes);
   * then the state starts over as if it had never been asked.
   */
  regressionMs: number;
}

const DEFAULT_TIMES: CookieTimes = { clientLifetimeMs: 86_400_000, unsupportedRetryMs: 300_000, regressionMs: 120_000 };

/** A source of random octets (tests pass a seeded one). */
export type RandomOctets = (octets: number) => Uint8Array;

const systemRandom: RandomOctets = (octets) => randomFillSync(new Uint8Array(octets));

/**
 * One server's cookie state, kept by the pool for as long as it knows the
 * server. The fields are readable for traces and tests; change them only
 * through {@link withCookie} and {@link checkCookie}.
 */
export class ServerCookies {
  support: CookieSupport = "unknown";
  /** Our client cookie for this server, once made. */
  client: Uint8Array | undefined;
  /** The server cookie it gave us for {@link client}, once learned (8 to 32 octets). */
  server: Uint8Array | undefined;
  /** When {@link client} was made. */
  clientSince = 0;
  /** The local address {@link client} was made for, if the pool said. */
  localAddress: string | undefined;
  /** When the server answered without a cookie: since then `"unsupported"`, or (when `"supported"`) the start of a regression. */
  missingSince = 0;
  readonly times: CookieTimes;
  readonly #random: RandomOctets;

  constructor(options: { times?: Partial<CookieTimes>; random?: RandomOctets } = {}) {
    this.times = { ...DEFAULT_TIMES, ...options.times };
    this.#random = options.random ?? systemRandom;
  }

  /** Forgets everything, as if the server had never been asked. */
  reset(): void {
    this.support = "unknown";
    this.client = undefined;
    this.server = undefined;
    this.clientSince = 0;
    this.localAddress = undefined;
    this.missingSince = 0;
  }

  /**
   * The COOKIE option data for a query sent at `now` from `localAddress`
   * (client cookie, then the server cookie if one is known), or undefined
   * when the server is to get none. Applies the rules first: start over
   * after a regression that lasted {@link CookieTimes.regressionMs} or an
   * unsupported pause that is over; make a client cookie if there is none;
   * a new one (and no server cookie) when the local address changed
   * (RFC 7873 section 5.1: a client cookie is for one client address, so
   * it does not link a client's addresses) or when it is older than
   * {@link CookieTimes.clientLifetimeMs}.
   */
  optionData(now: number, localAddress?: string): Uint8Array | undefined {
    const times = this.times;
    if (this.support === "supported" && this.missingSince !== 0 && now - this.missingSince >= times.regressionMs) this.reset();
    if (this.support === "unsupported") {
      if (now - this.missingSince < times.unsupportedRetryMs) return undefined;
      this.reset();
    }
    if (this.support === "unknown" || this.client === undefined) {
      this.#newClient(now, localAddress);
      if (this.support === "unknown") this.support = "sent";
    } else if (localAddress !== undefined && localAddress !== this.localAddress) {
      this.#newClient(now, localAddress);
    } else if (this.support === "supported" && now - this.clientSince >= times.clientLifetimeMs) {
      this.#newClient(now, localAddress ?? this.localAddress);
    }
    const client = this.client!;
    const server = this.server;
    if (server === undefined) return Uint8Array.from(client);
    const data = new Uint8Array(client.length + server.length);
    data.set(client);
    data.set(server, client.length);
    return data;
  }

  #newClient(now: number, localAddress: string | undefined): void {
    const client = this.#random(CLIENT_COOKIE_OCTETS);
    if (client.length !== CLIENT_COOKIE_OCTETS) throw new RangeError(`random source gave ${client.length} octets, not ${CLIENT_COOKIE_OCTETS}`);
    this.client = Uint8Array.from(client);
    this.server = undefined;
    this.clientSince = now;
    this.localAddress = localAddress;
  }
}

/** Where a message's OPT record is, and its COOKIE option. */
interface OptAt {
  /** Offset of the OPT record's RDLENGTH field. */
  rdlengthAt: number;
  rdataStart: number;
  rdataEnd: number;
  /** The OPT record's TTL field: extended RCODE in its top octet. */
  ttl: number;
  /** Offset of the COOKIE option's data, or -1 if there is none. */
  cookieStart: number;
  cookieLength: number;
}

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** Offset just past the name at `offset` (not following pointers), or -1 if it runs past the end. */
function skipName(message: Uint8Array, offset: number): number {
  let position = offset;
  while (position < message.length) {
    const length = message[position]!;
    if ((length & 0xc0) === 0xc0) return position + 2 <= message.length ? position + 2 : -1;
    if ((length & 0xc0) !== 0) return -1;
    position += 1 + length;
    if (length === 0) return position <= message.length ? position : -1;
  }
  return -1;
}

/**
 * The OPT record of a message: undefined when it has none, `"malformed"`
 * when its records cannot be walked to the end of the additional section,
 * or it has more than one OPT record, or an OPT record's options do not
 * fill its RDATA, or it has two COOKIE options.
 */
function findOpt(message: Uint8Array): OptAt | "malformed" | undefined {
  if (message.length < HEADER_OCTETS) return "malformed";
  let offset = HEADER_OCTETS;
  for (let q = u16(message, 4); q > 0; q--) {
    offset = skipName(message, offset);
    if (offset < 0 || offset + 4 > message.length) return "malformed";
    offset += 4;
  }
  const before = u16(message, 6) + u16(message, 8);
  const records = before + u16(message, 10);
  let found: OptAt | undefined;
  for (let r = 0; r < records; r++) {
    offset = skipName(message, offset);
    if (offset < 0 || offset + 10 > message.length) return "malformed";
    const rdataStart = offset + 10;
    const rdataEnd = rdataStart + u16(message, offset + 8);
    if (rdataEnd > message.length) return "malformed";
    if (r >= before && u16(message, offset) === TYPE_OPT) {
      if (found !== undefined) return "malformed";
      found = {
        rdlengthAt: offset + 8,
        rdataStart,
        rdataEnd,
        ttl: ((message[offset + 4]! << 24) | (message[offset + 5]! << 16) | (message[offset + 6]! << 8) | message[offset + 7]!) >>> 0,
        cookieStart: -1,
        cookieLength: 0,
      };
      for (let at = rdataStart; at < rdataEnd; ) {
        if (at + 4 > rdataEnd) return "malformed";
        const length = u16(message, at + 2);
        if (at + 4 + length > rdataEnd) return "malformed";
        if (u16(message, at) === COOKIE_OPTION) {
          if (found.cookieStart !== -1) return "malformed";
          found.cookieStart = at + 4;
          found.cookieLength = length;
        }
        at += 4 + length;
      }
    }
    offset = rdataEnd;
  }
  return found;
}

/** Copies `from[start..end)` to `out` at `at`; returns where it stopped. */
function copyInto(out: Uint8Array, at: number, from: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) out[at++] = from[i]!;
  return at;
}

/**
 * `message` with its OPT record's COOKIE option removed and, if `cookie`
 * is given, one COOKIE option with that data added at the end of the
 * options. The other options keep their order.
 */
function replaceCookie(message: Uint8Array, opt: OptAt, cookie: Uint8Array | undefined): Uint8Array {
  const removed = opt.cookieStart === -1 ? 0 : 4 + opt.cookieLength;
  const added = cookie === undefined ? 0 : 4 + cookie.length;
  const rdlength = opt.rdataEnd - opt.rdataStart - removed + added;
  const out = Buffer.allocUnsafe(message.length - removed + added);
  let at = 0;
  if (opt.cookieStart === -1) at = copyInto(out, at, message, 0, opt.rdataEnd);
  else {
    at = copyInto(out, at, message, 0, opt.cookieStart - 4);
    at = copyInto(out, at, message, opt.cookieStart + opt.cookieLength, opt.rdataEnd);
  }
  if (cookie !== undefined) {
    out[at++] = COOKIE_OPTION >> 8;
    out[at++] = COOKIE_OPTION & 0xff;
    out[at++] = cookie.length >> 8;
    out[at++] = cookie.length & 0xff;
    for (let i = 0; i < cookie.length; i++) out[at++] = cookie[i]!;
  }
  copyInto(out, at, message, opt.rdataEnd, message.length);
  out[opt.rdlengthAt] = rdlength >> 8;
  out[opt.rdlengthAt + 1] = rdlength & 0xff;
  return out;
}

/**
 * A copy of `query` with a COOKIE option in its OPT record: our client
 * cookie for the server and the server cookie learned from it, as
 * `state.optionData` gives them (which also applies the rotation rules,
 * so call this with the time the query goes out and, if known, the
 * socket's local address). A query without an OPT record is returned
 * as it is (see the module comment), as is one to a server that gets no
 * cookie for now; a COOKIE option the query already had is replaced (or
 * removed). Throws a RangeError for bytes whose records do not walk.
 */
export function withCookie(query: Uint8Array, state: ServerCookies, now: number = Date.now(), localAddress?: string): Uint8Array {
  const opt = findOpt(query);
  if (opt === "malformed") throw new RangeError("query records do not walk");
  if (opt === undefined) return query;
  const data = state.optionData(now, localAddress);
  if (data === undefined) return opt.cookieStart === -1 ? query : replaceCookie(query, opt, undefined);
  return replaceCookie(query, opt, data);
}

/**
 * `message` without its COOKIE option (the same bytes when it has none):
 * a response as it would have come to a query without a cookie, for
 * layers above the transport that keep or compare response bytes.
 */
export function withoutCookie(message: Uint8Array): Uint8Array {
  const opt = findOpt(message);
  if (opt === undefined || opt === "malformed" || opt.cookieStart === -1) return message;
  return replaceCookie(message, opt, undefined);
}

/** Octets `a[aFrom..aFrom+length)` and `b[bFrom..)` are equal. */
function sameOctets(a: Uint8Array, aFrom: number, b: Uint8Array, bFrom: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aFrom + i] !== b[bFrom + i]) return false;
  return true;
}

/**
 * What to do with `response`, which passed the transport's other checks
 * (address, port, ID, question), to the query `sent` as it went on the
 * wire (after {@link withCookie}). Learns from it into `state`.
 *
 * - `"accept"`: hand it up. Either we sent no cookie, or it carries our
 *   client cookie (and a server cookie, now remembered), or the server is
 *   not known to do cookies and this response says it does not (the state
 *   becomes `"unsupported"`).
 * - `"ignore"`: drop it and keep waiting, as for a wrong ID. Its COOKIE
 *   option is not ours (a forgery, or a response to a query with a client
 *   cookie since replaced), or has a length RFC 7873 section 5.3 says to
 *   discard (less than 16 or more than 40 octets; 8, our client cookie
 *   alone, is taken as no cookie, as c-ares does), or the message's
 *   records do not walk to its OPT record (a cookie that cannot be found
 *   cannot be checked); or it has no cookie although the server is known
 *   to send one (RFC 7873 section 5.3: a client expecting a cookie
 *   discards a response without one). If that lasts
 *   {@link CookieTimes.regressionMs}, the next query starts over.
 * - `"retry"`: a BADCOOKIE (extended RCODE 23: the OPT record's extended
 *   RCODE octet above the header's four bits) carrying our client cookie
 *   and a new server cookie, now remembered: send the query again with
 *   {@link withCookie}, without counting a try, at most
 *   {@link BADCOOKIE_RETRIES} times, then count it as that server's
 *   failure. A BADCOOKIE without a valid cookie of ours is ignored.
 */
export function checkCookie(sent: Uint8Array, response: Uint8Array, state: ServerCookies, now: number = Date.now()): "accept" | "ignore" | "retry" {
  const ours = findOpt(sent);
  if (ours === undefined || ours === "malformed" || ours.cookieLength < CLIENT_COOKIE_OCTETS) return "accept";
  const sentClient = ours.cookieStart;

  const theirs = findOpt(response);
  if (theirs === "malformed") return "ignore";
  const length = theirs === undefined || theirs.cookieStart === -1 ? -1 : theirs.cookieLength;
  const rcode = (response[3]! & 0xf) | (theirs === undefined ? 0 : (theirs.ttl >>> 24) << 4);

  if (length !== -1) {
    if (length !== CLIENT_COOKIE_OCTETS && (length < 16 || length > 40)) return "ignore";
    if (!sameOctets(sent, sentClient, response, theirs!.cookieStart, CLIENT_COOKIE_OCTETS)) return "ignore";
  }

  if (length > CLIENT_COOKIE_OCTETS) {
    state.support = "supported";
    state.missingSince = 0;
    // A cookie learned for a client cookie since replaced would not be valid with the new one.
    const client = state.client;
    if (client !== undefined && sameOctets(client, 0, sent, sentClient, CLIENT_COOKIE_OCTETS)) {
      const serverStart = theirs!.cookieStart + CLIENT_COOKIE_OCTETS;
      const serverLength = length - CLIENT_COOKIE_OCTETS;
      const known = state.server;
      if (known === undefined || known.length !== serverLength || !sameOctets(known, 0, response, serverStart, serverLength)) {
        state.server = Uint8Array.from(response.subarray(serverStart, serverStart + serverLength));
      }
    }
    return rcode === BADCOOKIE ? "retry" : "accept";
  }

  // No server cookie in it.
  if (rcode === BADCOOKIE) return "ignore";
  if (state.support === "supported") {
    if (state.missingSince === 0) state.missingSince = now;
    return "ignore";
  }
  if (state.support === "sent") {
    state.reset();
    state.support = "unsupported";
    state.missingSince = now;
  }
  return "accept";
}

/**
 * DNS 0x20 (draft-vixie-dnsext-dns0x20): random letter case in the query
 * name on the wire, as c-ares (`ARES_FLAG_DNS0x20`) and hickory (case
 * randomization) offer it. Servers copy the question into the response as
 * they received it, so a response whose question is not byte for byte the
 * one sent did not come from the server: an off-path forger must guess one
 * bit per ASCII letter of the name on top of the ID and the source port.
 *
 * The UDP pool calls these functions around the wire only: the query
 * above it keeps its case, the pool sends {@link randomizeCase}'s copy,
 * accepts a response only if {@link echoesCase}, and hands up
 * {@link restoreCase}'s copy, which reads exactly as the response to the
 * unrandomized query would have. {@link CaseFallback} is the per-server
 * state that turns 0x20 off for a server that folds case.
 *
 * All functions work on the bytes, never decode a whole message, and never
 * modify their arguments.
 */
import { randomFillSync } from "../../builtins.js";
import { HEADER_OCTETS } from "../message.js";

const POINTER = 0xc0;
/** Longest name on the wire (RFC 1035 section 3.1); also bounds the labels a walk can collect. */
const MAX_NAME_OCTETS = 255;

/**
 * A list of integers that grows and is emptied by setting `length`: the
 * walk of {@link restoreCase} runs to its end before it returns, so one
 * set of these serves every call, and a response's names cost no array
 * or object each.
 */
class Ints {
  data = new Int32Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const more = new Int32Array(this.data.length * 2);
      more.set(this.data);
      this.data = more;
    }
    this.data[this.length++] = value;
  }

  pair(a: number, b: number): void {
    this.push(a);
    this.push(b);
  }

  at(index: number): number {
    return this.data[index]!;
  }
}

/** Offsets of label length octets of the names being looked at; a name is its first index here and its count. */
const LABELS = new Ints();
/** Where the name {@link nameAt} read last ends in place. */
let nameEnd = 0;

/**
 * Appends to {@link LABELS} the offsets of the length octets of the
 * name at `offset` (pointers followed, the way message.ts's readName
 * allows them: strictly backwards, so no loop) and returns how many,
 * setting {@link nameEnd}; or -1, appending nothing, for anything readName
 * would reject. No text is built.
 */
function nameAt(message: Uint8Array, offset: number): number {
  const first = LABELS.length;
  let octets = 1;
  let position = offset;
  let stretchStart = offset;
  let end = -1;
  for (;;) {
    if (position >= message.length) break;
    const length = message[position]!;
    if ((length & POINTER) === POINTER) {
      if (position + 1 >= message.length) break;
      const target = ((length & ~POINTER) << 8) | message[position + 1]!;
      if (target >= stretchStart) break;
      if (end === -1) end = position + 2;
      position = target;
      stretchStart = target;
      continue;
    }
    if ((length & POINTER) !== 0) break;
    if (length === 0) {
      nameEnd = end === -1 ? position + 1 : end;
      return LABELS.length - first;
    }
    if (position + 1 + length > message.length) break;
    octets += length + 1;
    if (octets > MAX_NAME_OCTETS) break;
    LABELS.push(position);
    position += 1 + length;
  }
  LABELS.length = first;
  return -1;
}

/**
 * The length in octets (root label included) of the question name of a
 * query as encodeQuery writes it, which starts right after the header.
 * Throws a RangeError for bytes that are not such a query (no question, a
 * pointer, a name cut short).
 */
function queryNameLength(query: Uint8Array): number {
  if (query.length < HEADER_OCTETS || ((query[4]! << 8) | query[5]!) === 0) throw new RangeError("not a query with a question");
  let position = HEADER_OCTETS;
  for (;;) {
    if (position >= query.length) throw new RangeError("query name runs past the end of the query");
    const length = query[position]!;
    if ((length & POINTER) !== 0) throw new RangeError("query name is compressed or of an unknown label type");
    position += 1 + length;
    if (length === 0) break;
  }
  if (position + 4 > query.length) throw new RangeError("query question cut short");
  return position - HEADER_OCTETS;
}

function isLetter(byte: number): boolean {
  const folded = byte | 0x20;
  return folded >= 0x61 && folded <= 0x7a;
}

/** Octets `a[aStart..aStart+length)` and `b[bStart..)` equal, ASCII case ignored. */
function equalIgnoringCase(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const x = a[aStart + i]!;
    const y = b[bStart + i]!;
    if (x !== y && !(isLetter(x) && (x ^ 0x20) === y)) return false;
  }
  return true;
}

function equalBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * Random octets for {@link randomizeCase}: `randomFillSync` into a 4 KiB
 * buffer, read in place from `randomUsed` on, so one call to the system's
 * generator serves about a hundred queries (a name takes at most 32
 * octets: one bit per octet of the name).
 */
const RANDOM_POOL = Buffer.allocUnsafe(4096);
let randomUsed = RANDOM_POOL.length;

/** A source of random octets: `octets` of them (tests pass a seeded one). */
export type RandomOctets = (octets: number) => Uint8Array;

/**
 * A copy of `query` (as encodeQuery writes it: header, one uncompressed
 * question, maybe an OPT record) with each ASCII letter of the question
 * name upper or lower case at random, one bit per octet of the name from
 * `random` (by default a pooled `crypto.randomFillSync` buffer). Octets
 * that are not ASCII letters are left alone: RFC 4343 makes only A-Z and
 * a-z case-insensitive, so a server may not treat any other octet as
 * "the same" in another form. The ID and everything after the name are
 * copied unchanged. Throws a RangeError for bytes that are not such a
 * query.
 */
export function randomizeCase(query: Uint8Array, random?: RandomOctets): Uint8Array {
  const length = queryNameLength(query);
  const octets = (length + 7) >> 3;
  let bits: Uint8Array;
  let from: number;
  if (random === undefined) {
    if (randomUsed + octets > RANDOM_POOL.length) {
      randomFillSync(RANDOM_POOL);
      randomUsed = 0;
    }
    bits = RANDOM_POOL;
    from = randomUsed;
    randomUsed += octets;
  } else {
    bits = random(octets);
    from = 0;
  }
  // From Buffer's shared pool, as encodeQuery's own bytes: no ArrayBuffer per query.
  const out = Buffer.allocUnsafe(query.length);
  out.set(query);
  // Length octets (1-63) are never letters, so the name's octets can be walked as one run.
  for (let i = 0; i < length; i++) {
    const byte = out[HEADER_OCTETS + i]!;
    if (!isLetter(byte)) continue;
    out[HEADER_OCTETS + i] = (bits[from + (i >> 3)]! >> (i & 7)) & 1 ? byte | 0x20 : byte & ~0x20;
  }
  return out;
}

/**
 * The bits of case 0x20 can add to `query`: the number of ASCII letters in
 * its question name (each letter is one coin toss; length octets, digits,
 * hyphens and other octets add nothing). `www.example.com` gives 13,
 * `1.2.0.192.in-addr.arpa` 10 (only `in-addr.arpa` has letters), an
 * ip6.arpa name 6 plus one per nibble from a to f, the root 0.
 */
export function caseEntropyBits(query: Uint8Array): number {
  const end = HEADER_OCTETS + queryNameLength(query);
  let letters = 0;
  for (let i = HEADER_OCTETS; i < end; i++) if (isLetter(query[i]!)) letters++;
  return letters;
}

/**
 * How a response's question name compares with the name sent:
 *
 * - `"exact"`: the same octets, case included.
 * - `"folded"`: the same name, but some letter in another case (a server
 *   that folds or rewrites case, or a forgery that did not guess it).
 * - `"none"`: the response has no question at all (QDCOUNT 0).
 * - `"different"`: another name, more than one question, or a question
 *   that cannot be read.
 */
export type CaseVerdict = "exact" | "folded" | "none" | "different";

/** Compares the question name of `response` with the one of `sent` (see {@link CaseVerdict}). */
export function caseVerdict(sent: Uint8Array, response: Uint8Array): CaseVerdict {
  const start = HEADER_OCTETS;
  const length = queryNameLength(sent);
  if (response.length < HEADER_OCTETS) return "different";
  const questions = (response[4]! << 8) | response[5]!;
  if (questions === 0) return "none";
  if (questions !== 1) return "different";
  // The first name of a message cannot be compressed (a pointer would point into the header).
  if (response.length < HEADER_OCTETS + length) return "different";
  if (equalBytes(sent, start, response, HEADER_OCTETS, length)) return "exact";
  // Same length octets in the same places, since none of them is a letter.
  return equalIgnoringCase(sent, start, response, HEADER_OCTETS, length) ? "folded" : "different";
}

/**
 * True when `response`'s question name is byte for byte the one in `sent`,
 * or when the response has no question.
 *
 * A response without a question (the bare 12-octet SERVFAIL, NOTIMP or
 * REFUSED that glibc 2.36 accepts, see message.ts `isResponseTo`) has no
 * name to echo, so this says true and leaves the decision to the checks
 * that already exist: such a response carries no record, so a forger who
 * guesses ID and port can at most make this one try fail over to the next
 * server, which they could also do by flooding; refusing it would instead
 * turn every real bare refusal into a whole timeout, which is why glibc
 * accepts it. It must not count as evidence either way for
 * {@link CaseFallback}.
 */
export function echoesCase(sent: Uint8Array, response: Uint8Array): boolean {
  const verdict = caseVerdict(sent, response);
  return verdict === "exact" || verdict === "none";
}

/** Types whose RDATA holds names a server may compress (RFC 1035 and RFC 3597 section 4), and where those names are. */
const RDATA_NAMES: ReadonlyMap<number, { skip: number; names: number }> = new Map([
  [2, { skip: 0, names: 1 }], // NS
  [3, { skip: 0, names: 1 }], // MD
  [4, { skip: 0, names: 1 }], // MF
  [5, { skip: 0, names: 1 }], // CNAME
  [6, { skip: 0, names: 2 }], // SOA: MNAME, RNAME, then numbers
  [7, { skip: 0, names: 1 }], // MB
  [8, { skip: 0, names: 1 }], // MG
  [9, { skip: 0, names: 1 }], // MR
  [12, { skip: 0, names: 1 }], // PTR
  [14, { skip: 0, names: 2 }], // MINFO
  [15, { skip: 2, names: 1 }], // MX: preference, exchange
  [17, { skip: 0, names: 2 }], // RP
  [18, { skip: 2, names: 1 }], // AFSDB
  [21, { skip: 2, names: 1 }], // RT
  [26, { skip: 2, names: 2 }], // PX
  [33, { skip: 6, names: 1 }], // SRV: priority, weight, port, target
  [36, { skip: 2, names: 1 }], // KX
  [39, { skip: 0, names: 1 }], // DNAME
]);
const TYPE_CNAME = 5;
const TYPE_DNAME = 39;

/**
 * `response` with the query name written back in the case of `original`,
 * where it came back in the random case of `sent` (`original` and `sent`
 * are the query before and after {@link randomizeCase}). Returns
 * `response` itself when nothing needs rewriting (no letter changed, or no
 * name found in the random case), otherwise a copy.
 *
 * What a server copies from the query, and so what is rewritten:
 *
 * - The question, where it is the random name case for case. Since
 *   compressed names share its octets, this also fixes every pointer into
 *   it: owners a compressing server points at the question, and CNAME
 *   targets such as `WWW.HELLFLY.NET CNAME HELLFLY.NET`, whose
 *   target Knot writes as a pointer into the question.
 * - Any other name in the message (owners, and the names inside the RDATA
 *   of the types in {@link RDATA_NAMES}) that is, label for label and case
 *   included, the whole random name, when that has an uppercase letter: a
 *   server that does not compress writes the query name as the owner of its
 *   answer, copied from the query. Its labels are rewritten where they
 *   are, following pointers.
 * - The labels a DNAME substitution took from the query: in a CNAME owned
 *   by the query name, whose target is the query name's labels above a
 *   DNAME owner in the same answer section followed by that DNAME's
 *   target, those leading labels, when they are in the random case and it
 *   has an uppercase letter there. A server that builds the target from
 *   the query's own octets copies their case; Knot 3.2 lowercases them,
 *   and then they are left alone.
 *
 * Why "an uppercase letter": zone data is mostly lowercase, and Knot
 * lowercases DNAME prefixes, so a lowercase name that equals the random
 * name may just as well be the server's own spelling, which must stay.
 * The price is on servers that copy: when the random name (or the copied
 * prefix) came out all lowercase, chance 2^-letters, their copy stays
 * lowercase where the original's case had capitals.
 *
 * What is not rewritten: a literal name (or the literal labels before a
 * pointer) that equals only a proper suffix of the random name. Servers
 * take those from their zone data, not from the query (a compressing
 * server points into the question for them, which the first rule covers),
 * so they already read as they would have; rewriting them would be wrong
 * whenever the zone's spelling happens to be the random one. A literal
 * name from the zone that happens to be the whole random name, capitals
 * included (chance 2^-letters), is rewritten to the original's case.
 *
 * A response that stops making sense part-way (a truncated one, or one the
 * client will report as malformed) gets the rewrites found up to there.
 * Throws a RangeError when `sent` is not `original` in another case.
 */
export function restoreCase(response: Uint8Array, original: Uint8Array, sent: Uint8Array): Uint8Array {
  if (!findRewrites(response, original, sent)) return response;
  const out = Buffer.allocUnsafe(response.length);
  out.set(response);
  rewrite(out, original);
  return out;
}

/**
 * {@link restoreCase} on `response` itself, for a caller whose bytes they
 * are (the pool's datagram): no copy. Returns `response`.
 */
export function restoreCaseInPlace(response: Uint8Array, original: Uint8Array, sent: Uint8Array): Uint8Array {
  if (findRewrites(response, original, sent)) rewrite(response, original);
  return response;
}

/** Finds what {@link restoreCase} rewrites (in {@link REWRITES}, the original's labels in {@link LABELS}); false for nothing. */
function findRewrites(response: Uint8Array, original: Uint8Array, sent: Uint8Array): boolean {
  const length = queryNameLength(original);
  if (queryNameLength(sent) !== length || !equalIgnoringCase(original, HEADER_OCTETS, sent, HEADER_OCTETS, length)) {
    throw new RangeError("the query sent is not the original query in another case");
  }
  if (equalBytes(original, HEADER_OCTETS, sent, HEADER_OCTETS, length)) return false;
  LABELS.length = 0;
  REWRITES.length = 0;
  CNAMES.length = 0;
  DNAMES.length = 0;
  // The random name's labels first (index 0 on), then the original's.
  const n = nameAt(sent, HEADER_OCTETS);
  originalLabels = LABELS.length;
  nameAt(original, HEADER_OCTETS);
  const walk: Walk = { sent, n, upperFrom: firstUpperLabel(sent, n) };
  collect(response, walk);
  dnameRewrites(response, walk);
  return REWRITES.length > 0;
}

/** Where in {@link LABELS} the original's labels are, for {@link rewrite}. */
let originalLabels = 0;

/** Writes the labels {@link findRewrites} found into `out`, in the case of `original`. */
function rewrite(out: Uint8Array, original: Uint8Array): void {
  for (let r = 0; r < REWRITES.length; r += 2) {
    const to = REWRITES.at(r) + 1;
    const from = LABELS.at(originalLabels + REWRITES.at(r + 1));
    for (let i = 0, count = original[from]!; i < count; i++) out[to + i] = original[from + 1 + i]!;
  }
}

/** The random name of one {@link restoreCase} call: its labels are the first `n` of {@link LABELS}. */
interface Walk {
  sent: Uint8Array;
  n: number;
  /** Index of the first label of the random name with an uppercase letter (`n` if none). */
  upperFrom: number;
}

/** Pairs: offset of a label's length octet in the response, index of the original's label to write there. */
const REWRITES = new Ints();
/**
 * CNAME and DNAME records of the answer section, four numbers each: the
 * owner's first index in {@link LABELS} and its count, the target's.
 */
const CNAMES = new Ints();
const DNAMES = new Ints();

/** The name of `count` labels from index `first` of {@link LABELS} is the random name, label for label, case included. */
function isSentName(response: Uint8Array, first: number, count: number, walk: Walk): boolean {
  const { sent, n } = walk;
  if (count !== n) return false;
  for (let i = 0; i < n; i++) {
    const at = LABELS.at(first + i);
    const mine = LABELS.at(i);
    const length = response[at]!;
    if (length !== sent[mine] || !equalBytes(response, at + 1, sent, mine + 1, length)) return false;
  }
  return true;
}

/**
 * A name of the response: if it is the random name (and, outside the
 * question, that has an uppercase letter), all its labels are to be
 * rewritten.
 */
function see(response: Uint8Array, first: number, count: number, question: boolean, walk: Walk): void {
  if (!question && walk.upperFrom >= walk.n) return;
  if (!isSentName(response, first, count, walk)) return;
  for (let i = 0; i < count; i++) REWRITES.pair(LABELS.at(first + i), i);
}

/**
 * Walks the question and every record of `response`, seeing each name
 * (owners, and names in the RDATA of {@link RDATA_NAMES}), and keeps the
 * CNAME and DNAME records of the answer section; stops where the response
 * stops making sense. The labels of a record's names are dropped from
 * {@link LABELS} once it is seen, unless the record is kept.
 */
function collect(response: Uint8Array, walk: Walk): void {
  if (response.length < HEADER_OCTETS) return;
  let offset = HEADER_OCTETS;
  for (let q = u16(response, 4); q > 0; q--) {
    const first = LABELS.length;
    const count = nameAt(response, offset);
    if (count < 0 || nameEnd + 4 > response.length) return;
    see(response, first, count, true, walk);
    offset = nameEnd + 4;
    LABELS.length = first;
  }
  const answers = u16(response, 6);
  const records = answers + u16(response, 8) + u16(response, 10);
  for (let r = 0; r < records; r++) {
    const owner = LABELS.length;
    const ownerCount = nameAt(response, offset);
    if (ownerCount < 0 || nameEnd + 10 > response.length) return;
    see(response, owner, ownerCount, false, walk);
    const ownerEnd = nameEnd;
    const type = u16(response, ownerEnd);
    const rdataStart = ownerEnd + 10;
    const rdataEnd = rdataStart + u16(response, ownerEnd + 8);
    if (rdataEnd > response.length) return;
    const layout = RDATA_NAMES.get(type);
    const kept = r < answers && (type === TYPE_CNAME || type === TYPE_DNAME) ? (type === TYPE_CNAME ? CNAMES : DNAMES) : undefined;
    if (layout !== undefined) {
      let at = rdataStart + layout.skip;
      for (let i = 0; i < layout.names && at < rdataEnd; i++) {
        const name = LABELS.length;
        const count = nameAt(response, at);
        if (count < 0 || nameEnd > rdataEnd) break;
        see(response, name, count, false, walk);
        kept?.pair(owner, ownerCount);
        kept?.pair(name, count);
        at = nameEnd;
      }
    }
    if (kept === undefined) LABELS.length = owner;
    offset = rdataEnd;
  }
}

/**
 * The rewrites of labels a DNAME substitution took from the query (see
 * {@link restoreCase}): in a CNAME owned by the random name whose target
 * is its first labels followed by a DNAME's target, those labels.
 */
function dnameRewrites(response: Uint8Array, walk: Walk): void {
  const { sent, n } = walk;
  for (let d = 0; d < DNAMES.length; d += 4) {
    const dnameOwner = DNAMES.at(d);
    const dnameOwnerCount = DNAMES.at(d + 1);
    const dnameTarget = DNAMES.at(d + 2);
    const dnameTargetCount = DNAMES.at(d + 3);
    const kept = n - dnameOwnerCount;
    if (kept <= 0 || walk.upperFrom >= kept) continue;
    if (!labelsMatch(response, dnameOwner, sent, kept, dnameOwnerCount, false)) continue;
    for (let c = 0; c < CNAMES.length; c += 4) {
      const owner = CNAMES.at(c);
      const target = CNAMES.at(c + 2);
      if (CNAMES.at(c + 1) !== n || !labelsMatch(response, owner, sent, 0, n, false)) continue;
      if (CNAMES.at(c + 3) !== kept + dnameTargetCount) continue;
      if (!labelsMatch(response, target + kept, response, dnameTarget, dnameTargetCount, false)) continue;
      if (!labelsMatch(response, target, sent, 0, kept, true)) continue;
      for (let i = 0; i < kept; i++) REWRITES.pair(LABELS.at(target + i), i);
    }
  }
}

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** Index of the first of the `count` labels of `message` at the start of {@link LABELS} with an uppercase letter, or `count`. */
function firstUpperLabel(message: Uint8Array, count: number): number {
  for (let i = 0; i < count; i++) {
    const at = LABELS.at(i);
    for (let j = at + 1; j <= at + message[at]!; j++) if (message[j]! >= 0x41 && message[j]! <= 0x5a) return i;
  }
  return count;
}

/** `count` labels of `a` from index `aFirst` of {@link LABELS} equal those of `b` from index `bFirst`, case-sensitively or not. */
function labelsMatch(a: Uint8Array, aFirst: number, b: Uint8Array, bFirst: number, count: number, exact: boolean): boolean {
  for (let i = 0; i < count; i++) {
    const x = LABELS.at(aFirst + i);
    const y = LABELS.at(bFirst + i);
    const length = a[x]!;
    if (length !== b[y]) return false;
    if (!(exact ? equalBytes(a, x + 1, b, y + 1, length) : equalIgnoringCase(a, x + 1, b, y + 1, length))) return false;
  }
  return true;
}

/** Options of {@link CaseFallback}. */
export interface CaseFallbackOptions {
  /** Folded responses in a row, with no exact echo between them, that turn 0x20 off for the server. */
  folds?: number;
  /** How long 0x20 stays off, in milliseconds; then it is tried again. */
  offMs?: number;
}

/**
 * Per-server 0x20 state, so that a server that folds case is not asked in
 * random case for ever.
 *
 * The signal is a folded response ({@link caseVerdict} `"folded"`) that
 * passed every other check: source address and port, ID, QR, opcode,
 * question name ignoring case, type and class (message.ts `readResponse`).
 * A server that folds does so to every response; a forger who guessed ID
 * and port but not the case produces the same thing, which is why one such
 * response is not enough: after `folds` of them in a row (3 by default)
 * with no exact echo in between, 0x20 is off for that server for `offMs`
 * (5 minutes, as c-ares waits before trying cookies again on a server that
 * ignored them), then it is tried again; a server that folds again then is
 * turned off by its first fold, until an exact echo clears the record. To
 * turn 0x20 off by forgery, an off-path attacker must win the ID and port
 * guess three times in a row before any real response reaches us.
 *
 * An exact echo counts as evidence that the server keeps case only when
 * the random name had both upper and lower case letters: a name that came
 * out all lowercase (or all uppercase) reads the same from a server that
 * folds to that case. Responses without a question (`"none"`) and
 * `"different"` ones say nothing about the server.
 *
 * What the pool does with the folded response itself is its choice; it
 * must not hand it up as the answer (it may be the forgery). Dropping it
 * and sending the query again at once, unrandomized, costs a round trip
 * instead of a timeout while the state learns.
 */
export class CaseFallback {
  readonly #folds: number;
  readonly #offMs: number;
  #inARow = 0;
  #offUntil = 0;

  constructor(options: CaseFallbackOptions = {}) {
    this.#folds = options.folds ?? 3;
    this.#offMs = options.offMs ?? 300_000;
  }

  /** Whether a query sent to this server at `now` is to go in random case. */
  randomizing(now: number = Date.now()): boolean {
    return now >= this.#offUntil;
  }

  /**
   * Records what came back for the randomized query `sent`, for a response
   * that passed every other check.
   */
  observe(sent: Uint8Array, verdict: CaseVerdict, now: number = Date.now()): void {
    if (verdict === "folded") {
      this.#inARow++;
      if (this.#inARow >= this.#folds) {
        this.#offUntil = now + this.#offMs;
        // Once off, one more fold after the pause turns it off again.
        this.#inARow = this.#folds - 1;
      }
    } else if (verdict === "exact" && mixedCase(sent)) {
      this.#inARow = 0;
    }
  }
}

/** The question name of `query` has both an uppercase and a lowercase letter. */
function mixedCase(query: Uint8Array): boolean {
  const end = HEADER_OCTETS + queryNameLength(query);
  let seen = 0;
  for (let i = HEADER_OCTETS; i < end; i++) {
    const byte = query[i]!;
    if (isLetter(byte)) seen |= byte & 0x20 ? 1 : 2;
    if (seen === 3) return true;
  }
  return false;
}

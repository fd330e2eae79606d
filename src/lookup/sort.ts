/**
 * Destination address ordering as glibc's getaddrinfo does it: RFC 3484
 * (the rules RFC 6724 kept) over the source address the kernel would use
 * for each destination, with glibc's own tables and quirks, sorted by
 * glibc's qsort (a stable merge sort) so that even its non-transitive
 * comparisons come out in the same order.
 */
import { formatAddress, v4Mapped } from "../inet.js";
import { DEFAULT_POLICY, type GaiPolicy, type PrefixPolicy } from "../files/gaiconf.js";
import { isLinkLocal } from "./scope.js";

/** What the kernel and the interface list said about the source for one destination. */
export interface SourceInfo {
  /** The source address, 4 or 16 bytes (an IPv4 destination always has an IPv4 source). */
  address: Uint8Array;
  /** Prefix length of the interface address it is, or 0 if it is no interface address. */
  prefixlen: number;
  /** Index of the interface holding it, or undefined if it is no interface address. */
  index: number | undefined;
  /** IFA_F_DEPRECATED or IFA_F_OPTIMISTIC is set on it. */
  deprecated: boolean;
  /** IFA_F_HOMEADDRESS is set on it. */
  homeAddress: boolean;
  /** Its interface is not a tunnel (ARPHRD_TUNNEL, TUNNEL6, SIT). */
  native: boolean;
}

/** One destination to order: its address and, when it is reachable, its source. */
export interface SortCandidate {
  /** 4 or 16 bytes. */
  address: Uint8Array;
  /** undefined when connect() failed: the destination is unusable. */
  source: SourceInfo | undefined;
}

/** An IPv4 address as glibc's tables see it: IPv4-mapped IPv6. */
function asIPv6(address: Uint8Array): Uint8Array {
  return address.length === 16 ? address : v4Mapped(address);
}

function word(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** glibc's get_scope. */
function scopeOf(address: Uint8Array, policy: GaiPolicy): number {
  if (address.length === 4) {
    const value = word(address, 0);
    for (const entry of policy.scopes) {
      if (((value & entry.netmask) >>> 0) === entry.address) return entry.scope;
    }
    return 14;
  }
  if (address[0] === 0xff) return address[1]! & 0x0f;
  const loopback = address.subarray(0, 15).every((b) => b === 0) && address[15] === 1;
  if (isLinkLocal(address) || loopback) return 2;
  if (address[0] === 0xfe && (address[1]! & 0xc0) === 0xc0) return 5;
  return 14;
}

/** glibc's match_prefix: the value of the first entry whose prefix covers the address. */
function matchPrefix(address: Uint8Array, list: readonly PrefixPolicy[], fallback: number): number {
  const bytes = asIPv6(address);
  for (const entry of list) {
    let bits = entry.bits;
    let i = 0;
    while (bits >= 8 && entry.prefix[i] === bytes[i]) {
      i++;
      bits -= 8;
    }
    if (bits >= 8) continue;
    const mask = (0xff00 >> bits) & 0xff;
    if (((entry.prefix[i] ?? 0) & mask) === ((bytes[i] ?? 0) & mask)) return entry.value;
  }
  return fallback;
}

/** glibc's fls: how many leading bits of a 32-bit word are zero (32 for 0). */
function leadingZeros(value: number): number {
  return Math.clz32(value);
}

/** Rule 9's common prefix lengths for two destinations of the same family. */
function prefixBits(a: SortCandidate, b: SortCandidate): [number, number] {
  const sa = a.source!;
  const sb = b.source!;
  if (a.address.length === 4) {
    const bitsFor = (dst: Uint8Array, src: SourceInfo): number => {
      const d = word(dst, 0);
      const s = word(src.address, 0);
      // C shifts by the count modulo 32 on the machines glibc runs on, and so
      // does JavaScript: a prefix length of 0 gives a full mask.
      const netmask = (0xffffffff << (32 - src.prefixlen)) >>> 0;
      return ((s & netmask) >>> 0) === ((d & netmask) >>> 0) ? leadingZeros((d ^ s) >>> 0) : 0;
    };
    return [bitsFor(a.address, sa), bitsFor(b.address, sb)];
  }
  for (let i = 0; i < 16; i += 4) {
    const xa = (word(a.address, i) ^ word(sa.address, i)) >>> 0;
    const xb = (word(b.address, i) ^ word(sb.address, i)) >>> 0;
    if (xa !== 0 || xb !== 0) return [leadingZeros(xa), leadingZeros(xb)];
  }
  return [0, 0];
}

/**
 * What the rules read from the policy tables about one candidate. glibc
 * looks these up again at every comparison; they depend on the candidate
 * alone, so they are looked up once per candidate here.
 */
interface Ranks {
  scope: number;
  precedence: number;
  /** Rule 2: the scope of the source matches the destination's (false without a source). */
  scopeMatch: boolean;
  /** Rule 5: the label of the source matches the destination's (false without a source). */
  labelMatch: boolean;
}

function ranksOf(c: SortCandidate, policy: GaiPolicy): Ranks {
  const scope = scopeOf(c.address, policy);
  const source = c.source;
  return {
    scope,
    precedence: matchPrefix(c.address, policy.precedence, 0),
    scopeMatch: source !== undefined && scope === scopeOf(source.address, policy),
    labelMatch: source !== undefined
      && matchPrefix(c.address, policy.labels, 0x7fffffff) === matchPrefix(source.address, policy.labels, 0x7fffffff),
  };
}

/** glibc's rfc3484_sort comparison of the candidates at positions i and j of the original list. */
function compare(cands: readonly SortCandidate[], ranks: readonly Ranks[], i: number, j: number): number {
  const a = cands[i]!;
  const b = cands[j]!;
  const ra = ranks[i]!;
  const rb = ranks[j]!;
  // Rule 1: avoid unusable destinations.
  if (a.source !== undefined && b.source === undefined) return -1;
  if (a.source === undefined && b.source !== undefined) return 1;
  const sa = a.source;
  const sb = b.source;

  // Rule 2: prefer matching scope.
  const aScope = ra.scope;
  const bScope = rb.scope;
  if (sa !== undefined && sb !== undefined) {
    const aMatch = ra.scopeMatch;
    const bMatch = rb.scopeMatch;
    if (aMatch && !bMatch) return -1;
    if (!aMatch && bMatch) return 1;

    // Rule 3: avoid deprecated addresses.
    if (!sa.deprecated && sb.deprecated) return -1;
    if (sa.deprecated && !sb.deprecated) return 1;

    // Rule 4: prefer home addresses.
    if (!sa.homeAddress && sb.homeAddress) return 1;
    if (sa.homeAddress && !sb.homeAddress) return -1;

    // Rule 5: prefer matching label.
    const aLabel = ra.labelMatch;
    const bLabel = rb.labelMatch;
    if (aLabel && !bLabel) return -1;
    if (!aLabel && bLabel) return 1;
  }

  // Rule 6: prefer higher precedence.
  const aPrec = ra.precedence;
  const bPrec = rb.precedence;
  if (aPrec > bPrec) return -1;
  if (aPrec < bPrec) return 1;

  // Rule 7: prefer native transport. A source that is no interface address
  // counts as not native, as in glibc.
  if (sa !== undefined && sb !== undefined && sa.index !== sb.index) {
    const aNative = sa.index !== undefined && sa.native;
    const bNative = sb.index !== undefined && sb.native;
    if (aNative && !bNative) return -1;
    if (!aNative && bNative) return 1;
  }

  // Rule 8: prefer smaller scope.
  if (aScope < bScope) return -1;
  if (aScope > bScope) return 1;

  // Rule 9: use longest matching prefix.
  if (sa !== undefined && sb !== undefined && a.address.length === b.address.length) {
    const [aBits, bBits] = prefixBits(a, b);
    if (aBits > bBits) return -1;
    if (aBits < bBits) return 1;
  }

  // Rule 10: otherwise keep the order the sources gave.
  return i < j ? -1 : 1;
}

/** glibc's msort: top-down merge sort, taking from the left run on ties. */
function mergeSort(order: number[], cmp: (a: number, b: number) => number): number[] {
  if (order.length <= 1) return order;
  const half = order.length >> 1;
  const left = mergeSort(order.slice(0, half), cmp);
  const right = mergeSort(order.slice(half), cmp);
  const out: number[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) out.push(cmp(left[l]!, right[r]!) <= 0 ? left[l++]! : right[r++]!);
  return out.concat(left.slice(l), right.slice(r));
}

/**
 * The positions of `cands` in the order glibc's getaddrinfo returns them.
 */
export function destinationOrder(cands: readonly SortCandidate[], policy: GaiPolicy = DEFAULT_POLICY): number[] {
  const ranks = cands.map((c) => ranksOf(c, policy));
  return mergeSort(cands.map((_, i) => i), (i, j) => compare(cands, ranks, i, j));
}

/** Text of an address for traces. */
export function describeCandidate(c: SortCandidate): string {
  return c.source === undefined ? `${formatAddress(c.address)} (unreachable)` : `${formatAddress(c.address)} from ${formatAddress(c.source.address)}`;
}

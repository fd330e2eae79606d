/**
 * /etc/gai.conf: the label, precedence and IPv4 scope tables of
 * getaddrinfo's destination sorting, parsed as glibc 2.36's gaiconf_init
 * parses them, and glibc's built-in tables for when the file is missing or
 * sets nothing.
 */
import { isV4Mapped, parseIPv4, parseIPv6 } from "../inet.js";

/** One line of the label or precedence table. */
export interface PrefixPolicy {
  /** 16 bytes. */
  prefix: Uint8Array;
  bits: number;
  value: number;
}

/** One line of the IPv4 scope table; addresses and masks as host-order 32-bit numbers. */
export interface ScopePolicy {
  address: number;
  netmask: number;
  scope: number;
}

/** The tables rfc3484_sort consults. */
export interface GaiPolicy {
  labels: readonly PrefixPolicy[];
  precedence: readonly PrefixPolicy[];
  scopes: readonly ScopePolicy[];
}

function prefix(text: string, bits: number, value: number): PrefixPolicy {
  return { prefix: parseIPv6(text)!, bits, value };
}

/**
 * glibc's defaults: RFC 3484's tables with two changes for site-local and
 * ULA labels and a Teredo label. They are not RFC 6724's (IPv4 gets
 * precedence 10, below every IPv6 address but 2002::/16's 30 and ::/96's 20).
 */
export const DEFAULT_POLICY: GaiPolicy = {
  labels: [
    prefix("::1", 128, 0),
    prefix("2002::", 16, 2),
    prefix("::", 96, 3),
    prefix("::ffff:0:0", 96, 4),
    prefix("fec0::", 10, 5),
    prefix("fc00::", 7, 6),
    prefix("2001::", 32, 7),
    prefix("::", 0, 1),
  ],
  precedence: [
    prefix("::1", 128, 50),
    prefix("2002::", 16, 30),
    prefix("::", 96, 20),
    prefix("::ffff:0:0", 96, 10),
    prefix("::", 0, 40),
  ],
  scopes: [
    { address: 0xa9fe0000, netmask: 0xffff0000, scope: 2 },
    { address: 0x7f000000, netmask: 0xff000000, scope: 2 },
    { address: 0, netmask: 0, scope: 14 },
  ],
};

const INT_MAX = 0x7fffffff;

/** C's strtoul(s, &end, 10) followed by a check that it read all of `s`; "" reads as 0, as in C. */
function wholeNumber(s: string): number | undefined {
  if (s === "") return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return undefined;
  const value = Number(m[2]);
  if (m[1] === "-" && value !== 0) return undefined;
  return value;
}

/** `addr[/bits]` and a value, as add_prefixlist reads them. */
function readPrefixLine(val1: string, val2: string): PrefixPolicy | undefined {
  const slash = val1.indexOf("/");
  const address = parseIPv6(slash === -1 ? val1 : val1.slice(0, slash));
  const bits = slash === -1 ? 128 : wholeNumber(val1.slice(slash + 1));
  const value = wholeNumber(val2);
  if (address === null || bits === undefined || bits > 128 || value === undefined || value > INT_MAX) return undefined;
  return { prefix: address, bits, value };
}

/** A `scopev4` line: an IPv4 prefix (or its IPv4-mapped IPv6 form) and a scope. */
function readScopeLine(val1: string, val2: string): ScopePolicy | undefined {
  const slash = val1.indexOf("/");
  const addressText = slash === -1 ? val1 : val1.slice(0, slash);
  const bitsText = slash === -1 ? undefined : val1.slice(slash + 1);
  const value = wholeNumber(val2);
  if (value === undefined || value > INT_MAX) return undefined;
  let v4: Uint8Array;
  let bits: number | undefined;
  const v6 = parseIPv6(addressText);
  if (v6 !== null) {
    bits = bitsText === undefined ? 128 : wholeNumber(bitsText);
    if (!isV4Mapped(v6) || bits === undefined || bits < 96 || bits > 128) return undefined;
    v4 = v6.subarray(12);
  } else {
    const parsed = parseIPv4(addressText);
    const v4bits = bitsText === undefined ? 32 : wholeNumber(bitsText);
    if (parsed === null || v4bits === undefined || v4bits > 32) return undefined;
    v4 = parsed;
    bits = v4bits + 96;
  }
  const netmask = bits === 96 ? 0 : (0xffffffff << (128 - bits)) >>> 0;
  const address = (((v4[0]! << 24) | (v4[1]! << 16) | (v4[2]! << 8) | v4[3]!) & netmask) >>> 0;
  return { address, netmask, scope: value };
}

/** Stable sort, most specific first. */
function bySpecificity<T>(list: T[], bitsOf: (entry: T) => number): T[] {
  return list.map((entry, i) => ({ entry, i }))
    .sort((a, b) => bitsOf(b.entry) - bitsOf(a.entry) || a.i - b.i)
    .map(({ entry }) => entry);
}

/**
 * Parses gai.conf text. `label`, `precedence` and `scopev4` lines replace
 * the built-in table of their kind (a catch-all entry is added when the
 * file gives none); malformed lines are skipped. `reload` has no effect:
 * the file is re-read whenever it changes.
 */
export function parseGaiConf(text: string): GaiPolicy {
  const labels: PrefixPolicy[] = [];
  const precedence: PrefixPolicy[] = [];
  const scopes: ScopePolicy[] = [];
  for (const rawLine of text.split("\n")) {
    const hash = rawLine.indexOf("#");
    const line = hash === -1 ? rawLine : rawLine.slice(0, hash);
    const [cmd = "", val1 = "", val2 = ""] = line.trim().split(/[ \t\n\v\f\r]+/);
    if (cmd === "label" || cmd === "precedence") {
      const entry = readPrefixLine(val1, val2);
      if (entry !== undefined) (cmd === "label" ? labels : precedence).push(entry);
    } else if (cmd === "scopev4") {
      const entry = readScopeLine(val1, val2);
      if (entry !== undefined) scopes.push(entry);
    }
  }
  const finishPrefixes = (list: PrefixPolicy[], fallback: readonly PrefixPolicy[], catchAll: number): readonly PrefixPolicy[] => {
    if (list.length === 0) return fallback;
    if (!list.some((e) => e.bits === 0)) list.push({ prefix: new Uint8Array(16), bits: 0, value: catchAll });
    return bySpecificity(list, (e) => e.bits);
  };
  let finalScopes: readonly ScopePolicy[] = DEFAULT_POLICY.scopes;
  if (scopes.length > 0) {
    if (!scopes.some((e) => e.netmask === 0)) scopes.push({ address: 0, netmask: 0, scope: 14 });
    finalScopes = bySpecificity(scopes, (e) => Math.clz32(~e.netmask));
  }
  return {
    labels: finishPrefixes(labels, DEFAULT_POLICY.labels, 1),
    precedence: finishPrefixes(precedence, DEFAULT_POLICY.precedence, 40),
    scopes: finalScopes,
  };
}

/**
 * The source address Linux would pick for a destination, worked out from
 * the routing tables (/proc/net/route, /proc/net/ipv6_route) and the
 * interface list instead of asked of the kernel with a UDP connect(): for
 * runtimes whose node:dgram connect sends nothing to the kernel and so
 * cannot fail (Deno's "succeeds" for any destination and leaves the socket
 * on `::`/`0.0.0.0`), where getaddrinfo's RFC 6724 sort would otherwise
 * trust a source that does not exist.
 *
 * It models net/ipv4/route.c and fib_semantics.c (a local destination is
 * its own source; else the longest matching route, the lowest metric; a
 * reject route or none is unreachable; the source is the outgoing
 * interface's address on the gateway's or destination's subnet, else its
 * first) and net/ipv6/addrconf.c's ipv6_dev_get_saddr (RFC 6724 §5 rules
 * 1, 2, 3, 5, 6 and 8 over every interface's usable addresses). Not
 * modelled: policy routing rules and tables other than main and local,
 * a route's `src` (prefsrc; /proc does not show it), temporary addresses.
 */
import { readFileSync } from "../builtins.js";
import { formatIPv4, formatIPv6, isV4Mapped, parseIPv4, parseIPv6 } from "../inet.js";
import type { Destination, InterfaceAddress } from "./environment.js";

/** One route of the main (or, for IPv6, local) table. */
export interface Route {
  /** Destination prefix bytes (4 or 16). */
  prefix: Uint8Array;
  prefixlen: number;
  /** Next hop, when the route has a gateway. */
  gateway?: Uint8Array;
  metric: number;
  /** The outgoing interface's name. */
  iface: string;
  /** RTF_REJECT: unreachable, prohibit and blackhole routes. */
  reject: boolean;
}

/** RTF_UP and RTF_REJECT of linux/route.h (and ipv6_route.h). */
const RTF_UP = 0x0001;
const RTF_REJECT = 0x0200;

/** Bytes of a hex field of /proc/net/route, which prints u32s in host (little-endian) order. */
function hexIPv4(hex: string): Uint8Array {
  const n = Number.parseInt(hex, 16);
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

function hexIPv6(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => Number.parseInt(b, 16)));
}

/** The number of leading one bits of a netmask. */
function maskLength(mask: Uint8Array): number {
  let n = 0;
  for (const byte of mask) for (let bit = 7; bit >= 0 && (byte >> bit) & 1; bit--) n++;
  return n;
}

/** The routes of /proc/net/route's text. */
export function parseRoutes4(text: string): Route[] {
  const out: Route[] = [];
  for (const line of text.split("\n").slice(1)) {
    const [iface, dest, gateway, flags, , , metric, mask] = line.trim().split(/\s+/);
    if (mask === undefined || !/^[0-9A-Fa-f]{8}$/.test(dest!)) continue;
    const f = Number.parseInt(flags!, 16);
    if ((f & (RTF_UP | RTF_REJECT)) === 0) continue;
    const gw = hexIPv4(gateway!);
    out.push({
      prefix: hexIPv4(dest!), prefixlen: maskLength(hexIPv4(mask)), metric: Number.parseInt(metric!, 10), iface: iface!,
      reject: (f & RTF_REJECT) !== 0, ...(gw.some((b) => b !== 0) ? { gateway: gw } : {}),
    });
  }
  return out;
}

/** The routes of /proc/net/ipv6_route's text. */
export function parseRoutes6(text: string): Route[] {
  const out: Route[] = [];
  for (const line of text.split("\n")) {
    const [dest, plen, , , gateway, metric, , , flags, iface] = line.trim().split(/\s+/);
    if (iface === undefined || !/^[0-9a-f]{32}$/i.test(dest!)) continue;
    const f = Number.parseInt(flags!, 16);
    // Reject routes (unreachable, prohibit, blackhole) are shown without RTF_UP.
    if ((f & (RTF_UP | RTF_REJECT)) === 0) continue;
    const gw = hexIPv6(gateway!);
    out.push({
      prefix: hexIPv6(dest!), prefixlen: Number.parseInt(plen!, 16), metric: Number.parseInt(metric!, 16), iface,
      reject: (f & RTF_REJECT) !== 0, ...(gw.some((b) => b !== 0) ? { gateway: gw } : {}),
    });
  }
  return out;
}

/** The number of leading bits `a` and `b` share. */
function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! ^ b[i]!;
    if (x === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(x) - 24;
  }
  return n;
}

/** The longest-prefix route to `address` (lowest metric among equals), if any. */
function bestRoute(routes: readonly Route[], address: Uint8Array): Route | undefined {
  let best: Route | undefined;
  for (const route of routes) {
    if (commonPrefix(route.prefix, address) < route.prefixlen) continue;
    if (best === undefined || route.prefixlen > best.prefixlen || (route.prefixlen === best.prefixlen && route.metric < best.metric)) best = route;
  }
  return best;
}

/** An interface address with its bytes. */
interface Candidate {
  iface: InterfaceAddress;
  bytes: Uint8Array;
}

function candidates(interfaces: readonly InterfaceAddress[], family: 4 | 6): Candidate[] {
  return interfaces.filter((i) => i.family === family).flatMap((iface) => {
    const bytes = family === 4 ? parseIPv4(iface.address) : parseIPv6(iface.address);
    return bytes === null ? [] : [{ iface, bytes }];
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** IPv4: a local address is its own source (any 127/8 one lo's); else the route's interface address on the next hop's subnet. */
function source4(dest: Uint8Array, routes: readonly Route[], interfaces: readonly InterfaceAddress[]): Uint8Array | null {
  const own = candidates(interfaces, 4);
  if (own.some((c) => sameBytes(c.bytes, dest))) return dest;
  // connect() to INADDR_ANY goes to the loopback address.
  if (dest.every((b) => b === 0)) dest = Uint8Array.of(127, 0, 0, 1);
  // The kernel's local route for a loopback address covers its whole prefix (127.0.0.0/8 on lo).
  const loopback = own.find((c) => c.bytes[0] === 127 && commonPrefix(c.bytes, dest) >= c.iface.prefixlen);
  if (loopback !== undefined) return loopback.bytes;
  const route = bestRoute(routes, dest);
  if (route === undefined || route.reject) return null;
  const onLink = own.filter((c) => c.iface.name === route.iface);
  const hop = route.gateway ?? dest;
  return (onLink.find((c) => commonPrefix(c.bytes, hop) >= c.iface.prefixlen) ?? onLink[0])?.bytes ?? null;
}

/** RFC 4291 scope of an address: 1 interface-local (loopback), 2 link-local, 5 site-local, 14 global. */
function scope6(address: Uint8Array): number {
  if (address[0] === 0xff) return address[1]! & 0x0f;
  if (address[0] === 0xfe && (address[1]! & 0xc0) === 0x80) return 2;
  if (address[0] === 0xfe && (address[1]! & 0xc0) === 0xc0) return 5;
  if (address.every((b, i) => b === (i === 15 ? 1 : 0))) return 1;
  return 14;
}

/** The kernel's default address labels (net/ipv6/addrlabel.c, RFC 6724 §2.1 with ORCHID and 6bone). */
const KERNEL_LABELS: ReadonlyArray<[prefix: string, length: number, label: number]> = [
  ["::1", 128, 0], ["::", 96, 3], ["::ffff:0:0", 96, 4], ["2001::", 32, 6], ["2001:10::", 28, 7],
  ["3ffe::", 16, 12], ["2002::", 16, 2], ["fec0::", 10, 11], ["fc00::", 7, 5], ["::", 0, 1],
];
const LABEL_TABLE = KERNEL_LABELS.map(([prefix, length, label]) => ({ bytes: parseIPv6(prefix)!, length, label }));

function label6(address: Uint8Array): number {
  let best = { length: -1, label: 1 };
  for (const entry of LABEL_TABLE) {
    if (entry.length > best.length && commonPrefix(entry.bytes, address) >= entry.length) best = entry;
  }
  return best.label;
}

/**
 * A candidate source's score for `dest`, compared element by element
 * (greater wins): RFC 6724 §5 rules 2 (scope), 3 (not deprecated), 5
 * (outgoing interface), 6 (label) and 8 (common prefix, at most the
 * source's prefix length), in ipv6_get_saddr_eval's order.
 */
function sourceScore(c: Candidate, dest: Uint8Array, destScope: number, outgoing: string): number[] {
  const scope = scope6(c.bytes);
  return [
    scope >= destScope ? -scope : scope - 100,
    c.iface.deprecated ? 0 : 1,
    c.iface.name === outgoing ? 1 : 0,
    label6(c.bytes) === label6(dest) ? 1 : 0,
    Math.min(commonPrefix(c.bytes, dest), c.iface.prefixlen),
  ];
}

function greater(a: readonly number[], b: readonly number[]): boolean {
  const i = a.findIndex((v, k) => v !== b[k]);
  return i !== -1 && a[i]! > b[i]!;
}

/** IPv6: ipv6_dev_get_saddr's choice among the interfaces' addresses, for the route's (or the scope's) outgoing interface. */
function source6(dest: Uint8Array, scopeId: number, routes: readonly Route[], interfaces: readonly InterfaceAddress[]): Uint8Array | null {
  const own = candidates(interfaces, 6);
  // connect() to :: goes to ::1.
  if (dest.every((b) => b === 0)) dest = parseIPv6("::1")!;
  if (own.some((c) => sameBytes(c.bytes, dest))) return dest;
  const destScope = scope6(dest);
  // ip6_datagram_connect: a link-scoped destination without a scope ID is EINVAL.
  if (destScope <= 2 && destScope !== 1 && scopeId === 0) return null;
  let outgoing: string | undefined;
  if (scopeId !== 0) {
    outgoing = interfaces.find((i) => i.index === scopeId)?.name;
  } else {
    const route = bestRoute(routes, dest);
    outgoing = route === undefined || route.reject ? undefined : route.iface;
  }
  if (outgoing === undefined) return null;
  // A link-scoped destination may only use the outgoing interface's addresses.
  const usable = own.filter((c) => destScope > 2 || c.iface.name === outgoing);
  let best: { c: Candidate; score: number[] } | undefined;
  for (const c of usable) {
    const score = sourceScore(c, dest, destScope, outgoing);
    if (best === undefined || greater(score, best.score)) best = { c, score };
  }
  return best?.c.bytes ?? null;
}

/** The routing tables as /proc shows them; empty where /proc cannot be read. */
export interface RouteTables {
  v4: Route[];
  v6: Route[];
}

/**
 * Reads /proc/net/route and /proc/net/ipv6_route. A table that does not
 * exist (no IPv6, no /proc) has no routes, so its family is unreachable;
 * any other failure to read one (Deno's permission error) is thrown, as
 * the sort cannot be right without it.
 */
export function readRouteTables(read: (path: string) => string = (path) => readFileSync(path, "latin1")): RouteTables {
  const table = <T>(path: string, parse: (text: string) => T[]): T[] => {
    try {
      return parse(read(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
  };
  return { v4: table("/proc/net/route", parseRoutes4), v6: table("/proc/net/ipv6_route", parseRoutes6) };
}

/**
 * The source address Linux picks for `destination` (text, IPv6 text for an
 * IPv6 destination, IPv4-mapped for a mapped one), or null when no route
 * reaches it.
 */
export function routedSource(destination: Destination, tables: RouteTables, interfaces: readonly InterfaceAddress[]): string | null {
  if (destination.family === 4) {
    const dest = parseIPv4(destination.address);
    const source = dest === null ? null : source4(dest, tables.v4, interfaces);
    return source === null ? null : formatIPv4(source);
  }
  const dest = parseIPv6(destination.address);
  if (dest === null) return null;
  if (isV4Mapped(dest)) {
    const source = source4(dest.slice(12), tables.v4, interfaces);
    return source === null ? null : `::ffff:${formatIPv4(source)}`;
  }
  const source = source6(dest, destination.scopeId, tables.v6, interfaces);
  return source === null ? null : formatIPv6(source);
}

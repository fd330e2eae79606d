/**
 * What the function commands print: Python-shaped results as text lines,
 * and the JSON form of errors. Pure functions.
 */
import * as constants from "../constants.js";
import { SocketError } from "../errors.js";
import { pyList, pyTuple } from "./pyrepr.js";

/** A getaddrinfo tuple, as the library returns it. */
export type AddrInfoTuple = [family: number, type: number, proto: number, canonname: string, sockaddr: (string | number)[]];

/** The tables {@link constantNames} made, by prefix: made when a command first prints a name, not when the CLI starts. */
const NAMES = new Map<string, ReadonlyMap<number, string>>();

/**
 * Constant names by value for a prefix (`AF_`, `SOCK_`, `IPPROTO_`). As in
 * the seed's `get_constants` over Python's sorted `dir(socket)`, the name
 * sorting last wins a shared value (IPPROTO_IP over IPPROTO_HOPOPTS).
 */
export function constantNames(prefix: string): ReadonlyMap<number, string> {
  let names = NAMES.get(prefix);
  if (names === undefined) {
    const made = new Map<number, string>();
    for (const [name, value] of Object.entries(constants).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (name.startsWith(prefix) && typeof value === "number") made.set(value, name);
    }
    NAMES.set(prefix, (names = made));
  }
  return names;
}

/**
 * One line per tuple, columns aligned: family, socket type, protocol,
 * socket address as Python prints it, and the canonical name when set.
 */
export function addrinfoLines(tuples: readonly AddrInfoTuple[]): string[] {
  const rows = tuples.map(([family, type, proto, canonname, sockaddr]) => [
    constantNames("AF_").get(family) ?? String(family),
    constantNames("SOCK_").get(type) ?? String(type),
    constantNames("IPPROTO_").get(proto) ?? String(proto),
    pyTuple(sockaddr),
    canonname,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join("  ").trimEnd());
}

/** The `Hostname :` / `Aliases  :` / `Addresses:` block of the seed's gethostbyaddr example. */
export function hostBlock([hostname, aliases, addresses]: [string, string[], string[]]): string[] {
  return [`Hostname : ${hostname}`, `Aliases  : ${pyList(aliases)}`, `Addresses: ${pyList(addresses)}`];
}

/** An error as JSON: Python's exception type name, errno, code and message. */
export interface JsonError {
  type: string;
  errno?: number;
  code?: string;
  message: string;
}

/** The Python exception name for an error the library raised. */
export function jsonError(err: unknown): JsonError {
  if (err instanceof SocketError) {
    const type = err.name === "GaiError" ? "gaierror" : err.name === "HError" ? "herror" : "OSError";
    return { type, ...(err.errno === undefined ? {} : { errno: err.errno }), ...(err.code === undefined ? {} : { code: err.code }), message: err.message };
  }
  const type = err instanceof RangeError ? "ValueError" : err instanceof TypeError ? "TypeError" : err instanceof Error ? err.name : "Error";
  return { type, message: err instanceof Error ? err.message : String(err) };
}

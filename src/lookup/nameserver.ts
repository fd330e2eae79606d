/**
 * Name servers given in code: `"127.0.0.1"`, `"127.0.0.1:5353"`, `"::1"`,
 * `"[::1]:53"`, `"[fe80::1%eth0]:53"`, and encrypted ones as URIs
 * (`"tls://192.0.2.1?name=dns.example"`, `"https://dns.example/dns-query"`,
 * server-uri.ts).
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6, splitScope } from "../inet.js";
import { isServerUri, parseServerUri } from "../server-uri.js";
import type { NameServer } from "../dns/server.js";

/** Parses one server; throws a TypeError naming the text it cannot read. */
export function parseNameServer(text: string): NameServer {
  if (isServerUri(text)) return parseServerUri(text);
  const fail = (): never => {
    throw new TypeError(`nameserver ${JSON.stringify(text)} is not an address, address:port or [address]:port`);
  };
  let host = text;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  if (bracketed !== null) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (hostPort !== null) {
    host = hostPort[1]!;
    port = Number(hostPort[2]);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail();
  const v4 = parseIPv4(host);
  if (v4 !== null) return { address: formatIPv4(v4), port, family: 4 };
  const { address, scope } = splitScope(host);
  const v6 = parseIPv6(address);
  if (v6 === null || scope === "") fail();
  return { address: formatIPv6(v6!), port, family: 6, ...(scope === undefined ? {} : { scope }) };
}

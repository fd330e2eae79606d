/**
 * Shared pieces of the socket-level DNS tests: the zones they serve
 * (fixtures/dns/zones), a resolver configuration with small timeouts, and
 * the time bound a lookup must respect.
 */
import dgram from "node:dgram";
import { fileURLToPath } from "node:url";
import { tryTimeout } from "../../src/dns/send.js";
import { defaultResolvConf } from "../../src/files/resolvconf.js";
import type { NameServer } from "../../src/dns/server.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import type { ZoneSource } from "../support/dnsserver.js";

const zonesDir = fileURLToPath(new URL("../../fixtures/dns/zones/", import.meta.url));

/** The client tests' zones: netdb.test and 113.0.203.in-addr.arpa. */
export const ZONES: ZoneSource[] = [
  { origin: "netdb.test.", file: `${zonesDir}netdb.test.zone` },
  { origin: "113.0.203.in-addr.arpa.", file: `${zonesDir}113.0.203.in-addr.arpa.zone` },
];

/** A configuration for `servers`, 200 ms per try, 2 attempts, search netdb.test. */
export function testConf(servers: NameServer[], overrides: Partial<ResolvConf> = {}): ResolvConf {
  return {
    ...defaultResolvConf(),
    nameservers: servers,
    search: ["netdb.test"],
    timeout: 200,
    ...overrides,
  };
}

/**
 * The documented bound of one lookup (see DnsClient): per name tried,
 * `(attempts + 1) × T` with `T` the sum of the servers' try times, plus
 * `slack` milliseconds for the machine (generous: a busy 2-core CI machine
 * must not turn a bounded lookup into a failure; a hang still fails).
 */
export function timeBound(conf: ResolvConf, names = 1, slack = 400): number {
  const n = Math.max(1, Math.min(3, conf.nameservers.length));
  let t = 0;
  for (let ns = 0; ns < n; ns++) t += tryTimeout(conf.timeout, ns, n);
  return names * (conf.attempts + 1) * t + slack;
}

/** A UDP port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function closedPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * The dns.lookup calls whose answers node:dns (glibc) and netdb must agree
 * on, in a test world (fixtures/worlds/README.md): names from the world's
 * hosts file and zones, each with every option that changes the answer.
 * Shared by the golden script (node-lookup-golden.ts, run inside the
 * world's namespace) and test/node/lookup-golden.test.ts.
 */
import type { LookupOptions } from "node:dns";

/** The worlds with a golden file test/node/fixtures/node-lookup-<world>.json. */
export const WORLDS = ["seed", "dualstack"];

const NAMES = [
  "localhost",
  "farnsworth",
  "farnsworth6",
  "zoidberg",
  "leela",
  "mapped",
  "v4only.edge.test",
  "dual.edge.test",
  "only-aaaa.edge.test",
  "chain5.edge.test",
  "www",
  "nosuchname.edge.test",
  "edge.test",
  "cname-dangling.edge.test",
  "anything.broken.test",
  // A trailing dot keeps the search list (and hellfly.net's wildcard) out.
  "nosuchname.edge.test.",
  "edge.test.",
  "only-aaaa.edge.test.",
  "anything.broken.test.",
];

const V4MAPPED = 8;
const ALL = 16;
const ADDRCONFIG = 32;

const OPTIONS: LookupOptions[] = [
  {},
  { family: 4 },
  { family: 6 },
  { all: true },
  { all: true, order: "ipv4first" },
  { all: true, order: "ipv6first" },
  { all: true, verbatim: false },
  { all: true, hints: ADDRCONFIG },
  { all: true, family: 6, hints: V4MAPPED },
  { all: true, family: 6, hints: V4MAPPED | ALL },
  { family: "IPv6", hints: ADDRCONFIG },
];

/** One call: a name and the options object. */
export interface LookupCase {
  name: string;
  options: LookupOptions;
}

export const CASES: LookupCase[] = NAMES.flatMap((name) => OPTIONS.map((options) => ({ name, options })));

/** How one call settled, as plain data. */
export type LookupOutcome =
  | { ok: unknown }
  | { error: { message: string; code: unknown; errno: unknown; syscall: unknown; hostname: unknown; keys: string[] } };

/** Runs `lookup(name, options, callback)` and reports how it settled. */
export function outcome(lookup: (name: string, options: LookupOptions, cb: (...args: unknown[]) => void) => unknown, c: LookupCase): Promise<LookupOutcome> {
  return new Promise((resolve) => {
    lookup(c.name, c.options, (err: unknown, address: unknown, family: unknown) => {
      if (err) {
        const e = err as Error & Record<string, unknown>;
        resolve({ error: { message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, hostname: e.hostname, keys: Object.keys(e) } });
      } else {
        resolve({ ok: c.options.all === true ? address : { address, family } });
      }
    });
  });
}

/** dns.promises.Resolver calls on the system's configuration of the world: reverse() reads the hosts file first. */
export const RESOLVER_CASES: Array<{ method: string; args: string[] }> = [
  ...["127.0.0.1", "::1", "192.168.1.17", "192.168.1.20", "192.168.1.21", "192.168.1.22", "192.168.1.23", "2001:db8:1::23",
    "192.168.1.24", "::ffff:192.168.1.24", "192.168.1.25", "192.168.1.8", "192.168.1.16", "50.56.79.68", "192.168.1.99"]
    .map((ip) => ({ method: "reverse", args: [ip] })),
  ...["farnsworth.hellfly.net", "zoidberg.hellfly.net", "dual.edge.test", "www", "www.hellfly.net", "only-aaaa.edge.test"]
    .flatMap((name) => [{ method: "resolve4", args: [name] }, { method: "resolve6", args: [name] }]),
];

/** How a promise settled, as plain data. */
export async function settled(promise: Promise<unknown>): Promise<LookupOutcome> {
  try {
    return { ok: await promise };
  } catch (err) {
    const e = err as Error & Record<string, unknown>;
    return { error: { message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, hostname: e.hostname, keys: Object.keys(e) } };
  }
}

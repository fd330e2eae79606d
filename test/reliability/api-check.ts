/**
 * The public functions with hostile arguments: wrong types, huge strings,
 * NULs, out-of-range ports, families, flags and sockaddrs. Every call must
 * return (or resolve) a well-shaped value or fail with a documented error —
 * SocketError (GaiError, HError), TypeError or RangeError, as API.md says —
 * and settle promptly. DNS goes to a replay transport that answers
 * NXDOMAIN at once, so nothing leaves the process.
 */
import { ReplayTransport, Resolver, SocketError } from "../../src/index.js";
import { Random } from "./random.js";

/** Arguments that have broken argument handling somewhere, sometime. */
const VALUES: readonly unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 2, 3, 6, 10, 17, 80, 255, 1024, 65535, 65536, -65536,
  2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, Number.MAX_VALUE, NaN, Infinity, -Infinity, 1.5, 10n, -1n,
  "", " ", "a", "localhost", "LOCALHOST.", "127.0.0.1", "127.1", "0x7f.1", "::1", "::ffff:127.0.0.1", "fe80::1%lo", "fe80::1%999",
  "1.2.3.4 junk", "1.2.3.4\n", "256.256.256.256", "http", "HTTP", "tcp", "udp", "80", "-1", "99999", "0x50", "domain",
  "a\0b", "\0", "localhost\0evil", "é", "bücher.example", "xn--bcher-kva.example", "😀", "a..b", ".", "..", "-a-.test",
  "x".repeat(64) + ".test", "a.".repeat(130), "x".repeat(100_000), "1.".repeat(50_000),
  Buffer.alloc(0), Buffer.from([127, 0, 0, 1]), Buffer.alloc(16), Buffer.alloc(5), new Uint8Array([192, 0, 2, 1]), new ArrayBuffer(4),
  [], ["127.0.0.1"], ["127.0.0.1", 80], ["127.0.0.1", "80"], ["127.0.0.1", 70000], ["127.0.0.1", -1], ["::1", 80, 0, 0], ["::1", 80, 0, 2 ** 32],
  ["fe80::1%lo", 80, 0, 0], ["::1", 80, -1, 0], ["x".repeat(100_000), 1], [null, 80], ["127.0.0.1", 80, 0, 0, 0], ["1.2.3.4", 80, 0],
  {}, { signal: undefined }, Symbol("s"), () => "localhost", new Date(0), Object.create(null),
];

const FUNCTIONS: Record<string, { arity: number; call: (r: Resolver, args: unknown[]) => unknown }> = {
  gethostname: { arity: 0, call: (r) => r.gethostname() },
  gethostbyname: { arity: 1, call: (r, a) => (r.gethostbyname as (...x: unknown[]) => unknown)(...a) },
  gethostbyname_ex: { arity: 1, call: (r, a) => (r.gethostbyname_ex as (...x: unknown[]) => unknown)(...a) },
  gethostbyaddr: { arity: 1, call: (r, a) => (r.gethostbyaddr as (...x: unknown[]) => unknown)(...a) },
  getfqdn: { arity: 1, call: (r, a) => (r.getfqdn as (...x: unknown[]) => unknown)(...a) },
  getaddrinfo: { arity: 6, call: (r, a) => (r.getaddrinfo as (...x: unknown[]) => unknown)(...a) },
  getnameinfo: { arity: 2, call: (r, a) => (r.getnameinfo as (...x: unknown[]) => unknown)(...a) },
  getservbyname: { arity: 2, call: (r, a) => (r.getservbyname as (...x: unknown[]) => unknown)(...a) },
  getservbyport: { arity: 2, call: (r, a) => (r.getservbyport as (...x: unknown[]) => unknown)(...a) },
  getprotobyname: { arity: 1, call: (r, a) => (r.getprotobyname as (...x: unknown[]) => unknown)(...a) },
  inet_aton: { arity: 1, call: (r, a) => (r.inet_aton as (...x: unknown[]) => unknown)(...a) },
  inet_ntoa: { arity: 1, call: (r, a) => (r.inet_ntoa as (...x: unknown[]) => unknown)(...a) },
  inet_pton: { arity: 2, call: (r, a) => (r.inet_pton as (...x: unknown[]) => unknown)(...a) },
  inet_ntop: { arity: 2, call: (r, a) => (r.inet_ntop as (...x: unknown[]) => unknown)(...a) },
};
const NAMES = Object.keys(FUNCTIONS);

/** Plausible values for each position, mixed with the hostile ones. */
const GOOD: Record<string, readonly unknown[][]> = {
  getaddrinfo: [["localhost", "127.0.0.1", "::1", null, "host.example"], [80, "http", null, "0", 0], [0, 2, 10], [0, 1, 2, 3], [0, 6, 17], [0, 1, 2, 4, 8, 16, 32, 1024]],
  getnameinfo: [[["127.0.0.1", 80], ["::1", 53, 0, 0]], [0, 1, 2, 4, 8, 16]],
  inet_pton: [[2, 10], ["127.0.0.1", "::1"]],
  inet_ntop: [[2, 10], [Buffer.from([127, 0, 0, 1]), Buffer.alloc(16)]],
};

let resolver: Resolver | undefined;

function theResolver(): Resolver {
  resolver ??= new Resolver({
    files: { hosts: "127.0.0.1 localhost\n::1 localhost ip6-localhost\n192.0.2.1 host.example alias\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "search example.test\n" },
    hostname: "fuzz.example.test",
    nameservers: ["127.0.0.1:53"],
    transport: new ReplayTransport([], { nxdomainOnMiss: true }),
    // A fixed network: no interface reads, and no UDP connect() to learn
    // source addresses (it sends nothing, but the network guard refuses it).
    network: { addresses: () => [], indexOf: (n) => (n === "lo" ? 1 : 0), nameOf: (i) => (i === 1 ? "lo" : undefined), sourceFor: async () => null },
  });
  return resolver;
}

function describeValue(v: unknown): string {
  if (typeof v === "string") return v.length > 40 ? `"${v.slice(0, 20)}…"(${v.length})` : JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "symbol" || typeof v === "function") return String(v);
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return `${v.constructor.name}(${v.byteLength})`;
  try {
    const text = JSON.stringify(v);
    return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 40)}…` : text;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The documented ways to fail; anything else is a bug. */
function documented(err: unknown): string | undefined {
  if (err instanceof SocketError) return err.constructor.name;
  if (err instanceof TypeError || err instanceof RangeError) return err.message === "" ? undefined : err.constructor.name;
  return undefined;
}

/** Case `index`: one call of one public function with random arguments; says how it ended and how many arguments came from the hostile pool. */
export async function exerciseApi(seed: number, index: number): Promise<{ outcome: string; faults: number }> {
  const r = Random.forCase(seed, index);
  const name = NAMES[index % NAMES.length]!;
  const { arity, call } = FUNCTIONS[name]!;
  const count = r.chance(0.8) ? arity : r.int(arity + 2);
  const good = GOOD[name];
  let faults = 0;
  const args = Array.from({ length: count }, (_, i) => {
    if (good?.[i] !== undefined && r.chance(0.5)) return r.pick(good[i]!);
    faults++;
    return r.pick(VALUES);
  });
  const what = `${name}(${args.map(describeValue).join(", ")})`;
  let result: unknown;
  try {
    result = call(theResolver(), args);
    if (result instanceof Promise) result = await result;
  } catch (err) {
    const kind = documented(err);
    if (kind === undefined) throw new Error(`${what} failed with an undocumented ${(err as Error)?.stack ?? String(err)}`, { cause: err });
    return { outcome: `${name}:${kind}`, faults };
  }
  if (result === undefined || result === null) throw new Error(`${what} returned ${String(result)}`);
  return { outcome: `${name}:ok`, faults };
}

/**
 * Cold start: a fresh `node` that imports a client and completes its first
 * lookup against the bench's Knot. netdb is measured from its published
 * bundle (bench/build.ts), without a TypeScript loader.
 */
import { NETDB_BUNDLE } from "./build.js";
import { runJson } from "./spawn.js";
import { BENCH_NAMES } from "./zone.js";

/** Median figures of a few fresh processes, in milliseconds. */
export interface ColdStartResult {
  client: string;
  /** From process start to the end of the import. */
  importMs: number;
  /** From process start to the first answer. */
  firstLookupMs: number;
  /** Fresh processes measured (the figures are their medians). */
  runs: number;
}

const RUNS = 5;

// Each program prints {importMs, firstLookupMs}, both since process start;
// "node" is an empty program, what node itself costs. SERVER, PORT, DOH and
// NAME are replaced before running.
const PROGRAMS: Record<string, string> = {
  node: `process.stdout.write(JSON.stringify({ importMs: performance.now(), firstLookupMs: performance.now() }));`,
  netdb: `const { Resolver } = await import("${NETDB_BUNDLE}/index.js");
const importMs = performance.now();
const r = new Resolver({ files: { hosts: "127.0.0.1 localhost\\n", "nsswitch.conf": "hosts: files dns\\n", "resolv.conf": "" }, hostname: "bench", nameservers: ["SERVER:PORT"] });
await r.gethostbyname("NAME");
process.stdout.write(JSON.stringify({ importMs, firstLookupMs: performance.now() }));
await r.close();`,
  cares: `const dns = await import("node:dns");
const importMs = performance.now();
const r = new dns.promises.Resolver();
r.setServers(["SERVER:PORT"]);
await r.resolve4("NAME");
process.stdout.write(JSON.stringify({ importMs, firstLookupMs: performance.now() }));`,
  dns2: `const { default: DNS } = await import("dns2");
const importMs = performance.now();
await new DNS({ nameServers: ["SERVER"], port: PORT }).resolveA("NAME");
process.stdout.write(JSON.stringify({ importMs, firstLookupMs: performance.now() }));`,
  "dns-socket": `const { default: dnsSocket } = await import("dns-socket");
const importMs = performance.now();
const socket = dnsSocket();
await new Promise((resolve, reject) => socket.query({ questions: [{ type: "A", name: "NAME" }] }, PORT, "SERVER", (e, r) => (e ? reject(e) : resolve(r))));
process.stdout.write(JSON.stringify({ importMs, firstLookupMs: performance.now() }));
socket.destroy();`,
  tangerine: `const { default: Tangerine } = await import("tangerine");
const importMs = performance.now();
const t = new Tangerine({ servers: ["SERVER:DOH"], protocol: "http", cache: false });
await t.resolve4("NAME");
process.stdout.write(JSON.stringify({ importMs, firstLookupMs: performance.now() }));
process.exit(0);`,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Measures every client's cold start against `server:port` (`dohPort` for tangerine). */
export async function runColdStarts(server: string, port: number, dohPort: number, quick: boolean): Promise<ColdStartResult[]> {
  const runs = quick ? 1 : RUNS;
  const results: ColdStartResult[] = [];
  for (const [client, template] of Object.entries(PROGRAMS)) {
    const code = template.replaceAll("SERVER", server).replaceAll("PORT", String(port)).replaceAll("DOH", String(dohPort)).replaceAll("NAME", BENCH_NAMES[1]!);
    const samples: { importMs: number; firstLookupMs: number }[] = [];
    for (let i = 0; i < runs; i++) samples.push(await runJson([process.execPath, "--input-type=module", "-e", code], 30_000));
    results.push({
      client,
      importMs: median(samples.map((s) => s.importMs)),
      firstLookupMs: median(samples.map((s) => s.firstLookupMs)),
      runs,
    });
  }
  return results;
}

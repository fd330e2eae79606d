/**
 * Cold start: a fresh `node` that imports a client and completes its first
 * lookup against the bench's Knot. netdb is measured from its published
 * bundle (bench/build.ts), without a TypeScript loader. Also one call of
 * the published CLI against `node -e 0`, each a whole process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NETDB_BUNDLE } from "./build.js";
import { ROOT, runChild, runJson } from "./spawn.js";
import { BENCH_NAMES } from "./zone.js";

/** Median figures of a few fresh processes, in milliseconds. */
export interface ColdStartResult {
  client: string;
  /** From process start to the end of the import. */
  importMs: number;
  /** The `await import(...)` alone (what a program that imports the client waits for). */
  awaitImportMs: number;
  /** From process start to the first answer. */
  firstLookupMs: number;
  /** Fresh processes measured (the figures are their medians). */
  runs: number;
}

/**
 * The environment of every child here, without NODE_EXTRA_CA_CERTS: Node
 * 20 reads that file at each start (about 55 ms with Debian's whole bundle,
 * which this machine's environment names), the same constant for every
 * program, which would hide what the clients themselves cost; none of
 * them uses TLS.
 */
const CHILD_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "NODE_EXTRA_CA_CERTS"));

/** Fresh processes per client; the clients take turns, one process each a round, so a change of load falls on all of them. */
const RUNS = 11;

/**
 * NETDB_COLD_BASELINE=DIR adds the client `netdb-baseline`: netdb's program
 * on another build's bundle (an index.js in DIR), measured in the same
 * rounds as `netdb`, for a before and after of one change.
 */
const BASELINE = process.env.NETDB_COLD_BASELINE;

// Each program runs after PRELUDE and ends with `report(importMs)`, the
// time its import was done (the first answer is the time of the call);
// "node" imports an empty module, what node itself and its
// loader cost. SERVER, PORT, DOH and NAME are replaced before running.
const PRELUDE = `const started = performance.now();
const report = (importMs, firstLookupMs = performance.now()) => process.stdout.write(JSON.stringify({ importMs, awaitImportMs: importMs - started, firstLookupMs }));
`;
const PROGRAMS: Record<string, string> = {
  node: `await import("${ROOT}bench/empty-module.mjs");
const importMs = performance.now();
report(importMs, importMs);`,
  netdb: `const { Resolver } = await import("${NETDB_BUNDLE}/index.js");
const importMs = performance.now();
const r = new Resolver({ files: { hosts: "127.0.0.1 localhost\\n", "nsswitch.conf": "hosts: files dns\\n", "resolv.conf": "" }, hostname: "bench", nameservers: ["SERVER:PORT"] });
await r.gethostbyname("NAME");
report(importMs);
await r.close();`,
  cares: `const dns = await import("node:dns");
const importMs = performance.now();
const r = new dns.promises.Resolver();
r.setServers(["SERVER:PORT"]);
await r.resolve4("NAME");
report(importMs);`,
  dns2: `const { default: DNS } = await import("dns2");
const importMs = performance.now();
await new DNS({ nameServers: ["SERVER"], port: PORT }).resolveA("NAME");
report(importMs);`,
  "dns-socket": `const { default: dnsSocket } = await import("dns-socket");
const importMs = performance.now();
const socket = dnsSocket();
await new Promise((resolve, reject) => socket.query({ questions: [{ type: "A", name: "NAME" }] }, PORT, "SERVER", (e, r) => (e ? reject(e) : resolve(r))));
report(importMs);
socket.destroy();`,
  tangerine: `const { default: Tangerine } = await import("tangerine");
const importMs = performance.now();
const t = new Tangerine({ servers: ["SERVER:DOH"], protocol: "http", cache: false });
await t.resolve4("NAME");
report(importMs);
process.exit(0);`,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The programs to run: `clients` (all when undefined) with the empty `node` first, and the baseline beside netdb's. */
function programs(clients: readonly string[] | undefined): Array<[string, string]> {
  const chosen = Object.entries(PROGRAMS).filter(([client]) => client === "node" || clients === undefined || clients.includes(client));
  if (BASELINE === undefined || !chosen.some(([client]) => client === "netdb")) return chosen;
  return chosen.flatMap(([client, code]) => (client === "netdb" ? [[client, code], ["netdb-baseline", code.replace(`${NETDB_BUNDLE}/index.js`, `${BASELINE}/index.js`)]] : [[client, code]]));
}

/** Measures the cold start of `clients` (every one when undefined) against `server:port` (`dohPort` for tangerine). */
export async function runColdStarts(server: string, port: number, dohPort: number, quick: boolean, clients?: readonly string[]): Promise<ColdStartResult[]> {
  const runs = quick ? 1 : RUNS;
  const chosen = programs(clients).map(([client, template]) => ({
    client,
    code: (PRELUDE + template).replaceAll("SERVER", server).replaceAll("PORT", String(port)).replaceAll("DOH", String(dohPort)).replaceAll("NAME", BENCH_NAMES[1]!),
    samples: [] as { importMs: number; awaitImportMs: number; firstLookupMs: number }[],
  }));
  for (let i = 0; i < runs; i++) {
    for (const c of chosen) c.samples.push(await runJson([process.execPath, "--input-type=module", "-e", c.code], 30_000, CHILD_ENV));
  }
  return chosen.map(({ client, samples }) => ({
    client,
    importMs: median(samples.map((s) => s.importMs)),
    awaitImportMs: median(samples.map((s) => s.awaitImportMs)),
    firstLookupMs: median(samples.map((s) => s.firstLookupMs)),
    runs,
  }));
}

/** One CLI call against Node's own start, whole processes timed from spawn to exit. */
export interface CliStartResult {
  command: string;
  /** Median wall time of the CLI call. */
  cliMs: number;
  /** Median wall time of `node -e 0` in the same rounds. */
  nodeMs: number;
  runs: number;
}

/** The answer the CLI must print for the measured call. */
const CLI_ANSWER = "::1             localhost\n";

/**
 * Times `netdb hosts localhost` (the published bin, a root whose hosts
 * lookups the files answer, so that nothing is sent) against `node -e 0`,
 * the two taking turns; each call's output is checked.
 */
export async function runCliStart(quick: boolean): Promise<CliStartResult> {
  const root = mkdtempSync(join(tmpdir(), "netdb-bench-cli-"));
  try {
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n");
    writeFileSync(join(root, "etc/nsswitch.conf"), "hosts: files\n");
    writeFileSync(join(root, "etc/resolv.conf"), "nameserver 127.0.0.1\n");
    const args = ["hosts", "localhost", "--root", root];
    const cli = [process.execPath, `${NETDB_BUNDLE}/cli.cjs`, ...args];
    // A first call writes Node's compile cache (Node 22.8+), as any user's first call does.
    if ((await runChild(cli, 30_000, CHILD_ENV)) !== CLI_ANSWER) throw new Error("netdb hosts localhost: wrong answer");
    const runs = quick ? 1 : 2 * RUNS;
    const nodeMs: number[] = [];
    const cliMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      await runChild([process.execPath, "-e", "0"], 30_000, CHILD_ENV);
      nodeMs.push(performance.now() - started);
      started = performance.now();
      const out = await runChild(cli, 30_000, CHILD_ENV);
      cliMs.push(performance.now() - started);
      if (out !== CLI_ANSWER) throw new Error(`netdb hosts localhost: ${JSON.stringify(out)}`);
    }
    return { command: `netdb ${args.slice(0, 2).join(" ")}`, cliMs: median(cliMs), nodeMs: median(nodeMs), runs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

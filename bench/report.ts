/**
 * The bench's results as data (written to bench/results/latest.json) and
 * as text tables, with the targets of issues 8 and 12 checked against them.
 */
import { burstTargets, renderBurst, renderSpoof, type BurstResults, type SpoofResults } from "./burst.js";
import type { CliStartResult, ColdStartResult } from "./coldstart.js";
import type { HostsResult } from "./hosts.js";
import { BASELINE, type InterleavedResults } from "./interleaved.js";
import type { RunLimits, RunResult } from "./measure.js";
import type { MemoryResult, WorkerOutput } from "./worker.js";

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  date: string;
  /** Node version, CPUs, and the 1-minute load average before and after: other work on the machine skews every figure. */
  machine: { node: string; cpus: number; loadBefore: number; loadAfter?: number };
  limits: RunLimits;
  /** Throughput per client against the bench's Knot, in the host namespace. */
  dns?: WorkerOutput[];
  /** dns.lookup and the floor, inside a private namespace with Knot on 127.0.0.1:53. */
  glibc?: WorkerOutput[];
  /** Every client in one process, in alternating slices, each figure also as a ratio against c-ares' slices (issue 14). */
  interleaved?: InterleavedResults;
  memory?: WorkerOutput[];
  hosts?: HostsResult[];
  cold?: ColdStartResult[];
  cli?: CliStartResult;
  /** Bursts of 10,000 lookups with and without loss, and Knot with one UDP worker (issue 12). */
  burst?: BurstResults;
  /** Source ports, a forged-answer flood and a right-ID forgery, with glibc, in a private namespace (issue 12). */
  spoof?: SpoofResults;
  /** netdb over DNS over TLS beside netdb over UDP (issue 18). */
  dot?: WorkerOutput[];
  /** netdb over DNS over HTTPS (HTTP/2) beside netdb over UDP and tangerine over HTTPS and HTTP (issue 18). */
  doh?: WorkerOutput[];
  targets?: TargetCheck[];
  totalSeconds?: number;
}

/** One target of the issue and whether this run met it. */
export interface TargetCheck {
  target: string;
  met: boolean;
  detail: string;
}

const runsOf = (outputs: WorkerOutput[] | undefined, client: string): RunResult[] | undefined => {
  const found = outputs?.find((o) => o.client === client);
  return found !== undefined && "runs" in found ? found.runs : undefined;
};

const memoryOf = (outputs: WorkerOutput[] | undefined): { client: string; memory: MemoryResult }[] =>
  (outputs ?? []).flatMap((o) => ("memory" in o ? [o] : []));

const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : "-");

/** Left-aligns the first column and right-aligns the rest. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

/** Checks the targets against `results` (only those it has figures for). */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const netdb = runsOf(results.dns, "netdb");
  const qpsAt = (runs: RunResult[] | undefined, c: number): number => runs?.find((r) => r.concurrency === c)?.qps ?? NaN;
  if (netdb !== undefined) {
    const cares = runsOf(results.dns, "cares");
    if (cares !== undefined) {
      const ratios = netdb.map((r) => `c=${r.concurrency}: ${fixed(r.qps / qpsAt(cares, r.concurrency), 2)}×`);
      checks.push({
        target: "at least as fast as c-ares at every concurrency",
        met: netdb.every((r) => r.qps >= qpsAt(cares, r.concurrency)),
        detail: ratios.join(", "),
      });
    }
    for (const peer of ["dns2", "dns-socket", "tangerine"]) {
      const runs = runsOf(results.dns, peer);
      if (runs === undefined) continue;
      checks.push({
        target: `at least 2× faster than ${peer}`,
        met: netdb.every((r) => r.qps >= 2 * qpsAt(runs, r.concurrency)),
        detail: netdb.map((r) => `c=${r.concurrency}: ${fixed(r.qps / qpsAt(runs, r.concurrency), 2)}×`).join(", "),
      });
    }
    const floor = qpsAt(runsOf(results.dns, "floor"), 64);
    if (Number.isFinite(floor)) {
      const slowdown = floor / qpsAt(netdb, 64);
      checks.push({ target: "within 1.5× of the dgram floor at concurrency 64", met: slowdown <= 1.5, detail: `floor/netdb = ${fixed(slowdown, 2)}` });
    }
  }
  checks.push(...interleavedTargets(results.interleaved));
  const speedup = hostsSpeedup(results);
  if (speedup !== undefined) checks.push({ target: "hosts lookups at least 20× faster than dns.lookup at 10,000 lines", met: speedup >= 20, detail: `${fixed(speedup, 1)}×` });
  const heap = netdbHeap(results);
  if (heap !== undefined) checks.push({ target: "under 2 KB heap per in-flight query", met: heap < 2048, detail: `${fixed(heap, 0)} B` });
  checks.push(...burstTargets(results.burst, results.spoof));
  checks.push(...hotPathTargets(results));
  return checks;
}

/** Issue 14's goals that this run has figures for (its q/s goals are the c-ares checks above). */
function hotPathTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const netdb = runsOf(results.dns, "netdb");
  const cares = runsOf(results.dns, "cares");
  if (netdb !== undefined && cares !== undefined) {
    const pairs = [64, 1024].flatMap((c) => {
      const n = netdb.find((r) => r.concurrency === c);
      const a = cares.find((r) => r.concurrency === c);
      return n === undefined || a === undefined ? [] : [{ c, netdb: n.cpuUs, cares: a.cpuUs }];
    });
    if (pairs.length > 0) {
      checks.push({
        target: "issue 14: CPU per lookup at most c-ares' at concurrency 64 and 1,024",
        met: pairs.every((p) => p.netdb <= p.cares),
        detail: pairs.map((p) => `c=${p.c}: ${fixed(p.netdb, 1)} against ${fixed(p.cares, 1)} µs`).join(", "),
      });
    }
  }
  const heap = netdbHeap(results);
  if (heap !== undefined) checks.push({ target: "issue 14: at most 1,000 B heap per lookup in flight", met: heap <= 1000, detail: `${fixed(heap, 0)} B` });
  const cold = (client: string): ColdStartResult | undefined => results.cold?.find((c) => c.client === client);
  const [netdbCold, caresCold, nodeCold] = [cold("netdb"), cold("cares"), cold("node")];
  if (netdbCold !== undefined && nodeCold !== undefined) {
    // What Node's loader takes for the first file a program imports (the `node` row's empty module) is not netdb's.
    const own = netdbCold.awaitImportMs - nodeCold.awaitImportMs;
    checks.push({ target: "issue 14: await import of the package at most 15 ms (beyond an empty module's)", met: own <= 15, detail: `${fixed(own, 1)} ms (${fixed(netdbCold.awaitImportMs, 1)} − ${fixed(nodeCold.awaitImportMs, 1)})` });
  }
  if (netdbCold !== undefined && caresCold !== undefined) {
    checks.push({ target: "issue 14: first answer of a fresh process no later than c-ares'", met: netdbCold.firstLookupMs <= caresCold.firstLookupMs, detail: `${fixed(netdbCold.firstLookupMs, 1)} against ${fixed(caresCold.firstLookupMs, 1)} ms` });
  }
  if (results.cli !== undefined) {
    const ratio = results.cli.cliMs / results.cli.nodeMs;
    checks.push({ target: "issue 14: one CLI call within 1.2× node -e 0", met: ratio <= 1.2, detail: `${fixed(ratio, 2)}×` });
  }
  const speedup = hostsSpeedup(results);
  if (speedup !== undefined) checks.push({ target: "issue 14: hosts hit at 10,000 lines at least 500× dns.lookup", met: speedup >= 500, detail: `${fixed(speedup, 1)}×` });
  return checks;
}

/** netdb's hosts-file lookups a second over dns.lookup's at 10,000 lines. */
function hostsSpeedup(results: BenchResults): number | undefined {
  const hosts = results.hosts?.find((h) => h.lines === 10_000);
  return hosts === undefined ? undefined : hosts.netdb.opsPerSec / hosts.lookup.opsPerSec;
}

/** netdb's heap per query in flight in the memory run. */
function netdbHeap(results: BenchResults): number | undefined {
  return memoryOf(results.memory).find((m) => m.client === "netdb")?.memory.heapPerQuery;
}

/** netdb at least as fast as c-ares in the same process, one target per concurrency. */
function interleavedTargets(interleaved: InterleavedResults | undefined): TargetCheck[] {
  const runs = interleaved?.runs ?? [];
  return runs
    .filter((r) => r.client === "netdb" && runs.some((b) => b.client === BASELINE && b.concurrency === r.concurrency))
    .map((r) => ({
      target: `interleaved in one process, concurrency ${r.concurrency}: at least as fast as c-ares`,
      met: r.qpsVsCares >= 1,
      detail: `${fixed(r.qpsVsCares, 2)}× c-ares' qps, ${fixed(r.cpuVsCares, 2)}× c-ares' CPU per lookup`,
    }));
}

function interleavedTable(interleaved: InterleavedResults): string {
  const rows = interleaved.runs.map((r) => [
    r.client,
    String(r.concurrency),
    fixed(r.qps, 0),
    fixed(r.qpsVsCares, 2),
    fixed(r.cpuUs, 1),
    fixed(r.cpuVsCares, 2),
    fixed(r.p50, 3),
    fixed(r.p99, 3),
    String(r.errors),
    String(r.undrained),
  ]);
  for (const f of interleaved.failed) rows.push([f.client, "-", "failed", "", "", "", "", "", "", f.error.slice(0, 60)]);
  return table(["client", "conc", "qps", "qps × c-ares", "cpu µs", "cpu c-ares ×", "p50 ms", "p99 ms", "errors", "undrained"], rows);
}

function dnsTable(results: BenchResults): string {
  const rows: string[][] = [];
  const netdb = runsOf(results.dns, "netdb");
  const add = (outputs: WorkerOutput[] | undefined, label: (client: string) => string): void => {
    const floor = runsOf(outputs, "floor");
    for (const output of outputs ?? []) {
      if ("error" in output) rows.push([label(output.client), "-", "failed", "", "", "", "", "", output.error.slice(0, 60)]);
      if (!("runs" in output)) continue;
      for (const run of output.runs) {
        const floorQps = floor?.find((r) => r.concurrency === run.concurrency)?.qps ?? NaN;
        const netdbQps = netdb?.find((r) => r.concurrency === run.concurrency)?.qps ?? NaN;
        rows.push([
          label(output.client),
          String(run.concurrency),
          fixed(run.qps, 0),
          fixed(run.p50, 3),
          fixed(run.p99, 3),
          fixed(run.cpuUs, 1),
          fixed(run.qps / floorQps, 2),
          fixed(netdbQps / run.qps, 2),
          String(run.errors),
        ]);
      }
    }
  };
  add(results.dns, (c) => c);
  add(results.glibc, (c) => `${c === "lookup" ? "dns.lookup" : c} (netns)`);
  return table(["client", "conc", "qps", "p50 ms", "p99 ms", "cpu µs", "of floor", "netdb ×", "errors"], rows);
}

/** One encrypted section: each client's runs, with qps and CPU per lookup as ratios to netdb over UDP in the same section. */
function encryptedTable(outputs: WorkerOutput[]): string {
  const udp = runsOf(outputs, "netdb");
  const rows: string[][] = [];
  for (const output of outputs) {
    if ("error" in output) rows.push([output.client, "-", "failed", "", "", "", "", "", output.error.slice(0, 60)]);
    if (!("runs" in output)) continue;
    for (const run of output.runs) {
      const base = udp?.find((r) => r.concurrency === run.concurrency);
      rows.push([
        output.client === "netdb" ? "netdb (UDP)" : output.client,
        String(run.concurrency),
        fixed(run.qps, 0),
        fixed(run.p50, 3),
        fixed(run.p99, 3),
        fixed(run.cpuUs, 1),
        fixed(run.qps / (base?.qps ?? NaN), 2),
        fixed(run.cpuUs / (base?.cpuUs ?? NaN), 2),
        String(run.errors),
      ]);
    }
  }
  return table(["client", "conc", "qps", "p50 ms", "p99 ms", "cpu µs", "qps × UDP", "cpu × UDP", "errors"], rows);
}

function memoryTable(results: BenchResults): string {
  const netdb = memoryOf(results.memory).find((m) => m.client === "netdb")?.memory;
  const rows = memoryOf(results.memory).map(({ client, memory: m }) => [
    client,
    fixed(m.heapPerQuery, 0),
    fixed(m.rssPerQuery, 0),
    fixed(netdb === undefined ? NaN : m.heapPerQuery / netdb.heapPerQuery, 2),
    String(m.sockets),
    String(m.settledEarly),
  ]);
  return table(["client", "heap B/query", "rss B/query", "heap vs netdb", "sockets", "settled early"], rows);
}

function hostsTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const h of results.hosts ?? []) {
    for (const [label, r] of [["netdb", h.netdb], ["dns.lookup", h.lookup], ["python3", h.python]] as const) {
      if (r === undefined) continue;
      rows.push([String(h.lines), label, fixed(r.opsPerSec, 0), fixed(r.p50us, 1), fixed(r.p99us, 1), fixed(r.firstUs, 0), fixed(h.netdb.opsPerSec / r.opsPerSec, 1)]);
    }
  }
  return table(["lines", "client", "ops/s", "p50 µs", "p99 µs", "first µs", "netdb ×"], rows);
}

function coldTable(results: BenchResults): string {
  const netdb = results.cold?.find((c) => c.client === "netdb");
  const rows = (results.cold ?? []).map((c) => [
    c.client,
    fixed(c.importMs, 1),
    fixed(c.awaitImportMs, 1),
    fixed(c.firstLookupMs, 1),
    fixed(netdb === undefined ? NaN : c.firstLookupMs / netdb.firstLookupMs, 2),
  ]);
  return table(["client", "import done ms", "await import ms", "first answer ms", "vs netdb"], rows);
}

/** The text report printed at the end of `npm run bench`. */
export function renderReport(results: BenchResults): string {
  const { machine } = results;
  const load = `load average ${machine.loadBefore.toFixed(2)} before, ${machine.loadAfter?.toFixed(2) ?? "?"} after`;
  const parts: string[] = [`netdb bench — ${results.date}, node ${machine.node}, ${machine.cpus} CPUs, ${load}\n`];
  if (results.dns !== undefined || results.glibc !== undefined) {
    parts.push(
      `\nDNS A lookups against Knot on loopback (${results.limits.durationMs} ms per run; "cpu µs" = the client process's CPU time per lookup; "of floor" = qps / raw dgram qps; ` +
        `"netdb ×" = netdb qps / this client's qps; netns rows ran in a private namespace)\n`,
      dnsTable(results),
    );
  }
  if (results.interleaved !== undefined) {
    const il = results.interleaved;
    parts.push(
      `\nInterleaved: every client in one process, ${il.rounds} rounds of ${il.slice.windowMs} ms slices per concurrency in rotating order, each slice drained before the next ` +
        `(load average ${fixed(il.loadBefore, 2)} before, ${fixed(il.loadAfter, 2)} after; "qps × c-ares" = qps / c-ares' qps in the same run; ` +
        `"cpu c-ares ×" = c-ares' CPU per lookup / this client's, above 1 is cheaper; "undrained" = lookups still in flight when a slice's drain gave up)\n`,
      interleavedTable(il),
    );
  }
  if (results.memory !== undefined) parts.push("\nMemory with 10,000 queries in flight (after a full GC)\n", memoryTable(results));
  if (results.hosts !== undefined) parts.push("\nHosts-file lookups, name on the last line (gethostbyname)\n", hostsTable(results));
  if (results.cold !== undefined) parts.push("\nCold start: ms since process start, median of fresh processes\n", coldTable(results));
  if (results.cli !== undefined) {
    const { command, cliMs, nodeMs, runs } = results.cli;
    parts.push(`\nCLI: \`${command}\` ${fixed(cliMs, 1)} ms, \`node -e 0\` ${fixed(nodeMs, 1)} ms: ${fixed(cliMs / nodeMs, 2)}× (medians of ${runs} calls each, taking turns, spawn to exit)\n`);
  }
  if (results.burst !== undefined) parts.push(renderBurst(results.burst));
  if (results.spoof !== undefined) parts.push(renderSpoof(results.spoof));
  const encrypted = '"qps × UDP" = qps / netdb over UDP\'s in the same section; "cpu × UDP" = CPU per lookup / netdb over UDP\'s, below 1 is cheaper';
  if (results.dot !== undefined) parts.push(`\nDNS over TLS: netdb through a TLS front for Knot (one pipelined connection) (${encrypted})\n`, encryptedTable(results.dot));
  if (results.doh !== undefined) {
    parts.push(`\nDNS over HTTPS: netdb on HTTP/2 and tangerine on HTTPS through an HTTPS front for Knot, tangerine also on plain HTTP through bench/doh-proxy.ts (${encrypted})\n`, encryptedTable(results.doh));
  }
  if (results.targets !== undefined && results.targets.length > 0) {
    parts.push("\nTargets\n", ...results.targets.map((t) => `  ${t.met ? "met   " : "MISSED"}  ${t.target}: ${t.detail}\n`));
  }
  return parts.join("");
}

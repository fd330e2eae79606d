/**
 * The `burst` and `spoof` sections of `npm run bench` (issue 12): netdb
 * and c-ares (and, for spoofing, glibc) side by side against the burst
 * server of test/reliability/burst-dns.ts, each client a fresh process.
 *
 * burst, in the host namespace:
 * - 10,000 lookups of distinct names started at once, timeout 200 ms ×
 *   3 tries, against a server (its own process) that drops every 20th
 *   query it receives (5% loss, a name at most once, so its retry is
 *   answered), then against one that drops nothing;
 * - Knot with one UDP worker at concurrency 1,024 (the closed loop of the
 *   dns section, timeout 2 s, one try): the lookups lost.
 *
 * spoof, inside a private network namespace (bench/netns.ts) with the
 * burst server on 127.0.0.1:53, so glibc can be asked through resolv.conf
 * (timeout 1 s, 2 attempts; netdb and c-ares get the same):
 * - source ports over 5,000 sequential lookups of distinct names;
 * - a flood of forged answers (right question, random IDs, from the
 *   server's address and port) at every source port the server has seen,
 *   during 1,000 lookups at concurrency 50: lookups lost, forged answers
 *   taken, the namespace's UDP receive-buffer drops;
 * - 20 identical lookups at once, the server silent but for one forged
 *   answer with the right ID to the first query: lookups that took it.
 */
import { loadavg } from "node:os";
import { startKnot } from "../test/support/knot.js";
import type { BurstReport, BurstTask } from "../test/reliability/burst-client.js";
import { udpRcvbufErrors, type BurstMode, type BurstStats } from "../test/reliability/burst-dns.js";
import { runBurstClient, startBurstServer, type BurstLibrary, type BurstServerProcess } from "../test/reliability/burst-run.js";
import { NETDB_BUILD } from "./build.js";
import type { RunLimits, RunResult } from "./measure.js";
import { loopbackEtc, runInNamespace } from "./netns.js";
import { runJson, tsNode } from "./spawn.js";
import type { WorkerOutput, WorkerTask } from "./worker.js";
import { BENCH_ORIGIN, benchZoneText } from "./zone.js";

/** One client's run of one case, with what the server and the kernel saw. */
export interface BurstRow {
  case: string;
  client: string;
  report?: BurstReport;
  server?: BurstStats;
  /** UdpRcvbufErrors of /proc/net/snmp over the run (host namespace: includes other work on the machine). */
  kernelDrops: number;
  error?: string;
}

/** Knot with one UDP worker at concurrency 1,024. */
export interface KnotOneWorkerRow {
  client: string;
  run?: RunResult;
  error?: string;
}

/** What the burst section measured. */
export interface BurstResults {
  loadBefore: number;
  loadAfter: number;
  bursts: BurstRow[];
  knotOneWorker: KnotOneWorkerRow[];
}

/** What the spoof section measured (inside a namespace: the kernel drops are this run's alone). */
export interface SpoofResults {
  loadBefore: number;
  loadAfter: number;
  rows: BurstRow[];
}

/** The clients the bench compares. */
const BURST_CLIENTS: BurstLibrary[] = ["netdb", "cares"];
const SPOOF_CLIENTS: BurstLibrary[] = ["netdb", "cares", "glibc"];
/** netdb from the bench's tsc build, as the other sections measure it. */
const NETDB_MODULE = `${NETDB_BUILD}/index.js`;

export const BURST_LOOKUPS = 10_000;

/** Runs one client against the server after setting its mode; never throws (a failed client is a row with `error`). */
async function measure(
  server: BurstServerProcess,
  caseName: string,
  client: BurstLibrary,
  mode: Partial<BurstMode>,
  task: Omit<BurstTask, "port" | "tag" | "module">,
  deadlineMs: number,
  flood = false,
): Promise<BurstRow> {
  process.stderr.write(`${caseName}: ${client}\n`);
  await server.command({ cmd: "reset", mode });
  const before = udpRcvbufErrors();
  try {
    if (flood) await server.command({ cmd: "flood", on: true });
    const tag = `${caseName.replace(/[^a-z0-9]/gi, "")}-${client}`.toLowerCase();
    const report = await runBurstClient(client, { ...task, port: server.port, tag, ...(client === "netdb" ? { module: NETDB_MODULE } : {}) }, deadlineMs);
    const stats = await server.command(flood ? { cmd: "flood", on: false } : { cmd: "stats" });
    return { case: caseName, client, report, server: stats, kernelDrops: udpRcvbufErrors() - before };
  } catch (err) {
    if (flood) await server.command({ cmd: "flood", on: false });
    process.stderr.write(`${client} failed: ${(err as Error).message}\n`);
    return { case: caseName, client, kernelDrops: udpRcvbufErrors() - before, error: (err as Error).message.split("\n").find((l) => /Error\b/.test(l))?.trim() ?? (err as Error).message.split("\n")[0]! };
  }
}

/** The burst section. */
export async function runBurstBench(limits: RunLimits): Promise<BurstResults> {
  const loadBefore = loadavg()[0]!;
  const bursts: BurstRow[] = [];
  const server = await startBurstServer();
  try {
    for (const [caseName, dropEvery] of [["5% loss", 20], ["0% loss", 0]] as const) {
      for (const client of BURST_CLIENTS) {
        const task = { lookups: BURST_LOOKUPS, concurrency: BURST_LOOKUPS, timeout: 200, attempts: 3, warmup: true };
        bursts.push(await measure(server, caseName, client, { dropEvery }, task, 120_000));
      }
    }
  } finally {
    await server.stop();
  }

  const knotOneWorker: KnotOneWorkerRow[] = [];
  const knot = await startKnot([{ origin: `${BENCH_ORIGIN}.`, text: benchZoneText() }], { udpWorkers: 1 });
  try {
    for (const client of BURST_CLIENTS) {
      process.stderr.write(`knot, one UDP worker: ${client}\n`);
      const task: WorkerTask = {
        kind: "throughput",
        client,
        server: { address: "127.0.0.1", port: knot.port },
        options: { timeoutMs: 2000 },
        concurrencies: [1024],
        limits,
        guard: true,
      };
      try {
        const output = await runJson<WorkerOutput>([...tsNode("worker.ts"), JSON.stringify(task)], limits.warmupMs + limits.durationMs + limits.drainMs + 20_000);
        knotOneWorker.push("runs" in output ? { client, run: output.runs[0]! } : { client, error: "error" in output ? output.error : "no runs" });
      } catch (err) {
        knotOneWorker.push({ client, error: (err as Error).message.split("\n")[0]! });
      }
    }
  } finally {
    await knot.stop();
  }
  return { loadBefore, loadAfter: loadavg()[0]!, bursts, knotOneWorker };
}

/** The spoof section's cases, run inside the namespace by {@link runSpoofInside}. */
export async function runSpoofInside(): Promise<SpoofResults> {
  const loadBefore = loadavg()[0]!;
  const rows: BurstRow[] = [];
  const server = await startBurstServer(53);
  // resolv.conf's timeout:1 attempts:2 for glibc; the same for the others.
  const tries = { timeout: 1000, attempts: 2, warmup: false };
  try {
    for (const client of SPOOF_CLIENTS) {
      rows.push(await measure(server, "ports, 5,000 sequential", client, {}, { ...tries, lookups: 5000, concurrency: 1 }, 120_000));
    }
    for (const client of SPOOF_CLIENTS) {
      rows.push(await measure(server, "forged flood, 1,000 at 50", client, {}, { ...tries, lookups: 1000, concurrency: 50 }, 120_000, true));
    }
    for (const client of SPOOF_CLIENTS) {
      const task = { ...tries, lookups: 20, concurrency: 20, sameName: true };
      rows.push(await measure(server, "right-ID forgery, 20 identical", client, { silent: true, forgeFirst: true }, task, 30_000));
    }
  } finally {
    await server.stop();
  }
  return { loadBefore, loadAfter: loadavg()[0]!, rows };
}

/** The spoof section: bench/spoof.ts in a fresh namespace whose resolv.conf names 127.0.0.1. */
export async function runSpoofBench(): Promise<SpoofResults> {
  const etc = loopbackEtc("127.0.0.1 localhost\n");
  etc["resolv.conf"] = "nameserver 127.0.0.1\noptions timeout:1 attempts:2\n";
  const out = await runInNamespace(etc, tsNode("spoof.ts"), 600_000);
  return JSON.parse(out.trim().split("\n").pop()!) as SpoofResults;
}

/** One target of issue 12 and whether this run met it (the shape of report.ts's TargetCheck). */
interface Target {
  target: string;
  met: boolean;
  detail: string;
}

const rowOf = (rows: BurstRow[] | undefined, caseName: string, client: string): BurstRow | undefined =>
  rows?.find((r) => r.case.startsWith(caseName) && r.client === client);
const failedCount = (report: BurstReport): number => Object.values(report.failed).reduce((a, b) => a + b, 0);
const lost = (report: BurstReport): number => report.lookups - report.resolved;

/** Issue 12's "figures to reach", checked against what this run measured. */
export function burstTargets(burst: BurstResults | undefined, spoof: SpoofResults | undefined): Target[] {
  const checks: Target[] = [];
  const netdb5 = rowOf(burst?.bursts, "5%", "netdb")?.report;
  const cares5 = rowOf(burst?.bursts, "5%", "cares")?.report;
  if (netdb5 !== undefined) {
    const wall = cares5 === undefined ? "" : `, ${(netdb5.wallMs / 1000).toFixed(2)} s against c-ares' ${(cares5.wallMs / 1000).toFixed(2)} s`;
    checks.push({
      target: "10,000 at once, 5% loss: ≥ 9,990 resolved, in no more wall time than c-ares",
      met: netdb5.resolved >= 9990 && cares5 !== undefined && netdb5.wallMs <= cares5.wallMs,
      detail: `${netdb5.resolved.toLocaleString("en")} resolved${wall}`,
    });
  }
  const netdb0 = rowOf(burst?.bursts, "0%", "netdb");
  if (netdb0?.report !== undefined && netdb0.server !== undefined) {
    checks.push({
      target: "10,000 at once, 0% loss: all resolved, at most 1% more queries than lookups",
      met: netdb0.report.resolved === BURST_LOOKUPS && netdb0.server.queries <= 1.01 * BURST_LOOKUPS + 1,
      detail: `${netdb0.report.resolved.toLocaleString("en")} resolved, ${netdb0.server.queries.toLocaleString("en")} queries with the warm-up (${(netdb0.server.queries / BURST_LOOKUPS).toFixed(3)} a lookup)`,
    });
  }
  const knot = burst?.knotOneWorker.find((r) => r.client === "netdb")?.run;
  if (knot !== undefined) checks.push({ target: "Knot with one UDP worker at 1,024: 0 lost", met: knot.errors === 0, detail: `${knot.errors} lost of ${(knot.completed + knot.errors).toLocaleString("en")}` });
  const ports = rowOf(spoof?.rows, "ports", "netdb")?.server;
  if (ports !== undefined) {
    checks.push({
      target: "source ports over 5,000 sequential: ≥ 4,000, or ≤ 8 queries a port with 0x20",
      met: ports.ports >= 4000 || (ports.maxPerPort <= 8 && ports.mixedCase >= 0.9 * ports.queries),
      detail: `${ports.ports.toLocaleString("en")} ports, up to ${ports.maxPerPort} queries on one, ${ports.mixedCase.toLocaleString("en")} names in random case`,
    });
  }
  const flood = rowOf(spoof?.rows, "forged flood", "netdb");
  if (flood?.report !== undefined) {
    checks.push({
      target: "forged-packet flood: 0 of 1,000 lost",
      met: lost(flood.report) === 0,
      detail: `${failedCount(flood.report)} failed, ${flood.report.forged} took a forged answer, ${flood.kernelDrops.toLocaleString("en")} kernel drops`,
    });
  }
  const guess = rowOf(spoof?.rows, "right-ID", "netdb")?.report;
  if (guess !== undefined) checks.push({ target: "a forged answer with the right ID reaches at most 1 of 20 identical lookups", met: guess.forged <= 1, detail: `${guess.forged} of 20` });
  return checks;
}

/** Left-aligns the first two columns and right-aligns the rest. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

const count = (n: number): string => n.toLocaleString("en");
const failures = (report: BurstReport): string =>
  Object.entries(report.failed)
    .map(([code, n]) => `${count(n)} ${code}`)
    .join(", ") || "0";

function burstRows(rows: BurstRow[], spoof: boolean): string[][] {
  return rows.map((row) => {
    const { report: r, server: s } = row;
    if (r === undefined || s === undefined) return [row.case, row.client, "failed", row.error ?? "", ...Array<string>(spoof ? 8 : 7).fill("")];
    const common = [row.case, row.client, count(r.resolved), failures(r)];
    if (spoof) {
      return [...common, String(r.forged), r.wallMs.toFixed(0), count(s.queries), count(s.ports), String(s.maxPerPort), count(s.mixedCase), count(s.forged), count(row.kernelDrops)];
    }
    return [...common, r.wallMs.toFixed(0), r.settledP99Ms.toFixed(0), r.cpuMs.toFixed(0), count(s.queries), (s.queries / r.lookups).toFixed(2), count(s.ports), count(row.kernelDrops)];
  });
}

/** The burst section's tables. */
export function renderBurst(burst: BurstResults): string {
  const load = `load average ${burst.loadBefore.toFixed(2)} before, ${burst.loadAfter.toFixed(2)} after`;
  const parts = [
    `\nBursts: ${count(BURST_LOOKUPS)} lookups of distinct names at once, timeout 200 ms × 3, server in its own process (${load}; ` +
      `queries include one warm-up lookup's; "kernel drops" = UDP RcvbufErrors of the whole host namespace)\n`,
    table(["case", "client", "resolved", "failed", "wall ms", "p99 ms", "cpu ms", "queries", "queries/lookup", "ports", "kernel drops"], burstRows(burst.bursts, false)),
    "\nKnot with one UDP worker, concurrency 1,024 (timeout 2 s, one try)\n",
    table(
      ["client", "", "qps", "completed", "lost", "p99 ms"],
      burst.knotOneWorker.map((k) =>
        k.run === undefined ? [k.client, "", "failed", k.error ?? "", "", ""] : [k.client, "", k.run.qps.toFixed(0), count(k.run.completed), count(k.run.errors), k.run.p99.toFixed(3)],
      ),
    ),
  ];
  return parts.join("");
}

/** The spoof section's table. */
export function renderSpoof(spoof: SpoofResults): string {
  const load = `load average ${spoof.loadBefore.toFixed(2)} before, ${spoof.loadAfter.toFixed(2)} after`;
  return (
    `\nSpoofing, in a private namespace, server on 127.0.0.1:53, timeout 1 s × 2 (${load}; "forged taken" = lookups answered with the forger's address; ` +
    `"0x20" = queries whose name arrived in random case; "kernel drops" = the namespace's UDP RcvbufErrors)\n` +
    table(["case", "client", "resolved", "failed", "forged taken", "wall ms", "queries", "ports", "max/port", "0x20", "forged sent", "kernel drops"], burstRows(spoof.rows, true))
  );
}

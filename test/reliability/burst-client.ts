/**
 * What the burst and spoofing clients share: the task they are given, the
 * report they print, and the driver that runs the lookups. Each library's
 * client (burst-netdb.ts, burst-cares.ts, burst-glibc.py) is a process of
 * its own, started fresh for every run, so no run inherits another's
 * sockets, JIT state or garbage:
 *
 *   node --import tsx test/reliability/burst-netdb.ts '<BurstTask JSON>'
 *
 * and prints one line of JSON, a {@link BurstReport}.
 */
import { BURST_ADDRESS, FORGED_ADDRESS, BURST_ZONE } from "./burst-dns.js";

/** One run of lookups. */
export interface BurstTask {
  /** The server, on 127.0.0.1. */
  port: number;
  lookups: number;
  /** Lookups in flight at once; `lookups` starts them all in one turn of the event loop. */
  concurrency: number;
  /** Per try, in milliseconds, and tries per server (netdb `attempts`, c-ares `tries`). */
  timeout: number;
  attempts: number;
  /** Part of every name, so that runs against the same server never share a name. */
  tag: string;
  /** Every lookup asks for the same name (`same.TAG.burst.test`) instead of `nI.TAG.burst.test`. */
  sameName?: boolean;
  /** Look one name up before the measured run (it reaches the server too). */
  warmup: boolean;
  /** netdb only: the module to import `Resolver` from (the bench's tsc build); default src/index.ts. */
  module?: string;
}

/** What one client run saw. */
export interface BurstReport {
  library: string;
  lookups: number;
  /** Answered with the zone's address. */
  resolved: number;
  /** Answered with the forger's address. */
  forged: number;
  /** Answered with any other address. */
  otherAddress: number;
  /** Failed lookups by error code. */
  failed: Record<string, number>;
  /** First lookup started to last settled, and the process's CPU time (user + system) over that span. */
  wallMs: number;
  cpuMs: number;
  /** When the lookups settled, in ms since the first started: the median and the 99th percentile (the last is `wallMs`). */
  settledP50Ms: number;
  settledP99Ms: number;
  firstError?: string;
}

/** The name of the i-th lookup of `task`. */
export function burstName(task: BurstTask, i: number): string {
  return `${task.sameName === true ? "same" : `n${i}`}.${task.tag}.${BURST_ZONE}`;
}

/** Runs `task` through `lookup` (which resolves with the addresses found) and reports. */
export async function runBurst(library: string, task: BurstTask, lookup: (name: string) => Promise<string[]>): Promise<BurstReport> {
  if (task.warmup) await lookup(`warm.${task.tag}.${BURST_ZONE}`);
  const report: BurstReport = { library, lookups: task.lookups, resolved: 0, forged: 0, otherAddress: 0, failed: {}, wallMs: 0, cpuMs: 0, settledP50Ms: 0, settledP99Ms: 0 };
  const settled = new Float64Array(task.lookups);
  let next = 0;
  let done = 0;
  let started = 0;
  const worker = async (): Promise<void> => {
    while (next < task.lookups) {
      const name = burstName(task, next++);
      try {
        const addresses = await lookup(name);
        if (addresses.length === 1 && addresses[0] === BURST_ADDRESS) report.resolved++;
        else if (addresses.includes(FORGED_ADDRESS)) report.forged++;
        else report.otherAddress++;
      } catch (err) {
        const code = String((err as { code?: unknown }).code ?? (err as Error).name);
        report.failed[code] = (report.failed[code] ?? 0) + 1;
        report.firstError ??= `${name}: ${(err as Error).message}`;
      }
      settled[done++] = performance.now() - started;
    }
  };
  const cpu = process.cpuUsage();
  started = performance.now();
  await Promise.all(Array.from({ length: Math.min(task.concurrency, task.lookups) }, worker));
  report.wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  report.cpuMs = (used.user + used.system) / 1000;
  settled.sort();
  report.settledP50Ms = settled[Math.floor(0.5 * (done - 1))] ?? NaN;
  report.settledP99Ms = settled[Math.floor(0.99 * (done - 1))] ?? NaN;
  return report;
}

/** Prints the report as the process's last line and exits (a client's sockets may keep it alive otherwise). */
export function printReport(report: BurstReport): void {
  process.stdout.write(JSON.stringify(report) + "\n", () => process.exit(0));
}

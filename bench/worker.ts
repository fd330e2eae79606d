/**
 * One client, measured in a process of its own (so no client pays for
 * another's garbage, sockets or JIT state). Spawned by bench/run.ts as
 *
 *   node --expose-gc --import tsx bench/worker.ts '<WorkerTask JSON>'
 *
 * and prints one line of JSON (a {@link WorkerOutput}) on stdout.
 */
import { openSockets } from "../test/reliability/sockets.js";
import { installNetGuard } from "../test/support/netguard.js";
import type { ClientOptions, ServerAddress } from "./clients/client.js";
import { checkAnswer, loadClient } from "./load-client.js";
import { runClosedLoop, sleep, type RunLimits, type RunResult } from "./measure.js";
import { BENCH_NAMES, BENCH_ORIGIN, benchAddress } from "./zone.js";

/** What a worker is asked to do. */
export type WorkerTask =
  | { kind: "throughput"; client: string; server: ServerAddress; options: ClientOptions; concurrencies: number[]; limits: RunLimits; guard: boolean }
  | { kind: "memory"; client: string; server: ServerAddress; options: ClientOptions; inflight: number; settleMs: number; guard: boolean };

/** Heap and sockets with many queries in flight. */
export interface MemoryResult {
  inflight: number;
  /** Bytes of V8 heap per in-flight query, after a full GC. */
  heapPerQuery: number;
  /** Bytes of resident memory per in-flight query. */
  rssPerQuery: number;
  /** Sockets (file descriptors) the client opened for the queries in flight. */
  sockets: number;
  /** Lookups that had already settled (failed) when measured: they were not in flight. */
  settledEarly: number;
}

/** A worker's line of JSON; `error` when the client could not be measured. */
export type WorkerOutput = { client: string; runs: RunResult[] } | { client: string; memory: MemoryResult } | { client: string; error: string };

async function throughput(task: Extract<WorkerTask, { kind: "throughput" }>): Promise<WorkerOutput> {
  const client = await loadClient(task.client, task.server, task.options);
  // The answer for h1 must be right before anything is measured.
  await checkAnswer(task.client, client, BENCH_NAMES[1]!, benchAddress(1));
  const runs: RunResult[] = [];
  for (const concurrency of task.concurrencies) {
    runs.push(await runClosedLoop((i) => client.lookupA(BENCH_NAMES[i % BENCH_NAMES.length]!), concurrency, task.limits));
  }
  await client.close();
  return { client: task.client, runs };
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("the memory run needs node --expose-gc");
  collect();
  collect();
}

async function memory(task: Extract<WorkerTask, { kind: "memory" }>): Promise<WorkerOutput> {
  const client = await loadClient(task.client, task.server, task.options);
  // Distinct names, so no client gains from merging identical queries in flight.
  const names = Array.from({ length: task.inflight }, (_, i) => `q${i}.${BENCH_ORIGIN}`);
  const lookups = new Array<Promise<unknown>>(task.inflight);
  let settled = 0;
  gc();
  const before = process.memoryUsage();
  const socketsBefore = openSockets();
  for (let i = 0; i < task.inflight; i++) {
    lookups[i] = client.lookupA(names[i]!).then(
      () => settled++,
      () => settled++,
    );
  }
  await sleep(task.settleMs);
  gc();
  const during = process.memoryUsage();
  const result: MemoryResult = {
    inflight: task.inflight,
    heapPerQuery: (during.heapUsed - before.heapUsed) / task.inflight,
    rssPerQuery: (during.rss - before.rss) / task.inflight,
    sockets: openSockets() - socketsBefore,
    settledEarly: settled,
  };
  // The queries are never answered; the worker exits without waiting for them.
  return { client: task.client, memory: result };
}

const task = JSON.parse(process.argv[2] ?? "") as WorkerTask;
if (task.guard) installNetGuard();
const output = task.kind === "throughput" ? await throughput(task) : await memory(task);
process.stdout.write(JSON.stringify(output) + "\n", () => process.exit(0));

/**
 * The interleaved harness (issue 14): every client in one process, since
 * real programs share a heap, a JIT and an event loop with other code.
 * bench/interleave-worker.ts runs {@link interleave} in a fresh process.
 *
 * It loads every client, checks each one's answers, then at each
 * concurrency gives every client an unmeasured warm-up slice and then
 * rounds of short slices (runSlice in bench/measure.ts) in rotating order, each slice
 * drained before the next client's starts. Every name is asked once in
 * the whole process (bench/zone.ts's wildcard names), so no cache and no
 * merging of identical queries helps.
 */
import { loadavg } from "node:os";
import type { BenchClient, ClientOptions, ServerAddress } from "./clients/client.js";
import { checkAnswer, loadClient } from "./load-client.js";
import { runSlice, SliceTally, tallyResult, type RunResult, type SliceLimits } from "./measure.js";
import { BENCH_NAMES, WILDCARD_ADDRESS, benchAddress, wildcardName } from "./zone.js";

/** What the harness is asked to do. */
export interface InterleaveTask {
  clients: string[];
  server: ServerAddress;
  options: ClientOptions;
  concurrencies: number[];
  /** Rounds of slices per concurrency; each round gives every client one slice. */
  rounds: number;
  /** Unmeasured slice per client before the rounds of each concurrency (ms). */
  warmupMs: number;
  slice: SliceLimits;
}

/** One client's slices at one concurrency, with its ratios against c-ares' slices of the same run. */
export interface InterleavedRun extends RunResult {
  client: string;
  slices: number;
  /** Lookups still in flight when a drain gave up; 0 means no slice leaked work into the next. */
  undrained: number;
  /** This client's qps divided by c-ares' (above 1: faster than c-ares). */
  qpsVsCares: number;
  /** c-ares' CPU per lookup divided by this client's (above 1: cheaper than c-ares). */
  cpuVsCares: number;
}

/** What the interleaved section measured. */
export interface InterleavedResults {
  loadBefore: number;
  loadAfter: number;
  rounds: number;
  slice: SliceLimits;
  runs: InterleavedRun[];
  /** Clients that could not be loaded or gave a wrong answer; measured without them. */
  failed: { client: string; error: string }[];
}

/** The client every ratio is taken against. */
export const BASELINE = "cares";

let nextName = 0;
/** A name no lookup in this process has asked for yet. */
const freshName = (): string => wildcardName(nextName++);

/** Loads a client and checks an h<i> name and a wildcard name; throws if either answer is wrong. */
async function loadChecked(name: string, task: InterleaveTask): Promise<BenchClient> {
  const client = await loadClient(name, task.server, task.options);
  await checkAnswer(name, client, BENCH_NAMES[1]!, benchAddress(1));
  await checkAnswer(name, client, freshName(), WILDCARD_ADDRESS);
  return client;
}

/** The clients in the order of round `round`: each round starts one client later. */
const rotated = <T>(items: T[], round: number): T[] => items.map((_, i) => items[(i + round) % items.length]!);

/** Runs every client's slices at one concurrency; one tally per client, in `clients` order. */
async function atConcurrency(clients: [string, BenchClient][], concurrency: number, task: InterleaveTask): Promise<SliceTally[]> {
  const tallies = new Map(clients.map(([name]) => [name, new SliceTally()]));
  const warmup: SliceLimits = { ...task.slice, windowMs: task.warmupMs };
  for (const [, client] of clients) await runSlice(() => client.lookupA(freshName()), concurrency, warmup, new SliceTally());
  for (let round = 0; round < task.rounds; round++) {
    for (const [name, client] of rotated(clients, round)) {
      await runSlice(() => client.lookupA(freshName()), concurrency, task.slice, tallies.get(name)!);
    }
  }
  return clients.map(([name]) => tallies.get(name)!);
}

/** A tally as a row, ratios still unset. */
function toRun(client: string, concurrency: number, t: SliceTally): InterleavedRun {
  return {
    client,
    ...tallyResult(concurrency, t),
    slices: t.slices,
    undrained: t.undrained,
    qpsVsCares: NaN,
    cpuVsCares: NaN,
  };
}

/** Sets every row's ratios against the baseline's row at the same concurrency (NaN without one). */
function withRatios(runs: InterleavedRun[]): InterleavedRun[] {
  return runs.map((run) => {
    const base = runs.find((r) => r.client === BASELINE && r.concurrency === run.concurrency);
    return base === undefined ? run : { ...run, qpsVsCares: run.qps / base.qps, cpuVsCares: base.cpuUs / run.cpuUs };
  });
}

/** Measures `task`'s clients interleaved in this process. */
export async function interleave(task: InterleaveTask): Promise<InterleavedResults> {
  const loadBefore = loadavg()[0]!;
  const clients: [string, BenchClient][] = [];
  const failed: InterleavedResults["failed"] = [];
  for (const name of task.clients) {
    try {
      clients.push([name, await loadChecked(name, task)]);
    } catch (err) {
      failed.push({ client: name, error: (err as Error).message.split("\n")[0]! });
    }
  }
  const runs: InterleavedRun[] = [];
  for (const concurrency of task.concurrencies) {
    const tallies = await atConcurrency(clients, concurrency, task);
    tallies.forEach((t, i) => runs.push(toRun(clients[i]![0], concurrency, t)));
  }
  for (const [, client] of clients) await client.close();
  return { loadBefore, loadAfter: loadavg()[0]!, rounds: task.rounds, slice: task.slice, runs: withRatios(runs), failed };
}

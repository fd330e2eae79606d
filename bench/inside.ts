/**
 * The glibc half of the benchmarks, run by bench/run.ts inside a private
 * namespace (bench/netns.ts):
 *
 *   node --import tsx bench/inside.ts '<InsideTask JSON>'
 *
 * Refuses to run anywhere else. Prints one line of JSON.
 */
import { readFileSync } from "node:fs";
import dns from "node:dns";
import { networkInterfaces } from "node:os";
import { startKnot } from "../test/support/knot.js";
import type { RunLimits } from "./measure.js";
import { assertInsideNamespace } from "./netns.js";
import { timeSequential, type SequentialResult } from "./sequential.js";
import { runJson, tsNode } from "./spawn.js";
import type { WorkerOutput, WorkerTask } from "./worker.js";
import { BENCH_ORIGIN, benchZoneText } from "./zone.js";

/** What to measure inside. */
export type InsideTask =
  | { kind: "dns"; clients: string[]; concurrencies: number[]; limits: RunLimits; timeoutMs: number }
  | { kind: "hosts"; name: string; address: string; budgetMs: number; maxCalls: number; python: boolean };

/** Output of a "hosts" task. */
export interface InsideHostsResult {
  lookup: SequentialResult;
  python?: SequentialResult;
}

// CPython's own loop, timed in Python so the figure is gethostbyname alone.
const PYTHON_LOOP = `
import json, socket, sys, time
name, address, budget, max_calls = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 1000, int(sys.argv[4])
t = time.perf_counter(); got = socket.gethostbyname(name); first = time.perf_counter() - t
assert got == address, (got, address)
samples = []
start = time.perf_counter()
while len(samples) < max_calls and time.perf_counter() - start < budget:
    t = time.perf_counter(); socket.gethostbyname(name); samples.append(time.perf_counter() - t)
elapsed = time.perf_counter() - start
samples.sort()
pick = lambda p: samples[min(len(samples) - 1, int(p / 100 * len(samples)))] * 1e6
print(json.dumps({"calls": len(samples), "opsPerSec": len(samples) / elapsed, "p50us": pick(50), "p99us": pick(99), "firstUs": first * 1e6}))
`;

async function dnsTask(task: Extract<InsideTask, { kind: "dns" }>): Promise<WorkerOutput[]> {
  const knot = await startKnot([{ origin: `${BENCH_ORIGIN}.`, text: benchZoneText() }], { port: 53 });
  try {
    const results: WorkerOutput[] = [];
    for (const client of task.clients) {
      const worker: WorkerTask = {
        kind: "throughput",
        client,
        server: { address: "127.0.0.1", port: knot.port },
        options: { timeoutMs: task.timeoutMs },
        concurrencies: task.concurrencies,
        limits: task.limits,
        // The namespace is the guard here: dns.lookup must reach resolv.conf's 127.0.0.1.
        guard: false,
      };
      const budget = task.concurrencies.length * (task.limits.warmupMs + task.limits.durationMs + task.limits.drainMs) + 20_000;
      results.push(await runJson<WorkerOutput>([...tsNode("worker.ts"), JSON.stringify(worker)], budget));
    }
    return results;
  } finally {
    await knot.stop();
  }
}

async function hostsTask(task: Extract<InsideTask, { kind: "hosts" }>): Promise<InsideHostsResult> {
  const lookupOnce = async (): Promise<void> => {
    const { address } = await dns.promises.lookup(task.name, { family: 4 });
    if (address !== task.address) throw new Error(`dns.lookup(${task.name}) gave ${address}, expected ${task.address}`);
  };
  const lookup = await timeSequential(lookupOnce, task.budgetMs, task.maxCalls);
  if (!task.python) return { lookup };
  const python = await runJson<SequentialResult>(
    ["python3", "-c", PYTHON_LOOP, task.name, task.address, String(task.budgetMs), String(task.maxCalls)],
    task.budgetMs + 20_000,
  );
  return { lookup, python };
}

assertInsideNamespace(Object.keys(networkInterfaces()), readFileSync("/etc/resolv.conf", "utf8"));
const task = JSON.parse(process.argv[2] ?? "") as InsideTask;
const output = task.kind === "dns" ? await dnsTask(task) : await hostsTask(task);
process.stdout.write(JSON.stringify(output) + "\n");

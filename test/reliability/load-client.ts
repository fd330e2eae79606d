/**
 * The load test's client, in a process of its own so it can be given the
 * file descriptors its sockets need (the test raises its soft RLIMIT_NOFILE:
 * a socket of netdb's stays open while any of its 8 queries is unanswered,
 * and glibc holds one per lookup in flight)
 * and so its heap is measured without mocha's:
 *
 *   node --expose-gc --import tsx test/reliability/load-client.ts PORT LOOKUPS
 *
 * Looks up `n0.load.test` … `n<LOOKUPS-1>.load.test` at once through one
 * Resolver and prints one line of JSON, a {@link LoadReport}.
 */
import { Resolver } from "../../src/index.js";
import { leakedResources, resourceBaseline } from "../support/handles.js";
import { installNetGuard, takeViolations } from "../support/netguard.js";
import { openSockets, SocketSampler } from "./sockets.js";

/** What the client saw. */
export interface LoadReport {
  answered: number;
  /** The first few failed lookups, with their errors. */
  failures: string[];
  /** The first few lookups answered with another address than the zone's. */
  wrong: string[];
  /** Most sockets open at once during the run, beyond those open before it. */
  maxSockets: number;
  seconds: number;
  /** Heap after the run and a full GC, minus the heap before it. */
  heapGrowthBytes: number;
  /** Active resources left after the resolver was closed. */
  leaks: string[];
  violations: string[];
}

installNetGuard();
const [port, lookups] = process.argv.slice(2).map(Number) as [number, number];
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("load-client.ts needs node --expose-gc");

const resolver = new Resolver({
  files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
  hostname: "load",
  nameservers: [`127.0.0.1:${port}`],
  // glibc's defaults (5 s, 2 attempts). With a 1 s try the batch takes
  // longer to send than the timeout and every try times out (see
  // docs/reliability.md); the dropped 5% are asked again after 5 s.
  timeout: 5000,
  attempts: 2,
});
// One lookup first, so that what is loaded once per process or resolver is in the baseline.
await resolver.gethostbyname("warm.load.test");
const resources = await resourceBaseline();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const idleSockets = openSockets();
const sampler = new SocketSampler(50);

const started = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: lookups }, (_, i) => resolver.gethostbyname(`n${i}.load.test`)));
const seconds = (performance.now() - started) / 1000;
const maxSockets = sampler.stop() - idleSockets;

const failures = outcomes.flatMap((o, i) => (o.status === "rejected" ? [`n${i}: ${(o.reason as Error).message}`] : []));
const wrong = outcomes.flatMap((o, i) => (o.status === "fulfilled" && o.value !== "192.0.2.7" ? [`n${i}: ${o.value}`] : []));
outcomes.length = 0;
await resolver.close();
const leaks = await leakedResources(resources);
gc();
const report: LoadReport = {
  answered: lookups - failures.length,
  failures: failures.slice(0, 5),
  wrong: wrong.slice(0, 5),
  maxSockets,
  seconds,
  heapGrowthBytes: process.memoryUsage().heapUsed - heapBefore,
  leaks,
  violations: takeViolations(),
};
process.stdout.write(JSON.stringify(report) + "\n");

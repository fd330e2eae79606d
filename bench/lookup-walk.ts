/**
 * Memory per lookup through the lookup layer: bytes allocated per lookup
 * (summed over every garbage collection, so independent of load) and heap
 * held per lookup in flight, for gethostbyname and getaddrinfo answered
 * by an in-process DNS server on loopback and by a hosts-file line.
 * CPU time per lookup is printed too, with the load average, as it is
 * noisy on a shared machine. Run with
 * `node --expose-gc --import tsx bench/lookup-walk.ts [lookups [case]]`
 * (`case`: only the cases whose name contains it).
 */
import { loadavg } from "node:os";
import v8 from "node:v8";
import { AF_UNSPEC, SOCK_STREAM } from "../src/constants.js";
import { Resolver } from "../src/resolver.js";
import { LOOPBACK_ONLY } from "../test/lookup/support/context.js";
import { ZONES } from "../test/dns/world.js";
import { TestDnsServer } from "../test/support/dnsserver.js";

const HOSTS = "127.0.0.1 localhost\n::1 localhost\n192.0.2.99 filehost.test filehost\n2001:db8::99 filehost.test filehost\n";

interface Case {
  name: string;
  run(resolver: Resolver): Promise<unknown>;
}

const CASES: Case[] = [
  { name: "gethostbyname, DNS", run: (r) => r.gethostbyname("www.netdb.test") },
  { name: "getaddrinfo AF_UNSPEC, DNS", run: (r) => r.getaddrinfo("www.netdb.test", 80, AF_UNSPEC, SOCK_STREAM) },
  { name: "gethostbyname, hosts file", run: (r) => r.gethostbyname("filehost.test") },
  { name: "getaddrinfo AF_UNSPEC, hosts file", run: (r) => r.getaddrinfo("filehost.test", 80, AF_UNSPEC, SOCK_STREAM) },
];

const gc = (globalThis as { gc?: () => void }).gc;

/** Bytes allocated while `work` runs: the heap's growth plus what every collection freed. */
async function allocated(work: () => Promise<void>): Promise<number> {
  gc!();
  const profiler = new v8.GCProfiler();
  const before = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  await work();
  const after = v8.getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  const freed = statistics.reduce((sum, s) => sum + s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize, 0);
  return after - before + freed;
}

/** Heap held per lookup while `count` lookups are in flight at once. */
async function heapInFlight(c: Case, resolver: Resolver, count: number): Promise<number> {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const pending: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) pending.push(c.run(resolver));
  const during = process.memoryUsage().heapUsed;
  await Promise.all(pending);
  return (during - before) / count;
}

async function measure(c: Case, resolver: Resolver, lookups: number): Promise<void> {
  for (let i = 0; i < 500; i++) await c.run(resolver);
  const cpuBefore = process.cpuUsage();
  const bytes = await allocated(async () => {
    for (let i = 0; i < lookups; i++) await c.run(resolver);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const held = await heapInFlight(c, resolver, 1000);
  const perLookup = (bytes / lookups).toFixed(0);
  const cpuUs = ((cpu.user + cpu.system) / lookups).toFixed(1);
  process.stdout.write(`| ${c.name} | ${perLookup} | ${held.toFixed(0)} | ${cpuUs} |\n`);
}

async function main(): Promise<void> {
  if (gc === undefined) throw new Error("run with node --expose-gc");
  const lookups = Number(process.argv[2] ?? 10_000);
  const only = process.argv[3] ?? "";
  const server = await TestDnsServer.start({ zones: ZONES });
  const resolver = new Resolver({
    files: { hosts: HOSTS, "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "options timeout:1 attempts:2\n" },
    nameservers: [`127.0.0.1:${server.port}`],
    network: LOOPBACK_ONLY,
    env: {},
  });
  try {
    process.stdout.write(`${lookups} lookups each, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n\n`);
    process.stdout.write("| lookup | bytes allocated per lookup | heap per lookup in flight (1,000) | CPU µs per lookup |\n|---|---:|---:|---:|\n");
    for (const c of CASES.filter((c) => c.name.includes(only))) await measure(c, resolver, lookups);
    process.stdout.write(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  } finally {
    await resolver.close();
    await server.stop();
  }
}

await main();

/**
 * What a lookup in flight holds, by object shape: starts N `gethostbyname`
 * calls (distinct names) against a loopback UDP socket that never answers,
 * takes a heap snapshot before and after (each after a full GC), and
 * prints the growth per lookup grouped by V8's node type and name
 * (constructor for objects, "closure" for functions, ...). The bench's
 * memory row gives the total; this says where it goes.
 *
 *   npx tsx bench/build-once.ts && node --expose-gc bench/heap-shapes.ts
 *   node --expose-gc --import tsx bench/heap-shapes.ts [N] [getaddrinfo]
 *
 * It imports the bench's tsc build (node_modules/.cache/netdb-bench/dist),
 * built by any `npm run bench` run.
 */
import dgram from "node:dgram";
import { writeHeapSnapshot } from "node:v8";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Session } from "node:inspector";
import { NETDB_BUILD } from "./build.js";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
  locations: number[];
  snapshot_meta?: unknown;
}

/** Sizes and counts per "type:name" of one heap snapshot file. */
function shapes(file: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  rmSync(file);
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, { count: number; size: number }>();
  // Closures carry their source position: [node offset, script id, line, column] per entry.
  const where = new Map<number, string>();
  const scripts = scriptNames();
  for (let i = 0; i < snap.locations.length; i += 4) {
    where.set(snap.locations[i]!, `${scripts.get(snap.locations[i + 1]!) ?? snap.locations[i + 1]}:${snap.locations[i + 2]! + 1}`);
  }
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    let name = snap.strings[snap.nodes[i + nameAt]!]!;
    if (type === "string" || type === "concatenated string" || type === "sliced string") name = "";
    if (type === "closure") name = `${name || "(anonymous)"} ${where.get(i) ?? ""}`;
    const key = `${type}:${name.slice(0, 80)}`;
    const entry = out.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += snap.nodes[i + sizeAt]!;
    out.set(key, entry);
  }
  return out;
}

/** Script ids of the loaded netdb modules, by the inspector's numbering (what the snapshot's locations use). */
function scriptNames(): Map<number, string> {
  return scriptIds;
}
const scriptIds = new Map<number, string>();
const inspector = new Session();
inspector.connect();
inspector.on("Debugger.scriptParsed", ({ params }) => {
  scriptIds.set(Number(params.scriptId), params.url.replace(/^.*\/(dist|src)\//, ""));
});
inspector.post("Debugger.enable");

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc");
  collect();
  collect();
}

const n = Number(process.argv[2] ?? 10_000);
const call = process.argv[3] ?? "gethostbyname";
const silent = dgram.createSocket("udp4");
await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
const { Resolver } = (await import(`${NETDB_BUILD}/index.js`)) as typeof import("../src/index.js");
const resolver = new Resolver({
  files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
  hostname: "bench",
  nameservers: [`127.0.0.1:${silent.address().port}`],
  timeout: 60_000,
  attempts: 1,
});
// Warm every path once (a lookup that fails at once: no such name in a silent world is not possible, so a numeric one).
await resolver.gethostbyname("127.0.0.1");
gc();
// Kept in a file while the second snapshot is taken: a live Map would add its own keys to what is counted.
const beforeFile = `${tmpdir()}/netdb-heap-shapes-${process.pid}.json`;
writeFileSync(beforeFile, JSON.stringify([...shapes(writeHeapSnapshot())]));
const pending: Array<Promise<unknown>> = [];
for (let i = 0; i < n; i++) {
  const name = `q${i}.bench.test`;
  pending.push((call === "getaddrinfo" ? resolver.getaddrinfo(name, 80) : resolver.gethostbyname(name)).catch(() => undefined));
}
await new Promise((resolve) => setTimeout(resolve, 1500));
gc();
const after = shapes(writeHeapSnapshot());
const beforeShapes = new Map(JSON.parse(readFileSync(beforeFile, "utf8")) as Array<[string, { count: number; size: number }]>);
rmSync(beforeFile);
const rows: Array<[string, number, number]> = [];
for (const [key, a] of after) {
  const b = beforeShapes.get(key) ?? { count: 0, size: 0 };
  const size = (a.size - b.size) / n;
  const count = (a.count - b.count) / n;
  if (Math.abs(size) >= 4) rows.push([key, count, size]);
}
rows.sort((x, y) => y[2] - x[2]);
let total = 0;
for (const [, , size] of rows) total += size;
process.stdout.write(`${call}: ${n} in flight, per lookup: ${total.toFixed(0)} B in shapes of >= 4 B\n`);
for (const [key, count, size] of rows) process.stdout.write(`${size.toFixed(0).padStart(6)} B  ${count.toFixed(2).padStart(6)}  ${key}\n`);
process.exit(0);

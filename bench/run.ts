/**
 * `npm run bench`: netdb against node:dns (c-ares), dns.lookup (glibc),
 * dns2, dns-socket and tangerine, and against the raw dgram floor, all
 * asking the same Knot on loopback for the same names. Prints a table and
 * writes bench/results/latest.json.
 *
 *   npm run bench [-- --quick] [-- --profile CLIENT] [-- --only SECTION,...]
 *
 * --quick shortens every window (for trying the harness, not for figures);
 * --clients a,b,... measures only those clients (names of bench/clients/*.ts);
 * --profile CLIENT runs that client's throughput worker under --cpu-prof
 * (profiles land in node_modules/.cache/netdb-bench/profiles/, and
 * `npx tsx bench/profile.ts FILE` summarizes one); --only picks sections
 * (dns, interleaved, glibc, hosts, cold, memory, burst, spoof, dot, doh); --conc 64,1024
 * picks the concurrencies of the throughput runs (1, 64 and 1024 unless said);
 * --duration MS lengthens each throughput window (1500 ms unless said), for a
 * profile that the start-up does not dominate.
 * interleaved is issue 14's second harness (bench/interleaved.ts): netdb,
 * c-ares and dns-socket (or the --clients, with c-ares added for the
 * ratios) in one process, in alternating slices, against the same Knot.
 * burst and spoof are issue 12's measurements (bench/burst.ts); spoof, like
 * glibc, runs in a private network namespace and needs root. dot and doh
 * are issue 18's: netdb over DNS over TLS, and over DNS over HTTPS (HTTP/2)
 * against tangerine over HTTPS and plain HTTP, each beside netdb over UDP,
 * through encrypted fronts for the same Knot (bench/encrypted-front.ts).
 */
import dgram from "node:dgram";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { makeCertificate } from "../test/support/encrypted.js";
import { installNetGuard } from "../test/support/netguard.js";
import { buildNetdb } from "./build.js";
import { startKnot } from "../test/support/knot.js";
import type { RunLimits } from "./measure.js";
import { runBurstBench, runSpoofBench } from "./burst.js";
import { runCliStart, runColdStarts } from "./coldstart.js";
import { runHostsBench } from "./hosts.js";
import type { InsideTask } from "./inside.js";
import { BASELINE, type InterleavedResults, type InterleaveTask } from "./interleaved.js";
import { loopbackEtc, runInNamespace } from "./netns.js";
import { checkTargets, renderReport, type BenchResults } from "./report.js";
import { ROOT, runJson, tsNode } from "./spawn.js";
import type { WorkerOutput, WorkerTask } from "./worker.js";
import { BENCH_ORIGIN, benchZoneText } from "./zone.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const profile = args.includes("--profile") ? args[args.indexOf("--profile") + 1] : undefined;
const only = args.includes("--only") ? new Set(args[args.indexOf("--only") + 1]!.split(",")) : undefined;
const wanted = (section: string): boolean => only === undefined || only.has(section);

/** Clients measured in the host namespace against the bench's Knot. */
const DNS_CLIENTS = args.includes("--clients")
  ? args[args.indexOf("--clients") + 1]!.split(",")
  : ["floor", "floor-8-per-port", "floor-socket-per-query", "netdb", "netdb-one-port", "netdb-dnsclient", "cares", "dns2", "dns-socket", "tangerine"];
const CONCURRENCIES = args.includes("--conc") ? args[args.indexOf("--conc") + 1]!.split(",").map(Number) : [1, 64, 1024];
const DURATION_MS = args.includes("--duration") ? Number(args[args.indexOf("--duration") + 1]) : 1500;
const LIMITS: RunLimits = quick ? { warmupMs: 100, durationMs: 300, drainMs: 500 } : { warmupMs: 300, durationMs: DURATION_MS, drainMs: 1500 };
const TIMEOUT_MS = 2000;
const PROFILE_DIR = `${ROOT}node_modules/.cache/netdb-bench/profiles`;
const INFLIGHT = 10_000;
/** The interleaved harness's clients; never `lookup`, which would ask the host's resolv.conf. */
const INTERLEAVED_CLIENTS = args.includes("--clients")
  ? [...new Set([...DNS_CLIENTS, BASELINE])].filter((c) => c !== "lookup")
  : ["netdb", BASELINE, "dns-socket"];
/**
 * Slices of 200 ms, as many rounds as make up the per-process window (1.5 s:
 * 8 rounds). The drain outlasts two timeouts: dns-socket with retries 0
 * still resends a lost query once and fails it only after twice its timeout.
 */
const DRAIN_MS = 2 * TIMEOUT_MS + 500;
const SLICE = quick ? { leadInMs: 30, windowMs: 100, drainMs: DRAIN_MS } : { leadInMs: 50, windowMs: 200, drainMs: DRAIN_MS };
const ROUNDS = Math.max(2, Math.round(LIMITS.durationMs / SLICE.windowMs));

installNetGuard();
const started = performance.now();
process.stderr.write("building netdb with tsc\n");
await buildNetdb();
const results: BenchResults = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, loadBefore: loadavg()[0]! },
  limits: LIMITS,
};

/** The throughput budget of one worker: every run plus start-up slack. */
const workerDeadline = (concurrencies: number[]): number =>
  concurrencies.length * (LIMITS.warmupMs + LIMITS.durationMs + LIMITS.drainMs) + 20_000;

/** Runs one worker; a client that fails is reported as failed and the bench goes on. */
async function runWorker(argv: string[], client: string, deadlineMs: number): Promise<WorkerOutput> {
  try {
    return await runJson<WorkerOutput>(argv, deadlineMs);
  } catch (err) {
    const error = (err as Error).message;
    process.stderr.write(`${client} failed: ${error}\n`);
    // The thrown error's own line ("GaiError: [Errno -11] ..."), not a source line quoted above it.
    const lines = error.split("\n");
    return { client, error: lines.find((l) => /^\s*[A-Za-z]*Error\b.*:/.test(l))?.trim() ?? lines[0]! };
  }
}

/** Starts bench/doh-proxy.ts in front of Knot; resolves with its port and a stop function. */
async function startDohProxy(knotPort: number): Promise<{ port: number; stop: () => void }> {
  const argv = tsNode("doh-proxy.ts");
  const child = spawn(argv[0]!, [...argv.slice(1), String(knotPort)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  return { port: Number(line.toString().trim()), stop: () => child.kill("SIGTERM") };
}

/** Starts bench/encrypted-front.ts in front of Knot with a certificate made now; resolves with its ports, the CA file and a stop function. */
async function startEncryptedFront(knotPort: number): Promise<{ dot: number; doh: number; caFile: string; stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "netdb-bench-cert-"));
  const certificate = makeCertificate(["dns.bench"]);
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, certificate.ca);
  writeFileSync(join(dir, "server.pem"), certificate.cert);
  writeFileSync(join(dir, "key.pem"), certificate.key);
  const argv = tsNode("encrypted-front.ts");
  const child = spawn(argv[0]!, [...argv.slice(1), String(knotPort), join(dir, "server.pem"), join(dir, "key.pem")], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const ports = JSON.parse(line.toString()) as { dot: number; doh: number };
  return {
    ...ports,
    caFile,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A UDP socket that reads queries and never answers, for the in-flight memory run. */
async function startSilentServer(): Promise<{ port: number; received: () => number; stop: () => void }> {
  const socket = dgram.createSocket("udp4");
  let received = 0;
  socket.on("message", () => received++);
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, received: () => received, stop: () => socket.close() };
}

/** Runs the interleaved harness against `server`; a failed harness is reported as one failed client. */
async function runInterleaved(server: { address: string; port: number }, dohPort: number): Promise<InterleavedResults> {
  const task: InterleaveTask = {
    clients: INTERLEAVED_CLIENTS,
    server,
    options: { timeoutMs: TIMEOUT_MS, dohPort },
    concurrencies: CONCURRENCIES,
    rounds: ROUNDS,
    warmupMs: LIMITS.warmupMs,
    slice: SLICE,
  };
  // Worst case: every slice and warm-up waits out its whole drain.
  const perClient = (ROUNDS + 1) * (SLICE.leadInMs + SLICE.windowMs + SLICE.drainMs) + LIMITS.warmupMs;
  const deadline = CONCURRENCIES.length * INTERLEAVED_CLIENTS.length * perClient + 30_000;
  try {
    return await runJson<InterleavedResults>([...tsNode("interleave-worker.ts"), JSON.stringify(task)], deadline);
  } catch (err) {
    const error = (err as Error).message.split("\n")[0]!;
    process.stderr.write(`interleaved failed: ${(err as Error).message}\n`);
    return { loadBefore: NaN, loadAfter: loadavg()[0]!, rounds: ROUNDS, slice: SLICE, runs: [], failed: [{ client: "harness", error }] };
  }
}

if (wanted("dns") || wanted("interleaved") || wanted("memory") || wanted("cold")) {
  const knot = await startKnot([{ origin: `${BENCH_ORIGIN}.`, text: benchZoneText() }]);
  const doh = await startDohProxy(knot.port);
  const server = { address: "127.0.0.1", port: knot.port };
  try {
    if (wanted("dns")) {
      results.dns = [];
      for (const client of DNS_CLIENTS) {
        const task: WorkerTask = {
          kind: "throughput",
          client,
          server,
          options: { timeoutMs: TIMEOUT_MS, dohPort: doh.port },
          concurrencies: CONCURRENCIES,
          limits: LIMITS,
          guard: true,
        };
        const nodeArgs = client === profile ? ["--cpu-prof", "--cpu-prof-dir", PROFILE_DIR] : [];
        process.stderr.write(`dns: ${client}\n`);
        results.dns.push(await runWorker([...tsNode("worker.ts", nodeArgs), JSON.stringify(task)], client, workerDeadline(CONCURRENCIES)));
      }
    }
    if (wanted("interleaved")) {
      process.stderr.write(`interleaved: ${INTERLEAVED_CLIENTS.join(", ")} in one process\n`);
      results.interleaved = await runInterleaved(server, doh.port);
    }
    if (wanted("memory")) {
      const silent = await startSilentServer();
      results.memory = [];
      for (const client of DNS_CLIENTS.filter((c) => !c.startsWith("floor"))) {
        const task: WorkerTask = {
          kind: "memory",
          client,
          server: { address: "127.0.0.1", port: silent.port },
          options: { timeoutMs: 60_000, dohPort: doh.port },
          inflight: INFLIGHT,
          settleMs: quick ? 500 : 1500,
          guard: true,
        };
        process.stderr.write(`memory: ${client}\n`);
        results.memory.push(await runWorker([...tsNode("worker.ts", ["--expose-gc"]), JSON.stringify(task)], client, 30_000));
      }
      silent.stop();
    }
    if (wanted("cold")) {
      process.stderr.write("cold start\n");
      results.cold = await runColdStarts(server.address, knot.port, doh.port, quick, args.includes("--clients") ? DNS_CLIENTS : undefined);
      process.stderr.write("cli start\n");
      results.cli = await runCliStart(quick);
    }
  } finally {
    doh.stop();
    await knot.stop();
  }
}

if (wanted("dot") || wanted("doh")) {
  const knot = await startKnot([{ origin: `${BENCH_ORIGIN}.`, text: benchZoneText() }]);
  const doh = await startDohProxy(knot.port);
  const front = await startEncryptedFront(knot.port);
  // tangerine (undici) trusts the fronts' certificate only through the default store.
  process.env.NODE_EXTRA_CA_CERTS = front.caFile;
  const server = { address: "127.0.0.1", port: knot.port };
  const sections = [
    ["dot", ["netdb", "netdb-dot"]],
    ["doh", ["netdb", "netdb-doh", "tangerine-https", "tangerine"]],
  ] as const;
  try {
    for (const [section, clients] of sections) {
      if (!wanted(section)) continue;
      const outputs: WorkerOutput[] = [];
      for (const client of clients) {
        const task: WorkerTask = {
          kind: "throughput",
          client,
          server,
          options: { timeoutMs: TIMEOUT_MS, dohPort: doh.port, dotPort: front.dot, dohTlsPort: front.doh, caFile: front.caFile },
          concurrencies: CONCURRENCIES,
          limits: LIMITS,
          guard: true,
        };
        process.stderr.write(`${section}: ${client}\n`);
        outputs.push(await runWorker([...tsNode("worker.ts"), JSON.stringify(task)], client, workerDeadline(CONCURRENCIES)));
      }
      results[section] = outputs;
    }
  } finally {
    front.stop();
    doh.stop();
    await knot.stop();
  }
}

if (wanted("glibc")) {
  // dns.lookup asks resolv.conf's nameserver: only inside a namespace whose
  // resolv.conf names a Knot on 127.0.0.1:53. The floor is measured again
  // there, so dns.lookup is compared with the floor of its own namespace.
  process.stderr.write("glibc: dns.lookup in a private namespace\n");
  const task: InsideTask = { kind: "dns", clients: ["floor", "lookup"], concurrencies: CONCURRENCIES, limits: LIMITS, timeoutMs: TIMEOUT_MS };
  const out = await runInNamespace(loopbackEtc("127.0.0.1 localhost\n"), [...tsNode("inside.ts"), JSON.stringify(task)], 2 * workerDeadline(CONCURRENCIES) + 10_000);
  results.glibc = JSON.parse(out.trim().split("\n").pop()!) as WorkerOutput[];
}

if (wanted("hosts")) results.hosts = await runHostsBench(quick);

if (wanted("burst")) {
  process.stderr.write("burst: 10,000 lookups at once, and Knot with one UDP worker\n");
  results.burst = await runBurstBench(LIMITS);
}

if (wanted("spoof")) {
  process.stderr.write("spoof: source ports and forged answers, with glibc, in a private namespace\n");
  results.spoof = await runSpoofBench();
}

results.targets = checkTargets(results);
results.totalSeconds = (performance.now() - started) / 1000;
results.machine.loadAfter = loadavg()[0]!;
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/latest.json`, JSON.stringify(results, null, 2) + "\n");
process.stdout.write(renderReport(results));
process.stdout.write(`\nwrote bench/results/latest.json (${results.totalSeconds.toFixed(0)} s)\n`);

/**
 * Load: 10,000 lookups at once through the public Resolver against the
 * loopback test server, which drops 5% of the queries it receives (the
 * first query for every twentieth name). Every lookup must settle with an
 * answer (the dropped ones through glibc's retry), the sockets open at once
 * must stay within one per lookup in flight, and once it is over the heap
 * must come back to where it was and nothing may be left open.
 *
 * Server (load-server.ts) and client (load-client.ts) run in processes of
 * their own: the server so it does not compete with the client for an
 * event loop, the client so it can be given enough file descriptors.
 */
import { expect } from "chai";
import { fork, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { POOL_LIMITS } from "../../src/dns/transport/udppool.js";
import { recordFigures } from "./figures.js";
import type { LoadReport } from "./load-client.js";

const LOOKUPS = 10_000;
/** Every DROP_EVERY-th name loses its first query: 5%. */
const DROP_EVERY = 20;
const SERVER = fileURLToPath(new URL("./load-server.ts", import.meta.url));
const CLIENT = fileURLToPath(new URL("./load-client.ts", import.meta.url));

/** Asks the server process something over IPC and waits for its reply. */
async function ask<T>(server: ChildProcess, message: string): Promise<T> {
  server.send(message);
  const [reply] = (await once(server, "message")) as [T];
  return reply;
}

/** The hard RLIMIT_NOFILE of this process (a child may raise its soft limit up to it). */
function hardFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const hard = line?.trim().split(/\s+/)[4];
  return hard === "unlimited" || hard === undefined ? Infinity : Number(hard);
}

/** Runs the client with its soft file limit raised; resolves with its report. */
async function runClient(port: number): Promise<LoadReport> {
  const limit = Math.min(hardFileLimit(), 65_536);
  if (limit < LOOKUPS + 256) throw new Error(`the load test needs ${LOOKUPS + 256} file descriptors; the hard limit here is ${limit}`);
  const argv = [process.execPath, "--expose-gc", "--import", "tsx", CLIENT, String(port), String(LOOKUPS)];
  const child = spawn("sh", ["-c", 'ulimit -n "$0" && exec "$@"', String(limit), ...argv], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`load client exited ${code}:\n${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as LoadReport;
}

describe("reliability: load", function () {
  this.timeout(60_000);
  let server: ChildProcess;
  let port: number;

  before(async () => {
    server = fork(SERVER, [String(LOOKUPS), String(DROP_EVERY)], { execArgv: ["--import", "tsx"] });
    [{ port }] = (await once(server, "message")) as [{ port: number }];
  });
  after(async () => {
    const exited = once(server, "exit");
    server.send("stop");
    await exited;
  });

  it(`${LOOKUPS.toLocaleString("en")} lookups at once, 5% of queries dropped: all answered, sockets bounded, heap back to baseline, nothing left open`, async () => {
    const report = await runClient(port);
    const { count: queries } = await ask<{ count: number }>(server, "count");
    recordFigures("load", { lookups: LOOKUPS, dropped: LOOKUPS / DROP_EVERY, queries, ...report });

    expect(report.failures, `${LOOKUPS - report.answered} lookups failed`).to.deep.equal([]);
    expect(report.wrong).to.deep.equal([]);
    // One warm-up, every lookup once, and the dropped queries asked again: nothing else.
    expect(queries).to.equal(1 + LOOKUPS + LOOKUPS / DROP_EVERY);
    // The UDP pool: a socket carries queriesPerSocket queries in its life and
    // stays open until the last of them is answered or reaches its deadline.
    // So at most one socket per dropped query (held to its 5 s deadline),
    // plus those of the window's queries in flight, the spares, and a margin
    // for sockets opened for an ID already in flight on every socket with room.
    // (glibc holds one socket per lookup in flight: 10,000.)
    const socketBound = LOOKUPS / DROP_EVERY + Math.ceil(POOL_LIMITS.window.max / POOL_LIMITS.queriesPerSocket) + POOL_LIMITS.spareSockets + 20;
    expect(report.maxSockets, "open sockets at once").to.be.at.most(socketBound);
    expect(report.heapGrowthBytes, "heap growth after the run, bytes").to.be.below(4 * 1024 * 1024);
    expect(report.leaks, "left open after close()").to.deep.equal([]);
    expect(report.violations).to.deep.equal([]);
  });
});

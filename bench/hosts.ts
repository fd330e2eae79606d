/**
 * Hosts-file lookups with 10, 10,000 and 100,000 lines: netdb (parses once,
 * then checks the file's mtime at most once a second) against dns.lookup
 * (glibc reads the whole file on every call) and CPython's
 * socket.gethostbyname, both inside a namespace with the file mounted as
 * /etc/hosts.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importBuilt } from "./build.js";
import { generateHosts } from "./hostsfile.js";
import type { InsideHostsResult, InsideTask } from "./inside.js";
import { loopbackEtc, runInNamespace } from "./netns.js";
import { timeSequential, type SequentialResult } from "./sequential.js";
import { tsNode } from "./spawn.js";

/** Figures for one hosts-file size. */
export interface HostsResult {
  lines: number;
  netdb: SequentialResult;
  lookup: SequentialResult;
  python?: SequentialResult;
}

const SIZES = [10, 10_000, 100_000];

async function netdbHosts(text: string, name: string, address: string, budgetMs: number, maxCalls: number): Promise<SequentialResult> {
  const root = mkdtempSync(join(tmpdir(), "netdb-bench-root-"));
  try {
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc", "hosts"), text);
    writeFileSync(join(root, "etc", "nsswitch.conf"), "hosts: files\n");
    writeFileSync(join(root, "etc", "resolv.conf"), "nameserver 127.0.0.1\n");
    const { Resolver } = await importBuilt<typeof import("../src/index.js")>("index.js");
    const resolver = new Resolver({ root });
    const result = await timeSequential(async () => {
      const got = await resolver.gethostbyname(name);
      if (got !== address) throw new Error(`netdb gethostbyname(${name}) gave ${got}, expected ${address}`);
    }, budgetMs, maxCalls);
    await resolver.close();
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs every size; `quick` shortens the budgets. */
export async function runHostsBench(quick: boolean): Promise<HostsResult[]> {
  const budgetMs = quick ? 200 : 1000;
  const results: HostsResult[] = [];
  for (const lines of SIZES) {
    process.stderr.write(`hosts: ${lines} lines\n`);
    const { text, lastName, lastAddress } = generateHosts(lines);
    const netdb = await netdbHosts(text, lastName, lastAddress, budgetMs, 200_000);
    const task: InsideTask = { kind: "hosts", name: lastName, address: lastAddress, budgetMs, maxCalls: 200_000, python: true };
    const out = await runInNamespace(loopbackEtc(text), [...tsNode("inside.ts"), JSON.stringify(task)], 4 * budgetMs + 30_000);
    const inside = JSON.parse(out.trim().split("\n").pop()!) as InsideHostsResult;
    results.push({ lines, netdb, ...inside });
  }
  return results;
}

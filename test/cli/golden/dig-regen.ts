/**
 * Records what BIND's dig prints for each line of dig-cases.txt, as
 * test/cli/query-golden.test.ts compares `netdb query` with it:
 *
 *   npx tsx test/cli/golden/dig-regen.ts
 *
 * (dig from Debian's bind9-dnsutils; .ci/run installs it). Knot runs on a
 * free port of 127.0.0.1 serving test/cli/golden/types.test.zone and the
 * seed world's zones; dig's output, masked by {@link maskDig}, and its exit
 * status go to dig.json.
 */
import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startKnot, worldZones, type KnotZone } from "../../support/knot.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "../../..");

/** How a case asks: see dig-cases.txt. */
export type DigMode = "udp" | "v6" | "edns" | "tcp" | "short" | "noreply";
const MODES: readonly DigMode[] = ["udp", "v6", "edns", "tcp", "short", "noreply"];

/** One line of dig-cases.txt. */
export interface DigCase {
  mode: DigMode;
  name: string;
  /** The type words, then a class word if any. */
  words: string[];
}

/** A case and what dig did with it. */
export interface DigGolden extends DigCase {
  status: number;
  /** dig's stdout, masked. */
  stdout: string;
}

export const DIG_GOLDEN = join(here, "dig.json");

/** The cases of dig-cases.txt, in order. */
export function readDigCases(): DigCase[] {
  return readFileSync(join(here, "dig-cases.txt"), "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [mode, name, ...words] = line.split(/\s+/);
      if (!MODES.includes(mode as DigMode) || name === undefined) throw new Error(`dig-cases.txt: bad line ${JSON.stringify(line)}`);
      return { mode: mode as DigMode, name, words };
    });
}

/** The zones Knot serves for the cases. */
export function digZones(): KnotZone[] {
  return [{ origin: "types.test.", file: join(here, "types.test.zone") }, ...worldZones("seed")];
}

/** dig's command line for a case: what netdb sends (RD, no AD, no cookie; EDNS0 only in edns mode), one lookup per type. */
export function digArgs(c: DigCase, port: number): string[] {
  const types = c.words.filter((w) => !CLASSES.has(w.toUpperCase()));
  const classes = c.words.filter((w) => CLASSES.has(w.toUpperCase()));
  const lookups = (types.length === 0 ? ["A"] : types).flatMap((type) => [c.name, type, ...classes]);
  return [
    c.mode === "v6" ? "@::1" : "@127.0.0.1", "-p", String(port), "+noadflag", c.mode === "edns" ? "+nocookie" : "+noedns",
    ...(c.mode === "tcp" ? ["+tcp"] : []),
    ...(c.mode === "short" ? ["+short"] : []),
    ...(c.mode === "noreply" ? ["+tries=2"] : []),
    ...lookups,
  ];
}

/** netdb's command line for a case (dig's spellings for the server and +short, netdb's for TCP). */
export function netdbArgs(c: DigCase, port: number): string[] {
  const root = c.mode === "edns" ? join(here, "edns0") : join(repo, "fixtures/worlds/seed");
  return [
    "query", c.mode === "v6" ? `@[::1]:${port}` : `@127.0.0.1:${port}`, c.name, ...c.words,
    ...(c.mode === "tcp" ? ["--tcp"] : []),
    ...(c.mode === "short" ? ["+short"] : []),
    "--root", root,
  ];
}

const CLASSES = new Set(["IN", "CH", "HS"]);

/**
 * What may differ between two runs, or between dig and netdb, masked: the
 * banner line (program, version, command line), the message ID, the query
 * time, the WHEN date and the server's port (Knot gets a free one each run).
 */
export function maskDig(text: string, port: number): string {
  return text
    .replace(/^; <<>> .*$/gm, "; <<>> BANNER")
    .replace(/^(;; ->>HEADER<<- .*, id: )\d+$/gm, "$1ID")
    .replace(/^;; Query time: \d+ msec$/gm, ";; Query time: N msec")
    .replace(/^;; WHEN: .*$/gm, ";; WHEN: DATE")
    .replaceAll(`#${port}`, "#PORT");
}

/** A UDP port on 127.0.0.1 nobody listens on (bound and released). */
export async function closedPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Runs a program; resolves its stdout and exit status. */
export function run(file: string, args: string[], options: { cwd?: string } = {}): Promise<{ stdout: string; stderr: string; status: number }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60_000, ...options }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") reject(error);
      else resolve({ stdout, stderr, status: error === null ? 0 : (error.code as number) });
    });
  });
}

async function main(): Promise<void> {
  const knot = await startKnot(digZones());
  try {
    const golden: DigGolden[] = [];
    for (const c of readDigCases()) {
      const port = c.mode === "noreply" ? await closedPort() : knot.port;
      const { stdout, status } = await run("dig", digArgs(c, port));
      golden.push({ ...c, status, stdout: maskDig(stdout, port) });
    }
    writeFileSync(DIG_GOLDEN, `${JSON.stringify(golden, null, 1)}\n`);
    console.log(`${golden.length} cases written to ${DIG_GOLDEN}`);
  } finally {
    await knot.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

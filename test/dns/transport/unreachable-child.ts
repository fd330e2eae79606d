/**
 * The inside half of unreachable.test.ts and of its recorder
 * (scripts/golden/unreachable.py): runs in a network namespace of its own,
 * never in the machine's.
 *
 *   node --import tsx test/dns/transport/unreachable-child.ts serve
 *       The namespace's servers, for the recorder: the test DNS server on
 *       127.0.0.1:53 with the zones read (JSON) from stdin, and a UDP socket
 *       on 127.0.0.3:53 that reads queries and never answers. Prints
 *       "ready", runs until SIGTERM.
 *   node --import tsx test/dns/transport/unreachable-child.ts replay NAMESPACE
 *       Builds the namespace of fixtures/golden/unreachable.json (its `ip`
 *       commands, then the same servers in this process) and runs every
 *       scenario's steps against a Resolver given the recorded /etc texts
 *       and the scenario's resolv.conf; prints one JSON line: per scenario,
 *       each call's outcome and duration, and the error codes netdb's trace
 *       saw per server.
 *
 * Neither starts in the network namespace its starter is in (named in
 * UNREACHABLE_OUTER_NETNS), and `replay` only in a fresh one (only `lo`, and it down): its `ip` commands must never touch
 * the machine's routes.
 * An uncaught exception or unhandled rejection ends the child with status
 * 70 (crashguard.ts).
 */
import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { GaiError, HError, SocketError } from "../../../src/errors.js";
import { Resolver } from "../../../src/resolver.js";
import type { TraceEvent } from "../../../src/trace.js";
import { exitOnCrash } from "../../support/crashguard.js";
import { TestDnsServer, type ZoneSource } from "../../support/dnsserver.js";

export const GOLDEN_FILE = join(import.meta.dirname, "..", "..", "..", "fixtures", "golden", "unreachable.json");

/** A call as the recorder made it, with CPython's outcome. */
export interface GoldenCall {
  call: string;
  args: unknown[];
  ok?: unknown;
  error?: Outcome["error"];
  ms: number;
}

/** A step that changes the namespace between calls: `ip` arguments, in order. */
export interface GoldenIp {
  ip: string[];
}

export interface GoldenScenario {
  id: string;
  what: string;
  "resolv.conf": string;
  steps: Array<GoldenCall | GoldenIp>;
  /** Per server address: what one query over the scenario's protocol met ("answers", "silent" or an errno name). */
  servers: Record<string, string>;
}

export interface GoldenNamespace {
  id: string;
  what: string;
  ip: string[];
  serve: boolean;
  scenarios: GoldenScenario[];
}

export interface UnreachableGolden {
  python: string;
  libc: string;
  hostname: string;
  etc: Record<string, string>;
  zones: ZoneSource[];
  namespaces: GoldenNamespace[];
}

/** A call's ending, in the golden's terms. */
export interface Outcome {
  ok?: unknown;
  error?: { type: string; errno: number | null; message: string };
}

/** What the replay of one scenario saw. */
export interface ScenarioRun {
  id: string;
  /** One per call step, in order. */
  calls: Array<Outcome & { ms: number }>;
  /** Per server label (`address:port`), the sorted distinct error codes the trace reported. */
  errors: Record<string, string[]>;
  /** The distinct error texts of the trace (`CODE: UDP send: ...`). */
  errorTexts: string[];
}

export function readUnreachableGolden(): UnreachableGolden {
  return JSON.parse(readFileSync(GOLDEN_FILE, "utf8")) as UnreachableGolden;
}

export function isIpStep(step: GoldenCall | GoldenIp): step is GoldenIp {
  return "ip" in step;
}

/** Python's class name for what netdb threw; anything but netdb's socket errors is named as itself, and fails the comparison. */
function describeError(error: unknown): NonNullable<Outcome["error"]> {
  const type =
    error instanceof GaiError ? "gaierror"
    : error instanceof HError ? "herror"
    : error instanceof SocketError ? "OSError"
    : `not a socket error: ${(error as Error)?.name ?? typeof error}`;
  const errno = error instanceof SocketError ? (error.errno ?? null) : null;
  return { type, errno, message: error instanceof Error ? error.message : String(error) };
}

function ip(command: string): void {
  execFileSync("ip", command.split(" "), { stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * Throws unless this process is in another network namespace than the one
 * it was started from, which its starter names in UNREACHABLE_OUTER_NETNS
 * (the `readlink /proc/self/ns/net` of the starter).
 */
function assertOwnNamespace(): void {
  const outer = process.env.UNREACHABLE_OUTER_NETNS;
  if (outer === undefined || outer === "" || readlinkSync("/proc/self/ns/net") === outer) {
    throw new Error("unreachable-child: not in a network namespace of its own; run it under unshare -n with UNREACHABLE_OUTER_NETNS set to the outer one");
  }
}

/** Throws unless this process is in a fresh network namespace: its own, with only lo, down. */
function assertFreshNamespace(): void {
  assertOwnNamespace();
  const links = JSON.parse(execFileSync("ip", ["-j", "link", "show"], { encoding: "utf8" })) as Array<{ ifname: string; flags: string[] }>;
  if (links.length !== 1 || links[0]!.ifname !== "lo" || links[0]!.flags.includes("UP")) {
    throw new Error(`unreachable-child: not in a fresh network namespace (links: ${links.map((l) => l.ifname).join(", ")}); run it under unshare -n`);
  }
}

/** The namespace's servers: the test DNS server on 127.0.0.1:53, a silent UDP socket on 127.0.0.3:53. */
async function startServers(zones: ZoneSource[]): Promise<{ stop(): Promise<void> }> {
  const server = await TestDnsServer.start({ zones, port: 53, ipv6: false });
  const silent = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    silent.once("error", reject);
    silent.bind(53, "127.0.0.3", () => resolve());
  });
  return {
    async stop() {
      silent.close();
      await server.stop();
    },
  };
}

async function runScenario(golden: UnreachableGolden, scenario: GoldenScenario): Promise<ScenarioRun> {
  const errors = new Map<string, Set<string>>();
  const texts = new Set<string>();
  const tracer = (event: TraceEvent): void => {
    if (event.kind !== "error") return;
    const code = event.error.split(":", 1)[0]!;
    let codes = errors.get(event.server);
    if (codes === undefined) errors.set(event.server, (codes = new Set()));
    codes.add(code);
    texts.add(event.error);
  };
  const resolver = new Resolver({
    files: { ...golden.etc, "resolv.conf": scenario["resolv.conf"] },
    hostname: golden.hostname,
    env: {},
    tracer,
  });
  const calls: ScenarioRun["calls"] = [];
  try {
    for (const step of scenario.steps) {
      doing = `scenario ${scenario.id}, ${isIpStep(step) ? `ip ${step.ip.join("; ")}` : `${step.call}(${step.args.map((a) => JSON.stringify(a)).join(", ")})`}`;
      if (isIpStep(step)) {
        for (const command of step.ip) ip(command);
        continue;
      }
      const method = (resolver as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[step.call]!;
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = { ok: JSON.parse(JSON.stringify(await method.apply(resolver, step.args))) as unknown };
      } catch (error) {
        outcome = { error: describeError(error) };
      }
      calls.push({ ...outcome, ms: performance.now() - started });
    }
  } finally {
    await resolver.close();
  }
  return {
    id: scenario.id,
    calls,
    errors: Object.fromEntries([...errors].map(([server, codes]) => [server, [...codes].sort()])),
    errorTexts: [...texts].sort(),
  };
}

/**
 * The first calls of a fresh process load and compile what the lookups
 * run (about 150 ms here, where a CPython process has libc loaded
 * already): made once from the hosts file, before any call is timed.
 */
async function warmUp(golden: UnreachableGolden): Promise<void> {
  const resolver = new Resolver({ files: { ...golden.etc, "resolv.conf": "" }, hostname: golden.hostname, env: {} });
  try {
    await resolver.gethostbyname("localhost");
    await resolver.gethostbyname_ex("localhost");
    await resolver.getaddrinfo("localhost", null);
    await resolver.gethostbyaddr("127.0.0.1");
  } finally {
    await resolver.close();
  }
}

async function replay(namespaceId: string): Promise<void> {
  const golden = readUnreachableGolden();
  const namespace = golden.namespaces.find((n) => n.id === namespaceId);
  if (namespace === undefined) throw new Error(`no namespace ${namespaceId} in ${GOLDEN_FILE}`);
  assertFreshNamespace();
  for (const command of namespace.ip) ip(command);
  const servers = namespace.serve ? await startServers(golden.zones) : undefined;
  await warmUp(golden);
  const runs: ScenarioRun[] = [];
  try {
    for (const scenario of namespace.scenarios) runs.push(await runScenario(golden, scenario));
  } finally {
    await servers?.stop();
  }
  process.stdout.write(JSON.stringify(runs) + "\n");
}

async function serve(): Promise<void> {
  // The recorder has run the namespace's ip commands already: only the namespace itself can be checked.
  assertOwnNamespace();
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  const servers = await startServers(JSON.parse(text) as ZoneSource[]);
  process.on("SIGTERM", () => void servers.stop().then(() => process.exit(0)));
  process.stdout.write("ready\n");
}

/** What the child is doing, for the crash guard's message. */
let doing = "starting";

if (process.argv[1] === import.meta.filename) {
  exitOnCrash(() => `in unreachable-child (${doing})`);
  const [mode, arg] = process.argv.slice(2);
  doing = `${mode} ${arg ?? ""}`.trim();
  if (mode === "replay" && arg !== undefined) await replay(arg);
  else if (mode === "serve") await serve();
  else throw new Error("usage: unreachable-child.ts serve | replay NAMESPACE");
}

/**
 * The parent's side of the burst and spoofing runs, shared by the tests
 * (burst.test.ts, spoofing.test.ts) and the bench (bench/burst.ts): start
 * the burst server in its own process and command it, and run one client
 * in a fresh process with a deadline.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BurstStats } from "./burst-dns.js";
import type { BurstReport, BurstTask } from "./burst-client.js";
import type { BurstCommand, BurstReply } from "./burst-server.js";

/** The repository root. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const here = (file: string): string => fileURLToPath(new URL(`./${file}`, import.meta.url));

/** The libraries a client script exists for. */
export type BurstLibrary = "netdb" | "cares" | "glibc";

/** A running burst server process. */
export interface BurstServerProcess {
  port: number;
  /** Sends a command; resolves with the server's stats after it. */
  command(command: Exclude<BurstCommand, { cmd: "stop" }>): Promise<BurstStats>;
  /** Stops the server and waits for its process to exit (killing it if it does not within 5 s). */
  stop(): Promise<void>;
}

/** Forks burst-server.ts on 127.0.0.1:`port` (0: a free port). */
export async function startBurstServer(port = 0): Promise<BurstServerProcess> {
  const child: ChildProcess = fork(here("burst-server.ts"), [String(port)], { cwd: ROOT, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(child, "exit");
  const [first] = (await Promise.race([once(child, "message"), exited.then(() => Promise.reject(new Error("the burst server exited at start")))])) as [{ port: number }];
  let queue: Promise<unknown> = Promise.resolve();
  const command = (message: BurstCommand): Promise<BurstStats> => {
    const reply = queue.then(async () => {
      child.send(message);
      const [answer] = (await once(child, "message")) as [BurstReply];
      return answer.stats;
    });
    queue = reply.catch(() => undefined);
    return reply;
  };
  return {
    port: first.port,
    command,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      if (child.connected) child.send({ cmd: "stop" } satisfies BurstCommand);
      else child.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The hard RLIMIT_NOFILE of this process (a child may raise its soft limit up to it). */
function hardFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const hard = line?.trim().split(/\s+/)[4];
  return hard === "unlimited" || hard === undefined ? 65_536 : Math.min(Number(hard), 65_536);
}

/** The command line of one library's client for `task`. */
function clientArgv(library: BurstLibrary, task: BurstTask): string[] {
  if (library === "glibc") return ["python3", here("burst-glibc.py"), JSON.stringify(task)];
  return [process.execPath, "--import", "tsx", here(`burst-${library}.ts`), JSON.stringify(task)];
}

/** Children started by {@link runBurstClient} and still running: killed if this process exits first. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Runs one client for `task` in a fresh process, its soft file limit raised
 * to the hard one (a client with a socket per lookup in flight needs one
 * descriptor per lookup); rejects with its stderr if it fails or is still
 * running after `deadlineMs` (it is killed then).
 */
export async function runBurstClient(library: BurstLibrary, task: BurstTask, deadlineMs: number): Promise<BurstReport> {
  const argv = clientArgv(library, task);
  const child = spawn("sh", ["-c", 'ulimit -n "$0" && exec "$@"', String(hardFileLimit()), ...argv], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  running.delete(child);
  if (code !== 0) throw new Error(`${library} client ${signal === "SIGKILL" ? `ran past ${deadlineMs} ms` : `exited ${code ?? signal}`}:\n${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as BurstReport;
}

/**
 * Runs fuzz-runner.ts in child processes from a test: splits the cases
 * across the CPUs, kills a child that stops making progress (an endless
 * loop in the code under test), and merges the reports.
 */
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import type { FuzzReport } from "./fuzz-runner.js";

const RUNNER = fileURLToPath(new URL("./fuzz-runner.ts", import.meta.url));
/** A child that prints nothing for this long is stuck. */
const STALL_MS = 15_000;

function runChild(target: string, seed: number, first: number, count: number): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", RUNNER, target, String(seed), String(first), String(count)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let progress = first;
    let stalled = false;
    let timer = setTimeout(stall, STALL_MS);
    function stall(): void {
      stalled = true;
      child.kill("SIGKILL");
    }
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const line of stdout.split("\n")) if (line.startsWith("progress ")) progress = Number(line.slice("progress ".length));
      clearTimeout(timer);
      timer = setTimeout(stall, STALL_MS);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (stalled) {
        reject(new Error(`fuzz target ${target} hung: no progress for ${STALL_MS} ms after case ${progress} (replay: FUZZ_SEED=${seed}, cases ${progress}..${progress + 1000})`));
        return;
      }
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) {
        reject(new Error(`fuzz target ${target} crashed (${code ?? signal}) after case ${progress} (FUZZ_SEED=${seed}):\n${stderr}`));
        return;
      }
      resolve(JSON.parse(last) as FuzzReport);
    });
  });
}

/** Runs cases [0, count) of `target` with `seed`, one child per CPU, and merges what they found. */
export async function runFuzz(target: string, seed: number, count: number): Promise<FuzzReport> {
  const children = Math.max(1, Math.min(cpus().length, Math.ceil(count / 1000)));
  const share = Math.ceil(count / children);
  const reports = await Promise.all(
    Array.from({ length: children }, (_, i) => runChild(target, seed, i * share, Math.min(share, count - i * share))),
  );
  const merged: FuzzReport = { target, seed, cases: 0, faults: 0, outcomes: {}, failures: [] };
  for (const report of reports) {
    merged.cases += report.cases;
    merged.faults += report.faults;
    merged.failures.push(...report.failures);
    for (const [outcome, n] of Object.entries(report.outcomes)) merged.outcomes[outcome] = (merged.outcomes[outcome] ?? 0) + n;
  }
  return merged;
}

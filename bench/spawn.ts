/**
 * Running bench programs in child processes and reading the one line of
 * JSON each prints. Every child has a deadline, so the bench stops by itself.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root (bench/..). */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Node arguments that run a TypeScript file of this repository. */
export function tsNode(file: string, nodeArgs: string[] = []): string[] {
  return [process.execPath, ...nodeArgs, "--import", "tsx", `${ROOT}bench/${file}`];
}

/**
 * Runs `argv` and resolves with its stdout; rejects with its stderr on a
 * non-zero exit or when it is still running after `deadlineMs`.
 */
export function runChild(argv: string[], deadlineMs: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${argv.slice(0, 6).join(" ")} … ${signal === "SIGKILL" ? `ran past ${deadlineMs} ms` : `exited ${code ?? signal}`}\n${stderr}`));
    });
  });
}

/** Runs `argv` and parses the last line of its stdout as JSON. */
export async function runJson<T>(argv: string[], deadlineMs: number, env?: NodeJS.ProcessEnv): Promise<T> {
  const out = (await runChild(argv, deadlineMs, env)).trim().split("\n");
  return JSON.parse(out[out.length - 1]!) as T;
}

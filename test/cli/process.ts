/**
 * Runs the `netdb` CLI as a child process, as a user would (through tsx,
 * from the sources), without blocking this process's event loop, so an
 * in-process test DNS server can answer it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const SEED_ROOT = `${REPO}fixtures/worlds/seed`;

/** What a run printed and how it exited. */
export interface CliRun {
  stdout: string;
  stderr: string;
  status: number;
}

/**
 * The environment of the child: the caller's, without the variables
 * glibc's resolver reads, so the tests do not depend on who runs them.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["LOCALDOMAIN", "RES_OPTIONS", "HOSTALIASES", "RESOLV_MULTI"]) delete env[name];
  return env;
}

/** Runs `netdb ...args` and resolves what it printed and its exit status. */
export function netdb(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: REPO, env: childEnv(), timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") reject(error);
      else resolve({ stdout, stderr, status: error === null ? 0 : (error.code as number) });
    });
  });
}

/** Runs several command lines, at most `parallel` at once, results in order. */
export async function netdbAll(lines: string[][], parallel = 4): Promise<CliRun[]> {
  const results: CliRun[] = new Array<CliRun>(lines.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < lines.length) {
      const i = next++;
      results[i] = await netdb(...lines[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, lines.length) }, worker));
  return results;
}

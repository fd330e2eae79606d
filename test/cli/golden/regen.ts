/**
 * Regenerates the getent comparison of test/cli/getent.test.ts:
 *
 *   npx tsx test/cli/golden/regen.ts
 *
 * (root needed). For each world named in cases.txt, in that world's
 * namespace (scripts/netns/run.sh: its etc files over /etc, its network,
 * Knot serving its zones on 127.0.0.1:53), it runs each of the world's
 * lines twice: with glibc's `getent`, whose output and exit status become
 * WORLD/getent.json, and with `netdb --root fixtures/worlds/WORLD --record
 * WORLD`, so netdb's DNS exchanges and network facts land in WORLD/ for
 * the test to replay. It prints each case where netdb live already
 * differs from getent.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "../../..");
const INSIDE = "NETDB_CLI_GOLDEN_INSIDE";

/** One compared command line and what getent did with it. */
export interface GoldenCase {
  args: string[];
  stdout: string;
  status: number;
}

/** The lines of cases.txt, by world. */
export function readCases(): Map<string, string[][]> {
  const byWorld = new Map<string, string[][]>();
  for (const line of readFileSync(join(here, "cases.txt"), "utf8").split("\n")) {
    const [world, ...args] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (world === undefined || world === "") continue;
    byWorld.set(world, [...(byWorld.get(world) ?? []), args]);
  }
  return byWorld;
}

/** Runs one world's cases; we are in its namespace. */
function inside(worldName: string): void {
  const source = join(repo, "fixtures/worlds", worldName);
  const recorded = join(here, worldName);
  rmSync(recorded, { recursive: true, force: true });
  const golden: GoldenCase[] = [];
  let differences = 0;
  for (const args of readCases().get(worldName) ?? []) {
    const getent = spawnSync("getent", args, { encoding: "utf8" });
    golden.push({ args, stdout: getent.stdout, status: getent.status ?? -1 });
    const cli = [join(repo, "src/cli.ts"), "--root", source, "--record", recorded, ...args];
    const netdb = spawnSync(process.execPath, ["--import", "tsx", ...cli], { encoding: "utf8", cwd: repo });
    if (netdb.stdout !== getent.stdout || netdb.status !== getent.status) {
      differences++;
      console.error(`differs: ${worldName} ${args.join(" ")}\n--- getent (${getent.status})\n${getent.stdout}--- netdb (${netdb.status})\n${netdb.stdout}${netdb.stderr}`);
    }
  }
  writeFileSync(join(recorded, "getent.json"), JSON.stringify(golden, null, 1) + "\n");
  console.error(`regen: ${worldName}: ${golden.length} cases, ${differences} where netdb differs from getent`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const self = fileURLToPath(import.meta.url);
  if (process.env[INSIDE] === "1") {
    inside(process.argv[2]!);
  } else {
    for (const world of readCases().keys()) {
      const args = [join(repo, "fixtures/worlds", world), "--", "env", `${INSIDE}=1`, process.execPath, "--import", "tsx", self, world];
      execFileSync(join(repo, "scripts/netns/run.sh"), args, { stdio: "inherit", cwd: repo });
    }
  }
}

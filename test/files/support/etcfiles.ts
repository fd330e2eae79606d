/**
 * The scenarios of fixtures/golden/etcfiles.json (recorded by
 * scripts/golden/etcfiles.sh): a world's /etc with one file made unreadable,
 * a directory, a FIFO or /dev/zero, built under a temporary root for netdb
 * to read, and the cases glibc answered there. Shared by the test and the
 * child it runs as user nobody (for the unreadable files).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GOLDEN, WORLDS, type GoldenCase } from "../../support/golden-lookup.js";

export type OddKind = "unreadable" | "directory" | "fifo" | "zero";

/** One recorded case, with the file it was asked under. */
export interface EtcFilesCase {
  world: string;
  file: string;
  kind: OddKind;
  case: GoldenCase & { hang?: true; ms: number };
}

/** The cases, grouped as they were recorded: one group per world, file and kind. */
export function etcFilesScenarios(): Map<string, EtcFilesCase[]> {
  const { cases } = JSON.parse(readFileSync(join(GOLDEN, "etcfiles.json"), "utf8")) as { cases: EtcFilesCase[] };
  const groups = new Map<string, EtcFilesCase[]>();
  for (const c of cases) {
    const key = `${c.world} ${c.file} ${c.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return groups;
}

/**
 * A root holding a copy of the world's etc with `file` made into `kind`
 * (unreadable: mode 000, which only a process that is not root feels).
 * Readable by everyone else, so a child running as nobody can use it.
 */
export function oddRoot(world: string, file: string, kind: OddKind): string {
  const root = mkdtempSync(join(tmpdir(), "netdb-etcfiles-"));
  chmodSync(root, 0o755);
  const etc = join(root, "etc");
  cpSync(join(WORLDS, world, "etc"), etc, { dereference: true, recursive: true });
  const path = join(etc, file);
  switch (kind) {
    case "unreadable":
      chmodSync(path, 0o000);
      break;
    case "directory":
      rmSync(path);
      mkdirSync(path);
      break;
    case "fifo":
      rmSync(path);
      execFileSync("mkfifo", ["-m", "644", path]);
      break;
    case "zero":
      rmSync(path);
      symlinkSync("/dev/zero", path);
      break;
  }
  return root;
}

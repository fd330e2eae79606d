/**
 * The directories the command line names, checked before anything is
 * read from or written to them: `--root` must exist, and `--record` may
 * not write into the kernel's pseudo-filesystems (Node's recursive mkdir
 * loops for ever under /proc and /sys, where mkdir fails with ENOENT for
 * a parent that exists).
 */
import { existsSync, realpathSync, statSync } from "../builtins.js";
import { dirname, resolve } from "node:path";

/** Throws an Error saying what is wrong with `--root DIR`, if anything. */
export function checkRootDir(dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (err) {
    throw new Error(`--root ${dir}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : (err as Error).message}`, { cause: err });
  }
  if (!isDirectory) throw new Error(`--root ${dir}: not a directory`);
}

/** Kernel pseudo-filesystems a world can never be recorded into. */
const PSEUDO_FILESYSTEMS = ["/proc", "/sys"];

/** Throws an Error when `--record DIR` lies on /proc or /sys (after following symbolic links of the part that exists). */
export function checkRecordDir(dir: string): void {
  let existing = resolve(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realpathSync(existing);
  const where = PSEUDO_FILESYSTEMS.find((top) => real === top || real.startsWith(`${top}/`) || resolve(dir).startsWith(`${top}/`));
  if (where !== undefined) throw new Error(`--record ${dir}: cannot record a world under ${where}, a kernel pseudo-filesystem`);
}

/**
 * Reads a V8 .cpuprofile (from `npm run bench -- --profile CLIENT`) and
 * prints where the time went: self time per function and per file, and
 * inclusive time of the project's functions, as shares of all samples.
 *
 *   npx tsx bench/profile.ts bench/results/profiles/<file>.cpuprofile [TOP]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NETDB_BUILD } from "./build.js";
import { ROOT } from "./spawn.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

/** One line of the summary: a function or a file and its share of samples. */
export interface ProfileLine {
  what: string;
  share: number;
}

/** A path relative to the repository; the bench's build of src/ (bench/build.ts) reads as src/*.ts. */
function shortUrl(url: string): string {
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  if (path.startsWith(`${NETDB_BUILD}/`)) return `src/${path.slice(NETDB_BUILD.length + 1).replace(/\.js$/, ".ts")}`;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path || "(native)";
}

/**
 * Self time by function and by file, and inclusive time (the function or
 * anything it called) of the project's own functions (src/), largest first.
 */
export function summarizeProfile(profile: CpuProfile): { functions: ProfileLine[]; files: ProfileLine[]; inclusive: ProfileLine[] } {
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (n === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shortUrl(url);
    const fn = `${functionName || "(anonymous)"} ${file}${url ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + n);
    byFile.set(file, (byFile.get(file) ?? 0) + n);
  }
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  for (const [id, n] of hits) {
    const seen = new Set<string>();
    for (let node = byId.get(id); node !== undefined; node = parent.get(node.id)) {
      const file = shortUrl(node.callFrame.url);
      if (file.startsWith("src/")) seen.add(`${node.callFrame.functionName || "(anonymous)"} ${file}`);
    }
    for (const fn of seen) inclusive.set(fn, (inclusive.get(fn) ?? 0) + n);
  }
  const lines = (m: Map<string, number>): ProfileLine[] =>
    [...m].map(([what, n]) => ({ what, share: n / total })).sort((a, b) => b.share - a.share);
  return { functions: lines(byFunction), files: lines(byFile), inclusive: lines(inclusive) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, topText] = process.argv.slice(2);
  if (file === undefined) throw new Error("usage: tsx bench/profile.ts FILE.cpuprofile [TOP]");
  const top = Number(topText ?? 25);
  const { functions, files, inclusive } = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const show = (title: string, list: ProfileLine[]): void => {
    process.stdout.write(`${title}\n`);
    for (const line of list.slice(0, top)) process.stdout.write(`  ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.what}\n`);
  };
  show("self time by function", functions);
  show("self time by file", files);
  show("inclusive time of src/ functions", inclusive);
}

/**
 * src/'s import graph, read from the sources: each module with the src/
 * modules it imports statically (`import ... from`, `import "..."`,
 * `export ... from`, type-only ones included), and a search for a cycle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Every .ts file under src/, relative to it. */
export function sources(): string[] {
  return (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).sort();
}

/** `from "./x.js"` and bare `import "./x.js"` at the start of a statement; comments are dropped first. */
const STATIC_IMPORT = /^\s*(?:import\s*|(?:import|export)\b[^;]*?\bfrom\s*)["']([^"']+)["']/gm;

/** The src/ files `file` imports statically (relative specifiers only: packages are outside the graph). */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found = new Set<string>();
  for (const match of code.matchAll(STATIC_IMPORT)) {
    const spec = match[1]!;
    if (!spec.startsWith(".")) continue;
    found.add(relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, ".ts"));
  }
  return [...found].sort();
}

/** A cycle of the graph as the list of its modules (first one repeated at the end), or undefined. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** Every src/ module with its imports. */
export function importGraph(): Map<string, string[]> {
  return new Map(sources().map((file) => [file, importsOf(file, readFileSync(join(SRC, file), "utf8"))]));
}

/**
 * The runnable examples of a markdown document: every ```ts block, with
 * the ```text block right after it that holds what it prints. The docs
 * tests run them from the sources (test/node/docs.test.ts) and from the
 * installed package (test/package/pack.test.ts).
 */

/** One example: where it starts, its code, and what it must print. */
export interface Example {
  line: number;
  code: string;
  output: string;
}

/** The ts blocks of `markdown`, each with the text block right after it; throws for a ts block without one. */
export function codeExamples(markdown: string, name: string): Example[] {
  const blocks = [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1]!,
    body: m[2]!,
    line: markdown.slice(0, m.index).split("\n").length,
  }));
  const out: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== "ts") return;
    const next = blocks[i + 1];
    if (next?.lang !== "text") throw new Error(`${name}:${block.line}: a ts example needs its output in a text block right after it`);
    out.push({ line: block.line, code: block.body, output: next.body });
  });
  return out;
}

/** The bare package names `code` imports (`from "x"`, `import("x")`, `import.meta.resolve("x/y")`), without node: builtins. */
export function importedPackages(code: string): string[] {
  const names = [...code.matchAll(/(?:from |import\(|import\.meta\.resolve\()"([^".][^"]*)"/g)].map((m) => m[1]!);
  const packages = names.filter((n) => !n.startsWith("node:")).map((n) => n.split("/").slice(0, n.startsWith("@") ? 2 : 1).join("/"));
  return [...new Set(packages)];
}

/** The relative link targets of `markdown` (no URLs, no in-page anchors), without their `#fragment`. */
export function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return [...new Set(targets.filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#")).map((t) => t.replace(/#.*$/, "")))];
}

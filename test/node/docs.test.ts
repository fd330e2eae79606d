import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";

/**
 * Every ```ts example of README.md, docs/node.md and docs/testing.md runs, and prints exactly
 * the ```text block that follows it. "netdb" and other packages are mapped
 * to this repository's files, so the examples are the ones users copy.
 */
const DOCS = ["README.md", "docs/node.md", "docs/testing.md"].map((name) => ({ name, path: fileURLToPath(new URL(`../../${name}`, import.meta.url)) }));
const INDEX = new URL("../../src/index.ts", import.meta.url).href;
const TESTING = new URL("../../src/testing/index.ts", import.meta.url).href;
const require = createRequire(import.meta.url);

interface Example {
  line: number;
  code: string;
  output: string;
}

/** The ts blocks, each with the text block right after it. */
function examples(markdown: string, name: string): Example[] {
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

/** Rewrites package imports to files of this repository. */
function resolvable(code: string): string {
  return code.replace(/from "([^".][^"]*)"/g, (whole, specifier: string) => {
    if (specifier.startsWith("node:")) return whole;
    if (specifier === "netdb") return `from ${JSON.stringify(INDEX)}`;
    if (specifier === "netdb/testing") return `from ${JSON.stringify(TESTING)}`;
    return `from ${JSON.stringify(pathToFileURL(require.resolve(specifier)).href)}`;
  });
}

for (const doc of DOCS) {
  describe(`${doc.name} examples`, function () {
    this.timeout(20_000);
    const list = examples(readFileSync(doc.path, "utf8"), doc.name);
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "netdb-docs-"));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("has examples", () => {
      expect(list.length).to.be.greaterThan(1);
    });

    for (const example of list) {
      it(`the example at line ${example.line} prints its output`, async () => {
        // .mts: an ES module wherever it is, so top-level await works.
        const file = join(dir, `example-${example.line}.mts`);
        writeFileSync(file, resolvable(example.code));
        const printed: string[] = [];
        const log = console.log;
        console.log = (...args: unknown[]) => printed.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
        try {
          await import(pathToFileURL(file).href);
        } finally {
          console.log = log;
        }
        expect(printed.join("\n") + "\n").to.equal(example.output);
      });
    }
  });
}

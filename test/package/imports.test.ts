/**
 * Imports run one way: no module of src/ reaches itself again through its
 * static imports, type-only ones included (a type lives with the module
 * that owns it). A cycle found is printed, module by module.
 */
import { expect } from "chai";
import { findCycle, importGraph, importsOf } from "./import-graph.js";

describe("src/ import graph", () => {
  const graph = importGraph();

  it("reads the imports of every kind", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      'export { c } from "./dir/c.js";',
      'export type { D } from "./d.js";',
      'export * from "./e.js";',
      'import "./f.js";',
      "import {\n  g,\n  type G,\n} from \"./g.js\";",
      'import os from "node:os";',
      '// import { h } from "./h.js";',
      'const i = await import("./i.js");',
    ].join("\n");
    expect(importsOf("lookup/x.ts", text)).to.deep.equal(["b.ts", "lookup/a.ts", "lookup/d.ts", "lookup/dir/c.ts", "lookup/e.ts", "lookup/f.ts", "lookup/g.ts"]);
  });

  it("finds a cycle where there is one, and none in a tree", () => {
    expect(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]))).to.deep.equal(["a", "b", "c", "a"]);
    expect(findCycle(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]))).to.equal(undefined);
  });

  it("names only files that exist", () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((i) => !graph.has(i)).map((i) => `${file} -> ${i}`));
    expect(missing).to.deep.equal([]);
  });

  it("has no cycle", () => {
    const cycle = findCycle(graph);
    expect(cycle, cycle === undefined ? "" : `import cycle: ${cycle.join(" -> ")}`).to.equal(undefined);
  });
});

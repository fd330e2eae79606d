import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLookup } from "../../src/node/lookup.js";
import { CASES, thrown } from "./support/lookup-arg-cases.js";

/**
 * Wrong arguments make node:dns's lookup throw before it resolves
 * anything; netdb's must throw the same error: class, code, message, and
 * how it prints. node:dns's answers come from a child process (the network
 * guard of this process replaces dns.lookup).
 */
describe("node/lookup: argument errors as node:dns's", () => {
  const lookup = createLookup(() => {
    throw new Error("a lookup with wrong arguments must not reach getaddrinfo");
  }) as unknown as (...args: unknown[]) => unknown;
  let expected: Array<Record<string, unknown>>;

  before(() => {
    const script = fileURLToPath(new URL("./support/node-lookup-errors.ts", import.meta.url));
    expected = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" })) as Array<Record<string, unknown>>;
  });

  CASES.forEach(([title, args], i) => {
    it(title, () => {
      expect(expected[i]!.class, "node:dns throws").to.not.equal("no error");
      expect(JSON.parse(JSON.stringify(thrown(() => lookup(...args))))).to.deep.equal(expected[i]);
    });
  });
});

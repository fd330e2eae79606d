/**
 * Runs golden cases of fixtures/golden/etcfiles.json in a process of its
 * own, so test/files/etcfiles-golden.test.ts can run it as user nobody
 * (root reads a mode-000 file). argv[2] is JSON {root, world, nameservers,
 * cases}; it prints JSON [{id, failure?}], failure the assertion message.
 */
import { Resolver } from "../../../src/resolver.js";
import { expectGolden, goldenNetwork, readGolden, type GoldenCase } from "../../support/golden-lookup.js";

interface ChildInput {
  root: string;
  world: string;
  nameservers: string[];
  cases: GoldenCase[];
}

const input = JSON.parse(process.argv[2]!) as ChildInput;
const resolver = new Resolver({ root: input.root, nameservers: input.nameservers, network: goldenNetwork(readGolden(`lookup-${input.world}.json`)), env: {} });
const results: Array<{ id: string; failure?: string }> = [];
for (const c of input.cases) {
  try {
    await expectGolden(resolver, c);
    results.push({ id: c.id });
  } catch (err) {
    results.push({ id: c.id, failure: String(err) });
  }
}
await resolver.close();
process.stdout.write(JSON.stringify(results));

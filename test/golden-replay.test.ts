/**
 * The golden lookups again, through a recorded world instead of a live
 * server: fixtures/golden-worlds/<world>/ holds the etc files, every DNS
 * exchange and the network facts of a run of all of the world's golden
 * cases (scripts/record-golden-world.ts records it from the test server).
 * Each case is asked in file order on one `Resolver.fromWorld(...)` and
 * compared exactly as test/golden-lookup.test.ts compares the live run;
 * at the end no recording may be left unused, so the replay took the same
 * path the recording did.
 *
 * Only the seed world (970 cases) is recorded. Its cases all replay; a
 * world whose server stays silent would too, since timeouts are recorded
 * as exchanges, but would record nothing new the live run does not test.
 */
import { expect } from "chai";
import { join } from "node:path";
import { Resolver } from "../src/resolver.js";
import { openWorld, type World } from "../src/world.js";
import { expectGolden, readGolden } from "./support/golden-lookup.js";

const GOLDEN_WORLDS = join(import.meta.dirname, "..", "fixtures", "golden-worlds");

for (const worldName of ["seed"]) {
  const golden = readGolden(`lookup-${worldName}.json`);

  describe(`golden lookups replayed from fixtures/golden-worlds/${worldName}`, function () {
    let world: World;
    let resolver: Resolver;

    before(function () {
      world = openWorld(join(GOLDEN_WORLDS, worldName));
      // fromWorld with the replay transport of openWorld, so the test can ask it what went unused.
      resolver = Resolver.fromWorld(join(GOLDEN_WORLDS, worldName), { transport: world.transport });
    });

    after(async function () {
      await resolver?.close();
    });

    for (const c of golden.cases) {
      it(c.id, () => expectGolden(resolver, c));
    }

    it("used every recording, and missed none", function () {
      expect(world.transport.misses()).to.deep.equal([]);
      expect(world.transport.unused()).to.deep.equal([]);
    });
  });
}

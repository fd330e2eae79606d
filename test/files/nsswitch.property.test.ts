import { expect } from "chai";
import fc from "fast-check";
import { parseNsswitch } from "../../src/files/nsswitch.js";
import { RUNS, inputs } from "./arbitraries.js";

const texts = inputs("fixtures/worlds/seed/etc/nsswitch.conf");
const STATUSES = ["success", "notfound", "unavail", "tryagain"];
const ACTIONS = ["return", "continue", "merge"];

describe("parseNsswitch (properties)", () => {
  it("never throws; sources are named words with an action for every status", () => {
    fc.assert(fc.property(texts, (text) => {
      const conf = parseNsswitch(text);
      const sources = conf.hostsSources;
      expect(conf.hosts).to.deep.equal(sources.map((s) => s.name));
      if (conf.error !== undefined) expect(conf.hosts).to.deep.equal([]);
      for (const source of sources) {
        expect(source.name).to.match(/^[^ \t\n\v\f\r[]+$/);
        expect(Object.keys(source.actions).sort()).to.deep.equal([...STATUSES].sort());
        for (const action of Object.values(source.actions)) expect(ACTIONS).to.include(action);
      }
    }), RUNS);
  });
});

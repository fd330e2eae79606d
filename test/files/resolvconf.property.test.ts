import { expect } from "chai";
import fc from "fast-check";
import { MAX_NAMESERVERS, parseResolvConf } from "../../src/files/resolvconf.js";
import { formatAddress, parseIPv4, parseIPv6 } from "../../src/inet.js";
import { RUNS, anyText, configText, inputs } from "./arbitraries.js";

const env = fc.record({ LOCALDOMAIN: fc.option(fc.oneof(configText, anyText), { nil: undefined }), RES_OPTIONS: fc.option(fc.oneof(configText, anyText), { nil: undefined }) });
const texts = fc.oneof(inputs("fixtures/worlds/seed/etc/resolv.conf"), fc.constantFrom(...[
  "nameserver 10.0.0.1\nnameserver ::1\nnameserver fe80::1%eth0\nsearch a b c\noptions ndots:2 timeout:3 attempts:4 rotate edns0\n",
  "domain example.com\nnameserver 127.0.0.53\noptions trust-ad no-aaaa use-vc single-request-reopen\n",
]).chain((seed) => fc.array(fc.record({ at: fc.nat(), insert: fc.string({ maxLength: 5 }) }), { maxLength: 6 }).map((edits) =>
  edits.reduce((text, { at, insert }) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)), seed))));

describe("parseResolvConf (properties)", () => {
  it("never throws and always gives a usable configuration within glibc's limits", () => {
    // A kernel host name is taken verbatim; these have no blanks, so neither may any domain.
    const hostname = fc.option(fc.string({ unit: fc.constantFrom("a", "b", ".", "-", "1", "é"), maxLength: 30 }), { nil: undefined });
    fc.assert(fc.property(texts, env, hostname, (text, vars, host) => {
      const conf = parseResolvConf(text, vars, host);
      expect(conf.nameservers.length).to.be.within(1, MAX_NAMESERVERS);
      for (const ns of conf.nameservers) {
        const bytes = ns.family === 4 ? parseIPv4(ns.address) : parseIPv6(ns.address);
        expect(bytes, ns.address).to.not.equal(null);
        expect(formatAddress(bytes as Uint8Array)).to.equal(ns.address);
        expect(ns.port).to.equal(53);
        if (ns.scope !== undefined) expect(ns.family === 6 && ns.scope !== "").to.equal(true);
      }
      for (const domain of conf.search) expect(/[ \t\n]/.test(domain), JSON.stringify(domain)).to.equal(false);
      expect(Number.isInteger(conf.ndots) && conf.ndots >= 0 && conf.ndots <= 15).to.equal(true);
      expect(Number.isInteger(conf.timeout / 1000) && conf.timeout <= 30000).to.equal(true);
      expect(Number.isInteger(conf.attempts) && conf.attempts <= 5).to.equal(true);
    }), RUNS);
  });

  it("LOCALDOMAIN, when set, decides the search list whatever the file says", () => {
    fc.assert(fc.property(texts, fc.string({ maxLength: 40 }), (text, localDomain) => {
      const withEnv = parseResolvConf(text, { LOCALDOMAIN: localDomain });
      expect(withEnv.search).to.deep.equal(parseResolvConf("", { LOCALDOMAIN: localDomain }).search);
      expect(withEnv.search.length).to.be.at.least(1);
    }), RUNS);
  });
});

/**
 * netdb's resolv.conf extension, `# netdb: nameserver URI` (docs/encrypted.md),
 * against glibc: fixtures/golden/resolvconf-netdb.json holds what CPython
 * (glibc 2.36) answered, with timings, in a private namespace for plain
 * files and the same files with netdb's lines (scripts/golden/resolvconf_netdb.py).
 * glibc must have read both alike, and netdb must read the plain part of
 * the extended file as glibc does: its `bootstrap` is glibc's server list.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { parseResolvConf } from "../../src/files/resolvconf.js";

interface Scenario {
  id: string;
  "resolv.conf": string;
  steps: Array<{ call: string; ms: number }>;
  servers: Record<string, string>;
}

const golden = JSON.parse(readFileSync(new URL("../../fixtures/golden/resolvconf-netdb.json", import.meta.url), "utf8")) as { libc: string; scenarios: Scenario[] };
const pairs = golden.scenarios.filter((s) => s.id.endsWith("-plain")).map((plain) => [plain, golden.scenarios.find((s) => s.id === plain.id.replace(/-plain$/, "-netdb"))!] as const);

describe(`resolv.conf's # netdb: lines, against ${golden.libc}`, () => {
  it("has both halves of every pair, with a timeout glibc had to wait for", () => {
    expect(pairs).to.have.length(2);
    for (const [plain, extended] of pairs) {
      expect(extended, plain.id).to.not.equal(undefined);
      expect(plain.steps.some((s) => s.ms >= 1000), plain.id).to.equal(true);
    }
  });

  for (const [plain, extended] of pairs) {
    it(`${plain.id.replace(/-plain$/, "")}: glibc answers the extended file exactly as the plain one, in the same time`, () => {
      expect(extended.steps).to.deep.equal(plain.steps);
      expect(extended.servers).to.deep.equal(plain.servers);
    });

    it(`${plain.id.replace(/-plain$/, "")}: netdb reads the plain part as glibc, and the netdb lines as its nameservers`, () => {
      const glibcView = parseResolvConf(plain["resolv.conf"]);
      const netdbView = parseResolvConf(extended["resolv.conf"]);
      const { nameservers, bootstrap, ...rest } = netdbView;
      const { nameservers: plainServers, ...plainRest } = glibcView;
      expect(bootstrap).to.deep.equal(plainServers);
      expect(rest).to.deep.equal(plainRest);
      const uris = [...extended["resolv.conf"].matchAll(/^#\s*netdb:\s+nameserver\s+(\S+)/gm)].map((m) => m[1]);
      expect(nameservers.map((s) => s.encrypted?.uri)).to.deep.equal(uris.slice(0, 3));
    });
  }

  it("without netdb lines, the configuration has no bootstrap and is glibc's", () => {
    for (const [plain] of pairs) expect(parseResolvConf(plain["resolv.conf"])).to.not.have.property("bootstrap");
  });
});

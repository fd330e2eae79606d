import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aliasKey, parseHostAliases } from "../../src/files/hostaliases.js";
import { EtcTables } from "../../src/files/source.js";
import { searchCandidates } from "../../src/dns/search.js";

describe("HOSTALIASES (res_hostalias)", () => {
  it("reads ALIAS NAME lines, first line first, and stops where glibc stops", () => {
    const aliases = parseHostAliases("a x.test more words\nA other.test\nalone\n\nb\t\ty.test\nlast-without-space");
    expect([...aliases]).to.deep.equal([["a", "x.test"], ["alone", ""], ["", ""], ["b", "y.test"]]);
    expect([...parseHostAliases("stop\nafter z.test\n")]).to.deep.equal([["stop", ""], ["after", "z.test"]]);
    expect([...parseHostAliases("end\nafter z.test")]).to.deep.equal([["end", ""], ["after", "z.test"]]);
    expect([...parseHostAliases("cut-here-no-newline")]).to.deep.equal([]);
  });

  it("compares names as domain names: case and one trailing dot do not matter", () => {
    expect(aliasKey("Py.")).to.equal("py");
    expect(aliasKey("py\\.")).to.equal("py\\.");
  });

  it("replaces a dotless name before the search, and queries a second alias as it is", () => {
    const hostAliases = parseHostAliases("a b\nb c.test\nd e\n");
    const settings = { search: ["lan"], ndots: 1, hostAliases };
    expect(searchCandidates("a", settings)).to.deep.equal(["c.test"]); // a → b (nss_dns), b → c.test (res_search: res_query)
    expect(searchCandidates("d", settings)).to.deep.equal(["e.lan", "e"]);
    expect(searchCandidates("d.x", settings)).to.deep.equal(["d.x", "d.x.lan"]);
  });

  it("is the file the environment names, read from disk only for a Resolver with a root", () => {
    const dir = mkdtempSync(join(tmpdir(), "netdb-aliases-"));
    try {
      writeFileSync(join(dir, "aliases"), "mine other.test\n");
      const env = { HOSTALIASES: join(dir, "aliases") };
      expect(new EtcTables({ root: dir, env, hostname: "box" }).hostAliases()?.get("mine")).to.equal("other.test");
      expect(new EtcTables({ files: {}, env, hostname: "box" }).hostAliases()).to.equal(undefined);
      expect(new EtcTables({ root: dir, env: {}, hostname: "box" }).hostAliases()).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

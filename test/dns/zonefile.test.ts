import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { parseZoneFile, parseZoneText, ZoneFileError } from "../../src/zone/zonefile.js";

describe("test support: zone-file reader", () => {
  it("reads $ORIGIN, $TTL, @, relative and absolute names, blank owners and every supported type", () => {
    const zone = parseZoneFile(
      [
        "$TTL 1h",
        "@        IN SOA ns1 hostmaster ( 1 3600 900",
        "                   604800 300 ) ; parentheses span lines",
        "         IN NS  ns1",
        "ns1      600 IN A 192.0.2.1",
        "         IN 700 AAAA 2001:db8::1",
        "www      CNAME @",
        "mail.example.net. A 192.0.2.2",
        "@        MX 10 mail",
        "_sip._tcp SRV 1 2 5060 sip",
        "txt      TXT \"two words\" plain ; comment",
        "*.wild   A 192.0.2.3",
        "4.2      PTR host.example.",
        "@        CAA 0 issue \"ca.example\"",
        "@        NAPTR 100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp",
        "$ORIGIN sub.example.",
        "deep     A 192.0.2.4",
      ].join("\n"),
      "example.",
    );
    expect(zone.origin).to.equal("example");
    expect(zone.records.map((r) => [r.name, r.ttl, r.type, r.data])).to.deep.equal([
      ["example", 3600, "SOA", { mname: "ns1.example", rname: "hostmaster.example", serial: 1, refresh: 3600, retry: 900, expire: 604800, minimum: 300 }],
      ["example", 3600, "NS", "ns1.example"],
      ["ns1.example", 600, "A", "192.0.2.1"],
      ["ns1.example", 700, "AAAA", "2001:db8::1"],
      ["www.example", 3600, "CNAME", "example"],
      ["mail.example.net", 3600, "A", "192.0.2.2"],
      ["example", 3600, "MX", { preference: 10, exchange: "mail.example" }],
      ["_sip._tcp.example", 3600, "SRV", { priority: 1, weight: 2, port: 5060, target: "sip.example" }],
      ["txt.example", 3600, "TXT", ["two words", "plain"]],
      ["*.wild.example", 3600, "A", "192.0.2.3"],
      ["4.2.example", 3600, "PTR", "host.example"],
      ["example", 3600, "CAA", { flags: 0, tag: "issue", value: "ca.example" }],
      ["example", 3600, "NAPTR", { order: 100, preference: 10, flags: "S", services: "SIP+D2U", regexp: "", replacement: "_sip._udp.example" }],
      ["deep.sub.example", 3600, "A", "192.0.2.4"],
    ]);
  });

  it("keeps names as written (the server lowercases, as Knot)", () => {
    const zone = parseZoneFile("$TTL 5\nMixedCase A 192.0.2.9\n", "Example.");
    expect(zone.records[0]!.name).to.equal("MixedCase.Example");
  });

  const bad: Array<[string, string, RegExp]> = [
    ["an IPv4 address out of range", "$TTL 5\nx A 192.0.2.300\n", /z:2: bad IPv4 address 192.0.2.300/],
    ["a bad IPv6 address", "$TTL 5\nx AAAA 2001:db8::g\n", /bad IPv6/],
    ["a record without TTL or $TTL", "x A 192.0.2.1\n", /no TTL/],
    ["an unsupported type", "$TTL 5\nx SSHFP 1 2 3\n", /unsupported record type SSHFP/],
    ["a NAPTR with a field missing", "$TTL 5\nx NAPTR 1 2 \"S\" \"\" x.\n", /NAPTR needs 6 fields/],
    ["$INCLUDE", "$INCLUDE other.zone\n", /unsupported directive/],
    ["a missing field", "$TTL 5\nx MX 10\n", /MX needs 2 fields/],
    ["an unbalanced parenthesis", "$TTL 5\n@ SOA a b ( 1 2 3 4 5\n", /unbalanced \(/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}`, () => expect(() => parseZoneFile(text, "example.", "z")).to.throw(ZoneFileError, message));
  }

  describe("zone text that names its own origin (inline worlds)", () => {
    const origin = (text: string): string => parseZoneText(text).origin;
    it("takes the first $ORIGIN", () => expect(origin("$TTL 5\n$ORIGIN a.test.\nx A 192.0.2.1\n")).to.equal("a.test"));
    it("else the owner of the SOA, relative names under it", () => {
      const zone = parseZoneText("b.test. 60 SOA ns h 1 1 1 1 1\nwww 60 A 192.0.2.1\n");
      expect([zone.origin, zone.records[1]!.name]).to.deep.equal(["b.test", "www.b.test"]);
    });
    it("else the domain above every owner", () => expect(origin("$TTL 5\napi.c.test. A 192.0.2.1\ndb.c.test. A 192.0.2.2\n")).to.equal("c.test"));
    it("and a single owner is a zone of its own", () => expect(origin("$TTL 5\napi.c.test. A 192.0.2.1\n")).to.equal("api.c.test"));
    it("never the root", () => expect(() => parseZoneText("$TTL 5\na.test. A 192.0.2.1\nb.example. A 192.0.2.2\n", "z")).to.throw(ZoneFileError, /z:1: zone text needs \$ORIGIN/));
  });

  it("loads every zone of fixtures/zones except the deliberately broken ones", () => {
    const dir = new URL("../../fixtures/zones/", import.meta.url);
    const failed: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".zone"))) {
      const text = readFileSync(new URL(file, dir), "utf8");
      const origin = /^\$ORIGIN\s+(\S+)/m.exec(text)![1]!;
      try {
        parseZoneFile(text, origin, file);
      } catch (err) {
        if (!(err instanceof ZoneFileError)) throw err;
        failed.push(file);
      }
    }
    expect(failed.sort()).to.deep.equal(["100.51.198.in-addr.arpa.zone", "broken.test.zone"]);
  });
});

import { expect } from "chai";
import { AresStatus, readNodeRecords, type NodeRecordType } from "../../src/node/records.js";
import { response, soa, type TestRecord, type TestResponse } from "./support/messages.js";

/**
 * Expected values are what Node 20 (c-ares 1.34) returned for the same
 * responses from a loopback server; test/node/promises-resolver.test.ts
 * checks the common ones against node:dns itself.
 */
interface Case {
  title: string;
  type: NodeRecordType;
  response: Omit<TestResponse, "type">;
  ttl?: boolean;
  expected: unknown;
}

const rr = (name: string, type: string, data: unknown, ttl = 300): TestRecord => ({ name, type, data, ttl });

const CASES: Case[] = [
  { title: "A records in order", type: "A", response: { name: "a.test", answers: [rr("a.test", "A", "192.0.2.2"), rr("a.test", "A", "192.0.2.1")] }, expected: ["192.0.2.2", "192.0.2.1"] },
  {
    title: "A with TTLs",
    type: "A",
    ttl: true,
    response: { name: "a.test", answers: [rr("a.test", "A", "192.0.2.1", 300), rr("a.test", "A", "192.0.2.2", 200)] },
    expected: [{ address: "192.0.2.1", ttl: 300 }, { address: "192.0.2.2", ttl: 200 }],
  },
  {
    title: "A behind a CNAME: the CNAME's smaller TTL caps the address TTL",
    type: "A",
    ttl: true,
    response: { name: "cn.test", answers: [rr("cn.test", "CNAME", "t.test", 10), rr("t.test", "A", "192.0.2.7", 50)] },
    expected: [{ address: "192.0.2.7", ttl: 10 }],
  },
  { title: "A of any owner counts (c-ares does not check it)", type: "A", response: { name: "other.test", answers: [rr("unrelated.test", "A", "192.0.2.8")] }, expected: ["192.0.2.8"] },
  { title: "CNAME only, for A: an empty list", type: "A", response: { name: "co.test", answers: [rr("co.test", "CNAME", "t.test")] }, expected: [] },
  { title: "AAAA with TTLs", type: "AAAA", ttl: true, response: { name: "a.test", answers: [rr("a.test", "AAAA", "2001:db8::1", 100)] }, expected: [{ address: "2001:db8::1", ttl: 100 }] },
  { title: "MX", type: "MX", response: { name: "m.test", answers: [rr("m.test", "MX", { preference: 20, exchange: "b.test" }), rr("m.test", "MX", { preference: 10, exchange: "a.test" })] }, expected: [{ exchange: "b.test", priority: 20 }, { exchange: "a.test", priority: 10 }] },
  { title: "MX to the root: an empty exchange", type: "MX", response: { name: "m.test", answers: [rr("m.test", "MX", { preference: 0, exchange: "." })] }, expected: [{ exchange: "", priority: 0 }] },
  { title: "MX asked, only an A answered: an empty list", type: "MX", response: { name: "m.test", answers: [rr("m.test", "A", "192.0.2.9")] }, expected: [] },
  { title: "TXT: one array of strings per record", type: "TXT", response: { name: "t.test", answers: [rr("t.test", "TXT", ["hello", "world"]), rr("t.test", "TXT", [""])] }, expected: [["hello", "world"], [""]] },
  { title: "TXT bytes read as Latin-1", type: "TXT", response: { name: "t.test", answers: [rr("t.test", "TXT", [Buffer.from([0xc3, 0xa9, 0xff])])] }, expected: [["\u00c3\u00a9\u00ff"]] },
  { title: "SRV", type: "SRV", response: { name: "_s._tcp.test", answers: [rr("_s._tcp.test", "SRV", { priority: 1, weight: 2, port: 3, target: "srv.test" })] }, expected: [{ name: "srv.test", port: 3, priority: 1, weight: 2 }] },
  {
    title: "SOA",
    type: "SOA",
    response: { name: "s.test", answers: [rr("s.test", "SOA", { mname: "a.b", rname: "c.d", serial: 4294967295, refresh: 1, retry: 2, expire: 3, minimum: 4 })] },
    expected: { nsname: "a.b", hostmaster: "c.d", serial: 4294967295, refresh: 1, retry: 2, expire: 3, minttl: 4 },
  },
  {
    title: "CAA: critical is the flags octet, the value keyed by its tag as written",
    type: "CAA",
    response: {
      name: "c.test",
      answers: [
        rr("c.test", "CAA", { flags: 128, tag: "issue", value: "ca.test" }),
        rr("c.test", "CAA", { flags: 0, tag: "iodef", value: "mailto:x@test" }),
        rr("c.test", "CAA", { flags: 1, tag: "Issue", value: "x" }),
      ],
    },
    expected: [{ critical: 128, issue: "ca.test" }, { critical: 0, iodef: "mailto:x@test" }, { critical: 1, Issue: "x" }],
  },
  { title: "NS", type: "NS", response: { name: "n.test", answers: [rr("n.test", "NS", "b.test"), rr("n.test", "NS", "a.test")] }, expected: ["b.test", "a.test"] },
  { title: "PTR", type: "PTR", response: { name: "p.test", answers: [rr("p.test", "PTR", "p1.test"), rr("p.test", "PTR", "p2.test")] }, expected: ["p1.test", "p2.test"] },
  {
    title: "PTR through a classless-delegation CNAME",
    type: "PTR",
    response: { name: "1.2.0.192.in-addr.arpa", answers: [rr("1.2.0.192.in-addr.arpa", "CNAME", "1.0/25.2.0.192.in-addr.arpa"), rr("1.0/25.2.0.192.in-addr.arpa", "PTR", "classless.test")] },
    expected: ["classless.test"],
  },
  { title: "CNAME: the first CNAME's target", type: "CNAME", response: { name: "two.test", answers: [rr("two.test", "CNAME", "t.test"), rr("t.test", "CNAME", "u.test")] }, expected: ["t.test"] },
  { title: "CNAME asked, an address answered: the name asked", type: "CNAME", response: { name: "a.test", answers: [rr("a.test", "A", "192.0.2.1")] }, expected: ["a.test"] },
];

const STATUS_CASES: Array<{ title: string; type: NodeRecordType; response: Omit<TestResponse, "type">; code: string }> = [
  { title: "NXDOMAIN", type: "A", response: { name: "nx.test", rcode: "NXDOMAIN", authorities: [soa("test", 60, 30)] }, code: "ENOTFOUND" },
  { title: "NOERROR without answers", type: "MX", response: { name: "nodata.test", authorities: [soa("test", 60, 30)] }, code: "ENODATA" },
  { title: "SERVFAIL", type: "A", response: { name: "sf.test", rcode: "SERVFAIL" }, code: "ESERVFAIL" },
  { title: "REFUSED", type: "TXT", response: { name: "r.test", rcode: "REFUSED" }, code: "EREFUSED" },
  { title: "FORMERR", type: "A", response: { name: "f.test", rcode: "FORMERR" }, code: "EFORMERR" },
  { title: "NOTIMP", type: "A", response: { name: "n.test", rcode: "NOTIMP" }, code: "ENOTIMP" },
  { title: "NS asked, only a CNAME answered", type: "NS", response: { name: "co.test", answers: [rr("co.test", "CNAME", "t.test")] }, code: "ENODATA" },
  { title: "PTR asked, only an A answered", type: "PTR", response: { name: "p.test", answers: [rr("p.test", "A", "192.0.2.1")] }, code: "ENODATA" },
  { title: "SOA asked, only a CNAME answered", type: "SOA", response: { name: "co.test", answers: [rr("co.test", "CNAME", "t.test")] }, code: "EBADRESP" },
  { title: "CNAME asked, only a TXT answered", type: "CNAME", response: { name: "t.test", answers: [rr("t.test", "TXT", ["x"])] }, code: "ENODATA" },
];

describe("node/records: answers in node:dns's shapes", () => {
  for (const c of CASES) {
    it(`${c.type}: ${c.title}`, () => {
      const message = response({ ...c.response, type: c.type });
      expect(readNodeRecords(c.type, message, c.ttl ?? false)).to.deep.equal(c.expected);
    });
  }

  for (const c of STATUS_CASES) {
    it(`${c.type}: ${c.title} is ${c.code}`, () => {
      const message = response({ ...c.response, type: c.type });
      expect(() => readNodeRecords(c.type, message)).to.throw(AresStatus).with.property("code", c.code);
    });
  }

  it("reads names in ns_name_ntop form, so a dot inside a label stays escaped", () => {
    const message = response({
      name: "s.test",
      type: "SOA",
      answers: [rr("s.test", "SOA", { mname: "ns.test", rname: "host\\.master.test", serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 })],
    });
    expect(readNodeRecords("SOA", message).hostmaster).to.equal("host\\.master.test");
  });

  it("gives addresses without TTLs unless asked", () => {
    const message = response({ name: "a.test", type: "A", answers: [rr("a.test", "A", "192.0.2.1")] });
    expect(readNodeRecords("A", message)).to.deep.equal(["192.0.2.1"]);
  });
});

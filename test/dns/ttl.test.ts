import { expect } from "chai";
import { decodeMessage } from "../../src/dns/message.js";
import { agedResponse, cacheableTtl } from "../../src/dns/ttl.js";
import { response, responseBytes, soa, type TestResponse } from "../node/support/messages.js";

describe("dns/ttl: how long an answer may be cached", () => {
  const cases: Array<[string, TestResponse, number | undefined]> = [
    ["positive: the smallest answer TTL", { name: "a.test", type: "A", answers: [{ name: "a.test", type: "A", ttl: 300, data: "192.0.2.1" }, { name: "a.test", type: "A", ttl: 120, data: "192.0.2.2" }] }, 120],
    [
      "positive through a CNAME: the chain's TTLs count",
      { name: "c.test", type: "A", answers: [{ name: "c.test", type: "CNAME", ttl: 30, data: "a.test" }, { name: "a.test", type: "A", ttl: 300, data: "192.0.2.1" }] },
      30,
    ],
    ["NXDOMAIN: min(SOA TTL, MINIMUM) (RFC 2308 section 5)", { name: "nx.test", type: "A", rcode: "NXDOMAIN", authorities: [soa("test", 600, 45)] }, 45],
    ["NXDOMAIN: the SOA's own TTL when smaller", { name: "nx.test", type: "A", rcode: "NXDOMAIN", authorities: [soa("test", 20, 45)] }, 20],
    ["NODATA: the same rule", { name: "a.test", type: "MX", authorities: [soa("test", 600, 90)] }, 90],
    [
      "CNAME to NODATA: negative, capped by the CNAME",
      { name: "c.test", type: "MX", answers: [{ name: "c.test", type: "CNAME", ttl: 10, data: "a.test" }], authorities: [soa("test", 600, 90)] },
      10,
    ],
    ["NXDOMAIN without SOA: not cached", { name: "nx.test", type: "A", rcode: "NXDOMAIN" }, undefined],
    ["NODATA without SOA (a referral or lame answer): not cached", { name: "a.test", type: "A" }, undefined],
    ["SERVFAIL: not cached", { name: "a.test", type: "A", rcode: "SERVFAIL" }, undefined],
    ["REFUSED: not cached", { name: "a.test", type: "A", rcode: "REFUSED", authorities: [soa("test", 600, 90)] }, undefined],
    ["truncated: not cached", { name: "a.test", type: "A", truncated: true, answers: [{ name: "a.test", type: "A", data: "192.0.2.1" }] }, undefined],
    ["TTL with the top bit set counts as 0 (RFC 2181 section 8)", { name: "a.test", type: "A", answers: [{ name: "a.test", type: "A", ttl: 0x80000000, data: "192.0.2.1" }] }, 0],
  ];
  for (const [title, r, expected] of cases) {
    it(title, () => {
      expect(cacheableTtl(response(r))).to.equal(expected);
    });
  }
});

describe("dns/ttl: a cached answer as it reads later", () => {
  const original: TestResponse = {
    id: 0x1111,
    name: "c.test",
    type: "A",
    edns: true,
    answers: [{ name: "c.test", type: "CNAME", ttl: 30, data: "a.test" }, { name: "a.test", type: "A", ttl: 300, data: "192.0.2.1" }],
    authorities: [soa("test", 5, 5)],
  };

  it("lowers every TTL, not below 0, and takes the new ID", () => {
    const aged = decodeMessage(agedResponse(responseBytes(original), 0xbeef, 10));
    expect(aged.id).to.equal(0xbeef);
    expect(aged.answers.map((rr) => rr.ttl)).to.deep.equal([20, 290]);
    expect(aged.authorities.map((rr) => rr.ttl)).to.deep.equal([0]);
    expect(aged.answers[1]!.data).to.equal("192.0.2.1");
  });

  it("leaves the OPT record's flags alone", () => {
    const bytes = responseBytes(original);
    const aged = decodeMessage(agedResponse(bytes, 1, 1000));
    expect(aged.edns).to.deep.equal(decodeMessage(bytes).edns);
  });

  it("does not touch the bytes it was given", () => {
    const bytes = responseBytes(original);
    const copy = Uint8Array.from(bytes);
    agedResponse(bytes, 2, 10);
    expect(bytes).to.deep.equal(copy);
  });
});

import { expect } from "chai";
import { readFileSync } from "node:fs";
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer } from "../../src/dns/answer.js";
import { formatAddress } from "../../src/inet.js";
import { decodeMessage } from "../../src/dns/message.js";
import type { QueryResult } from "../../src/dns/send.js";
import type { Question } from "../../src/dns/question.js";
import { encodeResponse, type WireRecord } from "../../src/zone/wire.js";

interface FixtureRecord {
  name: string;
  type: string;
  data?: WireRecord["data"];
  raw?: string;
  ttl?: number;
  class?: string;
}
interface FixtureResponse {
  rcode?: string;
  noQuestion?: boolean;
  answers: FixtureRecord[];
  additionals?: FixtureRecord[];
}
interface Fixtures {
  host: Array<{ what: string; question: Question; response: FixtureResponse; expect: unknown }>;
  addrinfo: Array<{ what: string; questions: Question[]; responses: FixtureResponse[]; expect: { status: string; canonical: string | null; addresses: Array<[number, string]>; ttl: number } }>;
  ptr: Array<{ what: string; question: Question; response: FixtureResponse; expect: unknown }>;
}

const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/dns/answers.json", import.meta.url), "utf8")) as Fixtures;

/** A QueryResult as the client would hand it over, from a fixture response. */
function result(question: Question, response: FixtureResponse): QueryResult {
  const record = (r: FixtureRecord): WireRecord => ({
    name: r.name,
    type: r.type,
    ttl: r.ttl ?? 60,
    data: r.raw !== undefined ? new Uint8Array(Buffer.from(r.raw, "hex")) : r.data!,
    ...(r.class !== undefined && { class: r.class }),
  });
  const bytes = encodeResponse({
    id: 1,
    rcode: response.rcode ?? "NOERROR",
    ...(response.noQuestion !== true && { question }),
    answers: response.answers.map(record),
    additionals: (response.additionals ?? []).map(record),
  });
  const message = decodeMessage(bytes);
  return { question, rcode: message.rcode, message, server: { address: "127.0.0.1", port: 53, family: 4 }, protocol: "udp", rtt: 1 };
}

describe("dns/answer (fixtures/dns/answers.json)", () => {
  describe("readHostAnswer: glibc getanswer_r", () => {
    for (const c of fixtures.host) {
      it(c.what, () => {
        // octets (how much of a caller's buffer the result takes) has tests of its own below.
        const { octets: _octets, addresses, ...got } = readHostAnswer(result(c.question, c.response));
        expect({ ...got, addresses: addresses.map(formatAddress) }).to.deep.equal(c.expect);
      });
    }

    describe("octets: what gethostbyname3_context puts in the caller's buffer", () => {
      const a = (name: string, data: string) => ({ name, type: "A", ttl: 60, data });
      it("the question name as a C string, 4-aligned addresses, 8-aligned h_addr_list and h_aliases", () => {
        // "x.example\0" (10), 2 addresses from 12 to 20, h_addr_list 3 × 8 from 24, h_aliases 1 × 8.
        const got = readHostAnswer(result({ name: "x.example", type: "A" }, { answers: [a("x.example", "192.0.2.1"), a("x.example", "192.0.2.2")] }));
        expect(got.octets).to.equal(56);
      });
      it("a CNAME target is stored where it comes, and adds a pointer to h_aliases", () => {
        const got = readHostAnswer(result({ name: "x.example", type: "A" }, { answers: [{ name: "x.example", type: "CNAME", ttl: 60, data: "y.example" }, a("y.example", "192.0.2.1")] }));
        // 10 + 10, address at 20 to 24, h_addr_list 2 × 8 from 24, h_aliases 2 × 8.
        expect(got.octets).to.equal(56);
      });
      it("0 on failure", () => {
        expect(readHostAnswer(result({ name: "x.example", type: "A" }, { answers: [] })).octets).to.equal(0);
      });
    });
  });

  describe("readAddrInfoAnswer: glibc gaih_getanswer", () => {
    for (const c of fixtures.addrinfo) {
      it(c.what, () => {
        const got = readAddrInfoAnswer(c.questions.map((q, i) => result(q, c.responses[i]!)));
        expect({ ...got, addresses: got.addresses.map(({ family, address }) => ({ family, address: formatAddress(address) })) }).to.deep.equal({
          status: c.expect.status,
          canonical: c.expect.canonical ?? undefined,
          addresses: c.expect.addresses.map(([family, address]) => ({ family, address })),
          ttl: c.expect.ttl,
        });
      });
    }
  });

  describe("readPtrAnswer: glibc getanswer_ptr", () => {
    for (const c of fixtures.ptr) {
      it(c.what, () => expect(readPtrAnswer(result(c.question, c.response))).to.deep.equal(c.expect));
    }
  });
});

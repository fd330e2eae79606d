import { expect } from "chai";
import { readFileSync } from "node:fs";
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer } from "../../src/dns/answer.js";
import { decodeMessage } from "../../src/dns/message.js";
import type { QueryResult } from "../../src/dns/send.js";
import type { Question } from "../../src/types.js";
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
      it(c.what, () => expect(readHostAnswer(result(c.question, c.response))).to.deep.equal(c.expect));
    }
  });

  describe("readAddrInfoAnswer: glibc gaih_getanswer", () => {
    for (const c of fixtures.addrinfo) {
      it(c.what, () => {
        const got = readAddrInfoAnswer(c.questions.map((q, i) => result(q, c.responses[i]!)));
        expect(got).to.deep.equal({
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

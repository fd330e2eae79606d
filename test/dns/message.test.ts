import { expect } from "chai";
import { readFileSync } from "node:fs";
import { InvalidNameError, MalformedMessageError } from "../../src/dns/errors.js";
import { decodeMessage, EDNS_PAYLOAD_SIZE, encodeQuery, isResponseTo, readResponse } from "../../src/dns/message.js";
import type { TransportRequest } from "../../src/dns/transport/transport.js";
import { encodeResponse, type WireResponse } from "../../src/zone/wire.js";

/** What a transport does with the bytes: takes them as the response (a message or "malformed"), or waits on. */
const classify = (request: TransportRequest, bytes: Uint8Array) => (readResponse(request, bytes) === "ignore" ? "ignore" : "accept");

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

/** fixtures/dns/malformed.txt: "what | error text | hex [| lookup outcome]" per line; `read` when the damage is past the question. */
function malformedFixtures(): Array<{ what: string; error: string; bytes: Uint8Array; read: boolean }> {
  return readFileSync(new URL("../../fixtures/dns/malformed.txt", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => {
      const [what, error, bytes, outcome] = line.split(" | ");
      return { what: what!, error: error!, bytes: hex(bytes!), read: outcome !== undefined };
    });
}

function request(name = "a.test", type = "A", id = 0x1234): TransportRequest {
  return { server: { address: "127.0.0.1", port: 53, family: 4 }, protocol: "udp", message: new Uint8Array(), id, question: { name, type }, timeout: 1000 };
}

function response(overrides: Partial<WireResponse> = {}): Uint8Array {
  return encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name: "a.test", type: "A" }, ...overrides });
}

describe("dns/message", () => {
  describe("encodeQuery", () => {
    it("builds a standard query with RD set, as res_mkquery does", () => {
      const bytes = encodeQuery({ name: "www.example.com", type: "A" }, { id: 0xbeef, edns0: false });
      expect(Buffer.from(bytes).toString("hex")).to.equal(
        "beef0100000100000000000003777777076578616d706c6503636f6d0000010001",
      );
    });

    it("adds an OPT record advertising 1200 octets (glibc 2.36) with edns0", () => {
      const bytes = encodeQuery({ name: "a.test", type: "AAAA" }, { id: 1, edns0: true });
      const decoded = decodeMessage(bytes);
      expect(decoded.edns).to.deep.equal({ udpPayloadSize: EDNS_PAYLOAD_SIZE, extendedRcode: 0, version: 0, flags: 0, options: new Uint8Array(0) });
      expect(EDNS_PAYLOAD_SIZE).to.equal(1200);
      expect(Buffer.from(bytes.subarray(-11)).toString("hex")).to.equal("00002904b0000000000000");
    });

    it("sets AD with trust-ad and clears RD on request", () => {
      const m = decodeMessage(encodeQuery({ name: "a.test", type: "A" }, { id: 2, edns0: false, authenticData: true, recursionDesired: false }));
      expect([m.ad, m.rd, m.qr]).to.deep.equal([true, false, false]);
    });

    it("drops a trailing dot and keeps case", () => {
      const m = decodeMessage(encodeQuery({ name: "WwW.Test.", type: "ptr" }, { id: 3, edns0: false }));
      expect(m.questions).to.deep.equal([{ name: "WwW.Test", type: "PTR", class: "IN" }]);
    });

    it("puts escapes on the wire as ns_name_pton does: a dot inside a label, octets by number", () => {
      const bytes = encodeQuery({ name: "a\\.b c\\092\\001.test", type: "A" }, { id: 7, edns0: false });
      expect(Buffer.from(bytes.subarray(12, -4)).toString("hex")).to.equal(`07${Buffer.from("a.b c\\\x01").toString("hex")}04${Buffer.from("test").toString("hex")}00`);
      expect(decodeMessage(bytes).questions[0]!.name).to.equal("a\\.b\\032c\\\\\\001.test");
    });

    it("encodes types known only by number", () => {
      const m = decodeMessage(encodeQuery({ name: "a.test", type: "TYPE65280" }, { id: 4, edns0: false }));
      expect(m.questions[0]!.type).to.equal("TYPE65280");
    });

    it("refuses names that do not fit the wire, as res_mkquery fails", () => {
      expect(() => encodeQuery({ name: `${"x".repeat(64)}.test`, type: "A" }, { id: 5, edns0: false })).to.throw(InvalidNameError);
      expect(() => encodeQuery({ name: "a..test", type: "A" }, { id: 5, edns0: false })).to.throw(InvalidNameError);
    });

    it("refuses an unknown type name", () => {
      expect(() => encodeQuery({ name: "a.test", type: "BOGUS" }, { id: 6, edns0: false })).to.throw(RangeError);
    });
  });

  describe("decodeMessage", () => {
    it("reads header flags, sections, and the OPT record apart from the additional section", () => {
      const m = decodeMessage(
        response({
          aa: true,
          rd: true,
          ra: true,
          rcode: "NXDOMAIN",
          answers: [{ name: "a.test", type: "CNAME", ttl: 30, data: "b.test" }],
          authorities: [{ name: "test", type: "SOA", ttl: 60, data: { mname: "ns.test", rname: "h.test", serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } }],
          additionals: [{ name: "ns.test", type: "AAAA", ttl: 70, data: "2001:db8::1" }],
          edns: { udpPayloadSize: 4096 },
        }),
      );
      expect([m.id, m.qr, m.opcode, m.aa, m.tc, m.rd, m.ra, m.rcode]).to.deep.equal([0x1234, true, 0, true, false, true, true, "NXDOMAIN"]);
      expect(m.answers.map((rr) => [rr.name, rr.type, rr.class, rr.ttl, rr.data])).to.deep.equal([["a.test", "CNAME", "IN", 30, "b.test"]]);
      expect(m.authorities[0]!.data).to.include({ mname: "ns.test", minimum: 5 });
      expect(m.additionals.map((rr) => rr.data)).to.deep.equal(["2001:db8::1"]);
      expect(m.edns?.udpPayloadSize).to.equal(4096);
      expect(m.cutShort).to.equal(false);
    });

    it("prints addresses as inet_ntop does", () => {
      const m = decodeMessage(
        response({
          answers: [
            { name: "a.test", type: "A", ttl: 1, data: "192.0.2.1" },
            { name: "a.test", type: "AAAA", ttl: 1, data: "::ffff:192.0.2.1" },
            { name: "a.test", type: "AAAA", ttl: 1, data: "2001:0:0:1:0:0:0:1" },
          ],
        }),
      );
      expect(m.answers.map((rr) => rr.data)).to.deep.equal(["192.0.2.1", "::ffff:192.0.2.1", "2001:0:0:1::1"]);
    });

    it("keeps an address record of the wrong length, without data, as glibc skips it", () => {
      const m = decodeMessage(response({ answers: [{ name: "a.test", type: "A", ttl: 1, data: new Uint8Array([1, 2, 3]) }] }));
      expect(m.answers[0]!.data).to.equal(undefined);
      expect(Array.from(m.answers[0]!.rdata)).to.deep.equal([1, 2, 3]);
    });

    it("decodes MX, SRV, TXT and CAA with dns-packet once the framing is checked", () => {
      const m = decodeMessage(
        response({
          answers: [
            { name: "a.test", type: "MX", ttl: 1, data: { preference: 10, exchange: "mail.test" } },
            { name: "a.test", type: "SRV", ttl: 1, data: { priority: 1, weight: 2, port: 3, target: "srv.test" } },
            { name: "a.test", type: "TXT", ttl: 1, data: ["one", "two"] },
            { name: "a.test", type: "CAA", ttl: 1, data: { flags: 0, tag: "issue", value: "ca.test" } },
          ],
        }),
      );
      expect(m.answers[0]!.data).to.deep.equal({ preference: 10, exchange: "mail.test" });
      expect(m.answers[1]!.data).to.deep.equal({ priority: 1, weight: 2, port: 3, target: "srv.test" });
      expect(m.answers[3]!.data).to.include({ tag: "issue", value: "ca.test" });
    });

    it("keeps unknown types as raw RDATA", () => {
      const m = decodeMessage(response({ answers: [{ name: "a.test", type: "TYPE65280", ttl: 1, data: new Uint8Array([9, 8, 7]) }] }));
      expect(m.answers[0]!.type).to.equal("TYPE65280");
      expect(m.answers[0]!.data).to.equal(undefined);
      expect(Array.from(m.answers[0]!.rdata)).to.deep.equal([9, 8, 7]);
    });

    it("reads a message cut in the middle of its records as far as it goes, as glibc's ns_rr_cursor does, TC or not", () => {
      const whole = response({ answers: [{ name: "a.test", type: "A", ttl: 1, data: "192.0.2.1" }, { name: "a.test", type: "A", ttl: 1, data: "192.0.2.2" }] });
      const m = decodeMessage(whole.subarray(0, whole.length - 3));
      expect(m.cutShort).to.equal(true);
      expect(m.answers.map((rr) => rr.data)).to.deep.equal(["192.0.2.1"]);
      expect(m.counts).to.deep.equal([1, 2, 0, 0]);
    });

    it("ignores octets after the last counted record", () => {
      const m = decodeMessage(Buffer.concat([Buffer.from(response({ answers: [{ name: "a.test", type: "A", ttl: 1, data: "192.0.2.1" }] })), Buffer.alloc(30_000, 0xff)]));
      expect(m.cutShort).to.equal(false);
      expect(m.answers.map((rr) => rr.data)).to.deep.equal(["192.0.2.1"]);
    });

    it("tolerates a truncated (TC) message cut in the middle of its records", () => {
      const whole = response({ tc: true, answers: [{ name: "a.test", type: "A", ttl: 1, data: "192.0.2.1" }, { name: "a.test", type: "A", ttl: 1, data: "192.0.2.2" }] });
      const m = decodeMessage(whole.subarray(0, whole.length - 3));
      expect(m.tc).to.equal(true);
      expect(m.cutShort).to.equal(true);
      expect(m.answers.map((rr) => rr.data)).to.deep.equal(["192.0.2.1"]);
      expect(m.questions).to.have.length(1);
    });

    it("does not tolerate a TC message whose question is broken", () => {
      const bytes = hex("1234 8380 0001 0000 0000 0000 0561 62");
      expect(() => decodeMessage(bytes)).to.throw(MalformedMessageError);
    });

    describe("hostile and broken responses (fixtures/dns/malformed.txt): rejected when the header or question is broken, read up to the damage otherwise", () => {
      for (const { what, error, bytes, read } of malformedFixtures()) {
        it(`${what}: ${read ? "read" : "rejected"}`, () => {
          if (!read) expect(() => decodeMessage(bytes)).to.throw(MalformedMessageError, error);
          else {
            const m = decodeMessage(bytes);
            expect(m.questions).to.have.length(1);
            // Damage in a record marks the message; octets after the counted records do not.
            expect(m.cutShort, "cutShort").to.equal(!/after the last record/.test(error));
          }
        });
      }
    });
  });

  describe("isResponseTo", () => {
    const table: Array<[string, Uint8Array, boolean]> = [
      ["the answer", response(), true],
      ["the question in other case", encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name: "A.TeSt", type: "A" } }), true],
      ["another ID", encodeResponse({ id: 0x1235, rcode: "NOERROR", question: { name: "a.test", type: "A" } }), false],
      ["another name", encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name: "b.test", type: "A" } }), false],
      ["another type", encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name: "a.test", type: "AAAA" } }), false],
      ["another class", encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name: "a.test", type: "A", class: "CH" } }), false],
      ["a bare 12-octet REFUSED (glibc bug 31890)", encodeResponse({ id: 0x1234, rcode: "REFUSED" }), true],
      ["a bare 12-octet SERVFAIL", encodeResponse({ id: 0x1234, rcode: "SERVFAIL" }), true],
      ["a bare 12-octet NOERROR", encodeResponse({ id: 0x1234, rcode: "NOERROR" }), false],
      ["a bare NXDOMAIN", encodeResponse({ id: 0x1234, rcode: "NXDOMAIN" }), false],
    ];
    for (const [what, bytes, expected] of table) {
      it(`${what} → ${expected}`, () => expect(isResponseTo(request(), decodeMessage(bytes))).to.equal(expected));
    }

    describe("a name with characters the text form escapes matches the response to it", () => {
      // The response's question is read back in ns_name_ntop's text form
      // ("a\\032b.test"), which is not how the name was asked ("a b.test").
      const echo = (name: string): Uint8Array => {
        const bytes = encodeQuery({ name, type: "A" }, { id: 0x1234, edns0: false });
        bytes[2]! |= 0x80;
        return bytes;
      };
      const names = ["a b.test", "A B.Test.", "a\\.b.test", "a\\\\b.test", "a\\032b.test", 'a"b;c(d)e@f$g.test', "a\tb.test", "\u00e9.test"];
      for (const name of names) {
        it(JSON.stringify(name), () => {
          const bytes = echo(name);
          expect(isResponseTo(request(name), decodeMessage(bytes))).to.equal(true);
          expect(classify(request(name), bytes)).to.equal("accept");
        });
      }

      it("but not a response for another name written alike", () => {
        expect(isResponseTo(request("a.b.test"), decodeMessage(echo("a\\.b.test")))).to.equal(false);
        expect(isResponseTo(request("a b.test"), decodeMessage(echo("a\\ b.tes")))).to.equal(false);
        expect(classify(request("a\\.b.test"), echo("a.b.test"))).to.equal("ignore");
      });
    });

    it("a query (QR clear) is no response", () => {
      const query = encodeQuery({ name: "a.test", type: "A" }, { id: 0x1234, edns0: false });
      expect(isResponseTo(request(), decodeMessage(query))).to.equal(false);
    });
  });

  describe("readResponse", () => {
    it("accepts the answer, and ignores noise and other answers", () => {
      expect(classify(request(), response())).to.equal("accept");
      expect(classify(request(), new Uint8Array(Buffer.from("garbage, not DNS")))).to.equal("ignore");
      expect(classify(request(), new Uint8Array(5))).to.equal("ignore");
      expect(classify(request("b.test"), response())).to.equal("ignore");
      expect(classify(request("a.test", "A", 7), response())).to.equal("ignore");
    });

    it("ignores a message whose questions do not read, as glibc's res_queriesmatch does, and accepts one broken past them", () => {
      // Two questions, the second cut short.
      const broken = Buffer.concat([encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name: "a.test", type: "A" } }), Buffer.from([5, 0x61])]);
      broken[5] = 2;
      expect(() => decodeMessage(broken)).to.throw(MalformedMessageError);
      expect(classify(request(), broken)).to.equal("ignore");
      const cut = Buffer.from(response({ answers: [{ name: "a.test", type: "A", ttl: 1, data: "192.0.2.1" }] })).subarray(0, 30);
      expect(classify(request(), cut)).to.equal("accept");
    });

    it("ignores a malformed message whose ID or question is not ours", () => {
      for (const { bytes } of malformedFixtures()) {
        expect(classify(request("a.test", "A", 0x4321), bytes)).to.equal("ignore");
        expect(classify(request("other.test"), bytes)).to.equal("ignore");
      }
    });
  });
});

import { expect } from "chai";
import dnsPacket from "dns-packet";
import { decodeMessage } from "../../src/dns/message.js";
import { rdataText } from "../../src/dns/present.js";

/** A response with one answer record of `type` whose RDATA is exactly `rdata`. */
function answerWith(type: string, rdata: Buffer): string {
  const bytes = dnsPacket.encode({
    type: "response",
    id: 1,
    questions: [{ name: "x.test", type: "A", class: "IN" }],
    answers: [{ name: "x.test", type: "NULL", class: "IN", ttl: 5, data: rdata } as unknown as dnsPacket.Answer],
  });
  // Give the record its type after encoding: dns-packet would not write a broken MX.
  const typeAt = bytes.length - rdata.length - 10;
  bytes.writeUInt16BE({ MX: 15, CAA: 257, DS: 43, NSEC: 47, HTTPS: 65 }[type]!, typeAt);
  const message = decodeMessage(bytes);
  return rdataText(message, message.answers[0]!);
}

describe("presentation format of broken RDATA", () => {
  // decodeMessage already refuses broken RDATA of the types dns-packet decodes for it (MX, TXT, SRV, ...).
  it("RDATA of other types that does not fit its type prints as RFC 3597's \\# form", () => {
    expect(answerWith("DS", Buffer.from([0xec, 0x45, 8]))).to.equal("\\# 3 EC4508");
    expect(answerWith("CAA", Buffer.from([0, 9, 0x69]))).to.equal("\\# 3 000969");
    expect(answerWith("NSEC", Buffer.from([0, 0, 40, 1]))).to.equal("\\# 4 00002801");
    expect(answerWith("HTTPS", Buffer.from([0, 1, 0, 0, 3, 0, 3, 1]))).to.equal("\\# 8 0001000003000301");
  });

  it("well-formed RDATA read the same way prints in its type's form", () => {
    expect(answerWith("MX", Buffer.from([0, 10, 0]))).to.equal("10 .");
    expect(answerWith("CAA", Buffer.from([128, 3, 0x74, 0x62, 0x73, 0x22, 0x7f]))).to.equal('128 tbs "\\"\\127"');
    expect(answerWith("NSEC", Buffer.from([0, 0, 1, 0x40]))).to.equal(". A");
  });
});

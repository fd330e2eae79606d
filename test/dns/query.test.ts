import { expect } from "chai";
import { decodeMessage } from "../../src/dns/message.js";
import { queryStatus } from "../../src/dns/query.js";
import type { QueryResult } from "../../src/dns/send.js";
import { encodeResponse } from "../../src/zone/wire.js";

/** An answer with this RCODE and this many A records. */
function answer(rcode: string, records = 0, type = "A"): QueryResult {
  const question = { name: "a.test", type };
  const message = decodeMessage(
    encodeResponse({
      id: 1,
      rcode,
      question,
      answers: Array.from({ length: records }, (_, i) => ({ name: "a.test", type: "A", ttl: 1, data: `192.0.2.${i + 1}` })),
    }),
  );
  return { question, rcode, message, server: { address: "127.0.0.1", port: 53, family: 4 }, protocol: "udp", rtt: 1 };
}

describe("dns/query: glibc res_query's verdict", () => {
  const table: Array<[string, QueryResult[], string | undefined]> = [
    ["no answer at all (res_send failed)", [], "TRY_AGAIN"],
    ["NOERROR with records", [answer("NOERROR", 1)], undefined],
    ["NOERROR without records", [answer("NOERROR")], "NO_DATA"],
    ["NXDOMAIN", [answer("NXDOMAIN")], "HOST_NOT_FOUND"],
    ["NXDOMAIN with records (a CNAME to nowhere)", [answer("NXDOMAIN", 1)], "HOST_NOT_FOUND"],
    ["SERVFAIL (over TCP, where it is an answer)", [answer("SERVFAIL")], "TRY_AGAIN"],
    ["FORMERR", [answer("FORMERR")], "NO_RECOVERY"],
    ["NOTIMP", [answer("NOTIMP")], "NO_RECOVERY"],
    ["REFUSED", [answer("REFUSED")], "NO_RECOVERY"],
    ["YXDOMAIN", [answer("YXDOMAIN")], "NO_RECOVERY"],
    ["A with records, AAAA NXDOMAIN: success", [answer("NOERROR", 2), answer("NXDOMAIN", 0, "AAAA")], undefined],
    ["A NXDOMAIN, AAAA with records: success", [answer("NXDOMAIN"), answer("NOERROR", 1, "AAAA")], undefined],
    ["both empty: NO_DATA", [answer("NOERROR"), answer("NOERROR", 0, "AAAA")], "NO_DATA"],
    ["A empty, AAAA NXDOMAIN: the first non-NOERROR decides", [answer("NOERROR"), answer("NXDOMAIN", 0, "AAAA")], "HOST_NOT_FOUND"],
    ["A FORMERR, AAAA NXDOMAIN: the first non-NOERROR decides", [answer("FORMERR"), answer("NXDOMAIN", 0, "AAAA")], "NO_RECOVERY"],
  ];
  for (const [what, answers, status] of table) it(`${what} → ${status ?? "success"}`, () => expect(queryStatus(answers)).to.equal(status));
});

import { expect } from "chai";
import { formatRtt, traceLine } from "../../src/cli/trace.js";
import type { TraceEvent } from "../../src/trace.js";

describe("--trace lines", () => {
  const lines: [TraceEvent, string][] = [
    [{ kind: "source", source: "files", name: "www", result: "notfound" }, ';; files has no entry for "www"'],
    [{ kind: "source", source: "dns", name: "www", result: "found" }, ';; dns answered "www"'],
    [{ kind: "source", source: "dns", name: "www", result: "unavailable" }, ';; dns is unavailable for "www"'],
    [{ kind: "source", source: "dns", name: "www", result: "tryagain" }, ';; dns asks to try again later for "www"'],
    [{ kind: "search", name: "www", candidates: ["www.hellfly.net", "www"] }, ';; search list for "www": try www.hellfly.net, then www'],
    [{ kind: "search", name: "x", candidates: [] }, ';; search list for "x": no name to try'],
    [
      { kind: "query", name: "www.hellfly.net", type: "A", server: "127.0.0.1:53", protocol: "udp", edns: true },
      ";;   -> www.hellfly.net A to 127.0.0.1:53 over udp with EDNS0",
    ],
    [
      { kind: "response", name: "www.hellfly.net", type: "A", server: "127.0.0.1:53", protocol: "udp", rtt: 0.42, rcode: "NOERROR", truncated: false, answers: 2, records: [
        { section: "answer", name: "www.hellfly.net", ttl: 300, type: "CNAME", data: "hellfly.net." },
        { section: "answer", name: "hellfly.net", ttl: 60, type: "A", data: "50.56.79.68" },
      ] },
      [
        ";;   <- www.hellfly.net A from 127.0.0.1:53 over udp in 0.4 ms: NOERROR, 2 answers",
        ";;        answer www.hellfly.net. 300 CNAME hellfly.net.",
        ";;        answer hellfly.net. 60 A 50.56.79.68",
      ].join("\n"),
    ],
    [
      { kind: "response", name: "big.test", type: "TXT", server: "[::1]:53", protocol: "udp", rtt: 12.6, rcode: "NOERROR", truncated: true, answers: 0, records: [] },
      ";;   <- big.test TXT from [::1]:53 over udp in 13 ms: NOERROR, 0 answers, truncated (TC): the answer did not fit",
    ],
    [
      { kind: "error", name: "www", type: "AAAA", server: "127.0.0.2:53", protocol: "udp", error: "timed out after 1000 ms" },
      ";;   !! www AAAA to 127.0.0.2:53 over udp: timed out after 1000 ms",
    ],
    [{ kind: "sort", before: ["2001:db8::1", "192.0.2.1"], after: ["192.0.2.1", "2001:db8::1"] }, ";; RFC 6724 sort: 2001:db8::1, 192.0.2.1 => 192.0.2.1, 2001:db8::1"],
    [{ kind: "sort", before: ["192.0.2.1"], after: ["192.0.2.1"] }, ";; RFC 6724 sort kept the order: 192.0.2.1"],
    [{ kind: "note", text: "AI_ADDRCONFIG: no IPv6 address configured, AAAA not asked" }, ";; AI_ADDRCONFIG: no IPv6 address configured, AAAA not asked"],
  ];
  for (const [event, line] of lines) {
    it(`${event.kind}: ${line}`, () => {
      expect(traceLine(event)).to.equal(line);
    });
  }

  it("formats round-trip times", () => {
    expect([0, 0.04, 9.94, 9.96, 10, 1234.5].map(formatRtt)).to.deep.equal(["0.0 ms", "0.0 ms", "9.9 ms", "10 ms", "10 ms", "1235 ms"]);
  });
});

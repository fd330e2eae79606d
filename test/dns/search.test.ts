import { expect } from "chai";
import { readFileSync } from "node:fs";
import { DnsLookupError, type DnsLookupStatus } from "../../src/dns/errors.js";
import { resSearch, searchCandidates } from "../../src/dns/search.js";

type Answer = "OK" | { status: DnsLookupStatus; rcode?: string; errno?: string };
interface Case {
  what: string;
  conf: { search: string[]; ndots: number };
  name: string;
  answers: Record<string, Answer>;
  expect: { tried: string[]; result?: string; error?: DnsLookupStatus; errno?: string };
}

const { cases } = JSON.parse(readFileSync(new URL("../../fixtures/dns/search.json", import.meta.url), "utf8")) as { cases: Case[] };

describe("dns/search: glibc res_search (fixtures/dns/search.json)", () => {
  for (const c of cases) {
    it(c.what, async () => {
      const tried: string[] = [];
      const query = async (candidate: string): Promise<string> => {
        tried.push(candidate);
        const answer = c.answers[candidate] ?? { status: "HOST_NOT_FOUND", rcode: "NXDOMAIN" };
        if (answer === "OK") return candidate;
        throw new DnsLookupError(answer.status, candidate, ["127.0.0.1:53"], answer.errno, answer.rcode);
      };
      let outcome: string | DnsLookupError;
      try {
        outcome = await resSearch(c.name, c.conf, query);
      } catch (err) {
        outcome = err as DnsLookupError;
      }
      expect(tried).to.deep.equal(c.expect.tried);
      if (c.expect.result !== undefined) {
        expect(outcome).to.equal(c.expect.result);
      } else {
        expect(outcome).to.be.instanceOf(DnsLookupError);
        const error = outcome as DnsLookupError;
        expect([error.status, error.name, error.servers]).to.deep.equal([c.expect.error, c.name, ["127.0.0.1:53"]]);
        if (c.expect.errno !== undefined) expect(error.errno).to.equal(c.expect.errno);
      }
      // The candidates traced up front cover every name tried, in order.
      const planned = searchCandidates(c.name, c.conf);
      expect(planned.filter((n) => tried.includes(n))).to.deep.equal(tried);
    });
  }

  it("passes on errors that are not lookup failures (an abort) at once", async () => {
    const abort = new DOMException("stop", "AbortError");
    const tried: string[] = [];
    const query = async (candidate: string): Promise<never> => {
      tried.push(candidate);
      throw abort;
    };
    let caught: unknown;
    try {
      await resSearch("x", { search: ["a.example", "b.example"], ndots: 1 }, query);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(abort);
    expect(tried).to.deep.equal(["x.a.example"]);
  });
});

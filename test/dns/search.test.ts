import { expect } from "chai";
import { readFileSync } from "node:fs";
import { DnsLookupError, type DnsLookupStatus } from "../../src/dns/errors.js";
import { SearchWalk, searchCandidates, type SearchSettings } from "../../src/dns/search.js";
import { sendContext, type SendOutcome } from "../../src/dns/send.js";
import type { Question } from "../../src/dns/question.js";
import { defaultResolvConf } from "../../src/files/resolvconf.js";

/** How one candidate is queried in these tests: exactly one of `answered` or `failed` (with a DnsLookupError for a failed query) once. */
type CandidateQuery<T> = (candidate: string, answered: (value: T) => void, failed: (err: unknown) => void) => void;

/** What the walk's res_send half would send with: never used by these tests. */
const UNSENT = sendContext(defaultResolvConf(), { exchange: () => Promise.reject(new Error("no res_send in these tests")), close: async () => {} }, () => 0);

/**
 * The search walk over a query that reports to callbacks: its failures
 * are DnsLookupErrors, whose servers the final error lists (as the
 * client's res_query does); anything else ends the search.
 */
class CallbackSearch<T> extends SearchWalk {
  readonly #servers = new Set<string>();
  readonly signal = undefined;
  readonly tracer = undefined;

  constructor(name: string, settings: SearchSettings, readonly ask: CandidateQuery<T>, readonly resolve: (value: T) => void, readonly reject: (err: unknown) => void) {
    super(UNSENT, name, settings);
  }

  // The walk's res_send half (SendRun) is not used here: query() answers through the callbacks.
  question(): Question {
    throw new Error("no res_send in these tests");
  }

  sent(_outcome: SendOutcome): void {
    throw new Error("no res_send in these tests");
  }

  protected query(candidate: string): void {
    this.ask(candidate, this.resolve, (err) => {
      if (!(err instanceof DnsLookupError)) {
        this.reject(err);
        return;
      }
      for (const s of err.servers) this.#servers.add(s);
      this.candidateFailed(err.status, err.errno, err.rcode);
    });
  }

  protected failedServers(): string[] {
    return [...this.#servers];
  }

  failed(err: unknown): void {
    this.reject(err);
  }
}

function resSearch<T>(name: string, settings: SearchSettings, query: CandidateQuery<T>, resolve: (value: T) => void, reject: (err: unknown) => void): void {
  new CallbackSearch(name, settings, query, resolve, reject).start();
}

/** The search as a promise over a query that answers with a promise (the client wraps it the same way). */
function search<T>(name: string, settings: SearchSettings, query: (candidate: string) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => resSearch(name, settings, (candidate, answered, failed) => void query(candidate).then(answered, failed), resolve, reject));
}

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
        outcome = await search(c.name, c.conf, query);
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
      await search("x", { search: ["a.example", "b.example"], ndots: 1 }, query);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(abort);
    expect(tried).to.deep.equal(["x.a.example"]);
  });
});

describe("dns/search: callbacks", () => {
  it("goes on synchronously after a query that fails at once, and reports once", () => {
    const tried: string[] = [];
    const results: unknown[] = [];
    resSearch(
      "x",
      { search: ["a.example", "b.example"], ndots: 1 },
      (candidate, answered, failed) => {
        tried.push(candidate);
        if (candidate === "x.b.example") answered(candidate);
        else failed(new DnsLookupError("HOST_NOT_FOUND", candidate, [], undefined, "NXDOMAIN"));
      },
      (value) => results.push(value),
      (err) => results.push(err),
    );
    expect(tried).to.deep.equal(["x.a.example", "x.b.example"]);
    expect(results).to.deep.equal(["x.b.example"]);
  });

  it("reports a query that throws as the search's failure", () => {
    const bug = new Error("bug");
    const results: unknown[] = [];
    resSearch("x", { search: ["a.example"], ndots: 1 }, () => { throw bug; }, (v) => results.push(v), (e) => results.push(e));
    expect(results).to.deep.equal([bug]);
  });
});

describe("dns/search: options no-tld-query (glibc's RES_NOTLDQUERY)", () => {
  const cases: Array<[string, SearchSettings, string[]]> = [
    ["a dotless name after the search list: never as it is", { search: ["a.example", "b.example"], ndots: 1, noTldQuery: true }, ["x.a.example", "x.b.example"]],
    ["no search list was walked: as it is after all", { search: [], ndots: 1, noTldQuery: true }, ["x"]],
    ["without the option: as it is last", { search: ["a.example"], ndots: 1 }, ["x.a.example", "x"]],
  ];
  for (const [what, settings, expected] of cases) {
    it(what, () => expect(searchCandidates("x", settings)).to.deep.equal(expected));
  }

  it("a name with a dot is still asked as it is", () => {
    expect(searchCandidates("x.y", { search: ["a.example"], ndots: 2, noTldQuery: true })).to.deep.equal(["x.y.a.example", "x.y"]);
  });
});

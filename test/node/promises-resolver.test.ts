import { expect } from "chai";
import dnsPacket from "dns-packet";
import dns from "node:dns";
import { PromisesResolver } from "../../src/node/promises-resolver.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { REVERSE, REVERSE6, ZONE } from "./support/diff-zones.js";

/**
 * Differential tests: node:dns's own promises Resolver and netdb's
 * PromisesResolver ask the same loopback test server the same questions
 * and must settle the same way (values, or errors with the same message,
 * code, errno, syscall and hostname).
 */
type Outcome = { value: unknown } | { error: Record<string, unknown> };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await call() };
  } catch (err) {
    const e = err as Error & Record<string, unknown>;
    return { error: { class: e.constructor.name, message: e.message, keys: Object.keys(e), errno: e.errno, code: e.code, syscall: e.syscall, hostname: e.hostname } };
  }
}

type AnyResolver = Record<string, (...args: unknown[]) => Promise<unknown>>;

describe("node/promises-resolver: the same answers and errors as node:dns", function () {
  let server: TestDnsServer;
  let netdb: PromisesResolver;
  let node: dns.promises.Resolver;

  before(async () => {
    server = await TestDnsServer.start({
      zones: [
        { origin: "diff.test.", text: ZONE },
        { origin: "2.0.192.in-addr.arpa.", text: REVERSE },
        { origin: "8.b.d.0.1.0.0.2.ip6.arpa.", text: REVERSE6 },
      ],
    });
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reset();
    const servers = [`127.0.0.1:${server.port}`];
    node = new dns.promises.Resolver({ timeout: 300, tries: 1 });
    node.setServers(servers);
    netdb = new PromisesResolver({ resolver: { files: {}, nameservers: ["127.0.0.9:9"] }, timeout: 300, tries: 1 });
    netdb.setServers(servers);
  });

  /** Calls `method(...args)` on both and compares how they settle. */
  async function same(method: string, ...args: unknown[]): Promise<Outcome> {
    const expected = await outcome(() => (node as unknown as AnyResolver)[method]!(...args));
    const actual = await outcome(() => (netdb as unknown as AnyResolver)[method]!(...args));
    expect(actual, `${method}(${args.map((a) => JSON.stringify(a)).join(", ")})`).to.deep.equal(expected);
    return actual;
  }

  const answers: Array<[string, ...unknown[]]> = [
    ["resolve4", "dual.diff.test"],
    ["resolve4", "dual.diff.test", { ttl: true }],
    ["resolve4", "alias2.diff.test", { ttl: true }],
    ["resolve4", "DUAL.Diff.Test."],
    ["resolve6", "dual.diff.test", { ttl: true }],
    ["resolve6", "alias.diff.test"],
    ["resolve", "dual.diff.test"],
    ["resolve", "diff.test", "MX"],
    ["resolve", "diff.test", "TXT"],
    ["resolveMx", "diff.test"],
    ["resolveNs", "diff.test"],
    ["resolveTxt", "diff.test"],
    ["resolveSrv", "_sip._udp.diff.test"],
    ["resolveSoa", "diff.test"],
    ["resolveCaa", "diff.test"],
    ["resolveCname", "alias.diff.test"],
    ["resolvePtr", "10.2.0.192.in-addr.arpa"],
    ["reverse", "192.0.2.10"],
    ["reverse", "2001:db8::10"],
  ];
  for (const [method, ...args] of answers) {
    it(`${method}(${args.map((a) => JSON.stringify(a)).join(", ")})`, async () => {
      const result = await same(method, ...args);
      expect(result, "an answer").to.have.property("value");
    });
  }

  const failures: Array<[string, string, ...unknown[]]> = [
    ["ENOTFOUND", "resolve4", "nowhere.diff.test"],
    ["ENOTFOUND", "resolveMx", "nowhere.diff.test"],
    ["ENODATA", "resolve4", "only6.diff.test"],
    ["ENODATA", "resolveSoa", "dual.diff.test"],
    ["ENODATA", "resolveNs", "dual.diff.test"],
    ["EREFUSED", "resolve4", "outside.example"],
    ["EBADNAME", "resolve4", "a..diff.test"],
    ["EBADNAME", "resolveTxt", `${"x".repeat(64)}.diff.test`],
    ["ENOTFOUND", "reverse", "192.0.2.99"],
    ["EINVAL", "reverse", "not-an-address"],
  ];
  for (const [code, method, ...args] of failures) {
    it(`${method}(${args.map((a) => JSON.stringify(a)).join(", ")}) fails with ${code}`, async () => {
      const result = await same(method, ...args);
      expect(result).to.have.nested.property("error.code", code);
    });
  }

  const misbehaviours: Array<[string, Parameters<TestDnsServer["misbehave"]>[0]["behaviour"]]> = [
    ["ESERVFAIL", { kind: "rcode", rcode: "SERVFAIL" }],
    ["EREFUSED", { kind: "rcode", rcode: "REFUSED" }],
    ["ENOTIMP", { kind: "rcode", rcode: "NOTIMP" }],
    ["EFORMERR", { kind: "rcode", rcode: "FORMERR" }],
    ["ETIMEOUT", { kind: "drop" }],
    // The answer with its last octet cut off: the RDATA runs past the end.
    ["EBADRESP", { kind: "raw", bytes: (_query, normal) => normal.subarray(0, normal.length - 1) }],
  ];
  for (const [code, behaviour] of misbehaviours) {
    it(`a server that answers ${JSON.stringify(behaviour.kind === "rcode" ? behaviour.rcode : behaviour.kind)} gives ${code}`, async () => {
      server.misbehave({ name: "bad.diff.test", behaviour });
      const result = await same("resolve4", "bad.diff.test");
      expect(result).to.have.nested.property("error.code", code);
    });
  }

  // reverse() is c-ares' gethostbyaddr: every failure to get records is ENOTFOUND.
  const reverseMisbehaviours: Array<Parameters<TestDnsServer["misbehave"]>[0]["behaviour"]> = [
    { kind: "rcode", rcode: "SERVFAIL" },
    { kind: "rcode", rcode: "REFUSED" },
    { kind: "rcode", rcode: "NOERROR" },
    { kind: "drop" },
  ];
  for (const behaviour of reverseMisbehaviours) {
    it(`reverse() when the server answers ${behaviour.kind === "rcode" ? behaviour.rcode : behaviour.kind} gives ENOTFOUND`, async () => {
      server.misbehave({ name: "10.2.0.192.in-addr.arpa", behaviour });
      const result = await same("reverse", "192.0.2.10");
      expect(result).to.have.nested.property("error.code", "ENOTFOUND");
    });
  }

  it("reverse() of an answer with records but no PTR gives ENODATA", async () => {
    server.misbehave({
      name: "10.2.0.192.in-addr.arpa",
      behaviour: {
        kind: "raw",
        bytes: (query) =>
          new Uint8Array(dnsPacket.encode({
            id: query.id,
            type: "response",
            flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER,
            questions: [{ name: "10.2.0.192.in-addr.arpa", type: "PTR", class: "IN" }],
            answers: [{ name: "10.2.0.192.in-addr.arpa", type: "A", class: "IN", ttl: 60, data: "192.0.2.10" }],
          })),
      },
    });
    const result = await same("reverse", "192.0.2.10");
    expect(result).to.have.nested.property("error.code", "ENODATA");
  });

  it("the empty name asks for the root, and the error has no hostname", async () => {
    const result = await same("resolve4", "");
    expect(result).to.have.nested.property("error.message", "queryA EREFUSED");
  });

  it("after setServers([]) there is no server: getServers() is empty and queries fail as in node:dns", async () => {
    node.setServers([]);
    netdb.setServers([]);
    expect(netdb.getServers()).to.deep.equal(node.getServers());
    expect(await same("resolveMx", "diff.test")).to.have.nested.property("error.code", "UNKNOWN_ARES_ERROR");
    expect(await same("reverse", "192.0.2.10")).to.have.nested.property("error.code", "ENOTFOUND");
    expect(server.count()).to.equal(0);
  });

  it("a port where nothing listens gives ECONNREFUSED", async () => {
    const closed = await TestDnsServer.start({ ipv6: false });
    const port = closed.port;
    await closed.stop();
    node.setServers([`127.0.0.1:${port}`]);
    netdb.setServers([`127.0.0.1:${port}`]);
    const result = await same("resolve4", "dual.diff.test");
    expect(result).to.have.nested.property("error.code", "ECONNREFUSED");
  });

  it("cancel() ends queries in flight with ECANCELLED", async () => {
    server.misbehave({ name: "slow.diff.test", behaviour: { kind: "drop" } });
    const expected = outcome(() => node.resolve4("slow.diff.test"));
    const actual = outcome(() => netdb.resolve4("slow.diff.test"));
    node.cancel();
    netdb.cancel();
    expect(await actual).to.deep.equal(await expected);
    expect(await actual).to.have.nested.property("error.code", "ECANCELLED");
    // The resolver still works afterwards.
    expect(await netdb.resolve4("dual.diff.test")).to.deep.equal(["192.0.2.10", "192.0.2.11"]);
  });

  it("throws the same errors for wrong arguments, synchronously", () => {
    const syncError = (f: () => unknown): Record<string, unknown> => {
      try {
        f();
      } catch (err) {
        const e = err as Error & { code?: string };
        return { class: e.constructor.name, code: e.code, message: e.message };
      }
      return {};
    };
    const cases: Array<(r: AnyResolver) => unknown> = [
      (r) => r.resolve4!(5),
      (r) => r.resolve!("x", 5),
      (r) => r.resolve!("x", "a"),
      (r) => r.resolve!("x", "BOGUS"),
      (r) => r.reverse!(5),
      (r) => r.setServers!("x"),
      (r) => r.setServers!([1]),
      (r) => r.setServers!(["nope"]),
    ];
    for (const call of cases) {
      const expected = syncError(() => call(node as unknown as AnyResolver));
      expect(expected, String(call)).to.have.property("code");
      expect(syncError(() => call(netdb as unknown as AnyResolver)), String(call)).to.deep.equal(expected);
    }
  });

  it("rejects bad constructor options as node:dns does", () => {
    for (const options of [{ timeout: "1" }, { timeout: 1.5 }, { timeout: -2 }, { timeout: 2 ** 40 }, { tries: 0 }]) {
      let expected: unknown;
      try {
        new dns.promises.Resolver(options as never);
      } catch (err) {
        expected = { class: (err as Error).constructor.name, code: (err as { code?: string }).code, message: (err as Error).message };
      }
      expect(expected).to.not.equal(undefined);
      expect(() => new PromisesResolver(options as never)).to.throw().that.satisfies((err: Error & { code?: string }) => {
        expect({ class: err.constructor.name, code: err.code, message: err.message }).to.deep.equal(expected);
        return true;
      });
    }
  });

  it("prints servers as getServers does", () => {
    const list = ["::1", "[::1]:5353", "127.0.0.1:53", "192.0.2.1:99", "[192.0.2.2]:77", "2001:0db8::1"];
    node.setServers(list);
    netdb.setServers(list);
    expect(netdb.getServers()).to.deep.equal(node.getServers());
  });
});

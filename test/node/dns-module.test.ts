import { expect } from "chai";
import dgram from "node:dgram";
import net from "node:net";
import nodeDns from "node:dns";
import * as nodeNamed from "node:dns";
import * as nodePromisesNamed from "node:dns/promises";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createDns } from "../../src/node/create-dns.js";
import netdbDefault from "../../src/node/dns.js";
import * as netdbNamed from "../../src/node/dns.js";
import * as netdbPromisesNamed from "../../src/node/dns-promises.js";
import { getDefaultResolver } from "../../src/index.js";
import { Resolver } from "../../src/resolver.js";
import { startKnot, type KnotServer } from "../support/knot.js";
import { REVERSE as BASE_REVERSE, REVERSE6 as BASE_REVERSE6, ZONE as BASE_ZONE } from "./support/diff-zones.js";
import { described, promised, type Outcome } from "./support/outcome.js";

/**
 * netdb/dns against node:dns: the same names exported, and the same
 * outcome (value, or error class, message, code, errno, syscall, hostname,
 * own keys) for every function of both faces (callbacks and promises, the
 * module functions and the Resolver classes) asked the same questions of
 * the same Knot server on loopback.
 */
/** The comparison zones, with a record of every type node:dns reads and NS records for Knot. */
const ZONE = `${BASE_ZONE}
@         IN NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.diff.test.
@         IN NAPTR 102 10 "U" "E2U+sip" "!^.*$!sip:info@diff.test!" .
ns2       IN AAAA  2001:db8::53
multi 60  IN A     192.0.2.70
multi 90  IN AAAA  2001:db8::70
multi     IN MX    5 mail.diff.test.
multi     IN TXT   "any" "thing"
multi     IN SRV   1 2 3 t.diff.test.
multi     IN PTR   ptr.diff.test.
multi     IN NAPTR 1 2 "A" "x" "" multi.diff.test.
multi     IN CAA   0 issuewild ";"
ptrname   IN PTR   target.diff.test.
`;
const REVERSE = `${BASE_REVERSE}@ IN NS ns1.diff.test.\n`;
const REVERSE6 = `${BASE_REVERSE6}@ IN NS ns1.diff.test.\n`;

/** How a callback-taking call calls back (`value` the results after `null`), or what it threw at once. */
function calledBack(call: (callback: (err: unknown, ...results: unknown[]) => void) => unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    let sync = true;
    try {
      call((err, ...results) => {
        expect(sync, "called back on a later tick").to.equal(false);
        resolve(err ? { error: described(err) } : { value: results });
      });
    } catch (err) {
      resolve({ thrown: described(err) });
    }
    sync = false;
  });
}

type Fn = (...args: unknown[]) => unknown;
type Module = Record<string, unknown> & { promises: Record<string, unknown> };

/** Own and inherited method names of a class's prototype, as a sorted list. */
function protoNames(cls: unknown): string[] {
  const names = new Set<string>();
  for (let p = (cls as { prototype: object }).prototype; p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return [...names].sort();
}

describe("node/dns-module: netdb/dns has node:dns's surface", function () {
  it("exports the names node:dns exports, default and named, and node:dns/promises'", () => {
    expect(Object.keys(netdbDefault).sort()).to.deep.equal(Object.keys(nodeDns).sort());
    expect(Object.keys(netdbDefault.promises).sort()).to.deep.equal(Object.keys(nodeDns.promises).sort());
    expect(Object.keys(netdbNamed).sort()).to.deep.equal(Object.keys(nodeNamed).sort());
    expect(Object.keys(netdbPromisesNamed).sort()).to.deep.equal(Object.keys(nodePromisesNamed).sort());
    const made = createDns(new Resolver({ files: {} }));
    expect(Object.keys(made).sort()).to.deep.equal(Object.keys(nodeDns).sort());
  });

  it("has the same types and constant values", () => {
    const made = createDns(new Resolver({ files: {} })) as unknown as Module;
    for (const [face, node] of [[made, nodeDns], [made.promises, nodeDns.promises]] as Array<[Record<string, unknown>, Record<string, unknown>]>) {
      for (const key of Object.keys(node)) {
        expect(typeof face[key], key).to.equal(typeof node[key]);
        if (typeof node[key] !== "function" && key !== "promises") expect(face[key], key).to.equal(node[key]);
      }
    }
    expect(netdbPromisesNamed.default).to.equal(netdbDefault.promises);
    expect(netdbNamed.resolve4).to.equal(netdbDefault.resolve4);
  });

  it("has Resolver classes with node's methods, the callback one separate from the promises one", () => {
    expect(protoNames(netdbDefault.Resolver)).to.deep.equal(protoNames(nodeDns.Resolver));
    expect(protoNames(netdbDefault.promises.Resolver)).to.deep.equal(protoNames(nodeDns.promises.Resolver));
    expect(netdbDefault.Resolver).to.not.equal(netdbDefault.promises.Resolver);
    expect(Object.keys(new netdbDefault.promises.Resolver())).to.deep.equal(Object.keys(new nodeDns.promises.Resolver()).filter((k) => !k.startsWith("_")));
  });

  it("uses netdb's default Resolver for the default module, and reads nothing at import", () => {
    // getDefaultResolver is lazy: the module's functions reach it on first call, not at import.
    expect(getDefaultResolver()).to.be.an.instanceOf(Resolver);
    expect(typeof netdbDefault.getDefaultResultOrder()).to.equal("string");
  });
});

describe("node/dns-module: the same answers and errors as node:dns from Knot", function () {
  this.timeout(30_000);
  let knot: KnotServer;
  let servers: string[];
  let savedNodeServers: string[];
  let netdb: Module;

  before(async () => {
    knot = await startKnot([
      { origin: "diff.test.", text: ZONE },
      { origin: "2.0.192.in-addr.arpa.", text: REVERSE },
      { origin: "8.b.d.0.1.0.0.2.ip6.arpa.", text: REVERSE6 },
    ]);
    servers = [`127.0.0.1:${knot.port}`];
    savedNodeServers = nodeDns.getServers();
    nodeDns.setServers(servers);
    netdb = createDns(new Resolver({ files: {}, nameservers: ["127.0.0.9:9"] })) as unknown as Module;
    (netdb.setServers as Fn)(servers);
  });
  after(async () => {
    nodeDns.setServers(savedNodeServers);
    await knot.stop();
  });

  /** The four faces of one question: callback and promises, module function and Resolver method. */
  async function same(method: string, ...args: unknown[]): Promise<Outcome> {
    const label = `${method}(${args.map((a) => JSON.stringify(a)).join(", ")})`;
    const nodeCb = new nodeDns.Resolver({ timeout: 2000, tries: 2 });
    const netdbCb = new (netdb.Resolver as typeof nodeDns.Resolver)({ timeout: 2000, tries: 2 });
    const nodePr = new nodeDns.promises.Resolver({ timeout: 2000, tries: 2 });
    const netdbPr = new (netdb.promises.Resolver as typeof nodeDns.promises.Resolver)({ timeout: 2000, tries: 2 });
    for (const r of [nodeCb, netdbCb, nodePr, netdbPr]) r.setServers(servers);
    const faces: Array<[string, () => Promise<Outcome>, () => Promise<Outcome>]> = [
      ["promises.Resolver", () => promised(() => (nodePr as unknown as Record<string, Fn>)[method]!(...args) as Promise<unknown>),
        () => promised(() => (netdbPr as unknown as Record<string, Fn>)[method]!(...args) as Promise<unknown>)],
      ["promises", () => promised(() => (nodeDns.promises as unknown as Record<string, Fn>)[method]!(...args) as Promise<unknown>),
        () => promised(() => (netdb.promises[method] as Fn)(...args) as Promise<unknown>)],
      ["Resolver", () => calledBack((cb) => (nodeCb as unknown as Record<string, Fn>)[method]!(...args, cb)),
        () => calledBack((cb) => (netdbCb as unknown as Record<string, Fn>)[method]!(...args, cb))],
      ["module", () => calledBack((cb) => (nodeDns as unknown as Record<string, Fn>)[method]!(...args, cb)),
        () => calledBack((cb) => (netdb[method] as Fn)(...args, cb))],
    ];
    let first: Outcome | undefined;
    for (const [face, node, ours] of faces) {
      const expected = await node();
      const actual = await ours();
      expect(actual, `${face} ${label}`).to.deep.equal(expected);
      first ??= actual;
    }
    return first!;
  }

  const answers: Array<[string, ...unknown[]]> = [
    ["resolve4", "dual.diff.test"], ["resolve4", "dual.diff.test", { ttl: true }], ["resolve4", "alias2.diff.test", { ttl: true }],
    ["resolve4", "DUAL.Diff.Test."], ["resolve6", "dual.diff.test", { ttl: true }], ["resolve6", "alias.diff.test"],
    ["resolveCname", "alias.diff.test"], ["resolveCname", "alias2.diff.test"], ["resolveMx", "diff.test"], ["resolveNs", "diff.test"],
    ["resolveTxt", "diff.test"], ["resolveTxt", "multi.diff.test"], ["resolveSrv", "_sip._udp.diff.test"], ["resolvePtr", "ptrname.diff.test"],
    ["resolvePtr", "10.2.0.192.in-addr.arpa"], ["resolveSoa", "diff.test"], ["resolveCaa", "diff.test"], ["resolveCaa", "multi.diff.test"],
    ["resolveNaptr", "diff.test"], ["resolveNaptr", "multi.diff.test"],
    ["resolveAny", "diff.test"], ["resolveAny", "multi.diff.test"], ["resolveAny", "dual.diff.test"], ["resolveAny", "alias.diff.test"],
    ["resolveAny", "_sip._udp.diff.test"], ["resolveAny", "10.2.0.192.in-addr.arpa"],
    ["reverse", "192.0.2.10"], ["reverse", "2001:db8::10"],
    ...["A", "AAAA", "MX", "TXT", "SRV", "PTR", "CAA", "NAPTR", "ANY"].map((t): [string, ...unknown[]] => ["resolve", "multi.diff.test", t]),
    ["resolve", "diff.test", "SOA"], ["resolve", "diff.test", "NS"], ["resolve", "alias.diff.test", "CNAME"], ["resolve", "dual.diff.test"],
  ];
  for (const [method, ...args] of answers) {
    it(`${method}(${args.map((a) => JSON.stringify(a)).join(", ")})`, async () => {
      expect(await same(method, ...args), "an answer").to.have.property("value");
    });
  }

  const failures: Array<[string, string, ...unknown[]]> = [
    ...["resolve4", "resolve6", "resolveAny", "resolveCaa", "resolveCname", "resolveMx", "resolveNaptr", "resolveNs", "resolvePtr", "resolveSoa", "resolveSrv", "resolveTxt"]
      .map((m): [string, string, ...unknown[]] => ["ENOTFOUND", m, "nowhere.diff.test"]),
    ["ENODATA", "resolve4", "only6.diff.test"], ["ENODATA", "resolve6", "sip.diff.test"], ["ENODATA", "resolveMx", "dual.diff.test"],
    ["ENODATA", "resolveNaptr", "dual.diff.test"], ["ENODATA", "resolveSoa", "dual.diff.test"], ["ENODATA", "resolveNs", "dual.diff.test"],
    ["ENODATA", "resolveCaa", "dual.diff.test"], ["ENODATA", "resolveTxt", "dual.diff.test"], ["ENODATA", "resolveSrv", "dual.diff.test"],
    ["ENODATA", "resolvePtr", "dual.diff.test"], ["ENODATA", "resolveCname", "dual.diff.test"], ["ENODATA", "resolve", "dual.diff.test", "NAPTR"],
    ["ENOTFOUND", "resolve", "nowhere.diff.test", "ANY"], ["ENODATA", "resolve", "multi.diff.test", "CNAME"],
    ["ENODATA", "resolve", "multi.diff.test", "NS"], ["ENODATA", "resolve", "multi.diff.test", "SOA"],
    ["ENOTFOUND", "resolve4", "bücher.diff.test"], ["ENOTFOUND", "resolveAny", "ÿ.diff.test"],
    ["EREFUSED", "resolve4", "outside.example"], ["EREFUSED", "resolveAny", "outside.example"],
    ["EBADNAME", "resolve4", "a..diff.test"], ["EBADNAME", "resolveNaptr", `${"x".repeat(64)}.diff.test`],
    ["ENOTFOUND", "reverse", "192.0.2.99"], ["EINVAL", "reverse", "not-an-address"], ["EINVAL", "reverse", "192.0.2.1%x"],
  ];
  for (const [code, method, ...args] of failures) {
    it(`${method}(${args.map((a) => JSON.stringify(a)).join(", ")}) fails with ${code}`, async () => {
      expect(await same(method, ...args)).to.have.nested.property("error.code", code);
    });
  }

  const badArgs: Array<[string, ...unknown[]]> = [
    ["resolve4", 42], ["resolve4", null], ["resolveAny", {}], ["resolveNaptr", undefined], ["reverse", 1],
    ["resolve", "x", 5], ["resolve", "x", "BOGUS"], ["resolve", "x", "a"], ["resolve", 7, "A"], ["resolve", "x", null],
  ];
  for (const [method, ...args] of badArgs) {
    it(`${method}(${args.map((a) => JSON.stringify(a)).join(", ")}) throws as node:dns does`, async () => {
      expect(await same(method, ...args)).to.have.property("thrown");
    });
  }

  it("a callback method without a callback throws node's ERR_INVALID_ARG_TYPE", async () => {
    const netdbCb = new (netdb.Resolver as typeof nodeDns.Resolver)();
    const nodeCb = new nodeDns.Resolver();
    nodeCb.setServers(servers);
    for (const [method, args] of [["resolve4", ["x"]], ["resolve4", ["x", {}]], ["resolveAny", ["x", 5]], ["resolve", ["x", "MX"]], ["reverse", ["1.2.3.4"]]] as Array<[string, unknown[]]>) {
      const expected = calledBack(() => (nodeDns as unknown as Record<string, Fn>)[method]!(...args));
      const actual = calledBack(() => (netdb[method] as Fn)(...args));
      const nodeCall = calledBack(() => (nodeCb as unknown as Record<string, Fn>)[method]!(...args));
      const ourCall = calledBack(() => (netdbCb as unknown as Record<string, Fn>)[method]!(...args));
      const [e, a, n, o] = await Promise.all([expected, actual, nodeCall, ourCall]);
      expect(a, method).to.deep.equal(e);
      expect(o, method).to.deep.equal(n);
      expect(e, method).to.have.property("thrown");
    }
  });
});

/** A UDP socket on loopback that never answers, and the source addresses of what it received. */
async function silentServer(): Promise<{ port: number; sources: string[]; close(): Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  const sources: string[] = [];
  socket.on("message", (_bytes, from) => sources.push(from.address));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, sources, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

describe("node/dns-module: servers, timeouts, cancel, local address and options as node:dns", function () {
  this.timeout(20_000);
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let netdb: Module;
  beforeEach(async () => {
    silent = await silentServer();
    netdb = createDns(new Resolver({ files: {}, nameservers: ["127.0.0.9:9"] })) as unknown as Module;
  });
  afterEach(async () => {
    await silent.close();
  });

  type Pair = [nodeDns.promises.Resolver, nodeDns.promises.Resolver];
  function promisesPair(options?: object): Pair {
    const node = new nodeDns.promises.Resolver(options);
    const ours = new (netdb.promises.Resolver as typeof nodeDns.promises.Resolver)(options);
    for (const r of [node, ours]) r.setServers([`127.0.0.1:${silent.port}`]);
    return [node, ours];
  }

  it("getServers() merges duplicates (port 53 spelt or not, scopes dropped) as node:dns does", () => {
    const lists = [
      ["127.0.0.1", "127.0.0.1:53", "127.0.0.1:5353", "[::1]:53", "::1", "127.0.0.1", "[::1]:5353", "127.0.0.1:5353", "fe80::1%lo", "fe80::1%1"],
      // (Port 0 is left out: Node 20 aborts on it, a failed CHECK in cares_wrap.cc.)
      ["127.0.0.2:53", "127.0.0.2"], ["[::1]:53", "::1", "[::1]:53"], [], ["127.0.0.1:53", "[::ffff:127.0.0.1]:53"],
    ];
    for (const list of lists) {
      const [node, ours] = [new nodeDns.promises.Resolver(), new (netdb.promises.Resolver as typeof nodeDns.promises.Resolver)()];
      node.setServers(list);
      ours.setServers(list);
      expect(ours.getServers(), JSON.stringify(list)).to.deep.equal(node.getServers());
      (netdb.setServers as Fn)(list);
      expect((netdb.getServers as Fn)(), JSON.stringify(list)).to.deep.equal(node.getServers());
      expect((netdb.promises.getServers as Fn)(), "the promises face shares the default resolver").to.deep.equal(node.getServers());
    }
  });

  it("setServers() refuses what node:dns refuses, with node's errors", async () => {
    for (const bad of [["x"], [1], "127.0.0.1", ["127.0.0.1", "1.2.3"], [["127.0.0.1"]], ["[::1"], ["1.2.3.4:x"]]) {
      const node = new nodeDns.promises.Resolver();
      const ours = new (netdb.promises.Resolver as typeof nodeDns.promises.Resolver)();
      const expected = await promised(() => Promise.resolve(node.setServers(bad as string[])));
      expect(await promised(() => Promise.resolve(ours.setServers(bad as string[]))), JSON.stringify(bad)).to.deep.equal(expected);
      expect(await promised(() => Promise.resolve((netdb.setServers as Fn)(bad))), JSON.stringify(bad)).to.deep.equal(expected);
    }
  });

  it("a silent server gives ETIMEOUT within the timeout, as node:dns", async () => {
    for (const method of ["resolve4", "resolveAny", "resolveNaptr", "reverse"]) {
      const [node, ours] = promisesPair({ timeout: 150, tries: 1 });
      const arg = method === "reverse" ? "192.0.2.7" : "quiet.diff.test";
      const expected = await promised(() => (node as unknown as Record<string, Fn>)[method]!(arg) as Promise<unknown>);
      const started = performance.now();
      const actual = await promised(() => (ours as unknown as Record<string, Fn>)[method]!(arg) as Promise<unknown>);
      expect(performance.now() - started, "within the timeout and a margin").to.be.below(1500);
      expect(actual, method).to.deep.equal(expected);
    }
    const expected = await calledBack((cb) => {
      const r = new nodeDns.Resolver({ timeout: 150, tries: 1 });
      r.setServers([`127.0.0.1:${silent.port}`]);
      r.resolveMx("quiet.diff.test", cb);
    });
    const actual = await calledBack((cb) => {
      const r = new (netdb.Resolver as typeof nodeDns.Resolver)({ timeout: 150, tries: 1 });
      r.setServers([`127.0.0.1:${silent.port}`]);
      r.resolveMx("quiet.diff.test", cb);
    });
    expect(actual).to.deep.equal(expected);
    expect(actual).to.have.nested.property("error.code", "ETIMEOUT");
  });

  it("cancel() ends queries in flight with ECANCELLED, both faces", async () => {
    const [node, ours] = promisesPair({ timeout: 5000, tries: 1 });
    const pending = [node, ours].map((r) => promised(() => r.resolveNaptr("quiet.diff.test")));
    node.cancel();
    ours.cancel();
    const [expected, actual] = await Promise.all(pending);
    expect(actual).to.deep.equal(expected);
    expect(actual).to.have.nested.property("error.code", "ECANCELLED");

    const nodeCb = new nodeDns.Resolver({ timeout: 5000, tries: 1 });
    const ourCb = new (netdb.Resolver as typeof nodeDns.Resolver)({ timeout: 5000, tries: 1 });
    const calls = [nodeCb, ourCb].map((r) => {
      r.setServers([`127.0.0.1:${silent.port}`]);
      const call = calledBack((cb) => r.resolveAny("quiet.diff.test", cb));
      r.cancel();
      return call;
    });
    const [e, a] = await Promise.all(calls);
    expect(a).to.deep.equal(e);
  });

  it("setLocalAddress() sends from the address given, and refuses what node:dns refuses", async () => {
    const [node, ours] = promisesPair({ timeout: 100, tries: 1 });
    for (const r of [node, ours]) {
      r.setLocalAddress("127.0.0.2", "::1");
      await promised(() => r.resolve4("from.diff.test"));
    }
    expect(silent.sources).to.deep.equal(["127.0.0.2", "127.0.0.2"]);
    for (const args of [["x"], [1], ["1.2.3.4", "1.2.3.5"], ["::1", "::2"], ["1.2.3.4", "x"], ["x", "::1"], ["1.2.3.4", null], ["1.2.3.4", ""], ["1.2.3.4 "]]) {
      const expected = await promised(() => Promise.resolve((node.setLocalAddress as Fn)(...args)));
      expect(await promised(() => Promise.resolve((ours.setLocalAddress as Fn)(...args))), JSON.stringify(args)).to.deep.equal(expected);
      expect(expected, JSON.stringify(args)).to.have.property("thrown");
    }
  });

  it("setLocalAddress() applies to TCP too (netdb over TCP, which node:dns cannot be told to use)", async () => {
    const sources: string[] = [];
    const tcp = net.createServer((socket) => {
      sources.push(socket.remoteAddress ?? "");
      socket.destroy();
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    try {
      const dns = createDns(new Resolver({ files: {}, useTcp: true })) as unknown as Module;
      const r = new (dns.promises.Resolver as typeof nodeDns.promises.Resolver)({ timeout: 200, tries: 1 });
      r.setServers([`127.0.0.1:${(tcp.address() as net.AddressInfo).port}`]);
      r.setLocalAddress("::1", "127.0.0.3");
      await promised(() => r.resolveTxt("tcp.diff.test"));
      expect(sources).to.deep.equal(["127.0.0.3"]);
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it("new Resolver(options) checks timeout and tries as node:dns", async () => {
    for (const options of [{ timeout: "1" }, { timeout: -2 }, { timeout: 1.5 }, { tries: 0 }, { tries: 2 ** 31 }, { tries: "3" }, null, { timeout: -1, tries: 1 }]) {
      for (const [NodeClass, OurClass] of [[nodeDns.Resolver, netdb.Resolver], [nodeDns.promises.Resolver, netdb.promises.Resolver]] as Array<[new (o: unknown) => object, new (o: unknown) => object]>) {
        const expected = await promised(() => Promise.resolve(new NodeClass(options)).then(() => "made"));
        expect(await promised(() => Promise.resolve(new OurClass(options)).then(() => "made")), JSON.stringify(options)).to.deep.equal(expected);
      }
    }
  });

  it("setDefaultResultOrder() checks its argument and orders both lookups", async () => {
    for (const bad of ["x", 1, undefined, "IPV4FIRST"]) {
      const expected = await promised(() => Promise.resolve(nodeDns.setDefaultResultOrder(bad as "verbatim")));
      expect(await promised(() => Promise.resolve((netdb.setDefaultResultOrder as Fn)(bad))), String(bad)).to.deep.equal(expected);
    }
    expect((netdb.getDefaultResultOrder as Fn)()).to.equal(nodeDns.getDefaultResultOrder());
    const dns = createDns(new Resolver({ files: { hosts: "127.0.0.5 both.test\n::1 both.test\n", "host.conf": "multi on\n" } })) as unknown as Module;
    const families = async (): Promise<number[][]> => {
      const viaCallback = await promisify(dns.lookup as typeof nodeDns.lookup)("both.test", { all: true });
      const viaPromise = await (dns.promises.lookup as typeof nodeDns.promises.lookup)("both.test", { all: true });
      return [viaCallback.map((a) => a.family), viaPromise.map((a) => a.family)];
    };
    (dns.setDefaultResultOrder as Fn)("ipv4first");
    expect(await families()).to.deep.equal([[4, 6], [4, 6]]);
    (dns.promises.setDefaultResultOrder as Fn)("ipv6first");
    expect((dns.getDefaultResultOrder as Fn)()).to.equal("ipv6first");
    expect(await families()).to.deep.equal([[6, 4], [6, 4]]);
    expect(nodeDns.getDefaultResultOrder(), "node:dns's own order is untouched").to.equal("verbatim");
  });
});

type Faces = Record<"callback" | "promisify" | "promises", Outcome>;

/** node:dns's and netdb/dns's outcomes for `calls` (callback, util.promisify and promises faces), asked in a private network namespace. */
function answersInNamespace(calls: Array<[string, unknown[]]>): Promise<{ node: Faces[]; netdb: Faces[] }> {
  const child = fileURLToPath(new URL("./support/lookup-answers-child.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    execFile("unshare", ["--net", "--", process.execPath, "--import", "tsx", child, JSON.stringify(calls)], { timeout: 20_000 }, (error, out, err) =>
      error === null ? resolve(JSON.parse(out) as { node: Faces[]; netdb: Faces[] }) : reject(new Error(`${error.message}\n${err}`)),
    );
  });
}

describe("node/dns-module: lookup and lookupService as node:dns", function () {
  this.timeout(20_000);

  // Asked in a network namespace (answersInNamespace), where the C
  // library's fallback to the machine's name server sends nothing.
  const answered: Array<[string, unknown[]]> = [
    ...[
      ["localhost"], ["localhost", 4], ["localhost", 6], ["localhost", { all: true }], ["localhost", { family: 4, all: true }],
      ["localhost", { family: "IPv4", hints: nodeDns.ADDRCONFIG }], ["localhost", { family: 6, hints: nodeDns.V4MAPPED }],
      ["localhost", { family: 6, hints: nodeDns.V4MAPPED | nodeDns.ALL, all: true }], ["localhost", { order: "ipv6first", all: true }],
      ["localhost", { verbatim: false }], ["127.0.0.1", { all: true }], ["::1", 6], ["localhost", { family: "IPv4" }],
      ["nowhere.invalid", { all: true }], ["", {}], ["", { all: true, family: 6 }],
    ].map((args): [string, unknown[]] => ["lookup", args]),
    ...[["127.0.0.1", 22], ["127.0.0.1", "80"], ["127.0.0.1", 0], ["127.0.0.1", 65000], ["192.0.2.1", 53]]
      .map((args): [string, unknown[]] => ["lookupService", args]),
  ];
  let outcomes: { node: Faces[]; netdb: Faces[] };
  before(async () => {
    outcomes = await answersInNamespace(answered);
  });
  answered.forEach(([fn, args], i) => {
    it(`${fn}(${args.map((a) => JSON.stringify(a)).join(", ")}) answers as node:dns, every face`, () => {
      expect(outcomes.netdb[i]).to.deep.equal(outcomes.node[i]);
    });
  });

  // The network guard lets only loopback names reach node:dns's lookup, arguments it refuses included.
  const notAString = { toString: () => "localhost" };
  const badLookups: unknown[][] = [
    [notAString], ["localhost", "y"], ["localhost", { family: 5 }], ["localhost", 5], ["localhost", { hints: "1" }],
    ["localhost", { hints: 999999 }], ["localhost", { all: "yes" }], ["localhost", { verbatim: 1 }], ["localhost", { order: "x" }],
    ["localhost", true], ["localhost", { family: "IPv4", hints: -1 }],
  ];
  for (const args of badLookups) {
    it(`lookup(${args.map((a) => JSON.stringify(a) ?? String(a)).join(", ")}) throws as node:dns does, promises at once`, async () => {
      const expected = await promised(() => (nodeDns.promises.lookup as unknown as Fn)(...args) as Promise<unknown>);
      expect(await promised(() => (netdbDefault.promises.lookup as unknown as Fn)(...args) as Promise<unknown>)).to.deep.equal(expected);
      expect(expected).to.have.property("thrown");
      const expectedCb = await calledBack((cb) => (nodeDns.lookup as unknown as Fn)(...args, cb));
      expect(await calledBack((cb) => (netdbDefault.lookup as unknown as Fn)(...args, cb))).to.deep.equal(expectedCb);
      const expectedUtil = await promised(() => (promisify(nodeDns.lookup) as unknown as Fn)(...args) as Promise<unknown>);
      expect(await promised(() => (promisify(netdbDefault.lookup) as unknown as Fn)(...args) as Promise<unknown>)).to.deep.equal(expectedUtil);
    });
  }

  it("promises.lookup(name, function) throws as node:dns does", async () => {
    const args = ["localhost", () => undefined];
    const expected = await promised(() => (nodeDns.promises.lookup as unknown as Fn)(...args) as Promise<unknown>);
    expect(expected).to.have.property("thrown");
    expect(await promised(() => (netdbDefault.promises.lookup as unknown as Fn)(...args) as Promise<unknown>)).to.deep.equal(expected);
  });

  const badServices: unknown[][] = [
    [], ["127.0.0.1"], ["127.0.0.1", 22], ["x", 1, () => undefined], [1, 1, () => undefined], ["127.0.0.1", -1, () => undefined],
    ["127.0.0.1", "ssh", () => undefined], ["127.0.0.1", 70000, () => undefined], ["127.0.0.1", " ", () => undefined],
    ["127.0.0.1", 1.5, () => undefined], ["127.0.0.1", null, () => undefined], ["127.0.0.1", 22, "cb"], ["127.0.0.1", 22, () => undefined, 4],
  ];
  for (const args of badServices) {
    it(`lookupService(${args.map((a) => JSON.stringify(a) ?? String(a)).join(", ")}) throws as node:dns does`, async () => {
      const expected = await promised(() => Promise.resolve((nodeDns.lookupService as unknown as Fn)(...args)));
      expect(expected).to.have.property("thrown");
      expect(await promised(() => Promise.resolve((netdbDefault.lookupService as unknown as Fn)(...args)))).to.deep.equal(expected);
      const promiseArgs = args.filter((a) => typeof a !== "function");
      const expectedP = await promised(() => (nodeDns.promises.lookupService as unknown as Fn)(...promiseArgs) as Promise<unknown>);
      expect(await promised(() => (netdbDefault.promises.lookupService as unknown as Fn)(...promiseArgs) as Promise<unknown>)).to.deep.equal(expectedP);
    });
  }

  it("lookupService() of an address without a name fails as node:dns's getnameinfo (NI_NAMEREQD)", async () => {
    const knot = await startKnot([{ origin: "2.0.192.in-addr.arpa.", text: REVERSE }]);
    try {
      const dns = createDns(new Resolver({ files: { hosts: "" }, nameservers: [`127.0.0.1:${knot.port}`] })) as unknown as Module;
      expect(await calledBack((cb) => (dns.lookupService as Fn)("192.0.2.10", 53, cb))).to.deep.equal({ value: ["dual.diff.test", "domain"] });
      expect(await calledBack((cb) => (dns.lookupService as Fn)("192.0.2.99", 53, cb))).to.deep.equal({
        error: {
          class: "Error", message: "getnameinfo ENOTFOUND 192.0.2.99", keys: ["errno", "code", "syscall", "hostname"],
          text: "Error: getnameinfo ENOTFOUND 192.0.2.99", errno: -3008, code: "ENOTFOUND", syscall: "getnameinfo", hostname: "192.0.2.99",
        },
      });
      // Node 20's promise names no hostname (lookupService("192.0.2.1", 53) in the namespace above shows it).
      expect(await promised(() => (dns.promises.lookupService as Fn)("192.0.2.99", 53) as Promise<unknown>)).to.deep.equal({
        error: {
          class: "Error", message: "getnameinfo ENOTFOUND", keys: ["errno", "code", "syscall"],
          text: "Error: getnameinfo ENOTFOUND", errno: -3008, code: "ENOTFOUND", syscall: "getnameinfo", hostname: undefined,
        },
      });
    } finally {
      await knot.stop();
    }
  });
});

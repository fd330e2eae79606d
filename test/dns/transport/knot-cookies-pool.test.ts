/**
 * DNS cookies through the whole stack against a real Knot DNS server with
 * its cookies module: a Resolver with `cookies: true` (udppool.ts,
 * cookies.ts), and a UDP relay on loopback between them that keeps every
 * datagram, to see what went on the wire. Without knotd these tests fail,
 * saying so: they are part of the suite.
 */
import { expect } from "chai";
import dgram from "node:dgram";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { BADCOOKIE, COOKIE_OPTION, withoutCookie } from "../../../src/dns/transport/cookies.js";
import { NetTransport } from "../../../src/dns/transport/net.js";
import type { ResolverOptions } from "../../../src/options.js";
import { Resolver } from "../../../src/resolver.js";
import type { TraceEvent } from "../../../src/trace.js";
import { startKnot, worldZones, type KnotServer } from "../../support/knot.js";

/** The COOKIE option data of a message whose OPT record is its last record and the cookie its last option (withCookie and Knot write them so), or undefined. */
function cookieOf(message: Uint8Array): Buffer | undefined {
  const stripped = withoutCookie(message);
  if (stripped === message) return undefined;
  const option = Buffer.from(message.subarray(stripped.length));
  expect(option.readUInt16BE(0)).to.equal(COOKIE_OPTION);
  return option.subarray(4);
}

/** The extended RCODE of a response: the header's four bits and the OPT record's octet. */
const rcodeOf = (message: Uint8Array): number => (message[3]! & 0xf) | ((decodeMessage(message).edns?.extendedRcode ?? 0) << 4);

/** A UDP relay on 127.0.0.1 to knotd that keeps every datagram it passes, in the order it passed them. */
class Sniffer {
  readonly seen: Array<{ query: boolean; bytes: Buffer }> = [];
  readonly #front = dgram.createSocket("udp4");
  /** One socket towards knotd per client port, so that answers find their way back. */
  readonly #upstream = new Map<number, dgram.Socket>();

  constructor(private readonly knotPort: number) {}

  async start(): Promise<number> {
    this.#front.on("message", (bytes, from) => {
      this.seen.push({ query: true, bytes });
      let up = this.#upstream.get(from.port);
      if (up === undefined) {
        const socket = dgram.createSocket("udp4");
        socket.on("message", (answer) => {
          this.seen.push({ query: false, bytes: answer });
          this.#front.send(answer, from.port, from.address);
        });
        this.#upstream.set(from.port, socket);
        up = socket;
      }
      up.send(bytes, this.knotPort, "127.0.0.1");
    });
    await new Promise<void>((resolve) => this.#front.bind(0, "127.0.0.1", resolve));
    return this.#front.address().port;
  }

  async stop(): Promise<void> {
    const sockets = [this.#front, ...this.#upstream.values()];
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}

/** Names of the seed world: an alias, plain addresses, both families, a wildcard, a name that does not exist. */
const NAMES = ["www.hellfly.net", "hellfly1.hellfly.net", "www.python.org", "homer.hellfly.net", "anything.hellfly.net", "nosuch.python.org"];

const AF_INET = 2;
const SOCK_STREAM = 1;

/** A call's outcome, its value or its error, as comparable text. */
const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    (value) => JSON.stringify(value),
    (err: unknown) => `${(err as Error).name}: ${(err as Error).message}`,
  );

describe("the UDP pool's cookies against knotd (mod-cookies), through a Resolver", function () {
  this.timeout(60_000);
  let knot: KnotServer;
  let sniffer: Sniffer;
  let relay: number;
  const resolvers: Resolver[] = [];

  before(async () => {
    knot = await startKnot(worldZones(), { cookies: {} });
    sniffer = new Sniffer(knot.port);
    relay = await sniffer.start();
  });
  after(async () => {
    await Promise.all(resolvers.map((r) => r.close()));
    await sniffer?.stop();
    await knot?.stop();
  });
  beforeEach(() => {
    sniffer.seen.length = 0;
  });

  const resolver = (port: number, options: ResolverOptions = {}): Resolver => {
    const r = new Resolver({
      files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
      hostname: "cookies",
      nameservers: [`127.0.0.1:${port}`],
      timeout: 3000,
      attempts: 1,
      // No socket of the address sort may connect to the answers' (public) addresses.
      network: { sourceFor: () => Promise.resolve(null) },
      ...options,
    });
    resolvers.push(r);
    return r;
  };

  it("costs one round trip more on first contact (knotd's BADCOOKIE) and no failure; every later query carries the server cookie last learned", async () => {
    const events: TraceEvent[] = [];
    const r = resolver(relay, { edns0: true, cookies: true, tracer: (event) => events.push(event) });
    const started = performance.now();
    // getaddrinfo with AF_INET: one A query per name.
    const first = await r.getaddrinfo("www.hellfly.net", 80, AF_INET, SOCK_STREAM);
    const firstMs = performance.now() - started;
    expect(JSON.stringify(first)).to.include('"50.56.79.68"');
    expect(firstMs, "two round trips on loopback, not a 3 s timeout").to.be.below(1500);
    for (const name of NAMES.slice(1)) await outcome(r.getaddrinfo(name, 80, AF_INET, SOCK_STREAM));
    // And AF_UNSPEC: A and AAAA at once.
    await r.getaddrinfo("www.python.org", 80, 0, SOCK_STREAM);

    // What went on the wire, in order: Q<cookie octets> [latest: the server cookie of the last response], R<extended RCODE>.
    let latest: string | undefined;
    const wire: string[] = [];
    for (const { query, bytes } of sniffer.seen) {
      const cookie = cookieOf(bytes);
      expect(cookie, "every datagram carries a cookie").to.not.equal(undefined);
      if (query) wire.push(`Q${cookie!.length}${cookie!.length === 24 ? (cookie!.subarray(8).toString("hex") === latest ? " latest" : " other") : ""}`);
      else {
        wire.push(`R${rcodeOf(bytes)}`);
        latest = cookie!.subarray(8).toString("hex");
      }
    }
    expect(wire).to.deep.equal([
      "Q8", `R${BADCOOKIE}`, "Q24 latest", "R0",
      ...NAMES.slice(1).flatMap((name) => ["Q24 latest", name === "nosuch.python.org" ? "R3" : "R0"]),
      "Q24 latest", "Q24 latest", "R0", "R0",
    ]);
    // The BADCOOKIE and its retry are the same query (ID, case on the wire and all), the second with knotd's server cookie.
    const [q1, r1, q2] = sniffer.seen.map((d) => d.bytes);
    expect(q2!.readUInt16BE(0)).to.equal(q1!.readUInt16BE(0));
    expect(Buffer.from(withoutCookie(q2!)).equals(Buffer.from(withoutCookie(q1!)))).to.equal(true);
    expect(cookieOf(q2!)!.toString("hex")).to.equal(cookieOf(r1!)!.toString("hex"));
    // Above the pool, nothing failed and no BADCOOKIE was seen.
    expect(events.filter((e) => e.kind === "error")).to.deep.equal([]);
    expect(events.filter((e) => e.kind === "response").map((e) => (e.kind === "response" ? e.rcode : ""))).to.deep.equal([
      ...NAMES.map((name) => (name === "nosuch.python.org" ? "NXDOMAIN" : "NOERROR")),
      "NOERROR", "NOERROR",
    ]);
  });

  it("gives the same answers as without cookies, with and without EDNS", async () => {
    const withCookies = resolver(knot.port, { edns0: true, cookies: true });
    const ednsOnly = resolver(knot.port, { edns0: true });
    const plain = resolver(knot.port);
    const ask = (r: Resolver): Promise<string[]> =>
      Promise.all([
        ...NAMES.map((name) => outcome(r.gethostbyname_ex(name))),
        ...NAMES.map((name) => outcome(r.getaddrinfo(name, 80, 0, SOCK_STREAM))),
        outcome(r.gethostbyaddr("50.56.79.68")),
        outcome(r.gethostbyaddr("192.168.1.8")),
      ]);
    const got = await ask(withCookies);
    expect(got).to.deep.equal(await ask(ednsOnly));
    expect(got).to.deep.equal(await ask(plain));
    // Several of them are answers with addresses, and one is NXDOMAIN's error.
    expect(got.filter((text) => text.includes("50.56.79.68")).length).to.be.at.least(4);
    expect(got.filter((text) => !text.startsWith("[")).length).to.be.at.least(2);
  });

  it("hands up knotd's response byte for byte as it answers the query without a cookie", async () => {
    const cookies = new NetTransport({ pool: { cookies: true } });
    const none = new NetTransport();
    try {
      const server = knot.nameServer(4);
      let id = 0x1000;
      for (const [name, type] of [["www.hellfly.net", "A"], ["Www.Python.Org", "AAAA"], ["hellfly.net", "MX"], ["hellfly.net", "SOA"], ["nosuch.python.org", "A"], ["8.1.168.192.in-addr.arpa", "PTR"]] as const) {
        const question = { name, type };
        const request = { server, protocol: "udp" as const, message: encodeQuery(question, { id: ++id, edns0: true }), id, question, timeout: 3000 };
        const [a, b] = await Promise.all([cookies.exchange(request), none.exchange(request)]);
        expect(Buffer.from(a.message).toString("hex"), `${name} ${type}`).to.equal(Buffer.from(b.message).toString("hex"));
        expect(cookieOf(a.message)).to.equal(undefined);
        expect(a.decoded?.edns).to.deep.equal(b.decoded?.edns);
      }
    } finally {
      await Promise.all([cookies.close(), none.close()]);
    }
  });

  it("with cookies on but EDNS off, sends no OPT record and so no cookie", async () => {
    const r = resolver(relay, { cookies: true });
    const got = await Promise.all(NAMES.map((name) => outcome(r.getaddrinfo(name, 80, AF_INET, SOCK_STREAM))));
    expect(got[0]).to.include('"50.56.79.68"');
    const queries = sniffer.seen.filter((d) => d.query).map((d) => d.bytes);
    expect(queries).to.have.length(NAMES.length);
    expect(queries.map((q) => q.readUInt16BE(10)), "ARCOUNT of every query").to.deep.equal(NAMES.map(() => 0));
    expect(sniffer.seen.filter((d) => !d.query).map((d) => rcodeOf(d.bytes)).sort()).to.deep.equal([0, 0, 0, 0, 0, 3]);
  });
});

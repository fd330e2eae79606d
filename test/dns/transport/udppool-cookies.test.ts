/**
 * DNS cookies in the UDP pool (udppool.ts with `cookies: true`,
 * cookies.ts): on the wire only, checked on every response, BADCOOKIE
 * retried at once, and the response handed up without the cookie. Servers
 * are in-process loopback sockets that answer by echoing the query with
 * QR set, as test/dns/udppool.test.ts's echo server does, and play the
 * server's side of RFC 7873 on the COOKIE option.
 */
import { expect } from "chai";
import dgram from "node:dgram";
import { DnsClient } from "../../../src/dns/client.js";
import { DnsError, TransportError } from "../../../src/dns/errors.js";
import { encodeQuery } from "../../../src/dns/message.js";
import { BADCOOKIE, COOKIE_OPTION, withoutCookie } from "../../../src/dns/transport/cookies.js";
import { NetTransport } from "../../../src/dns/transport/net.js";
import { exchangeUdp } from "../../../src/dns/transport/udp.js";
import { UdpPool, type PoolOptions } from "../../../src/dns/transport/udppool.js";
import type { TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";
import type { NameServer } from "../../../src/dns/server.js";
import { assertNoLeaks, resourceBaseline } from "../../support/handles.js";
import { testConf } from "../world.js";

/** The COOKIE option data of a message built as encodeQuery and withCookie build them (the cookie is the OPT record's last option, the OPT record the last record), or undefined. */
function cookieOf(message: Uint8Array): Buffer | undefined {
  const stripped = withoutCookie(message);
  if (stripped === message) return undefined;
  const option = Buffer.from(message.subarray(stripped.length));
  expect(option.readUInt16BE(0)).to.equal(COOKIE_OPTION);
  expect(option.readUInt16BE(2)).to.equal(option.length - 4);
  return option.subarray(4);
}

/** The question name of a query as received (uncompressed, one question). */
function nameOf(bytes: Uint8Array): string {
  const labels: string[] = [];
  for (let at = 12; bytes[at]! > 0; at += bytes[at]! + 1) labels.push(Buffer.from(bytes.subarray(at + 1, at + 1 + bytes[at]!)).toString("latin1"));
  return labels.join(".");
}

/** True when `message` ends with an OPT record (encodeQuery's: root owner, type 41). */
function hasOpt(message: Uint8Array): boolean {
  const stripped = Buffer.from(withoutCookie(message));
  const rdlength = stripped.readUInt16BE(stripped.length - 2);
  const at = stripped.length - 2 - rdlength - 9;
  return at >= 12 && stripped[at] === 0 && stripped.readUInt16BE(at + 1) === 41;
}

/**
 * `query` as a response: QR set, its cookie (if any) replaced by `cookie`
 * (none when undefined), and the extended RCODE `rcode` split between the
 * header's four bits and the OPT record's octet.
 */
function respond(query: Uint8Array, cookie: Uint8Array | undefined, rcode = 0): Buffer {
  const stripped = Buffer.from(withoutCookie(query));
  const rdlengthAt = stripped.length - 2;
  expect(stripped.readUInt16BE(rdlengthAt), "encodeQuery's OPT record has no options").to.equal(0);
  const out = Buffer.concat([stripped, cookie === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0, COOKIE_OPTION, 0, cookie.length]), cookie])]);
  out.writeUInt16BE(cookie === undefined ? 0 : 4 + cookie.length, rdlengthAt);
  out[2]! |= 0x80;
  out[3] = (out[3]! & 0xf0) | (rcode & 0xf);
  // The OPT record's TTL: extended RCODE, version, flags; it starts 4 octets before RDLENGTH.
  out[rdlengthAt - 4] = rcode >> 4;
  return out;
}

/** What a cookie server does with a query that carries a COOKIE option: its client cookie, and the server cookie it had (if any). */
type CookiePolicy = (client: Buffer, server: Buffer | undefined) => { server?: Buffer; rcode?: number; drop?: boolean };

/** A loopback server that echoes queries (QR set) and answers their COOKIE option as `policy` says; it keeps every query it got. */
class CookieServer {
  readonly queries: Buffer[] = [];
  policy: CookiePolicy = () => ({ server: ISSUED });
  /** Sent, from the server's own address and port, before each answer (a forger on the path to the client guessing the ID). */
  forge: ((query: Buffer) => Uint8Array | undefined) | undefined;
  /** Folds the question name to lower case in its answers. */
  folds = false;
  readonly #socket = dgram.createSocket("udp4");

  async start(): Promise<NameServer> {
    this.#socket.on("message", (query, from) => {
      this.queries.push(query);
      const forged = this.forge?.(query);
      if (forged !== undefined) this.#socket.send(forged, from.port, from.address);
      const cookie = cookieOf(query);
      let answer: Buffer;
      if (!hasOpt(query)) answer = Buffer.from(query);
      else if (cookie === undefined) answer = respond(query, undefined);
      else {
        const said = this.policy(cookie.subarray(0, 8), cookie.length > 8 ? cookie.subarray(8) : undefined);
        if (said.drop === true) return;
        answer = respond(query, said.server === undefined ? undefined : Buffer.concat([cookie.subarray(0, 8), said.server]), said.rcode ?? 0);
      }
      answer[2]! |= 0x80;
      // Length octets are below 0x41, so only the name's capitals change.
      if (this.folds) for (let i = 12; answer[i] !== 0; i++) if (answer[i]! >= 0x41 && answer[i]! <= 0x5a) answer[i]! |= 0x20;
      // A moment later than any forgery, so the forgery is read first.
      setTimeout(() => this.#socket.send(answer, from.port, from.address), forged === undefined ? 0 : 20);
    });
    await new Promise<void>((resolve) => this.#socket.bind(0, "127.0.0.1", resolve));
    return { address: "127.0.0.1", port: this.#socket.address().port, family: 4 };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

/** The server cookie the servers issue (RFC 9018's length: 16 octets). */
const ISSUED = Buffer.from("0100000065f0a1b2c3d4e5f60718293a", "hex");
const REISSUED = Buffer.from("0100000065f0a1b3aaaaaaaaaaaaaaaa", "hex");

describe("UDP pool with DNS cookies", () => {
  let cookieServer: CookieServer;
  let server: NameServer;
  let pool: UdpPool;
  let baseline: Map<string, number>;

  beforeEach(async () => {
    cookieServer = new CookieServer();
    server = await cookieServer.start();
    baseline = await resourceBaseline();
  });
  afterEach(async () => {
    await pool.close();
    await assertNoLeaks(baseline, "the pool");
    await cookieServer.stop();
  });

  const start = (limits: PoolOptions = { cookies: true }): void => {
    pool = new UdpPool(limits);
  };
  const request = (id: number, name = "www.netdb.test", edns0 = true, timeout = 1000): TransportRequest => ({
    server,
    protocol: "udp",
    message: encodeQuery({ name, type: "A" }, { id, edns0 }),
    id,
    question: { name, type: "A" },
    timeout,
  });
  /** The response the layer above must get: the query as it sent it, with QR set (what the echo server answers without cookies). */
  const plainAnswer = (req: TransportRequest): Buffer => {
    const bytes = Buffer.from(req.message);
    bytes[2]! |= 0x80;
    return bytes;
  };
  const expectPlain = (response: TransportResponse, req: TransportRequest): void => {
    expect(Buffer.from(response.message).toString("hex")).to.equal(plainAnswer(req).toString("hex"));
    expect(response.decoded?.edns).to.deep.equal({ udpPayloadSize: 1200, extendedRcode: 0, version: 0, flags: 0, options: new Uint8Array(0) });
    expect(response.decoded?.questions[0]?.name).to.equal(req.question.name);
  };

  it("sends a client cookie on the first EDNS query, the server cookie it learned on later ones, and hands up responses without the cookie, in the case asked", async () => {
    start();
    const first = request(1, "www.netdb.test");
    expectPlain(await exchangeUdp(pool, first), first);
    const later = [request(2, "mail.netdb.test"), request(3, "ftp.netdb.test")];
    for (const req of later) expectPlain(await exchangeUdp(pool, req), req);

    const cookies = cookieServer.queries.map((q) => cookieOf(q)!);
    expect(cookies.map((c) => c.length)).to.deep.equal([8, 24, 24]);
    const client = cookies[0]!.toString("hex");
    expect(cookies.map((c) => c.subarray(0, 8).toString("hex"))).to.deep.equal([client, client, client]);
    expect(cookies.slice(1).map((c) => c.subarray(8).toString("hex"))).to.deep.equal([ISSUED.toString("hex"), ISSUED.toString("hex")]);
    // 0x20 is on by default: the names went in random case, and came back up as asked.
    const asked = [first, ...later].map((r) => r.question.name);
    expect(cookieServer.queries.filter((q, i) => nameOf(q) !== asked[i]).length, "names on the wire in another case").to.be.at.least(2);
  });

  it("answers a BADCOOKIE by sending again at once with the new server cookie, in the same try: one round trip more, no failure", async () => {
    start();
    cookieServer.policy = (_client, server) => (server?.equals(ISSUED) === true ? { server: ISSUED } : { server: ISSUED, rcode: BADCOOKIE });
    const first = request(1);
    const answer = await exchangeUdp(pool, first);
    expectPlain(answer, first);
    expect(answer.rtt, "two round trips on loopback, well within the try").to.be.below(500);
    const second = request(2, "mail.netdb.test");
    expectPlain(await exchangeUdp(pool, second), second);

    const sent = cookieServer.queries.map((q) => [q.readUInt16BE(0), cookieOf(q)!.length]);
    expect(sent).to.deep.equal([[1, 8], [1, 24], [2, 24]]);
    // The retry is the same query (same ID, same case on the wire) with the server cookie added.
    const [a, b] = cookieServer.queries.map((q) => withoutCookie(q));
    expect(Buffer.from(a!).equals(Buffer.from(b!))).to.equal(true);
  });

  it("retries once after a stale server cookie's BADCOOKIE, with the one that BADCOOKIE gave", async () => {
    start();
    let valid = ISSUED;
    cookieServer.policy = (_client, server) => (server?.equals(valid) === true ? { server: valid } : { server: valid, rcode: BADCOOKIE });
    for (const [id, name] of [[1, "a.netdb.test"], [2, "b.netdb.test"]] as const) {
      const req = request(id, name);
      expectPlain(await exchangeUdp(pool, req), req);
    }
    // The server's secret changes: the cookie we hold is now stale.
    valid = REISSUED;
    const req = request(3, "c.netdb.test");
    expectPlain(await exchangeUdp(pool, req), req);
    expect(cookieServer.queries.map((q) => [q.readUInt16BE(0), cookieOf(q)!.subarray(8).toString("hex")])).to.deep.equal([
      [1, ""], [1, ISSUED.toString("hex")], [2, ISSUED.toString("hex")], [3, ISSUED.toString("hex")], [3, REISSUED.toString("hex")],
    ]);
  });

  it("fails the query as that server's failure (EBADCOOKIE) when the retry with the cookie it gave gets BADCOOKIE again, without waiting for the timeout", async () => {
    start();
    let issued = 0;
    // A server that rejects every cookie it issues (servers behind one address with different secrets).
    cookieServer.policy = () => ({ server: Buffer.from(`${++issued}`.padStart(16, "0")), rcode: BADCOOKIE });
    const started = performance.now();
    const err = (await exchangeUdp(pool, request(1, "www.netdb.test", true, 2000)).catch((e: unknown) => e)) as TransportError;
    expect(err).to.be.instanceOf(TransportError);
    expect(err.code).to.equal("EBADCOOKIE");
    expect(performance.now() - started, "two round trips, not the 2 s timeout").to.be.below(1000);
    expect(cookieServer.queries.map((q) => cookieOf(q)!.length)).to.deep.equal([8, 24]);
    // The next query carries the newest server cookie, and is answered once the server takes it.
    cookieServer.policy = (_client, server) => ({ server: server ?? ISSUED });
    const req = request(2, "mail.netdb.test");
    expectPlain(await exchangeUdp(pool, req), req);
    expect(cookieOf(cookieServer.queries[2]!)!.subarray(8).toString()).to.equal("2".padStart(16, "0"));
  });

  it("through res_send, such a server fails each try as a server that answered (errno ETIMEDOUT, as after SERVFAIL), the next round sends its newest cookie, and no timeout is waited for", async () => {
    start({});
    let issued = 0;
    cookieServer.policy = () => ({ server: Buffer.from(`${++issued}`.padStart(16, "0")), rcode: BADCOOKIE });
    const transport = new NetTransport({ pool: { cookies: true } });
    const conf = testConf([server], { edns0: true, attempts: 2, timeout: 2000 });
    const started = performance.now();
    try {
      const err = (await new DnsClient({ conf: () => conf, transport }).send({ name: "www.netdb.test", type: "A" }).catch((e: unknown) => e)) as DnsError;
      expect(err).to.be.instanceOf(DnsError);
      expect([err.errno, err.failures]).to.deep.equal(["ETIMEDOUT", [`127.0.0.1:${server.port} udp: EBADCOOKIE`, `127.0.0.1:${server.port} udp: EBADCOOKIE`]]);
    } finally {
      await transport.close();
    }
    expect(performance.now() - started, "four round trips, not a 2 s timeout").to.be.below(1000);
    expect(cookieServer.queries.map((q) => cookieOf(q)!.subarray(8).toString())).to.deep.equal(["", "1", "2", "3"].map((n) => (n === "" ? "" : n.padStart(16, "0"))));
  });

  it("ignores a forged response whose client cookie is not ours and takes the real one after it", async () => {
    start({ cookies: true, caseRandomization: false });
    const first = request(1, "www.netdb.test");
    expectPlain(await exchangeUdp(pool, first), first);
    let forged = 0;
    cookieServer.forge = (query) => {
      forged++;
      const cookie = Buffer.from(cookieOf(query)!);
      cookie[0]! ^= 0x01;
      // Another answer (an address record's worth of octets would do as well): the ID, question and server cookie are right.
      const bytes = respond(query, cookie);
      bytes[3]! |= 3;
      return bytes;
    };
    const req = request(2, "mail.netdb.test");
    const answer = await exchangeUdp(pool, req);
    expect(forged).to.equal(1);
    expectPlain(answer, req);
    expect(answer.decoded?.rcode).to.equal("NOERROR");
  });

  it("ignores a response without a cookie from a server known to send one, and keeps waiting for the real one", async () => {
    start({ cookies: true, caseRandomization: false });
    const first = request(1);
    expectPlain(await exchangeUdp(pool, first), first);
    cookieServer.forge = (query) => {
      const bytes = respond(query, undefined);
      bytes[3]! |= 3;
      return bytes;
    };
    const req = request(2, "mail.netdb.test");
    expectPlain(await exchangeUdp(pool, req), req);
  });

  it("times the query out when only forgeries come", async () => {
    start({ cookies: true, caseRandomization: false });
    const first = request(1);
    expectPlain(await exchangeUdp(pool, first), first);
    cookieServer.policy = () => ({ drop: true });
    cookieServer.forge = (query) => respond(query, Buffer.concat([Buffer.alloc(8), ISSUED]));
    const err = (await exchangeUdp(pool, request(2, "mail.netdb.test", true, 150)).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("ETIMEDOUT");
  });

  it("sends no cookie, and no OPT record, on a query without EDNS", async () => {
    start();
    const req = request(1, "www.netdb.test", false);
    const answer = await exchangeUdp(pool, req);
    expect(Buffer.from(answer.message).equals(plainAnswer(req))).to.equal(true);
    expect(cookieServer.queries).to.have.length(1);
    expect(cookieServer.queries[0]!.readUInt16BE(10), "ARCOUNT").to.equal(0);
    expect(cookieServer.queries[0]!.length).to.equal(req.message.length);
  });

  it("sends no cookie with the defaults (cookies off), EDNS or not", async () => {
    start({});
    for (const edns0 of [true, false]) {
      const req = request(edns0 ? 1 : 2, "www.netdb.test", edns0);
      expect(Buffer.from((await exchangeUdp(pool, req)).message).equals(plainAnswer(req))).to.equal(true);
    }
    expect(cookieServer.queries.map((q) => [q.length, cookieOf(q)])).to.deep.equal([
      [request(1).message.length, undefined],
      [request(2, "www.netdb.test", false).message.length, undefined],
    ]);
  });

  it("takes an answer without a cookie from a server not known to do cookies, and sends it none after that", async () => {
    start();
    cookieServer.policy = () => ({});
    for (const [id, name] of [[1, "a.netdb.test"], [2, "b.netdb.test"], [3, "c.netdb.test"]] as const) {
      const req = request(id, name);
      expectPlain(await exchangeUdp(pool, req), req);
    }
    expect(cookieServer.queries.map((q) => cookieOf(q)?.length)).to.deep.equal([8, undefined, undefined]);
  });

  it("with a server that folds case and does cookies: the BADCOOKIE retry goes in the query's own case, and the answer comes up as asked", async () => {
    start();
    cookieServer.folds = true;
    cookieServer.policy = (_client, server) => (server?.equals(ISSUED) === true ? { server: ISSUED } : { server: ISSUED, rcode: BADCOOKIE });
    const req = request(1, "www.netdb.test");
    expectPlain(await exchangeUdp(pool, req), req);
    expect(cookieServer.queries.map((q) => cookieOf(q)!.length)).to.deep.equal([8, 24]);
    expect(nameOf(cookieServer.queries[1]!), "sent again in the query's own case").to.equal("www.netdb.test");
  });
});

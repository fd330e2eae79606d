/**
 * DNS cookies, client side (src/dns/transport/cookies.ts), with hand-built
 * responses; test/dns/transport/knot-case-cookies.test.ts runs them
 * against knotd's cookies module.
 */
import { expect } from "chai";
import fc from "fast-check";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { BADCOOKIE, checkCookie, COOKIE_OPTION, ServerCookies, withCookie, withoutCookie } from "../../../src/dns/transport/cookies.js";

const query = (edns0 = true): Uint8Array => encodeQuery({ name: "www.example.test", type: "A" }, { id: 0x4242, edns0 });

/** Client cookies 01..08, 11..18, ... one per call, so that tests can name them. */
function counting(): (octets: number) => Uint8Array {
  let n = 0;
  return (octets) => {
    n++;
    return Uint8Array.from({ length: octets }, (_, i) => n * 16 + i + 1);
  };
}

const hex = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString("hex"));
const option = (code: number, data: Uint8Array): number[] => [code >> 8, code & 0xff, data.length >> 8, data.length & 0xff, ...data];
const SERVER = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

/** The OPT options of a message, as [code, hex data]. */
function optionsOf(message: Uint8Array): Array<[number, string]> {
  const m = decodeMessage(message);
  expect(m.edns, "an OPT record").to.not.equal(undefined);
  const end = message.length;
  // Our queries and test responses end with the OPT record: its RDATA is the tail.
  let at = end;
  const view = Buffer.from(message);
  for (let start = 12; start < end - 10; start++) {
    if (view[start] === 0 && view.readUInt16BE(start + 1) === 41 && start + 11 + view.readUInt16BE(start + 9) === end) at = start + 11;
  }
  const found: Array<[number, string]> = [];
  while (at < end) {
    const length = view.readUInt16BE(at + 2);
    found.push([view.readUInt16BE(at), view.subarray(at + 4, at + 4 + length).toString("hex")]);
    at += 4 + length;
  }
  return found;
}

/**
 * A response to `sent`: its header and question with QR set, RCODE
 * `rcode` (the extended bits in the OPT record), and an OPT record with
 * `options` (none at all with `opt: false`).
 */
function respond(sent: Uint8Array, { rcode = 0, options = [] as number[][], opt = true } = {}): Uint8Array {
  const m = decodeMessage(sent);
  const questionEnd = Buffer.from(sent).indexOf(0, 12) + 1 + 4; // the root label of the (uncompressed) name, type, class
  expect(m.questions).to.have.length(1);
  const header = Buffer.from(sent.subarray(0, questionEnd));
  header[2] = header[2]! | 0x80;
  header[3] = (header[3]! & 0xf0) | (rcode & 0xf);
  header.writeUInt16BE(opt ? 1 : 0, 10);
  if (!opt) return header;
  const rdata = options.flat();
  return Uint8Array.from([...header, 0, 0, 41, 0x04, 0xd0, rcode >> 4, 0, 0, 0, rdata.length >> 8, rdata.length & 0xff, ...rdata]);
}

const cookie = (client: Uint8Array, server: Uint8Array = SERVER): number[] => option(COOKIE_OPTION, Uint8Array.from([...client, ...server]));

describe("cookies: withCookie", () => {
  it("leaves a query without an OPT record alone: cookies ride on EDNS", () => {
    const state = new ServerCookies();
    const q = query(false);
    expect(withCookie(q, state, 0)).to.equal(q);
    expect([state.support, state.client]).to.deep.equal(["unknown", undefined]);
  });

  it("adds a COOKIE option with a new client cookie, and changes nothing else", () => {
    const state = new ServerCookies({ random: counting() });
    const q = query();
    const sent = withCookie(q, state, 1000);
    expect(state.support).to.equal("sent");
    expect(hex(state.client)).to.equal("1112131415161718");
    expect(optionsOf(sent)).to.deep.equal([[COOKIE_OPTION, "1112131415161718"]]);
    expect(sent.length).to.equal(q.length + 12);
    expect(Buffer.from(sent.subarray(0, q.length - 2)).equals(Buffer.from(q.subarray(0, q.length - 2)))).to.equal(true);
    expect(decodeMessage(sent).edns?.udpPayloadSize).to.equal(1200);
    // The same client cookie next time, until a server cookie is learned.
    expect(optionsOf(withCookie(q, state, 2000))).to.deep.equal([[COOKIE_OPTION, "1112131415161718"]]);
  });

  it("sends the server cookie after the client cookie once it is known", () => {
    const state = new ServerCookies({ random: counting() });
    const first = withCookie(query(), state, 0);
    expect(checkCookie(first, respond(first, { options: [cookie(state.client!)] }), state, 1)).to.equal("accept");
    expect(optionsOf(withCookie(query(), state, 2))).to.deep.equal([[COOKIE_OPTION, `1112131415161718${hex(SERVER)}`]]);
  });

  it("replaces a COOKIE option the query had and keeps the others in order", () => {
    const state = new ServerCookies({ random: counting() });
    const q = query();
    const padding = option(12, new Uint8Array(3));
    const withOptions = Uint8Array.from([...q.subarray(0, q.length - 2), 0, 4 + 3 + 4 + 8, ...padding, ...option(COOKIE_OPTION, new Uint8Array(8).fill(0xee))]);
    expect(optionsOf(withOptions)).to.deep.equal([[12, "000000"], [COOKIE_OPTION, "eeeeeeeeeeeeeeee"]]);
    expect(optionsOf(withCookie(withOptions, state, 0))).to.deep.equal([[12, "000000"], [COOKIE_OPTION, "1112131415161718"]]);
  });

  it("a new client cookie, without the server cookie, when the local address changes", () => {
    const state = new ServerCookies({ random: counting() });
    withCookie(query(), state, 0, "127.0.0.1");
    state.support = "supported";
    state.server = SERVER;
    expect(optionsOf(withCookie(query(), state, 1, "127.0.0.1"))[0]![1]).to.equal(`1112131415161718${hex(SERVER)}`);
    expect(optionsOf(withCookie(query(), state, 2, "127.0.0.2"))[0]![1]).to.equal("2122232425262728");
    expect([state.support, state.server, state.localAddress]).to.deep.equal(["supported", undefined, "127.0.0.2"]);
    // Not saying the address keeps the one it was made for.
    expect(optionsOf(withCookie(query(), state, 3))[0]![1]).to.equal("2122232425262728");
  });

  it("a new client cookie after clientLifetimeMs with a server that does cookies", () => {
    const state = new ServerCookies({ random: counting(), times: { clientLifetimeMs: 1000 } });
    const first = withCookie(query(), state, 0);
    checkCookie(first, respond(first, { options: [cookie(state.client!)] }), state, 10);
    expect(optionsOf(withCookie(query(), state, 999))[0]![1]).to.equal(`1112131415161718${hex(SERVER)}`);
    expect(optionsOf(withCookie(query(), state, 1000))[0]![1]).to.equal("2122232425262728");
    expect(state.support).to.equal("supported");
  });

  it("throws a RangeError for a query whose records do not walk", () => {
    const q = query();
    expect(() => withCookie(q.subarray(0, q.length - 3), new ServerCookies())).to.throw(RangeError);
  });
});

describe("cookies: checkCookie", () => {
  const started = (): { state: ServerCookies; sent: Uint8Array } => {
    const state = new ServerCookies({ random: counting() });
    return { state, sent: withCookie(query(), state, 0) };
  };

  it("accepts anything to a query that carried no cookie", () => {
    const state = new ServerCookies();
    const q = query();
    expect(checkCookie(q, respond(q, { options: [cookie(new Uint8Array(8).fill(9))] }), state)).to.equal("accept");
    expect(checkCookie(query(false), respond(query(false), { opt: false }), state)).to.equal("accept");
    expect(state.support).to.equal("unknown");
  });

  it("accepts our client cookie with a server cookie, and learns the server cookie (a copy)", () => {
    const { state, sent } = started();
    const response = respond(sent, { options: [cookie(state.client!)] });
    expect(checkCookie(sent, response, state, 5)).to.equal("accept");
    expect([state.support, hex(state.server)]).to.deep.equal(["supported", hex(SERVER)]);
    response.fill(0);
    expect(hex(state.server)).to.equal(hex(SERVER));
  });

  it("ignores a response whose client cookie is not ours (a forgery), learning nothing", () => {
    const { state, sent } = started();
    const forged = Uint8Array.from(state.client!);
    forged[7]! ^= 1;
    expect(checkCookie(sent, respond(sent, { options: [cookie(forged)] }), state, 5)).to.equal("ignore");
    expect(checkCookie(sent, respond(sent, { rcode: BADCOOKIE, options: [cookie(forged)] }), state, 5)).to.equal("ignore");
    expect([state.support, state.server]).to.deep.equal(["sent", undefined]);
  });

  it("ignores cookie lengths RFC 7873 says to discard; 8 (the client cookie alone) is no server cookie", () => {
    for (const length of [0, 7, 9, 15, 41, 48]) {
      const { state, sent } = started();
      const data = Uint8Array.from({ length }, (_, i) => state.client![i] ?? 0xab);
      expect(checkCookie(sent, respond(sent, { options: [option(COOKIE_OPTION, data)] }), state, 5), `length ${length}`).to.equal("ignore");
    }
    for (const length of [16, 40]) {
      const { state, sent } = started();
      expect(checkCookie(sent, respond(sent, { options: [cookie(state.client!, new Uint8Array(length - 8))] }), state, 5)).to.equal("accept");
      expect(state.server).to.have.length(length - 8);
    }
    const { state, sent } = started();
    expect(checkCookie(sent, respond(sent, { options: [option(COOKIE_OPTION, state.client!)] }), state, 5)).to.equal("accept");
    expect(state.support).to.equal("unsupported");
  });

  it("BADCOOKIE with our cookie: retry, with the new server cookie learned", () => {
    const { state, sent } = started();
    const badcookie = respond(sent, { rcode: BADCOOKIE, options: [cookie(state.client!)] });
    expect(badcookie[3]! & 0xf).to.equal(7);
    expect(checkCookie(sent, badcookie, state, 5)).to.equal("retry");
    expect([state.support, hex(state.server)]).to.deep.equal(["supported", hex(SERVER)]);
    const again = withCookie(query(), state, 6);
    expect(optionsOf(again)[0]![1]).to.equal(`1112131415161718${hex(SERVER)}`);
    expect(checkCookie(again, respond(again, { options: [cookie(state.client!)] }), state, 7)).to.equal("accept");
  });

  it("BADCOOKIE needs both halves of the RCODE, and a cookie", () => {
    const { state, sent } = started();
    // Header RCODE 7 alone is YXRRSET: an ordinary (failed) response.
    expect(checkCookie(sent, respond(sent, { rcode: 7, options: [cookie(state.client!)] }), state, 5)).to.equal("accept");
    expect(checkCookie(sent, respond(sent, { rcode: BADCOOKIE }), state, 5)).to.equal("ignore");
  });

  it("no cookie from a server not known to do cookies: accept, and send it none for unsupportedRetryMs", () => {
    const { state, sent } = started();
    expect(checkCookie(sent, respond(sent, { opt: false }), state, 100)).to.equal("accept");
    expect([state.support, state.client]).to.deep.equal(["unsupported", undefined]);
    const q = query();
    expect(withCookie(q, state, 100 + 299_999)).to.equal(q);
    const retried = withCookie(q, state, 100 + 300_000);
    expect(optionsOf(retried)).to.deep.equal([[COOKIE_OPTION, "2122232425262728"]]);
    expect(state.support).to.equal("sent");
    // While unsupported, a cookie the query had is removed.
    checkCookie(retried, respond(retried, { options: [] }), state, 400_000);
    expect(optionsOf(withCookie(retried, state, 400_001))).to.deep.equal([]);
  });

  it("no cookie from a server known to do cookies: ignore (a forgery, or a change); after regressionMs start over", () => {
    const { state, sent } = started();
    checkCookie(sent, respond(sent, { options: [cookie(state.client!)] }), state, 0);
    const next = withCookie(query(), state, 1000);
    expect(checkCookie(next, respond(next, { opt: false }), state, 1000)).to.equal("ignore");
    expect(checkCookie(next, respond(next, {}), state, 60_000)).to.equal("ignore");
    expect(state.missingSince).to.equal(1000);
    // Still within the regression time: the cookie is still sent, with the server cookie.
    expect(optionsOf(withCookie(query(), state, 120_999))[0]![1]).to.equal(`1112131415161718${hex(SERVER)}`);
    const fresh = withCookie(query(), state, 121_000);
    expect(optionsOf(fresh)).to.deep.equal([[COOKIE_OPTION, "2122232425262728"]]);
    expect(checkCookie(fresh, respond(fresh, { opt: false }), state, 121_001)).to.equal("accept");
    expect(state.support).to.equal("unsupported");
  });

  it("a valid cookie after a missing one ends the regression", () => {
    const { state, sent } = started();
    checkCookie(sent, respond(sent, { options: [cookie(state.client!)] }), state, 0);
    checkCookie(sent, respond(sent, {}), state, 10);
    expect(checkCookie(sent, respond(sent, { options: [cookie(state.client!)] }), state, 20)).to.equal("accept");
    expect(state.missingSince).to.equal(0);
    expect(optionsOf(withCookie(query(), state, 500_000))[0]![1]).to.equal(`1112131415161718${hex(SERVER)}`);
  });

  it("a response to a query sent with a client cookie since replaced is checked against that cookie, and teaches nothing", () => {
    const state = new ServerCookies({ random: counting() });
    const old = withCookie(query(), state, 0, "127.0.0.1");
    withCookie(query(), state, 1, "127.0.0.2");
    expect(checkCookie(old, respond(old, { options: [cookie(Uint8Array.from(state.client!))] }), state, 2)).to.equal("ignore");
    expect(checkCookie(old, respond(old, { options: [cookie(Uint8Array.of(0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18))] }), state, 2)).to.equal("accept");
    expect([state.support, state.server]).to.deep.equal(["supported", undefined]);
  });

  it("ignores a response whose OPT record does not walk, or has two cookies", () => {
    const { state, sent } = started();
    const good = respond(sent, { options: [cookie(state.client!)] });
    expect(checkCookie(sent, good.subarray(0, good.length - 1), state, 5)).to.equal("ignore");
    expect(checkCookie(sent, respond(sent, { options: [cookie(state.client!), cookie(state.client!)] }), state, 5)).to.equal("ignore");
    expect(state.support).to.equal("sent");
  });
});

describe("cookies: withoutCookie", () => {
  it("removes the COOKIE option and keeps the rest; the same bytes when there is none", () => {
    const q = query();
    const r = respond(q, { options: [option(15, Uint8Array.of(0, 18)), cookie(new Uint8Array(8))] });
    const stripped = withoutCookie(r);
    expect(optionsOf(stripped)).to.deep.equal([[15, "0012"]]);
    expect(decodeMessage(stripped).questions[0]!.name).to.equal("www.example.test");
    expect(withoutCookie(stripped)).to.equal(stripped);
    expect(Buffer.from(withoutCookie(respond(q, { options: [cookie(new Uint8Array(8))] }))).equals(Buffer.from(respond(q)))).to.equal(true);
  });
});

describe("cookies: on any bytes", () => {
  it("checkCookie and withoutCookie never throw, and a response that is not ours is never accepted with a server cookie learned", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withHeader) => {
        const state = new ServerCookies({ random: counting() });
        const sent = withCookie(query(), state, 0);
        const bytes = withHeader ? Uint8Array.from([...sent.subarray(0, sent.length - 23), ...tail]) : tail;
        const verdict = checkCookie(sent, bytes, state, 1);
        expect(["accept", "ignore", "retry"]).to.include(verdict);
        // Learning needs our 8-octet client cookie echoed: random bytes do not carry it.
        expect(state.server).to.equal(undefined);
        const stripped = withoutCookie(bytes);
        expect(stripped.length).to.be.at.most(bytes.length);
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * DNS 0x20 and DNS cookies (src/dns/transport/case.ts, cookies.ts)
 * against a real Knot DNS server with its cookies module, through a plain
 * node:dgram socket on loopback. Without knotd these tests fail, saying
 * so: they are part of the suite.
 */
import { expect } from "chai";
import dgram from "node:dgram";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { caseVerdict, randomizeCase, restoreCase } from "../../../src/dns/transport/case.js";
import { BADCOOKIE, checkCookie, COOKIE_OPTION, ServerCookies, withCookie, withoutCookie } from "../../../src/dns/transport/cookies.js";
import { startKnot, worldZones, type KnotServer, type KnotZone } from "../../support/knot.js";

/** A zone with what copies or compresses the query name in other ways: DNAME, wildcards, mixed case, an RRset too big for UDP. */
const CASE_ZONE: KnotZone = {
  origin: "case.test",
  text: [
    "$ORIGIN case.test.",
    "$TTL 300",
    "@ SOA ns hostmaster 1 3600 900 604800 300",
    "@ NS ns",
    "@ A 192.0.2.2",
    "@ MX 10 mail",
    "ns A 192.0.2.1",
    "mail A 192.0.2.5",
    "www CNAME case.test.",
    "MixedCase A 192.0.2.3",
    "dn DNAME target.test.",
    "*.wild A 192.0.2.4",
    "*.wildcname CNAME www",
    ...Array.from({ length: 100 }, (_, i) => `big A 198.51.100.${i + 1}`),
    "",
  ].join("\n"),
};

const QUESTIONS: Array<[string, string]> = [
  ["www.case.test", "A"], ["WWW.CASE.TEST", "A"], ["Www.Case.Test", "MX"], ["case.test", "SOA"], ["case.test", "NS"], ["CASE.TEST", "ANY"],
  ["nosuch.case.test", "A"], ["NoSuch.Case.Test", "AAAA"], ["mixedcase.case.test", "A"], ["MIXEDCASE.case.test", "A"],
  ["xy.dn.case.test", "A"], ["XY.Dn.CASE.test", "A"], ["a.B.dn.case.test", "AAAA"], ["Dn.Case.Test", "DNAME"],
  ["x.wild.case.test", "A"], ["X.Wild.Case.Test", "A"], ["q.WildCname.case.test", "A"], ["big.case.test", "A"],
  ["www.hellfly.net", "A"], ["WWW.HELLFLY.NET", "A"], ["Www.Hellfly.Net", "AAAA"], ["hellfly.net", "MX"], ["www.python.org", "A"],
  ["8.1.168.192.in-addr.arpa", "PTR"], ["2.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.0.0.0.0.0.0.2.8.8.8.0.1.0.0.2.ip6.arpa", "PTR"],
];

/** A seeded source of random octets (xorshift32), so that every run tries the same spellings. */
function seeded(seed: number): (octets: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (octets) =>
    Uint8Array.from({ length: octets }, () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x & 0xff;
    });
}

/** One UDP socket on 127.0.0.1 asking one server: `ask` sends and waits for the datagram with the same ID, or gives undefined after `ms`. */
class Asker {
  readonly #socket = dgram.createSocket("udp4");
  readonly #waiting = new Map<number, (message: Buffer) => void>();
  #nextId = 1;

  constructor(private readonly port: number) {
    this.#socket.on("message", (message) => {
      if (message.length >= 2) this.#waiting.get(message.readUInt16BE(0))?.(message);
    });
  }

  bind(): Promise<void> {
    return new Promise((resolve) => this.#socket.bind(0, "127.0.0.1", resolve));
  }

  /** A query for `name`, `type` with a fresh ID. */
  query(name: string, type: string, edns0: boolean): Uint8Array {
    this.#nextId = (this.#nextId % 0xffff) + 1;
    return encodeQuery({ name, type }, { id: this.#nextId, edns0 });
  }

  ask(bytes: Uint8Array, ms = 2000): Promise<Buffer | undefined> {
    const id = (bytes[0]! << 8) | bytes[1]!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(undefined);
      }, ms);
      this.#waiting.set(id, (message) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(message);
      });
      this.#socket.send(bytes, this.port, "127.0.0.1");
    });
  }

  async must(bytes: Uint8Array): Promise<Buffer> {
    const got = await this.ask(bytes);
    if (got === undefined) throw new Error(`no answer from knotd to ${decodeMessage(bytes).questions[0]!.name}`);
    return got;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

/** The extended RCODE of a response: header bits and the OPT record's. */
const rcodeOf = (message: Uint8Array): number => (message[3]! & 0xf) | ((decodeMessage(message).edns?.extendedRcode ?? 0) << 4);

/** The COOKIE option data in a response, as hex. */
function cookieHex(message: Uint8Array): string | undefined {
  const stripped = withoutCookie(message);
  if (stripped === message) return undefined;
  // The response ends with its OPT record, and the cookie is its last option (Knot writes it last).
  const tail = Buffer.from(message.subarray(message.length - (message.length - stripped.length)));
  expect(tail.readUInt16BE(0)).to.equal(COOKIE_OPTION);
  return tail.subarray(4).toString("hex");
}

describe("0x20 and cookies against knotd (mod-cookies)", function () {
  this.timeout(30_000);
  let knot: KnotServer;
  let asker: Asker;

  before(async () => {
    knot = await startKnot([...worldZones(), CASE_ZONE], { cookies: {} });
    asker = new Asker(knot.port);
    await asker.bind();
  });
  after(async () => {
    await asker?.close();
    await knot?.stop();
  });

  describe("0x20", () => {
    it("knotd echoes the random case, and the restored response is byte for byte its response to the original", async () => {
      const differences: string[] = [];
      let rewritten = 0;
      let responses = 0;
      for (const [name, type] of QUESTIONS) {
        for (const edns0 of [false, true]) {
          const q = asker.query(name, type, edns0);
          const plain = await asker.must(q);
          for (let seed = 1; seed <= 12; seed++) {
            const sent = randomizeCase(q, seeded(seed * 104_729 + name.length * 31 + (edns0 ? 1 : 0)));
            const got = await asker.must(sent);
            responses++;
            const verdict = caseVerdict(sent, got);
            if (verdict !== "exact") differences.push(`${name} ${type}: ${verdict}`);
            const back = Buffer.from(restoreCase(got, q, sent));
            if (!back.equals(got)) rewritten++;
            if (!back.equals(plain)) differences.push(`${name} ${type} as ${decodeMessage(sent).questions[0]!.name}\n  plain    ${plain.toString("hex")}\n  restored ${back.toString("hex")}`);
          }
        }
      }
      expect(differences.join("\n")).to.equal("");
      expect(responses).to.equal(QUESTIONS.length * 24);
      // Every question has letters, so nearly every response has its question (at least) rewritten.
      expect(rewritten).to.be.above(responses * 0.95);
    });

    it("what the lookup layer reads is the original's case: CNAME targets, DNAME substitutions, wildcard owners", async () => {
      const read = async (name: string, type: string, seed: number) => {
        const q = asker.query(name, type, false);
        const sent = randomizeCase(q, seeded(seed));
        return decodeMessage(restoreCase(await asker.must(sent), q, sent));
      };
      for (let seed = 1; seed <= 20; seed++) {
        const www = await read("WWW.CASE.TEST", "A", seed);
        expect(www.answers.map((rr) => [rr.name, rr.data])).to.deep.equal([
          ["WWW.CASE.TEST", "CASE.TEST"],
          ["CASE.TEST", "192.0.2.2"],
        ]);
        const dn = await read("XY.Dn.CASE.test", "A", seed);
        // Knot lowercases the labels a DNAME substitution copies, whatever the query's case.
        expect(dn.answers.map((rr) => [rr.name, rr.type, rr.data])).to.deep.equal([
          ["Dn.CASE.test", "DNAME", "target.test"],
          ["XY.Dn.CASE.test", "CNAME", "xy.target.test"],
        ]);
        const wild = await read("X.Wild.Case.Test", "A", seed);
        expect(wild.answers.map((rr) => rr.name)).to.deep.equal(["X.Wild.Case.Test"]);
      }
    });
  });

  describe("cookies", () => {
    it("the first query gets BADCOOKIE and a server cookie; the retry with it is answered, and so are later queries", async () => {
      const state = new ServerCookies();
      const first = withCookie(asker.query("www.case.test", "A", true), state);
      const badcookie = await asker.must(first);
      expect(rcodeOf(badcookie)).to.equal(BADCOOKIE);
      expect(checkCookie(first, badcookie, state)).to.equal("retry");
      expect(state.support).to.equal("supported");
      // RFC 9018: version 1, three reserved octets, a timestamp, an 8-octet hash.
      expect(state.server).to.have.length(16);
      expect(state.server![0]).to.equal(1);

      const retry = withCookie(asker.query("www.case.test", "A", true), state);
      const answer = await asker.must(retry);
      expect(checkCookie(retry, answer, state)).to.equal("accept");
      expect(decodeMessage(answer).answers.map((rr) => rr.data)).to.deep.equal(["case.test", "192.0.2.2"]);
      expect(cookieHex(answer)!.slice(0, 16)).to.equal(Buffer.from(state.client!).toString("hex"));

      for (const [name, rcode] of [["case.test", 0], ["mail.case.test", 0], ["nosuch.case.test", 3]] as const) {
        const sent = withCookie(asker.query(name, "A", true), state);
        const got = await asker.must(sent);
        expect([name, rcodeOf(got), checkCookie(sent, got, state)]).to.deep.equal([name, rcode, "accept"]);
      }
    });

    it("a response whose client cookie is not ours is ignored: forged locally, or meant for another client cookie", async () => {
      const state = new ServerCookies();
      const first = withCookie(asker.query("www.case.test", "A", true), state);
      checkCookie(first, await asker.must(first), state);
      const sent = withCookie(asker.query("www.case.test", "A", true), state);
      const real = await asker.must(sent);
      const forged = Buffer.from(real);
      // The client cookie is the first 8 octets of the COOKIE option's data, the last option.
      forged[forged.length - 24]! ^= 0x01;
      expect(checkCookie(sent, forged, state)).to.equal("ignore");
      expect(checkCookie(sent, withoutCookie(real), state)).to.equal("ignore");

      const other = new ServerCookies();
      const theirs = withCookie(asker.query("www.case.test", "A", true), other);
      const theirAnswer = await asker.must(theirs);
      const reply = Buffer.from(theirAnswer);
      reply.writeUInt16BE(sent[0]! * 256 + sent[1]!, 0);
      expect(checkCookie(sent, reply, state)).to.equal("ignore");
      expect(checkCookie(sent, real, state)).to.equal("accept");
    });

    it("a server cookie knotd did not issue gets BADCOOKIE with a new one, and the retry is answered", async () => {
      const state = new ServerCookies();
      const first = withCookie(asker.query("case.test", "SOA", true), state);
      checkCookie(first, await asker.must(first), state);
      state.server = Uint8Array.from(state.server!, (b) => b ^ 0x5a);
      const stale = withCookie(asker.query("case.test", "SOA", true), state);
      const badcookie = await asker.must(stale);
      expect(rcodeOf(badcookie)).to.equal(BADCOOKIE);
      expect(checkCookie(stale, badcookie, state)).to.equal("retry");
      const retry = withCookie(asker.query("case.test", "SOA", true), state);
      const answer = await asker.must(retry);
      expect([rcodeOf(answer), checkCookie(retry, answer, state)]).to.deep.equal([0, "accept"]);
    });

    it("a query without EDNS gets no cookie, and knotd answers it as before", async () => {
      const state = new ServerCookies();
      const q = asker.query("www.case.test", "A", false);
      expect(withCookie(q, state)).to.equal(q);
      const answer = await asker.must(q);
      expect([rcodeOf(answer), checkCookie(q, answer, state), state.support]).to.deep.equal([0, "accept", "unknown"]);
    });

    it("a truncated answer carries the cookie, so the check passes and the lookup can go on to TCP", async () => {
      const state = new ServerCookies();
      const first = withCookie(asker.query("big.case.test", "A", true), state);
      checkCookie(first, await asker.must(first), state);
      const sent = withCookie(asker.query("big.case.test", "A", true), state);
      const truncated = await asker.must(sent);
      expect(decodeMessage(truncated).tc).to.equal(true);
      expect(checkCookie(sent, truncated, state)).to.equal("accept");
    });

    it("with 0x20 as well: both checks pass, and without the cookie the restored answer is knotd's answer to the plain query", async () => {
      const state = new ServerCookies();
      const first = withCookie(asker.query("www.case.test", "A", true), state);
      checkCookie(first, await asker.must(first), state);
      for (const [name, type] of QUESTIONS.slice(0, 12)) {
        const q = asker.query(name, type, true);
        const plain = await asker.must(q);
        const random = randomizeCase(q);
        const sent = withCookie(random, state);
        const got = await asker.must(sent);
        expect([name, caseVerdict(sent, got), checkCookie(sent, got, state)]).to.deep.equal([name, "exact", "accept"]);
        expect(Buffer.from(withoutCookie(restoreCase(got, q, random))).equals(plain), name).to.equal(true);
      }
    });
  });
});

describe("cookies against knotd with badcookie-slip 3", function () {
  this.timeout(30_000);
  let knot: KnotServer;
  let asker: Asker;

  before(async () => {
    knot = await startKnot([CASE_ZONE], { cookies: { badcookieSlip: 3, secret: "000102030405060708090a0b0c0d0e0f" } });
    asker = new Asker(knot.port);
    await asker.bind();
  });
  after(async () => {
    await asker?.close();
    await knot?.stop();
  });

  it("only every third query without a valid server cookie is answered (BADCOOKIE); once learned, every query is", async () => {
    const answered: boolean[] = [];
    let learned: ServerCookies | undefined;
    for (let i = 0; i < 6; i++) {
      const state = new ServerCookies();
      const sent = withCookie(asker.query("www.case.test", "A", true), state);
      // Loopback answers in well under a millisecond; 300 ms of silence is a dropped query.
      const got = await asker.ask(sent, 300);
      answered.push(got !== undefined);
      if (got !== undefined) {
        expect(checkCookie(sent, got, state)).to.equal("retry");
        learned = state;
      }
    }
    expect(answered).to.deep.equal([true, false, false, true, false, false]);
    for (let i = 0; i < 6; i++) {
      const sent = withCookie(asker.query("www.case.test", "A", true), learned!);
      const got = await asker.ask(sent, 2000);
      expect(got !== undefined && checkCookie(sent, got, learned!)).to.equal("accept");
    }
  });
});

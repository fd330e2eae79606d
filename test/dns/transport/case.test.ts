/**
 * DNS 0x20 (src/dns/transport/case.ts): random case on the wire, the echo
 * check, restoring the case of a response, and the per-server fallback.
 * Responses come from the test server (Knot-style compression, wire.ts),
 * from dns-packet (which does not compress, as some servers do not) and
 * from hand-built bytes; test/dns/transport/knot-case-cookies.test.ts does
 * the same against knotd.
 */
import { expect } from "chai";
import dnsPacket from "dns-packet";
import fc from "fast-check";
import dgram from "node:dgram";
import { fileURLToPath } from "node:url";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { CaseFallback, caseEntropyBits, caseVerdict, echoesCase, randomizeCase, restoreCase, restoreCaseInPlace } from "../../../src/dns/transport/case.js";
import { TestDnsServer } from "../../support/dnsserver.js";
import { encodeResponse } from "../../../src/zone/wire.js";
import { ZONES } from "../world.js";

/** A seeded source of random octets (xorshift32), so that every run tries the same cases. */
function seeded(seed: number): (octets: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (octets) => {
    const out = new Uint8Array(octets);
    for (let i = 0; i < octets; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

const query = (name: string, type = "A", edns0 = false, id = 0x1234): Uint8Array => encodeQuery({ name, type }, { id, edns0 });
const nameText = (message: Uint8Array): string => decodeMessage(message).questions[0]!.name;
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1");

/** The response to `q` as a non-compressing server writes it: every name literal, owners copied from the query. */
function uncompressed(q: Uint8Array, build: (qname: string) => Partial<dnsPacket.Packet>): Uint8Array {
  const qname = nameText(q);
  const type = decodeMessage(q).questions[0]!.type as dnsPacket.RecordType;
  return new Uint8Array(
    dnsPacket.encode({ id: 0x1234, type: "response", flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHORITATIVE_ANSWER, questions: [{ name: qname, type, class: "IN" }], ...build(qname) }),
  );
}

describe("0x20: randomizeCase", () => {
  it("changes only the 0x20 bit of the question name's letters, in a copy", () => {
    const q = query("Www-1.Example_2.TEST", "AAAA", true);
    const before = Uint8Array.from(q);
    for (let seed = 1; seed <= 50; seed++) {
      const r = randomizeCase(q, seeded(seed));
      expect(q).to.deep.equal(before);
      expect(r.length).to.equal(q.length);
      for (let i = 0; i < q.length; i++) {
        if (r[i] === q[i]) continue;
        expect(i, `octet ${i}`).to.be.within(12, 12 + 22);
        expect(r[i]! ^ q[i]!).to.equal(0x20);
        expect(String.fromCharCode(q[i]!)).to.match(/[A-Za-z]/);
      }
      expect(nameText(r).toLowerCase()).to.equal("www-1.example_2.test");
    }
  });

  it("takes one random bit per octet of the name: set is lowercase, clear is uppercase", () => {
    const q = query("abcdefgh.ij");
    expect(nameText(randomizeCase(q, (n) => new Uint8Array(n).fill(0xff)))).to.equal("abcdefgh.ij");
    expect(nameText(randomizeCase(q, (n) => new Uint8Array(n)))).to.equal("ABCDEFGH.IJ");
    // Octet 0 is the length octet; bits 1, 3, 5, ... of the first random octet decide a, c, e, g.
    expect(nameText(randomizeCase(q, (n) => new Uint8Array(n).fill(0b10101010)))).to.equal("aBcDeFgH.Ij");
    let asked = 0;
    randomizeCase(q, (n) => ((asked = n), new Uint8Array(n)));
    expect(asked).to.equal(2); // 13 octets of name: 2 random octets
  });

  it("leaves digits, hyphens, escapes and octets above 0x7f alone", () => {
    const q = query("caf\\195\\169-\\065\\.b.0-9.test");
    const upper = randomizeCase(q, (n) => new Uint8Array(n));
    expect(nameText(upper)).to.equal("CAF\\195\\169-A\\.B.0-9.TEST");
    expect(caseEntropyBits(q)).to.equal(3 + 2 + 4);
  });

  it("with the system's randomness, every letter is upper case about half the time, and names differ", () => {
    const q = query("abcdef.ghijkl");
    const upper = new Array<number>(14).fill(0);
    const seen = new Set<string>();
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const r = randomizeCase(q);
      seen.add(latin1(r.subarray(12, 26)));
      for (let j = 0; j < 14; j++) if (r[12 + j]! >= 0x41 && r[12 + j]! <= 0x5a) upper[j]!++;
    }
    // 12 letters, 4,096 spellings: 2,000 draws give about 1,580 distinct ones; each letter is upper case 1,000 ± 22 (one sigma) times.
    expect(seen.size).to.be.above(1400);
    for (const j of [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13]) expect(upper[j]).to.be.within(800, 1200);
    expect([upper[0], upper[7]]).to.deep.equal([0, 0]);
  });

  it("throws a RangeError for bytes that are not an uncompressed query", () => {
    const q = query("www.example.test");
    expect(() => randomizeCase(q.subarray(0, 20))).to.throw(RangeError);
    const compressed = Uint8Array.from(q);
    compressed[12] = 0xc0;
    expect(() => randomizeCase(compressed)).to.throw(RangeError);
    const noQuestion = Uint8Array.from(q);
    noQuestion[5] = 0;
    expect(() => randomizeCase(noQuestion)).to.throw(RangeError);
  });
});

describe("0x20: caseEntropyBits", () => {
  it("counts the letters of the question name", () => {
    expect(caseEntropyBits(query("www.example.com"))).to.equal(13);
    expect(caseEntropyBits(query("1.2.0.192.in-addr.arpa", "PTR"))).to.equal(10);
    // Of the 32 nibbles only "a" and "d" are letters, then "ip" and "arpa".
    expect(caseEntropyBits(query("2.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.0.0.0.0.0.0.2.8.8.8.0.1.0.0.2.ip6.arpa", "PTR"))).to.equal(8);
    expect(caseEntropyBits(query(".", "NS"))).to.equal(0);
    expect(caseEntropyBits(query("123.456"))).to.equal(0);
  });
});

describe("0x20: caseVerdict and echoesCase", () => {
  const q = query("www.example.test");
  const sent = randomizeCase(q, (n) => new Uint8Array(n).fill(0b01010101)); // "WwW.eXaMpLe.TeSt"-like
  const response = (name: string, questions = true): Uint8Array =>
    encodeResponse({ id: 0x1234, rcode: "NOERROR", ...(questions && { question: { name, type: "A" } }), answers: [{ name, type: "A", ttl: 60, data: "192.0.2.1" }] });

  it("exact: the same octets", () => {
    expect(caseVerdict(sent, response(nameText(sent)))).to.equal("exact");
    expect(echoesCase(sent, response(nameText(sent)))).to.equal(true);
  });

  it("folded: the same name in another case (a server that lowercases, or a forger who did not guess)", () => {
    expect(caseVerdict(sent, response("www.example.test"))).to.equal("folded");
    expect(echoesCase(sent, response("www.example.test"))).to.equal(false);
    expect(caseVerdict(sent, response(nameText(sent).toUpperCase()))).to.equal("folded");
  });

  it("different: another name, another length, two questions, or too short", () => {
    expect(caseVerdict(sent, response("wwx.example.test"))).to.equal("different");
    expect(caseVerdict(sent, response("www.example.tes"))).to.equal("different");
    expect(caseVerdict(sent, response("www.example.test.x"))).to.equal("different");
    const two = Uint8Array.from(response(nameText(sent)));
    two[5] = 2;
    expect(caseVerdict(sent, two)).to.equal("different");
    expect(caseVerdict(sent, response(nameText(sent)).subarray(0, 20))).to.equal("different");
    expect(echoesCase(sent, response("wwx.example.test"))).to.equal(false);
  });

  it("none: a bare 12-octet error has no name to echo, and passes (the other checks decide)", () => {
    const bare = encodeResponse({ id: 0x1234, rcode: "SERVFAIL" });
    expect(bare.length).to.equal(12);
    expect(caseVerdict(sent, bare)).to.equal("none");
    expect(echoesCase(sent, bare)).to.equal(true);
  });
});

describe("0x20: restoreCase", () => {
  it("returns the response itself when the case did not change, and refuses a query that is not the original", () => {
    const q = query("www.example.test");
    const r = response200(q);
    expect(restoreCase(r, q, q)).to.equal(r);
    expect(() => restoreCase(r, q, query("www.example.tesu"))).to.throw(RangeError);
    expect(() => restoreCase(r, q, query("www.example.tes"))).to.throw(RangeError);
  });

  it("Knot-style compression: the question and every pointer into it, never modifying the response", () => {
    const q = query("WWW.HELLFLY.NET");
    const sent = randomizeCase(q, seeded(7));
    const answer = encodeResponse({
      id: 0x1234,
      rcode: "NOERROR",
      aa: true,
      question: { name: nameText(sent), type: "A" },
      answers: [
        { name: nameText(sent), type: "CNAME", ttl: 60, data: "hellfly.net" },
        { name: "hellfly.net", type: "A", ttl: 60, data: "50.56.79.68" },
      ],
    });
    const copy = Uint8Array.from(answer);
    // Compression makes the CNAME target and the A owner pointers into the question: the random case.
    expect(decodeMessage(answer).answers.map((rr) => rr.name)).to.deep.equal([nameText(sent), nameText(sent).slice(4)]);
    const back = decodeMessage(restoreCase(answer, q, sent));
    expect(answer).to.deep.equal(copy);
    expect(back.questions[0]!.name).to.equal("WWW.HELLFLY.NET");
    expect(back.answers.map((rr) => [rr.name, rr.data])).to.deep.equal([
      ["WWW.HELLFLY.NET", "HELLFLY.NET"],
      ["HELLFLY.NET", "50.56.79.68"],
    ]);
  });

  it("restoreCaseInPlace writes the same bytes into the response itself, and leaves one with nothing to restore as it is", () => {
    const q = query("WWW.HELLFLY.NET");
    const sent = randomizeCase(q, seeded(7));
    const answer = encodeResponse({
      id: 0x1234,
      rcode: "NOERROR",
      aa: true,
      question: { name: nameText(sent), type: "A" },
      answers: [
        { name: nameText(sent), type: "CNAME", ttl: 60, data: "hellfly.net" },
        { name: "hellfly.net", type: "A", ttl: 60, data: "50.56.79.68" },
      ],
    });
    const copied = restoreCase(answer, q, sent);
    expect(copied).to.not.equal(answer);
    expect(restoreCaseInPlace(answer, q, sent)).to.equal(answer);
    expect(answer).to.deep.equal(copied);
    const plain = response200(q);
    const before = Uint8Array.from(plain);
    expect(restoreCaseInPlace(plain, q, q)).to.equal(plain);
    expect(plain).to.deep.equal(before);
    expect(() => restoreCaseInPlace(plain, q, query("www.example.tesu"))).to.throw(RangeError);
  });

  it("one call's walk does not leak into the next (the label lists are reused)", () => {
    const long = query("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.example.test");
    const short = query("Mail.Hellfly.Net");
    const answerOf = (sent: Uint8Array): Uint8Array =>
      encodeResponse({ id: 1, rcode: "NOERROR", question: { name: nameText(sent), type: "A" }, answers: [{ name: nameText(sent), type: "CNAME", ttl: 60, data: `x.${nameText(sent)}` }] });
    for (let i = 0; i < 3; i++) {
      for (const q of [long, short]) {
        const sent = randomizeCase(q, seeded(i + 1));
        const back = decodeMessage(restoreCase(answerOf(sent), q, sent));
        expect(back.questions[0]!.name).to.equal(nameText(q));
      }
    }
  });

  it("a server that does not compress: literal copies of the whole name are restored, zone names that equal a suffix are not", () => {
    const q = query("Mail.Hellfly.Net");
    const sent = randomizeCase(q, () => Uint8Array.of(0b11001010, 0b10011111, 0)); // "mAiL.hellfly.NeT"
    expect(nameText(sent)).to.equal("mAiL.hellfly.NeT");
    const suffix = "hellfly.NeT";
    const r = uncompressed(sent, (qname) => ({
      answers: [
        { name: qname, type: "CNAME", class: "IN", ttl: 60, data: suffix }, // the zone's spelling, which happens to be the random suffix
        { name: suffix, type: "A", class: "IN", ttl: 60, data: "192.0.2.1" },
      ],
      authorities: [{ name: qname, type: "NS", class: "IN", ttl: 60, data: "ns.example" }],
    }));
    const back = decodeMessage(restoreCase(r, q, sent));
    expect(back.questions[0]!.name).to.equal("Mail.Hellfly.Net");
    expect(back.answers.map((rr) => [rr.name, rr.data])).to.deep.equal([
      ["Mail.Hellfly.Net", suffix],
      [suffix, "192.0.2.1"],
    ]);
    expect(back.authorities[0]!.name).to.equal("Mail.Hellfly.Net");
  });

  it("a literal copy in the random case that has no capital is left as it is (it may be the zone's own spelling)", () => {
    const q = query("WWW.EXAMPLE.TEST");
    const sent = randomizeCase(q, (n) => new Uint8Array(n).fill(0xff)); // all lowercase
    const r = uncompressed(sent, (qname) => ({ answers: [{ name: qname, type: "A", class: "IN", ttl: 60, data: "192.0.2.1" }] }));
    const back = decodeMessage(restoreCase(r, q, sent));
    expect([back.questions[0]!.name, back.answers[0]!.name]).to.deep.equal(["WWW.EXAMPLE.TEST", "www.example.test"]);
  });

  it("names inside RDATA: MX, SOA, SRV, PTR, NS targets that are copies of the name", () => {
    const q = query("Host.Example.Test", "ANY");
    const sent = randomizeCase(q, seeded(3));
    const s = nameText(sent);
    expect(s).to.match(/[A-Z]/);
    const r = uncompressed(sent, (qname) => ({
      answers: [
        { name: qname, type: "MX", class: "IN", ttl: 60, data: { preference: 10, exchange: qname } },
        { name: qname, type: "SOA", class: "IN", ttl: 60, data: { mname: qname, rname: qname, serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } },
        { name: qname, type: "SRV", class: "IN", ttl: 60, data: { priority: 1, weight: 2, port: 3, target: qname } },
        { name: qname, type: "PTR", class: "IN", ttl: 60, data: qname },
        { name: qname, type: "NS", class: "IN", ttl: 60, data: qname },
        { name: qname, type: "TXT", class: "IN", ttl: 60, data: [qname] },
      ],
    }));
    const back = decodeMessage(restoreCase(r, q, sent));
    const data = back.answers.map((rr) => rr.data as Record<string, unknown> | string);
    expect((data[0] as { exchange: string }).exchange).to.equal("Host.Example.Test");
    expect([(data[1] as { mname: string }).mname, (data[1] as { rname: string }).rname]).to.deep.equal(["Host.Example.Test", "Host.Example.Test"]);
    expect((data[2] as { target: string }).target).to.equal("Host.Example.Test");
    expect([data[3], data[4]]).to.deep.equal(["Host.Example.Test", "Host.Example.Test"]);
    // TXT is text, not a name: what the server put there stays.
    expect(Buffer.from((back.answers[5]!.data as { value: Uint8Array[] }).value[0]!).toString()).to.equal(s);
    expect(back.answers.every((rr) => rr.name === "Host.Example.Test")).to.equal(true);
  });

  it("DNAME: the labels a substitution copied in the random case are restored; lowercased ones (Knot) are not touched", () => {
    const q = query("Xy.Dn.Example.Test");
    const sent = randomizeCase(q, () => Uint8Array.of(0b10110010, 0xff, 0xff));
    const s = nameText(sent);
    expect(s).to.equal("xY.dn.example.test");
    const prefix = "xY";
    const dname = s.slice(3); // the DNAME owner as the question spells it (compressed to it)
    for (const [copied, expected] of [
      [prefix, "Xy"],
      [prefix.toLowerCase(), prefix.toLowerCase()],
    ] as const) {
      const r = encodeResponse({
        id: 0x1234,
        rcode: "NOERROR",
        aa: true,
        question: { name: s, type: "A" },
        answers: [
          { name: dname, type: "DNAME", ttl: 60, data: new Uint8Array([6, ...Buffer.from("target"), 4, ...Buffer.from("test"), 0]) },
          { name: s, type: "CNAME", ttl: 60, data: `${copied}.target.test` },
        ],
      });
      const back = decodeMessage(restoreCase(r, q, sent));
      expect(back.answers[1]!.name).to.equal("Xy.Dn.Example.Test");
      // "test" is a pointer into the question, so it reads as the original spells it.
      expect(back.answers[1]!.data).to.equal(`${expected}.target.Test`);
      expect(back.answers[0]!.name).to.equal("Dn.Example.Test");
    }
  });

  it("a truncated or broken response gets its question restored, and never a throw", () => {
    const q = query("www.example.test");
    const sent = randomizeCase(q, (n) => new Uint8Array(n));
    const r = encodeResponse({ id: 0x1234, rcode: "NOERROR", tc: true, question: { name: nameText(sent), type: "A" } });
    const broken = Uint8Array.from([...r.subarray(0, r.length), 0xc0]);
    broken[7] = 5; // five answers, of which one octet
    expect(nameText(restoreCase(broken, q, sent).subarray(0, r.length))).to.equal("www.example.test");
  });

  it("on any bytes: never throws, keeps the length, changes only letters' 0x20 bits", () => {
    const q = query("Some.Name.Example.Test", "A", true);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 2 ** 31 }), fc.boolean(), (tail, seed, withQuestion) => {
        const sent = randomizeCase(q, seeded(seed));
        const head = withQuestion ? sent.subarray(0, sent.length - 11) : sent.subarray(0, 12);
        const bytes = Uint8Array.from([...head, ...tail]);
        const back = restoreCase(bytes, q, sent);
        expect(back.length).to.equal(bytes.length);
        for (let i = 0; i < bytes.length; i++) if (back[i] !== bytes[i]) expect(back[i]! ^ bytes[i]!).to.equal(0x20);
        if (withQuestion) expect(latin1(back.subarray(12, 36))).to.equal(latin1(q.subarray(12, 36)));
      }),
      { numRuns: 500 },
    );
  });

  describe("against the test server (Knot-style compression)", function () {
    this.timeout(20_000);
    let server: TestDnsServer;
    let socket: dgram.Socket;
    before(async () => {
      server = await TestDnsServer.start({ worldZones: fileURLToPath(new URL("../../../fixtures/worlds/seed/zones", import.meta.url)), zones: ZONES });
      socket = dgram.createSocket("udp4");
      await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    });
    after(async () => {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      await server?.stop();
    });

    it("the restored response to the random-case query is byte for byte the response to the original", async () => {
      const ask = (bytes: Uint8Array): Promise<Buffer> =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("no answer")), 2000);
          socket.once("message", (m) => {
            clearTimeout(timer);
            resolve(m);
          });
          socket.send(bytes, server.port, "127.0.0.1");
        });
      const differences: string[] = [];
      let rewritten = 0;
      for (const [name, type] of CASE_QUESTIONS) {
        for (const edns0 of [false, true]) {
          const q = query(name, type, edns0);
          const plain = await ask(q);
          for (let seed = 1; seed <= 8; seed++) {
            const sent = randomizeCase(q, seeded(seed * 7919 + name.length));
            const got = await ask(sent);
            if (!echoesCase(sent, got)) differences.push(`${name} ${type}: no echo`);
            const back = Buffer.from(restoreCase(got, q, sent));
            if (!got.equals(back)) rewritten++;
            if (!back.equals(plain)) differences.push(`${name} ${type} as ${nameText(sent)}\n  plain    ${plain.toString("hex")}\n  restored ${back.toString("hex")}`);
          }
        }
      }
      expect(differences.join("\n")).to.equal("");
      expect(rewritten).to.be.above(CASE_QUESTIONS.length * 8);
    });
  });
});

describe("0x20: CaseFallback", () => {
  const mixed = query("wWw.example.test");
  const lower = query("www.example.test");

  it("three folded responses in a row turn 0x20 off for offMs; then one more fold does", () => {
    const state = new CaseFallback({ offMs: 1000 });
    expect(state.randomizing(0)).to.equal(true);
    state.observe(mixed, "folded", 10);
    state.observe(mixed, "folded", 20);
    expect(state.randomizing(25)).to.equal(true);
    state.observe(mixed, "folded", 30);
    expect(state.randomizing(31)).to.equal(false);
    expect(state.randomizing(1029)).to.equal(false);
    expect(state.randomizing(1030)).to.equal(true);
    state.observe(mixed, "folded", 1040);
    expect(state.randomizing(1041)).to.equal(false);
    expect(state.randomizing(2040)).to.equal(true);
  });

  it("an exact echo of a mixed-case name clears the record; one that could come from a folding server does not", () => {
    const state = new CaseFallback();
    state.observe(mixed, "folded", 0);
    state.observe(mixed, "folded", 0);
    state.observe(mixed, "exact", 0);
    state.observe(mixed, "folded", 0);
    state.observe(mixed, "folded", 0);
    expect(state.randomizing(1)).to.equal(true);
    state.observe(lower, "exact", 1);
    state.observe(query("WWW.EXAMPLE.TEST"), "exact", 1);
    state.observe(mixed, "none", 1);
    state.observe(mixed, "different", 1);
    expect(state.randomizing(2)).to.equal(true);
    state.observe(mixed, "folded", 2);
    expect(state.randomizing(3)).to.equal(false);
    expect(state.randomizing(300_002)).to.equal(true);
  });

  it("after an exact echo following the pause, it takes `folds` folds again", () => {
    const state = new CaseFallback({ folds: 2, offMs: 10 });
    state.observe(mixed, "folded", 0);
    state.observe(mixed, "folded", 0);
    expect(state.randomizing(5)).to.equal(false);
    state.observe(mixed, "exact", 10);
    state.observe(mixed, "folded", 11);
    expect(state.randomizing(12)).to.equal(true);
  });
});

/** A response to `q` with one A record, compressed. */
function response200(q: Uint8Array): Uint8Array {
  const name = nameText(q);
  return encodeResponse({ id: 0x1234, rcode: "NOERROR", question: { name, type: "A" }, answers: [{ name, type: "A", ttl: 60, data: "192.0.2.1" }] });
}

/** Questions whose answers compress against the question in different ways (the seed world and the client tests' zones). */
const CASE_QUESTIONS: Array<[string, string]> = [
  ["www.hellfly.net", "A"], ["WWW.HELLFLY.NET", "A"], ["Www.Hellfly.Net", "AAAA"], ["WWW.hellfly.NET", "MX"],
  ["hellfly.net", "MX"], ["hellfly.net", "NS"], ["hellfly.net", "SOA"], ["hellfly.net", "ANY"],
  ["nosuch.hellfly.net", "A"], ["www.hellfly.net", "CNAME"], ["homer.hellfly.net", "CNAME"],
  ["www.python.org", "A"], ["Www.Python.Org", "AAAA"], ["python.org", "MX"],
  ["1.100.51.198.in-addr.arpa", "PTR"], ["8.1.168.192.in-addr.arpa", "PTR"],
  ["2.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.0.0.0.0.0.0.2.8.8.8.0.1.0.0.2.ip6.arpa", "PTR"],
  ["www.netdb.test", "A"], ["WWW.NETDB.TEST", "AAAA"], ["netdb.test", "SOA"], ["nosuch.netdb.test", "A"],
];

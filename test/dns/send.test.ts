import { expect } from "chai";
import { DnsClient } from "../../src/dns/client.js";
import { DnsError, DnsLookupError } from "../../src/dns/errors.js";
import { sendContext, sendQuestions, tryTimeout, type SendContext, type SendOutcome, type SendSink } from "../../src/dns/send.js";
import { defaultResolvConf } from "../../src/files/resolvconf.js";
import type { Question } from "../../src/dns/question.js";
import type { NameServer } from "../../src/dns/server.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import type { TraceEvent } from "../../src/trace.js";
import type { Transport } from "../../src/dns/transport/transport.js";
import { address, rcode, ScriptedTransport, type Reply, type Sent } from "./scripted-transport.js";

/** The call's own signal and tracer, which res_send reads from its sink. */
interface CallOptions {
  signal?: AbortSignal;
  tracer?: (event: TraceEvent) => void;
}

/** res_send as a promise, as the DNS client wraps it. */
function resSend(questions: Question[], ctx: SendContext, call: CallOptions = {}): Promise<SendOutcome> {
  return new Promise((resolve, reject) => {
    const sink: SendSink = { signal: call.signal, tracer: call.tracer, question: (i) => questions[i]!, sent: resolve, failed: reject };
    sendQuestions(questions.length, ctx, sink);
  });
}

const server = (n: number): NameServer => ({ address: `127.0.0.${n}`, port: 53, family: 4 });

function conf(overrides: Partial<ResolvConf> = {}): ResolvConf {
  return {
    ...defaultResolvConf(),
    nameservers: [server(1)],
    search: [],
    timeout: 40,
    ...overrides,
  };
}

function context(transport: ScriptedTransport, c: ResolvConf, extra: Partial<SendContext> = {}): SendContext {
  return { ...sendContext(c, transport, () => 0), ...extra };
}

const A: Question = { name: "a.test", type: "A", class: "IN" };
const AAAA: Question = { name: "a.test", type: "AAAA", class: "IN" };
const where = (sent: Sent[]) => sent.map((s) => `${s.server} ${s.protocol}${s.edns ? " edns" : ""} ${s.type}`);

describe("dns/send: glibc res_send", () => {
  describe("try time of each server (send_dg: timeout << ns, / nscount when ns > 0, at least one unit)", () => {
    const table: Array<[number, number, number, number]> = [
      [5000, 0, 1, 5000],
      [5000, 0, 3, 5000],
      [5000, 1, 2, 5000],
      [5000, 1, 3, 3000],
      [5000, 2, 3, 6000],
      [1000, 1, 3, 1000],
      [1000, 2, 3, 1000],
      [2000, 1, 3, 1000],
      [0, 0, 1, 1000],
      [30000, 2, 3, 40000],
      [300, 0, 3, 300],
      [300, 1, 3, 200],
      [300, 2, 3, 400],
      [1, 1, 3, 1],
    ];
    for (const [timeout, ns, servers, expected] of table) {
      it(`timeout ${timeout} ms, server ${ns} of ${servers}: ${expected} ms`, () => expect(tryTimeout(timeout, ns, servers)).to.equal(expected));
    }
  });

  describe("an answer that cannot be read for a reason other than its bytes", () => {
    const broken = (): Transport => ({
      exchange: async () => ({
        message: new Uint8Array(12),
        protocol: "udp",
        rtt: 1,
        get decoded(): never {
          throw new TypeError("the decoder could not be loaded");
        },
      }),
      close: async () => {},
    });

    it("ends res_send at once with that error (no pending lookup, no other server asked)", async () => {
      const started = performance.now();
      const error = await resSend([A], sendContext(conf({ nameservers: [server(1), server(2)], timeout: 5000 }), broken(), () => 0)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.equal("the decoder could not be loaded");
      expect(performance.now() - started).to.be.below(1000);
    });

    it("reaches a caller of the DNS client as a rejection", async () => {
      const client = new DnsClient({ conf: () => conf({ timeout: 5000 }), transport: broken() });
      const error = await client.query("a.test", ["A"]).then(() => undefined, (err: unknown) => err);
      expect(error).to.be.instanceOf(TypeError);
    });
  });

  it("asks every server in turn, attempts times, each with its own try time, then fails with ETIMEDOUT", async () => {
    const transport = new ScriptedTransport(() => "silence");
    const c = conf({ nameservers: [server(1), server(2), server(3)], timeout: 30 });
    const started = performance.now();
    const outcome = await resSend([A], context(transport, c));
    const elapsed = performance.now() - started;
    expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp A", "127.0.0.2:53 udp A", "127.0.0.3:53 udp A", "127.0.0.1:53 udp A", "127.0.0.2:53 udp A", "127.0.0.3:53 udp A"]);
    [30, 20, 40, 30, 20, 40].forEach((t, i) => expect(transport.sent[i]!.timeout).to.be.closeTo(t, 3));
    expect(outcome.results).to.deep.equal([undefined]);
    expect(outcome.errno).to.equal("ETIMEDOUT");
    expect(outcome.servers).to.deep.equal(["127.0.0.1:53", "127.0.0.2:53", "127.0.0.3:53"]);
    expect(elapsed).to.be.within(175, 600);
    expect(transport.open).to.equal(0);
  });

  it("uses at most three servers (MAXNS), and 127.0.0.1:53 when there are none", async () => {
    const transport = new ScriptedTransport(() => "silence");
    await resSend([A], context(transport, conf({ nameservers: [1, 2, 3, 4].map(server), attempts: 1, timeout: 5 })));
    expect(transport.sent.map((s) => s.server)).to.deep.equal(["127.0.0.1:53", "127.0.0.2:53", "127.0.0.3:53"]);
    const none = new ScriptedTransport((request) => address(request));
    await resSend([A], context(none, conf({ nameservers: [] })));
    expect(none.sent.map((s) => s.server)).to.deep.equal(["127.0.0.1:53"]);
  });

  it("rotate starts at the offset it is given, keeping each server's own try time", async () => {
    const transport = new ScriptedTransport(() => "silence");
    const c = conf({ nameservers: [server(1), server(2), server(3)], timeout: 30, rotate: true, attempts: 1 });
    await resSend([A], context(transport, c, { rotation: () => 4 }));
    expect(transport.sent.map((s) => s.server)).to.deep.equal(["127.0.0.2:53", "127.0.0.3:53", "127.0.0.1:53"]);
    [20, 40, 30].forEach((t, i) => expect(transport.sent[i]!.timeout).to.be.closeTo(t, 3));
  });

  it("the client moves the rotation one server on per res_send", async () => {
    const transport = new ScriptedTransport((request) => address(request));
    const c = conf({ nameservers: [server(1), server(2), server(3)], rotate: true });
    const client = new DnsClient({ conf: () => c, transport });
    for (let i = 0; i < 6; i++) await client.send(A);
    const firsts = transport.sent.map((s) => Number(s.server.split(".")[3]!.split(":")[0]));
    for (let i = 1; i < 6; i++) expect(firsts[i]).to.equal((firsts[i - 1]! % 3) + 1);
  });

  describe("which answers end the call and which move on to the next server (UDP)", () => {
    const cases: Array<[string, Reply, boolean]> = [
      ["NOERROR with records", { answer: { aa: true, answers: [{ name: "a.test", type: "A", ttl: 1, data: "192.0.2.1" }] } }, true],
      ["NOERROR without records, AA set (NODATA)", rcode("NOERROR"), true],
      ["NXDOMAIN", rcode("NXDOMAIN"), true],
      ["FORMERR (to a query without EDNS): glibc takes it as the answer", rcode("FORMERR"), true],
      ["YXDOMAIN", rcode("YXDOMAIN"), true],
      ["SERVFAIL", rcode("SERVFAIL"), false],
      ["REFUSED", rcode("REFUSED"), false],
      ["NOTIMP", rcode("NOTIMP"), false],
      ["a bare 12-octet REFUSED", { bytes: (r) => Uint8Array.from([r.id >> 8, r.id & 0xff, 0x81, 0x85, 0, 0, 0, 0, 0, 0, 0, 0]) }, false],
      ["a lame answer (NOERROR, nothing, neither AA nor RA)", { answer: {} }, false],
      ["an answer cut off in its first record: glibc reads it as far as it goes, it is the answer", { bytes: (r) => Uint8Array.from([r.id >> 8, r.id & 0xff, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0x61, 4, 0x74, 0x65, 0x73, 0x74, 0, 0, 1, 0, 1, 0xc0]) }, true],
      ["a network error", { error: "ECONNREFUSED" }, false],
    ];
    for (const [what, reply, final] of cases) {
      it(`${what}: ${final ? "final" : "next server"}`, async () => {
        const transport = new ScriptedTransport((request, sent) => (sent.server === "127.0.0.1:53" ? reply : address(request, "192.0.2.99")));
        const outcome = await resSend([A], context(transport, conf({ nameservers: [server(1), server(2)], attempts: 1 })));
        expect(transport.sent.map((s) => s.server)).to.deep.equal(final ? ["127.0.0.1:53"] : ["127.0.0.1:53", "127.0.0.2:53"]);
        expect(outcome.results[0]!.server.address).to.equal(final ? "127.0.0.1" : "127.0.0.2");
      });
    }
  });

  it("ECONNREFUSED from every server leaves errno ECONNREFUSED; one timeout among them makes it ETIMEDOUT", async () => {
    const refused = new ScriptedTransport(() => ({ error: "ECONNREFUSED" }));
    expect((await resSend([A], context(refused, conf({ nameservers: [server(1), server(2)] })))).errno).to.equal("ECONNREFUSED");
    expect(refused.sent).to.have.length(4);
    const mixed = new ScriptedTransport((_, sent) => (sent.server === "127.0.0.2:53" ? "silence" : { error: "ECONNREFUSED" }));
    expect((await resSend([A], context(mixed, conf({ nameservers: [server(1), server(2)], timeout: 10 })))).errno).to.equal("ETIMEDOUT");
  });

  it("remembers the RCODE of the last server that answered anything", async () => {
    const transport = new ScriptedTransport((_, sent) => (sent.server === "127.0.0.1:53" ? rcode("SERVFAIL") : "silence"));
    const outcome = await resSend([A], context(transport, conf({ nameservers: [server(1), server(2)], timeout: 10 })));
    expect([outcome.lastRcode, outcome.errno]).to.deep.equal(["SERVFAIL", "ETIMEDOUT"]);
    expect(outcome.failures).to.deep.equal(["127.0.0.1:53 udp: SERVFAIL", "127.0.0.2:53 udp: ETIMEDOUT", "127.0.0.1:53 udp: SERVFAIL", "127.0.0.2:53 udp: ETIMEDOUT"]);
  });

  describe("TCP", () => {
    it("a truncated answer is asked again over TCP at the same server; TCP then sticks and the round is the last", async () => {
      const transport = new ScriptedTransport((_request, sent) => {
        if (sent.protocol === "udp") return { answer: { tc: true, aa: true } };
        return { error: "ECONNREFUSED" };
      });
      const outcome = await resSend([A], context(transport, conf({ nameservers: [server(1), server(2), server(3)], attempts: 3 }), { rotation: () => 1 }));
      // Rotation is off (rotate false): server 1 first.
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp A", "127.0.0.1:53 tcp A", "127.0.0.2:53 tcp A", "127.0.0.3:53 tcp A"]);
      expect(outcome.errno).to.equal("ECONNREFUSED");
    });

    it("the TCP answer is used", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.protocol === "udp" ? { answer: { tc: true, aa: true } } : address(request, "192.0.2.77")));
      const outcome = await resSend([A], context(transport, conf()));
      expect(outcome.results[0]!.protocol).to.equal("tcp");
      expect(outcome.results[0]!.message.answers[0]!.data).to.equal("192.0.2.77");
    });

    it("TC on either of A and AAAA sends both over TCP", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.protocol === "udp" && sent.type === "AAAA" ? { answer: { tc: true, aa: true }, after: 5 } : address(request)));
      const outcome = await resSend([A, AAAA], context(transport, conf()));
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp A", "127.0.0.1:53 udp AAAA", "127.0.0.1:53 tcp A", "127.0.0.1:53 tcp AAAA"]);
      expect(outcome.results.map((r) => r?.protocol)).to.deep.equal(["tcp", "tcp"]);
    });

    it("use-vc: TCP only, one round whatever attempts says", async () => {
      const transport = new ScriptedTransport(() => "silence");
      const outcome = await resSend([A], context(transport, conf({ useVc: true, attempts: 3, nameservers: [server(1), server(2)], timeout: 10 })));
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 tcp A", "127.0.0.2:53 tcp A"]);
      expect(outcome.errno).to.equal("ETIMEDOUT");
    });

    it("over TCP a SERVFAIL is the answer, as in glibc's send_vc", async () => {
      const transport = new ScriptedTransport(() => rcode("SERVFAIL"));
      const outcome = await resSend([A], context(transport, conf({ useVc: true, nameservers: [server(1), server(2)] })));
      expect(transport.sent).to.have.length(1);
      expect(outcome.results[0]!.rcode).to.equal("SERVFAIL");
    });

    it("a TCP connection closed early moves on, leaving errno 0 (undefined)", async () => {
      const transport = new ScriptedTransport(() => ({ error: "EOF" }));
      const outcome = await resSend([A], context(transport, conf({ useVc: true, nameservers: [server(1), server(2)] })));
      expect(transport.sent).to.have.length(2);
      expect(outcome.errno).to.equal(undefined);
    });
  });

  describe("EDNS0", () => {
    it("a FORMERR to an EDNS query is the answer by default, as in glibc 2.36: nothing is asked again", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.edns ? rcode("FORMERR") : address(request)));
      const outcome = await resSend([A], context(transport, conf({ edns0: true, nameservers: [server(1), server(2)] })));
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp edns A"]);
      expect(outcome.results[0]!.rcode).to.equal("FORMERR");
    });

    it("ednsFallback: a FORMERR to an EDNS query is asked again without OPT at once, and that server gets no more EDNS in this call", async () => {
      const transport = new ScriptedTransport((request, sent) => {
        if (sent.edns) return rcode("FORMERR");
        return sent.type === "A" ? rcode("SERVFAIL") : address(request);
      });
      const c = conf({ edns0: true, ednsFallback: true, nameservers: [server(1)], attempts: 2 });
      const outcome = await resSend([A], context(transport, c));
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp edns A", "127.0.0.1:53 udp A", "127.0.0.1:53 udp A"]);
      expect(outcome.results).to.deep.equal([undefined]);
      // A new call starts with EDNS again.
      await resSend([AAAA], context(transport, c));
      expect(where(transport.sent.slice(3))).to.deep.equal(["127.0.0.1:53 udp edns AAAA", "127.0.0.1:53 udp AAAA"]);
    });

    it("ednsFallback: the retry without OPT shares the try's deadline", async () => {
      const transport = new ScriptedTransport((_, sent) => (sent.edns ? { ...rcode("FORMERR"), after: 30 } : "silence"));
      await resSend([A], context(transport, conf({ edns0: true, ednsFallback: true, timeout: 50, attempts: 1 })));
      const gap = transport.sent[1]!.at - transport.sent[0]!.at;
      expect(transport.sent[1]!.timeout).to.be.closeTo(50 - gap, 3);
    });

    it("a FORMERR to the plain query is the answer (NO_RECOVERY for the caller)", async () => {
      const transport = new ScriptedTransport(() => rcode("FORMERR"));
      const client = new DnsClient({ conf: () => conf({ edns0: true, ednsFallback: true }), transport });
      const err = await client.query("a.test", ["A"]).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(DnsLookupError);
      expect((err as DnsLookupError).status).to.equal("NO_RECOVERY");
      expect(transport.sent.map((s) => s.edns)).to.deep.equal([true, false]);
    });
  });

  describe("A and AAAA together", () => {
    it("are sent in parallel to the same server", async () => {
      const transport = new ScriptedTransport((request) => ({ ...address(request), after: 20 }));
      const outcome = await resSend([A, AAAA], context(transport, conf()));
      expect(transport.sent[1]!.at - transport.sent[0]!.at).to.be.below(10);
      expect(outcome.results.map((r) => r?.question.type)).to.deep.equal(["A", "AAAA"]);
    });

    it("with single-request, AAAA goes only after A's answer, within the same try", async () => {
      const transport = new ScriptedTransport((request) => ({ ...address(request), after: 20 }));
      await resSend([A, AAAA], context(transport, conf({ singleRequest: true, timeout: 100 })));
      const gap = transport.sent[1]!.at - transport.sent[0]!.at;
      expect(gap).to.be.at.least(18);
      // What is left of the try, not a new one.
      expect(transport.sent[1]!.timeout).to.be.closeTo(100 - gap, 3);
    });

    it("one family's SERVFAIL does not lose the other's answer, and is not asked elsewhere", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.type === "AAAA" ? rcode("SERVFAIL") : address(request)));
      const outcome = await resSend([A, AAAA], context(transport, conf({ nameservers: [server(1), server(2)] })));
      expect(outcome.results.map((r) => r?.question.type)).to.deep.equal(["A", undefined]);
      expect(transport.sent).to.have.length(2);
    });

    it("one family's timeout does not lose the other's answer", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.type === "A" ? "silence" : address(request)));
      const outcome = await resSend([A, AAAA], context(transport, conf({ nameservers: [server(1), server(2)], timeout: 20 })));
      expect(outcome.results.map((r) => r?.question.type)).to.deep.equal([undefined, "AAAA"]);
      expect(transport.sent).to.have.length(2);
    });

    it("both failing moves both to the next server", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.server === "127.0.0.1:53" ? rcode("REFUSED") : address(request)));
      const outcome = await resSend([A, AAAA], context(transport, conf({ nameservers: [server(1), server(2)] })));
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp A", "127.0.0.1:53 udp AAAA", "127.0.0.2:53 udp A", "127.0.0.2:53 udp AAAA"]);
      expect(outcome.results.map((r) => r?.server.address)).to.deep.equal(["127.0.0.2", "127.0.0.2"]);
    });

    it("with single-request, a failed A moves on without asking AAAA", async () => {
      const transport = new ScriptedTransport((request, sent) => (sent.server === "127.0.0.1:53" && sent.type === "A" ? rcode("SERVFAIL") : address(request)));
      await resSend([A, AAAA], context(transport, conf({ nameservers: [server(1), server(2)], singleRequestReopen: true })));
      expect(where(transport.sent)).to.deep.equal(["127.0.0.1:53 udp A", "127.0.0.2:53 udp A", "127.0.0.2:53 udp AAAA"]);
    });
  });

  it("an error that is not a transport failure (a replay miss) ends the call at once, nothing left running", async () => {
    const miss = new Error("no recording");
    const transport = new ScriptedTransport((_request, sent) => (sent.type === "A" ? { reject: miss } : "silence"));
    const err = await resSend([A, AAAA], context(transport, conf())).catch((e: unknown) => e);
    expect(err).to.equal(miss);
    expect(transport.open).to.equal(0);
  });

  it("an abort rejects at once with the signal's reason and leaves no exchange running", async () => {
    const transport = new ScriptedTransport(() => "silence");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 15);
    const started = performance.now();
    const err = await resSend([A, AAAA], context(transport, conf({ timeout: 5000 })), { signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).name).to.equal("AbortError");
    expect(performance.now() - started).to.be.below(200);
    expect(transport.open).to.equal(0);
  });

  it("traces each query, response, error and retry", async () => {
    const events: TraceEvent[] = [];
    const transport = new ScriptedTransport((request, sent) => (sent.server === "127.0.0.1:53" ? rcode("SERVFAIL") : sent.protocol === "udp" ? { answer: { tc: true, aa: true } } : address(request)));
    await resSend([A], context(transport, conf({ nameservers: [server(1), server(2)] })), { tracer: (e) => events.push(e) });
    expect(events.map((e) => (e.kind === "response" ? `${e.kind} ${e.server} ${e.protocol} ${e.rcode}${e.truncated ? " tc" : ""}` : e.kind === "query" ? `${e.kind} ${e.server} ${e.protocol}` : e.kind))).to.deep.equal([
      "query 127.0.0.1:53 udp",
      "response 127.0.0.1:53 udp SERVFAIL",
      "query 127.0.0.2:53 udp",
      "response 127.0.0.2:53 udp NOERROR tc",
      "note",
      "query 127.0.0.2:53 tcp",
      "response 127.0.0.2:53 tcp NOERROR",
    ]);
  });

  it("DnsClient.send rejects with a DnsError that says what happened", async () => {
    const transport = new ScriptedTransport(() => rcode("REFUSED"));
    const client = new DnsClient({ conf: () => conf({ attempts: 1 }), transport });
    const err = (await client.send({ name: "a.test", type: "A" }).catch((e: unknown) => e)) as DnsError;
    expect(err).to.be.instanceOf(DnsError);
    expect([err.lastRcode, err.errno, err.servers]).to.deep.equal(["REFUSED", "ETIMEDOUT", ["127.0.0.1:53"]]);
    expect(err.message).to.match(/no usable answer for a\.test A from 127\.0\.0\.1:53: 127\.0\.0\.1:53 udp: REFUSED/);
  });

  describe("DnsClient.query", () => {
    it("does not send AAAA with no-aaaa; AAAA alone goes out as A without EDNS, and only its RCODE counts (res-noaaaa.c)", async () => {
      const transport = new ScriptedTransport((request) => (request.question.name === "nx.test" ? rcode("NXDOMAIN") : address(request)));
      const client = new DnsClient({ conf: () => conf({ noAaaa: true, edns0: true }), transport });
      const got = await client.query("a.test", ["A", "AAAA"]);
      expect(got.results.map((r) => r.question.type)).to.deep.equal(["A"]);
      const err = (await client.query("a.test", ["AAAA"]).catch((e: unknown) => e)) as DnsLookupError;
      expect(err.status).to.equal("NO_DATA");
      const nx = (await client.query("nx.test", ["AAAA"]).catch((e: unknown) => e)) as DnsLookupError;
      expect(nx.status).to.equal("HOST_NOT_FOUND");
      expect(transport.sent.map((s) => `${s.type}${s.edns ? " edns" : ""}`)).to.deep.equal(["A edns", "A", "A"]);
    });

    it("a name that cannot be encoded is NO_RECOVERY, nothing sent", async () => {
      const transport = new ScriptedTransport((request) => address(request));
      const client = new DnsClient({ conf: () => conf(), transport });
      const err = (await client.query(`${"x".repeat(64)}.test`, ["A"]).catch((e: unknown) => e)) as DnsLookupError;
      expect([err.status, err.servers]).to.deep.equal(["NO_RECOVERY", []]);
      expect(transport.sent).to.have.length(0);
    });

    it("reports the status, servers, errno and RCODE res_search needs", async () => {
      const transport = new ScriptedTransport(() => rcode("SERVFAIL"));
      const client = new DnsClient({ conf: () => conf({ attempts: 1 }), transport });
      const err = (await client.query("a.test.", ["A"]).catch((e: unknown) => e)) as DnsLookupError;
      expect([err.status, err.name, err.servers, err.errno, err.rcode]).to.deep.equal(["TRY_AGAIN", "a.test", ["127.0.0.1:53"], "ETIMEDOUT", "SERVFAIL"]);
    });
  });
});

import { expect } from "chai";
import dnsPacket from "dns-packet";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatExchange, parseExchangeLog, type AnsweredExchange, type FailedExchange, type RecordedExchange } from "../../../src/dns/transport/exchange-log.js";
import { ReplayMissError, ReplayTransport } from "../../../src/dns/transport/replay.js";
import { TransportError } from "../../../src/dns/errors.js";
import type { Protocol, Question } from "../../../src/dns/question.js";
import type { TransportRequest } from "../../../src/dns/transport/transport.js";
import type { NameServer } from "../../../src/dns/server.js";
import { answerOf, errorOf, sendTo, settleAll } from "../support/sinks.js";

const SERVER: NameServer = { address: "127.0.0.1", port: 53, family: 4 };
const OTHER: NameServer = { address: "::1", port: 5353, family: 6 };

function query(q: Question, id: number): Uint8Array {
  return new Uint8Array(
    dnsPacket.encode({ id, type: "query", flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: q.name, type: q.type as "A", class: "IN" }] }),
  );
}

function response(q: Question, id: number, addresses: string[], flags = 0): Uint8Array {
  return new Uint8Array(
    dnsPacket.encode({
      id,
      type: "response",
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | flags,
      questions: [{ name: q.name, type: q.type as "A", class: "IN" }],
      answers: addresses.map((data) => ({ name: q.name, type: q.type as "A", class: "IN", ttl: 300, data })),
    }),
  );
}

function recording(q: Question, addresses: string[], extra: Partial<AnsweredExchange> = {}): AnsweredExchange {
  return {
    question: { name: q.name, type: q.type, class: q.class ?? "IN" },
    server: "127.0.0.1:53",
    protocol: "udp",
    query: query(q, 0x1111),
    response: response(q, 0x1111, addresses),
    time: "2024-01-01T00:00:00.000Z",
    ...extra,
  };
}

function failure(q: Question, code: string, message: string): FailedExchange {
  const { response: _, ...header } = recording(q, []);
  return { ...header, error: { code, message } };
}

function request(q: Question, id = 0xbeef, protocol: Protocol = "udp", server = SERVER): TransportRequest {
  return { server, protocol, message: query(q, id), id, question: q, timeout: 1000 };
}

function answersOf(message: Uint8Array): string[] {
  return (dnsPacket.decode(Buffer.from(message)).answers ?? []).map((a) => String((a as { data: unknown }).data));
}

const WWW_A: Question = { name: "www.example.test", type: "A" };
const WWW_AAAA: Question = { name: "www.example.test", type: "AAAA" };

describe("ReplayTransport", () => {
  it("returns the recorded response with the live query's ID and no other change", async () => {
    const rec = recording(WWW_A, ["192.0.2.1"]);
    const replay = new ReplayTransport([rec]);
    const res = await replay.exchange(request(WWW_A, 0xbeef));
    expect(Buffer.from(res.message).readUInt16BE(0)).to.equal(0xbeef);
    expect(Buffer.from(res.message.subarray(2))).to.deep.equal(Buffer.from(rec.response!.subarray(2)));
    expect(answersOf(res.message)).to.deep.equal(["192.0.2.1"]);
    expect(res.protocol).to.equal("udp");
    // The recording itself keeps its original ID.
    expect(Buffer.from(rec.response!).readUInt16BE(0)).to.equal(0x1111);
  });

  const matching: [string, Question, boolean][] = [
    ["the same question", WWW_A, true],
    ["another letter case", { name: "WWW.Example.TEST", type: "A" }, true],
    ["a trailing dot", { name: "www.example.test.", type: "A" }, true],
    ["an explicit IN class", { name: "www.example.test", type: "A", class: "IN" }, true],
    ["another type", WWW_AAAA, false],
    ["another class", { name: "www.example.test", type: "A", class: "CH" }, false],
    ["another name", { name: "ftp.example.test", type: "A" }, false],
    ["a parent name", { name: "example.test", type: "A" }, false],
  ];
  for (const [what, q, matches] of matching) {
    it(`${matches ? "matches" : "does not match"} ${what}`, async () => {
      const replay = new ReplayTransport([recording(WWW_A, ["192.0.2.1"])]);
      const outcome = await replay.exchange(request(q)).then(() => "answered", (err: Error) => err.name);
      expect(outcome).to.equal(matches ? "answered" : "ReplayMissError");
    });
  }

  it("rejects a miss with an error naming the query, the server and the world", async () => {
    const replay = new ReplayTransport([], { source: "fixtures/worlds/tiny" });
    const err = await replay.exchange(request(WWW_AAAA, 7, "tcp")).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ReplayMissError);
    const miss = err as ReplayMissError;
    expect(miss.message).to.equal(
      "no recording of www.example.test AAAA IN (tcp to 127.0.0.1:53) in world fixtures/worlds/tiny; " +
        "record the world again with this query, or replay with nxdomainOnMiss",
    );
    expect(miss.question).to.deep.equal(WWW_AAAA);
    expect(miss.server).to.equal("127.0.0.1:53");
    expect(miss.source).to.equal("fixtures/worlds/tiny");
    expect(replay.misses()).to.deep.equal([WWW_AAAA]);
  });

  it("answers a miss with a well-formed NXDOMAIN when asked to", async () => {
    const replay = new ReplayTransport([], { nxdomainOnMiss: true });
    const res = await replay.exchange(request(WWW_AAAA, 0x4242));
    const packet = dnsPacket.decode(Buffer.from(res.message));
    expect(packet.id).to.equal(0x4242);
    expect(packet.type).to.equal("response");
    expect((packet as { rcode?: string }).rcode).to.equal("NXDOMAIN");
    expect(packet.flag_rd).to.equal(true);
    expect(packet.flag_ra).to.equal(true);
    expect(packet.flag_tc).to.equal(false);
    expect(packet.questions).to.deep.equal([{ name: "www.example.test", type: "AAAA", class: "IN" }]);
    expect(packet.answers).to.deep.equal([]);
    expect(replay.misses()).to.deep.equal([WWW_AAAA]);
  });

  it("uses recordings of one question in order, then keeps answering with the last", async () => {
    const replay = new ReplayTransport([
      recording(WWW_A, ["192.0.2.1"]),
      recording(WWW_AAAA, ["2001:db8::1"]),
      recording(WWW_A, ["192.0.2.2"]),
    ]);
    const seen: string[][] = [];
    for (let i = 0; i < 3; i++) seen.push(answersOf((await replay.exchange(request(WWW_A))).message));
    expect(seen).to.deep.equal([["192.0.2.1"], ["192.0.2.2"], ["192.0.2.2"]]);
  });

  it("lists the recordings no query used", async () => {
    const a = recording(WWW_A, ["192.0.2.1"]);
    const aaaa = recording(WWW_AAAA, ["2001:db8::1"]);
    const replay = new ReplayTransport([a, aaaa]);
    expect(replay.unused()).to.deep.equal([a, aaaa]);
    await replay.exchange(request(WWW_AAAA));
    expect(replay.unused()).to.deep.equal([a]);
    await replay.exchange(request(WWW_A));
    expect(replay.unused()).to.deep.equal([]);
  });

  it("ignores the server unless told to match it", async () => {
    const recs = [recording(WWW_A, ["192.0.2.1"])];
    const loose = new ReplayTransport(recs);
    expect(answersOf((await loose.exchange(request(WWW_A, 1, "udp", OTHER))).message)).to.deep.equal(["192.0.2.1"]);
    const strict = new ReplayTransport(recs, { matchServer: true });
    const err = await strict.exchange(request(WWW_A, 1, "udp", OTHER)).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.contain("(udp to [::1]:5353)");
    expect(answersOf((await strict.exchange(request(WWW_A, 1, "udp", SERVER))).message)).to.deep.equal(["192.0.2.1"]);
  });

  it("tells truncated UDP answers and TCP retries apart by protocol", async () => {
    const truncated = recording(WWW_A, [], { response: response(WWW_A, 0x1111, [], 0x0200) });
    const overTcp = recording(WWW_A, ["192.0.2.1", "192.0.2.2"], { protocol: "tcp" });
    const replay = new ReplayTransport([truncated, overTcp]);
    const udp = await replay.exchange(request(WWW_A, 1, "udp"));
    expect(dnsPacket.decode(Buffer.from(udp.message)).flag_tc).to.equal(true);
    const tcp = await replay.exchange(request(WWW_A, 2, "tcp"));
    expect(tcp.protocol).to.equal("tcp");
    expect(answersOf(tcp.message)).to.deep.equal(["192.0.2.1", "192.0.2.2"]);
  });

  it("falls back to the other protocol, but never to a truncated answer", async () => {
    const overUdp = new ReplayTransport([recording(WWW_A, ["192.0.2.1"])]);
    const res = await overUdp.exchange(request(WWW_A, 1, "tcp"));
    expect(answersOf(res.message)).to.deep.equal(["192.0.2.1"]);
    const onlyTruncated = new ReplayTransport([recording(WWW_A, [], { response: response(WWW_A, 1, [], 0x0200) })]);
    const err = await onlyTruncated.exchange(request(WWW_A, 1, "tcp")).then(() => undefined, (e: Error) => e);
    expect(err).to.be.instanceOf(ReplayMissError);
  });

  it("replays a recorded failure as the same TransportError", async () => {
    const replay = new ReplayTransport([failure(WWW_A, "ETIMEDOUT", "timed out after 1000 ms"), recording(WWW_A, ["192.0.2.1"])]);
    const err = await replay.exchange(request(WWW_A, 1, "udp", OTHER)).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(TransportError);
    const te = err as TransportError;
    expect([te.code, te.message, te.server, te.protocol]).to.deep.equal(["ETIMEDOUT", "timed out after 1000 ms (replayed)", OTHER, "udp"]);
    expect(answersOf((await replay.exchange(request(WWW_A))).message)).to.deep.equal(["192.0.2.1"]);
  });

  it("rejects an already aborted query with the signal's reason, using no recording", async () => {
    const rec = recording(WWW_A, ["192.0.2.1"]);
    const replay = new ReplayTransport([rec]);
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    controller.abort(reason);
    const err = await replay.exchange({ ...request(WWW_A), signal: controller.signal }).then(() => undefined, (e: unknown) => e);
    expect(err).to.equal(reason);
    expect(replay.unused()).to.deep.equal([rec]);
  });

  it("refuses to answer after close()", async () => {
    const replay = new ReplayTransport([recording(WWW_A, ["192.0.2.1"])]);
    await replay.close();
    const err = await replay.exchange(request(WWW_A)).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal("replay transport used after close()");
  });

  describe("fromFile", () => {
    const dir = mkdtempSync(join(tmpdir(), "netdb-replay-"));

    it("reads a log written line by line and names the file in misses", async () => {
      const path = join(dir, "exchanges.jsonl");
      writeFileSync(path, [recording(WWW_A, ["192.0.2.1"]), recording(WWW_AAAA, ["2001:db8::1"])].map(formatExchange).join("\n") + "\n\n");
      const replay = ReplayTransport.fromFile(path);
      expect(answersOf((await replay.exchange(request(WWW_AAAA))).message)).to.deep.equal(["2001:db8::1"]);
      const err = await replay.exchange(request({ name: "nope.test", type: "A" })).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.contain(`in world ${path};`);
      expect(replay.unused().map((e) => e.question.type)).to.deep.equal(["A"]);
    });

    it("rejects a malformed line, naming file and line", () => {
      const path = join(dir, "bad.jsonl");
      writeFileSync(path, formatExchange(recording(WWW_A, ["192.0.2.1"])) + "\n{\"server\":\"x\"}\n");
      expect(() => ReplayTransport.fromFile(path)).to.throw(`${path}:2: not a recorded exchange: question must be an object`);
    });
  });
});

describe("exchange log format", () => {
  it("writes one line with sorted keys, base64 bytes and a readable digest", () => {
    const rec = recording(WWW_A, ["192.0.2.1", "192.0.2.2"]);
    const line = formatExchange(rec);
    expect(line).to.not.contain("\n");
    const obj = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(obj)).to.deep.equal(["digest", "id", "protocol", "query", "question", "response", "server", "time"]);
    expect(obj.digest).to.equal("NOERROR rd ra; www.example.test. 300 A 192.0.2.1 | www.example.test. 300 A 192.0.2.2");
    expect(obj.question).to.deep.equal({ class: "IN", name: "www.example.test", type: "A" });
  });

  it("keeps the random query ID apart, so re-recording the same answer changes only `id` and `time`", () => {
    const first = JSON.parse(formatExchange(recording(WWW_A, ["192.0.2.1"]))) as Record<string, unknown>;
    const again = { ...recording(WWW_A, ["192.0.2.1"]), query: query(WWW_A, 0x7777), response: response(WWW_A, 0x7777, ["192.0.2.1"]) };
    const second = JSON.parse(formatExchange(again)) as Record<string, unknown>;
    expect(first.id).to.equal(0x1111);
    expect(second.id).to.equal(0x7777);
    expect({ ...second, id: first.id }).to.deep.equal(first);
    expect(Buffer.from(second.response as string, "base64").readUInt16BE(0)).to.equal(0);
  });

  it("reads back what it writes", () => {
    const recs: RecordedExchange[] = [recording(WWW_A, ["192.0.2.1"]), failure(WWW_AAAA, "ECONNREFUSED", "connection refused")];
    const back = parseExchangeLog(recs.map(formatExchange).join("\n"), "mem");
    expect(back).to.deep.equal(recs);
  });

  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({ question: { name: "a", type: "A" }, server: "s", protocol: "udp", query: "", response: "", ...fields });
  const bad: [what: string, line: string, message: string][] = [
    ["text that is not JSON", "not json", "Unexpected token"],
    ["a JSON array", "[]", "line must be an object"],
    ["an unknown protocol", line({ protocol: "sctp" }), 'protocol must be "udp" or "tcp"'],
    ["bytes that are not base64", line({ query: "!!!!" }), "query must be base64"],
    ["neither response nor error", line({ response: undefined }), "needs exactly one of response and error"],
    ["both response and error", line({ error: { code: "ETIMEDOUT", message: "t" } }), "needs exactly one of response and error"],
    ["an error that is a bare string", line({ response: undefined, error: "timeout" }), "error must be an object"],
    ["an ID out of range", line({ id: 65536 }), "id must be an integer from 0 to 65535"],
    ["a name that is not a string", line({ question: { name: 1, type: "A" } }), "question.name must be a string"],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseExchangeLog(text, "log")).to.throw(message);
    });
  }

  it("digests an NXDOMAIN and an unparseable response", () => {
    const nx = dnsPacket.encode({ id: 1, type: "response", flags: 3, questions: [{ name: "x.test", type: "A", class: "IN" }] });
    expect(formatExchange({ ...recording(WWW_A, []), response: new Uint8Array(nx) })).to.contain('"digest":"NXDOMAIN"');
    expect(formatExchange({ ...recording(WWW_A, []), response: new Uint8Array([1, 2, 3]) })).to.match(/"digest":"unparseable: /);
  });
});

describe("ReplayTransport.send", () => {
  it("answers with the recording under the live ID, after send returned, once", async () => {
    const replay = new ReplayTransport([recording(WWW_A, ["192.0.2.1"])]);
    const sink = sendTo(replay, request(WWW_A, 0xbeef));
    expect(sink.reports).to.have.length(0);
    const report = await sink.settled;
    expect(report.afterSend).to.equal(true);
    expect(Buffer.from(answerOf(report).message).readUInt16BE(0)).to.equal(0xbeef);
    expect(answersOf(answerOf(report).message)).to.deep.equal(["192.0.2.1"]);
    await settleAll();
    expect(sink.reports).to.have.length(1);
  });

  it("fails a miss, a recorded failure, an aborted signal and a send after close()", async () => {
    const replay = new ReplayTransport([failure(WWW_AAAA, "ETIMEDOUT", "timed out")]);
    expect(errorOf(await sendTo(replay, request(WWW_A)).settled)).to.be.instanceOf(ReplayMissError);
    const recorded = errorOf(await sendTo(replay, request(WWW_AAAA)).settled) as TransportError;
    expect([recorded.code, recorded.message]).to.deep.equal(["ETIMEDOUT", "timed out (replayed)"]);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const aborted = await sendTo(replay, { ...request(WWW_AAAA), signal: controller.signal }).settled;
    expect([aborted.afterSend, (errorOf(aborted) as Error).message]).to.deep.equal([true, "stop"]);
    await replay.close();
    expect((errorOf(await sendTo(replay, request(WWW_AAAA)).settled) as Error).message).to.equal("replay transport used after close()");
  });
});

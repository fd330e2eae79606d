import { expect } from "chai";
import dnsPacket from "dns-packet";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseExchangeLog } from "../../../src/dns/transport/exchange-log.js";
import { TransportError } from "../../../src/dns/errors.js";
import { RecordTransport } from "../../../src/dns/transport/record.js";
import { ReplayTransport } from "../../../src/dns/transport/replay.js";
import type { Question } from "../../../src/dns/question.js";
import type { Transport, TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";
import { answerOf, errorOf, sendTo } from "../support/sinks.js";

const Q: Question = { name: "www.example.test", type: "A" };

function request(id: number, signal?: AbortSignal): TransportRequest {
  const message = new Uint8Array(dnsPacket.encode({ id, type: "query", flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: Q.name, type: "A", class: "IN" }] }));
  return { server: { address: "::1", port: 53, family: 6 }, protocol: "udp", message, id, question: Q, timeout: 1000, signal };
}

/** A transport answering each query with the next of `script` (an address, or an Error to reject with). */
class ScriptedTransport implements Transport {
  closed = false;
  constructor(private readonly script: (string | Error)[]) {}
  exchange(req: TransportRequest): Promise<TransportResponse> {
    const next = this.script.shift();
    if (next === undefined || next instanceof Error) return Promise.reject(next ?? new Error("script exhausted"));
    const message = dnsPacket.encode({
      id: req.id,
      type: "response",
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: [{ name: Q.name, type: "A", class: "IN" }],
      answers: [{ name: Q.name, type: "A", class: "IN", ttl: 60, data: next }],
    });
    return Promise.resolve({ message: new Uint8Array(message), protocol: req.protocol, rtt: 3.5 });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const clock = () => new Date("2024-05-06T07:08:09.010Z");

describe("RecordTransport", () => {
  const dir = mkdtempSync(join(tmpdir(), "netdb-record-"));
  let n = 0;
  const logPath = () => join(dir, `world${++n}`, "exchanges.jsonl");

  it("passes the inner transport's answer through and logs the exchange as one line", async () => {
    const path = logPath();
    const recorder = new RecordTransport(new ScriptedTransport(["192.0.2.7"]), path, { now: clock });
    const req = request(0x0a0b);
    const res = await recorder.exchange(req);
    expect(res.rtt).to.equal(3.5);
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).to.have.length(2);
    expect(lines[1]).to.equal("");
    const zeroId = (m: Uint8Array) => Buffer.concat([Buffer.alloc(2), m.subarray(2)]).toString("base64");
    expect(JSON.parse(lines[0]!)).to.deep.equal({
      digest: "NOERROR rd ra; www.example.test. 60 A 192.0.2.7",
      id: 0x0a0b,
      protocol: "udp",
      query: zeroId(req.message),
      question: { class: "IN", name: "www.example.test", type: "A" },
      response: zeroId(res.message),
      server: "[::1]:53",
      time: "2024-05-06T07:08:09.010Z",
    });
  });

  it("logs a failed exchange with its reason and rethrows", async () => {
    const path = logPath();
    const failure = new TransportError("ETIMEDOUT", "timed out after 1000 ms", { address: "::1", port: 53, family: 6 }, "udp");
    const recorder = new RecordTransport(new ScriptedTransport([failure, "192.0.2.8"]), path, { now: clock });
    const err = await recorder.exchange(request(1)).then(() => undefined, (e: unknown) => e);
    expect(err).to.equal(failure);
    await recorder.exchange(request(2));
    const log = parseExchangeLog(readFileSync(path, "utf8"), path);
    expect(log.map((e) => Buffer.from(e.query).readUInt16BE(0))).to.deep.equal([1, 2]);
    expect(log.map((e) => e.error ?? "answered")).to.deep.equal([{ code: "ETIMEDOUT", message: "timed out after 1000 ms" }, "answered"]);
  });

  it("does not log errors that are not about the server", async () => {
    const path = logPath();
    const bug = new TypeError("a bug in the inner transport");
    const recorder = new RecordTransport(new ScriptedTransport([bug]), path);
    const err = await recorder.exchange(request(1)).then(() => undefined, (e: unknown) => e);
    expect(err).to.equal(bug);
    expect(readFileSync(path, "utf8")).to.equal("");
  });

  it("does not log an exchange its caller abandoned", async () => {
    const path = logPath();
    const controller = new AbortController();
    controller.abort();
    const aborted = new TransportError("ABORT_ERR", "aborted", { address: "::1", port: 53, family: 6 }, "udp");
    const recorder = new RecordTransport(new ScriptedTransport([aborted]), path);
    await recorder.exchange(request(1, controller.signal)).then(() => undefined, () => undefined);
    expect(readFileSync(path, "utf8")).to.equal("");
  });

  it("starts a fresh log unless asked to append", async () => {
    const path = logPath();
    await new RecordTransport(new ScriptedTransport(["192.0.2.1"]), path).exchange(request(1));
    await new RecordTransport(new ScriptedTransport(["192.0.2.2"]), path, { append: true }).exchange(request(2));
    expect(parseExchangeLog(readFileSync(path, "utf8"), path)).to.have.length(2);
    new RecordTransport(new ScriptedTransport([]), path);
    expect(readFileSync(path, "utf8")).to.equal("");
  });

  it("closes the transport it wraps", async () => {
    const inner = new ScriptedTransport([]);
    await new RecordTransport(inner, logPath()).close();
    expect(inner.closed).to.equal(true);
  });

  it("records what a replay then answers byte for byte (bar the ID)", async () => {
    const path = logPath();
    const recorder = new RecordTransport(new ScriptedTransport(["192.0.2.9"]), path);
    const live = await recorder.exchange(request(0x1234));
    const replayed = await ReplayTransport.fromFile(path).exchange(request(0x4321));
    expect(Buffer.from(replayed.message).readUInt16BE(0)).to.equal(0x4321);
    expect(Buffer.from(replayed.message.subarray(2))).to.deep.equal(Buffer.from(live.message.subarray(2)));
  });
});

describe("RecordTransport.send", () => {
  const dir = mkdtempSync(join(tmpdir(), "netdb-record-send-"));

  it("hands the inner answer to the sink once it is logged, and a failure about the server once it is logged", async () => {
    const path = join(dir, "world", "exchanges.jsonl");
    const failure = new TransportError("ECONNREFUSED", "refused", { address: "::1", port: 53, family: 6 }, "udp");
    const recorder = new RecordTransport(new ScriptedTransport(["192.0.2.9", failure]), path, { now: clock });
    const answered = await sendTo(recorder, request(1)).settled;
    expect(answerOf(answered).rtt).to.equal(3.5);
    expect(parseExchangeLog(readFileSync(path, "utf8"), path)).to.have.length(1);
    const failed = await sendTo(recorder, request(2)).settled;
    expect(errorOf(failed)).to.equal(failure);
    const log = parseExchangeLog(readFileSync(path, "utf8"), path);
    expect(log.map((e) => e.error ?? "answered")).to.deep.equal(["answered", { code: "ECONNREFUSED", message: "refused" }]);
  });

  it("a log that cannot be written fails the exchange with that error", async () => {
    const path = join(dir, "unwritable", "exchanges.jsonl");
    const recorder = new RecordTransport(new ScriptedTransport(["192.0.2.9"]), path, { now: clock, onRecord: () => {
      throw new Error("disk full");
    } });
    expect((errorOf(await sendTo(recorder, request(1)).settled) as Error).message).to.equal("disk full");
  });
});

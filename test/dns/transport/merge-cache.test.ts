import { expect } from "chai";
import { TransportError } from "../../../src/dns/errors.js";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { DnsCache } from "../../../src/dns/cache.js";
import { buildTransport } from "../../../src/dns/transport/build.js";
import { CachingTransport } from "../../../src/dns/transport/caching.js";
import { MergingTransport } from "../../../src/dns/transport/merge.js";
import type { Protocol } from "../../../src/dns/question.js";
import { exchangeBySend, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "../../../src/dns/transport/transport.js";
import type { NameServer } from "../../../src/dns/server.js";
import { responseBytes } from "../../node/support/messages.js";
import { answerOf, errorOf, sendTo, settleAll } from "../support/sinks.js";

const SERVER: NameServer = { address: "127.0.0.1", port: 53, family: 4 };
const OTHER: NameServer = { address: "127.0.0.2", port: 53, family: 4 };

/** A transport whose exchanges the test settles by hand. */
class HeldTransport implements Transport {
  readonly calls: Array<{ request: TransportRequest; answer: (ttl?: number) => void; fail: (err: unknown) => void; aborted: boolean }> = [];
  closed = false;

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const call = {
        request,
        aborted: false,
        answer: (ttl = 60) => {
          const q = request.question;
          resolve({ message: responseBytes({ id: request.id, name: q.name, type: q.type, answers: [{ name: q.name, type: "A", ttl, data: "192.0.2.1" }] }), protocol: request.protocol, rtt: 3 });
        },
        fail: reject,
      };
      request.signal?.addEventListener("abort", () => {
        call.aborted = true;
        reject(request.signal!.reason);
      });
      this.calls.push(call);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** The same, working in `send`: the layers above talk to it through sinks only. */
class HeldSinkTransport implements Transport {
  readonly calls: Array<{ request: TransportRequest; sink: ExchangeSink; answer: (ttl?: number) => void }> = [];
  closed = false;

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    this.calls.push({
      request,
      sink,
      answer: (ttl = 60) => {
        const q = request.question;
        sink.answered({ message: responseBytes({ id: request.id, name: q.name, type: q.type, answers: [{ name: q.name, type: "A", ttl, data: "192.0.2.1" }] }), protocol: request.protocol, rtt: 3 });
      },
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function request(id: number, options: { name?: string; server?: NameServer; protocol?: Protocol; timeout?: number; signal?: AbortSignal } = {}): TransportRequest {
  const question = { name: options.name ?? "a.test", type: "A" };
  const r: TransportRequest = {
    server: options.server ?? SERVER,
    protocol: options.protocol ?? "udp",
    message: encodeQuery(question, { id, edns0: false }),
    id,
    question,
    timeout: options.timeout ?? 5000,
  };
  if (options.signal !== undefined) r.signal = options.signal;
  return r;
}

const idOf = (response: TransportResponse): number => decodeMessage(response.message).id;

describe("dns/transport/merge: MergingTransport", () => {
  it("sends one wire query for identical queries in flight, each answered under its own ID", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const first = transport.exchange(request(1));
    const second = transport.exchange(request(2));
    expect(inner.calls).to.have.length(1);
    inner.calls[0]!.answer();
    expect((await Promise.all([first, second])).map(idOf)).to.deep.equal([1, 2]);
    expect(transport.merged).to.equal(1);
  });

  it("does not merge across servers, protocols or questions", () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    for (const r of [request(1), request(2, { server: OTHER }), request(3, { protocol: "tcp" }), request(4, { name: "b.test" })]) void transport.exchange(r).catch(() => undefined);
    expect(inner.calls).to.have.length(4);
    expect(transport.merged).to.equal(0);
  });

  it("starts a new wire query once the previous one has settled", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const first = transport.exchange(request(1));
    inner.calls[0]!.answer();
    await first;
    const second = transport.exchange(request(2));
    expect(inner.calls).to.have.length(2);
    inner.calls[1]!.answer();
    expect(idOf(await second)).to.equal(2);
  });

  it("gives every waiter the same failure", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const waits = [transport.exchange(request(1)), transport.exchange(request(2))];
    const failure = new TransportError("ECONNREFUSED", "refused", SERVER, "udp");
    inner.calls[0]!.fail(failure);
    for (const w of waits) {
      try {
        await w;
        expect.fail("should reject");
      } catch (err) {
        expect(err).to.equal(failure);
      }
    }
  });

  it("lets one waiter abort without disturbing the others; the wire query ends with the last waiter", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const one = new AbortController();
    const two = new AbortController();
    const first = transport.exchange(request(1, { signal: one.signal }));
    const second = transport.exchange(request(2, { signal: two.signal }));
    const reason = new Error("first gave up");
    one.abort(reason);
    try {
      await first;
      expect.fail("should reject");
    } catch (err) {
      expect(err).to.equal(reason);
    }
    expect(inner.calls[0]!.aborted).to.equal(false);
    two.abort(new Error("second gave up"));
    await second.catch(() => undefined);
    expect(inner.calls[0]!.aborted).to.equal(true);
    // A new query after everyone left goes to the wire again.
    void transport.exchange(request(3)).catch(() => undefined);
    expect(inner.calls).to.have.length(2);
  });

  it("holds each waiter to its own timeout", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const patient = transport.exchange(request(1, { timeout: 5000 }));
    const hasty = transport.exchange(request(2, { timeout: 20 }));
    try {
      await hasty;
      expect.fail("should time out");
    } catch (err) {
      expect(err).to.be.instanceOf(TransportError).with.property("code", "ETIMEDOUT");
    }
    inner.calls[0]!.answer();
    expect(idOf(await patient)).to.equal(1);
  });

  it("rejects at once for an already aborted signal, without a wire query", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const controller = new AbortController();
    controller.abort(new Error("no"));
    await transport.exchange(request(1, { signal: controller.signal })).then(
      () => expect.fail("should reject"),
      (err: Error) => expect(err.message).to.equal("no"),
    );
    expect(inner.calls).to.have.length(0);
  });

  it("keeps a joined query's own try: when the sent one reaches its deadline, the joined one asks again with what is left of its time", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const first = transport.exchange(request(1, { timeout: 1000 })).catch((e: unknown) => e);
    const second = transport.exchange(request(2, { timeout: 5000 }));
    const third = transport.exchange(request(3, { timeout: 5000 }));
    inner.calls[0]!.fail(TransportError.timeout(inner.calls[0]!.request));
    expect(await first).to.be.instanceOf(TransportError).with.property("code", "ETIMEDOUT");
    await new Promise((resolve) => setImmediate(resolve));
    expect(inner.calls).to.have.length(2);
    expect(inner.calls[1]!.request.id).to.equal(2);
    expect(inner.calls[1]!.request.timeout).to.be.within(4000, 5000);
    inner.calls[1]!.answer();
    expect((await Promise.all([second, third])).map(idOf)).to.deep.equal([2, 3]);
  });

  it("close() ends every flight and closes the wrapped transport", async () => {
    const inner = new HeldTransport();
    const transport = new MergingTransport(inner);
    const pending = transport.exchange(request(1)).catch((e: unknown) => e);
    await transport.close();
    expect(await pending).to.be.instanceOf(Error);
    expect(inner.closed).to.equal(true);
  });
});

describe("dns/transport/merge: MergingTransport.send", () => {
  it("twins waiting on sinks get the same answer, each under its own ID, once, after send returned", async () => {
    const inner = new HeldSinkTransport();
    const transport = new MergingTransport(inner);
    const sinks = [1, 2, 3].map((id) => sendTo(transport, request(id)));
    expect(inner.calls).to.have.length(1);
    expect(sinks.every((s) => s.reports.length === 0)).to.equal(true);
    inner.calls[0]!.answer();
    await settleAll();
    for (const [i, sink] of sinks.entries()) {
      expect(sink.reports).to.have.length(1);
      expect(idOf(answerOf(sink.reports[0]!))).to.equal(i + 1);
      expect(decodeMessage(answerOf(sink.reports[0]!).message).answers[0]!.data).to.equal("192.0.2.1");
    }
    expect(transport.merged).to.equal(2);
  });

  it("a failing inner layer reaches every sink once", async () => {
    const inner = new HeldSinkTransport();
    const transport = new MergingTransport(inner);
    const sinks = [1, 2, 3].map((id) => sendTo(transport, request(id)));
    const failure = new TransportError("ECONNREFUSED", "refused", SERVER, "udp");
    inner.calls[0]!.sink.failed(failure);
    // A second report from below (a layer that broke its contract) reaches no one.
    inner.calls[0]!.sink.failed(new Error("again"));
    await settleAll();
    for (const sink of sinks) {
      expect(sink.reports).to.have.length(1);
      expect(errorOf(sink.reports[0]!)).to.equal(failure);
    }
  });

  it("asks the inner layer by its send, with the flight as the signal, and aborts it when the last waiter leaves", async () => {
    const inner = new HeldSinkTransport();
    const transport = new MergingTransport(inner);
    const one = new AbortController();
    const two = new AbortController();
    const first = sendTo(transport, request(1, { signal: one.signal }));
    const second = sendTo(transport, request(2, { signal: two.signal }));
    const signal = inner.calls[0]!.request.signal!;
    expect(signal).to.not.equal(one.signal);
    one.abort(new Error("first gave up"));
    expect(errorOf(await first.settled)).to.have.property("message", "first gave up");
    expect(signal.aborted).to.equal(false);
    two.abort(new Error("second gave up"));
    expect(errorOf(await second.settled)).to.have.property("message", "second gave up");
    expect(signal.aborted).to.equal(true);
    await settleAll();
    expect([first.reports.length, second.reports.length]).to.deep.equal([1, 1]);
  });

  it("a twin still within its time after the sent one timed out sends its own query, through send, and the others wait for it", async () => {
    const inner = new HeldSinkTransport();
    const transport = new MergingTransport(inner);
    const first = sendTo(transport, request(1, { timeout: 1000 }));
    const second = sendTo(transport, request(2, { timeout: 5000 }));
    const third = sendTo(transport, request(3, { timeout: 5000 }));
    inner.calls[0]!.sink.failed(TransportError.timeout(inner.calls[0]!.request));
    expect(errorOf(await first.settled)).to.be.instanceOf(TransportError).with.property("code", "ETIMEDOUT");
    expect(inner.calls).to.have.length(2);
    expect(inner.calls[1]!.request.id).to.equal(2);
    expect(inner.calls[1]!.request.timeout).to.be.within(4000, 5000);
    inner.calls[1]!.answer();
    expect(idOf(answerOf(await second.settled))).to.equal(2);
    expect(idOf(answerOf(await third.settled))).to.equal(3);
  });

  it("fails an already aborted signal after send returned, with no wire query", async () => {
    const inner = new HeldSinkTransport();
    const transport = new MergingTransport(inner);
    const controller = new AbortController();
    controller.abort(new Error("no"));
    const sink = sendTo(transport, request(1, { signal: controller.signal }));
    const report = await sink.settled;
    expect(errorOf(report)).to.have.property("message", "no");
    expect(report.afterSend).to.equal(true);
    expect(inner.calls).to.have.length(0);
  });

  it("an inner layer that fails from inside its send reaches every waiter of a resent flight (its twins join before it is sent)", async () => {
    const held = new HeldSinkTransport();
    const failure = new TransportError("ECONNREFUSED", "refused at once", SERVER, "udp");
    let sends = 0;
    const inner: Transport = {
      exchange: (r) => exchangeBySend(inner as Required<Transport>, r),
      send: (r, sink) => (++sends === 1 ? held.send(r, sink) : sink.failed(failure)),
      close: () => Promise.resolve(),
    };
    const transport = new MergingTransport(inner);
    const first = sendTo(transport, request(1, { timeout: 1000 }));
    const second = sendTo(transport, request(2, { timeout: 5000 }));
    const third = sendTo(transport, request(3, { timeout: 5000 }));
    held.calls[0]!.sink.failed(TransportError.timeout(held.calls[0]!.request));
    expect(sends).to.equal(2);
    expect(errorOf(await first.settled)).to.have.property("code", "ETIMEDOUT");
    expect(errorOf(await second.settled)).to.equal(failure);
    expect(errorOf(await third.settled)).to.equal(failure);
  });
});

describe("dns/transport/caching: CachingTransport over the merger", () => {
  it("with a cache, answers the next identical query without the wire, from any server", async () => {
    const inner = new HeldTransport();
    const cache = new DnsCache();
    const transport = buildTransport({ transport: inner, cache, mergeQueries: true }).transport;
    const first = transport.exchange(request(1));
    inner.calls[0]!.answer(60);
    await first;
    const again = await transport.exchange(request(2, { server: OTHER, protocol: "tcp" }));
    expect(inner.calls).to.have.length(1);
    expect(idOf(again)).to.equal(2);
    expect(again.protocol).to.equal("tcp");
    expect(cache.stats()).to.include({ hits: 1, misses: 1, stored: 1 });
  });

  it("stores nothing from an exchange that failed", async () => {
    const inner = new HeldTransport();
    const cache = new DnsCache();
    const transport = new CachingTransport(inner, cache);
    const first = transport.exchange(request(1)).catch((e: unknown) => e);
    inner.calls[0]!.fail(new TransportError("ECONNREFUSED", "refused", SERVER, "udp"));
    await first;
    expect(cache.stats()).to.include({ stored: 0 });
  });

  it("close() closes the wrapped transport", async () => {
    const inner = new HeldTransport();
    await new CachingTransport(inner, new DnsCache()).close();
    expect(inner.closed).to.equal(true);
  });
});

describe("dns/transport/caching: CachingTransport.send", () => {
  it("a miss goes to the inner layer's send and is stored; the next is answered from the cache, after send returned", async () => {
    const inner = new HeldSinkTransport();
    const transport = new CachingTransport(inner, new DnsCache());
    const miss = sendTo(transport, request(1));
    expect(inner.calls).to.have.length(1);
    inner.calls[0]!.answer();
    expect(idOf(answerOf(await miss.settled))).to.equal(1);
    const hit = sendTo(transport, request(2));
    expect(hit.reports).to.have.length(0);
    const report = await hit.settled;
    expect(report.afterSend).to.equal(true);
    expect(idOf(answerOf(report))).to.equal(2);
    expect(answerOf(report).rtt).to.equal(0);
    expect(inner.calls).to.have.length(1);
    await settleAll();
    expect([miss.reports.length, hit.reports.length]).to.deep.equal([1, 1]);
  });

  it("a failure below is handed on and stores nothing", async () => {
    const inner = new HeldSinkTransport();
    const transport = new CachingTransport(inner, new DnsCache());
    const first = sendTo(transport, request(1));
    const failure = new TransportError("ETIMEDOUT", "timed out", SERVER, "udp");
    inner.calls[0]!.sink.failed(failure);
    expect(errorOf(await first.settled)).to.equal(failure);
    void sendTo(transport, request(2));
    expect(inner.calls).to.have.length(2);
  });

  it("over an exchange-only inner transport (a user's), adapted by startExchange", async () => {
    const inner = new HeldTransport();
    const transport = new CachingTransport(inner, new DnsCache());
    const miss = sendTo(transport, request(1));
    inner.calls[0]!.answer();
    expect(idOf(answerOf(await miss.settled))).to.equal(1);
    expect(idOf(answerOf(await sendTo(transport, request(2)).settled))).to.equal(2);
    expect(inner.calls).to.have.length(1);
  });
});

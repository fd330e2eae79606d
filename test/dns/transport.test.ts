import { expect } from "chai";
import { TransportError } from "../../src/dns/errors.js";
import { decodeMessage, encodeQuery } from "../../src/dns/message.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import type { Protocol } from "../../src/dns/question.js";
import type { TransportRequest } from "../../src/dns/transport/transport.js";
import type { NameServer } from "../../src/dns/server.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { abortListeners, assertNoLeaks, resourceBaseline } from "../support/handles.js";
import { closedPort, ZONES } from "./world.js";
import { answerOf, errorOf, sendTo, settleAll } from "./support/sinks.js";

describe("NetTransport", () => {
  let server: TestDnsServer;
  let transport: NetTransport;
  let baseline: Map<string, number>;

  before(async () => {
    server = await TestDnsServer.start({ zones: ZONES });
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    server.reset();
    transport = new NetTransport();
    baseline = await resourceBaseline();
  });
  afterEach(async () => {
    await transport.close();
    server.reset();
    await assertNoLeaks(baseline, "the exchange");
  });

  function request(protocol: Protocol, overrides: Partial<TransportRequest> = {}, name = "www.netdb.test", to: NameServer = server.nameServer(4)): TransportRequest {
    const id = 0x5150;
    return { server: to, protocol, message: encodeQuery({ name, type: "A" }, { id, edns0: false }), id, question: { name, type: "A" }, timeout: 300, ...overrides };
  }

  for (const protocol of ["udp", "tcp"] as const) {
    describe(protocol, () => {
      it("exchanges a query for its answer, over IPv4 and IPv6", async () => {
        for (const family of [4, 6] as const) {
          const got = await transport.exchange(request(protocol, {}, "www.netdb.test", server.nameServer(family)));
          expect(got.protocol).to.equal(protocol);
          expect(decodeMessage(got.message).answers[0]!.data).to.equal("192.0.2.1");
          expect(got.rtt).to.be.above(0);
        }
        expect(server.queries.map((q) => `${q.protocol} ${q.family}`)).to.deep.equal([`${protocol} 4`, `${protocol} 6`]);
      });

      it("times out with ETIMEDOUT", async () => {
        server.misbehave({ behaviour: { kind: "drop" } });
        const started = performance.now();
        const err = (await transport.exchange(request(protocol, { timeout: 80 })).catch((e: unknown) => e)) as TransportError;
        expect(err).to.be.instanceOf(TransportError);
        expect([err.code, err.protocol]).to.deep.equal(["ETIMEDOUT", protocol]);
        expect(performance.now() - started).to.be.within(70, 200);
      });

      it("skips an answer with another ID and takes the right one after it", async () => {
        server.misbehave({ behaviour: { kind: "spoof", how: "wrong-id", thenAnswer: true } });
        const got = await transport.exchange(request(protocol));
        expect(decodeMessage(got.message).id).to.equal(0x5150);
      });

      it("aborts with the signal's reason, and leaves no listener on it", async () => {
        server.misbehave({ behaviour: { kind: "drop" } });
        const controller = new AbortController();
        const exchange = transport.exchange(request(protocol, { timeout: 5000, signal: controller.signal }));
        setTimeout(() => controller.abort(new Error("enough")), 20);
        const err = (await exchange.catch((e: unknown) => e)) as Error;
        expect(err.message).to.equal("enough");
        expect(abortListeners(controller.signal)).to.equal(0);
      });

      it("send: reports the answer to the sink once, after send returned", async () => {
        const sink = sendTo(transport, request(protocol));
        expect(sink.reports).to.have.length(0);
        const report = await sink.settled;
        expect(report.afterSend).to.equal(true);
        const got = answerOf(report);
        expect(got.protocol).to.equal(protocol);
        expect(decodeMessage(got.message).answers[0]!.data).to.equal("192.0.2.1");
        expect(got.decoded?.id).to.equal(0x5150);
        await settleAll();
        expect(sink.reports).to.have.length(1);
      });

      it("send: a timeout and an abort reach the sink once, and leave no listener", async () => {
        server.misbehave({ behaviour: { kind: "drop" } });
        const timedOut = sendTo(transport, request(protocol, { timeout: 60 }));
        expect(errorOf(await timedOut.settled)).to.be.instanceOf(TransportError).with.property("code", "ETIMEDOUT");
        const controller = new AbortController();
        const aborted = sendTo(transport, request(protocol, { timeout: 5000, signal: controller.signal }));
        setTimeout(() => controller.abort(new Error("enough")), 20);
        expect(errorOf(await aborted.settled)).to.have.property("message", "enough");
        controller.abort(new Error("again"));
        await settleAll();
        expect([timedOut.reports.length, aborted.reports.length]).to.deep.equal([1, 1]);
        expect(abortListeners(controller.signal)).to.equal(0);
      });

      it("send: an already aborted signal fails after send returned, with nothing sent", async () => {
        const controller = new AbortController();
        controller.abort(new Error("before"));
        const sink = sendTo(transport, request(protocol, { signal: controller.signal }));
        const report = await sink.settled;
        expect([report.afterSend, (errorOf(report) as Error).message]).to.deep.equal([true, "before"]);
        expect(server.queries).to.have.length(0);
      });
    });
  }

  it("udp send: ECONNREFUSED reaches each sink of the socket once", async () => {
    const to = { address: "127.0.0.1", port: await closedPort(), family: 4 as const };
    const sinks = [1, 2, 3].map((i) => sendTo(transport, request("udp", { id: i, message: encodeQuery({ name: "www.netdb.test", type: "A" }, { id: i, edns0: false }), timeout: 2000 }, "www.netdb.test", to)));
    for (const sink of sinks) expect(errorOf(await sink.settled)).to.have.property("code", "ECONNREFUSED");
    await settleAll();
    expect(sinks.map((s) => s.reports.length)).to.deep.equal([1, 1, 1]);
  });

  it("send: close() fails the sinks in flight once; a send after close fails after it returned", async () => {
    server.misbehave({ behaviour: { kind: "drop" } });
    const pending = [sendTo(transport, request("udp", { timeout: 5000 })), sendTo(transport, request("tcp", { timeout: 5000 }))];
    await new Promise((resolve) => setTimeout(resolve, 20));
    await transport.close();
    for (const sink of pending) expect(errorOf(await sink.settled)).to.have.property("message", "NetTransport closed");
    const late = sendTo(transport, request("udp"));
    const report = await late.settled;
    expect(report.afterSend).to.equal(true);
    expect(errorOf(report)).to.have.property("message").match(/after close/);
    await settleAll();
    expect(pending.map((s) => s.reports.length)).to.deep.equal([1, 1]);
  });

  it("udp: ignores the answer when it comes from another port", async () => {
    server.misbehave({ behaviour: { kind: "spoof", how: "other-port", thenAnswer: false } });
    const err = (await transport.exchange(request("udp", { timeout: 100 })).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("ETIMEDOUT");
  });

  it("udp: reports ECONNREFUSED from a port where nothing listens, without waiting", async () => {
    const to = { address: "127.0.0.1", port: await closedPort(), family: 4 as const };
    const started = performance.now();
    const err = (await transport.exchange(request("udp", { timeout: 2000 }, "www.netdb.test", to)).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("ECONNREFUSED");
    expect(performance.now() - started).to.be.below(100);
  });

  it("tcp: reassembles an answer that arrives two octets at a time", async () => {
    server.misbehave({ behaviour: { kind: "tcp-split" } });
    const got = await transport.exchange(request("tcp"));
    expect(decodeMessage(got.message).answers).to.have.length(1);
  });

  it("tcp: a connection closed mid-message is EOF", async () => {
    server.misbehave({ behaviour: { kind: "tcp-close-mid" } });
    const err = (await transport.exchange(request("tcp")).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("EOF");
  });

  it("tcp: a frame shorter than a DNS header is EMSGSIZE", async () => {
    server.misbehave({ behaviour: { kind: "raw", bytes: () => new Uint8Array(11) } });
    const err = (await transport.exchange(request("tcp")).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("EMSGSIZE");
  });

  it("tcp: a refused connection is ECONNREFUSED", async () => {
    const err = (await transport.exchange(request("tcp", {}, "www.netdb.test", { address: "127.0.0.1", port: 1, family: 4 })).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("ECONNREFUSED");
  });

  it("close() aborts the exchanges in flight and resolves once their sockets are closed", async () => {
    server.misbehave({ behaviour: { kind: "drop" } });
    const pending = [transport.exchange(request("udp", { timeout: 5000 })), transport.exchange(request("tcp", { timeout: 5000 }))];
    const settled = Promise.allSettled(pending);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await transport.close();
    expect((await settled).map((s) => s.status)).to.deep.equal(["rejected", "rejected"]);
    const err = (await transport.exchange(request("udp")).catch((e: unknown) => e)) as Error;
    expect(err.message).to.match(/after close/);
  });
});

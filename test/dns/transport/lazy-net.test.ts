import { expect } from "chai";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { LazyNetTransport, loadNet, type NetLoader, type NetModule } from "../../../src/dns/transport/lazy-net.js";
import type { NetTransport, NetTransportOptions } from "../../../src/dns/transport/net.js";
import type { ExchangeSink, TransportRequest } from "../../../src/dns/transport/transport.js";
import { TestDnsServer } from "../../support/dnsserver.js";
import { ZONES } from "../world.js";
import { answerOf, errorOf, sendTo, settleAll } from "../support/sinks.js";

/** A stand-in for net.ts whose load the test ends, and whose transports record what they were sent. */
class HeldLoad {
  readonly made: Array<{ options: NetTransportOptions; sent: TransportRequest[]; closed: boolean }> = [];
  readonly load: NetLoader;
  loads = 0;
  #resolve!: (module: NetModule) => void;
  #reject!: (error: unknown) => void;

  constructor() {
    const held = new Promise<NetModule>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.load = () => {
      this.loads++;
      return held;
    };
  }

  finish(): void {
    const made = this.made;
    class Recording {
      readonly record: (typeof made)[number];
      constructor(options: NetTransportOptions) {
        this.record = { options, sent: [], closed: false };
        made.push(this.record);
      }
      send(request: TransportRequest, sink: ExchangeSink): void {
        this.record.sent.push(request);
        queueMicrotask(() => sink.answered({ message: request.message, protocol: request.protocol, rtt: 1 }));
      }
      close(): Promise<void> {
        this.record.closed = true;
        return Promise.resolve();
      }
    }
    this.#resolve({ NetTransport: Recording as unknown as new (options: NetTransportOptions) => NetTransport });
  }

  fail(error: unknown): void {
    this.#reject(error);
  }
}

function request(timeout = 1_000): TransportRequest {
  const id = 0x4c4e;
  return { server: { address: "127.0.0.1", port: 53, family: 4 }, protocol: "udp", message: encodeQuery({ name: "www.netdb.test", type: "A" }, { id, edns0: false }), id, question: { name: "www.netdb.test", type: "A" }, timeout };
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("dns/transport/lazy-net: the socket code loaded at the first exchange", () => {
  it("loads nothing until the first exchange, then loads once and sends what waited, in order, as asked", async () => {
    const held = new HeldLoad();
    const options: NetTransportOptions = { pool: { cookies: true } };
    const transport = new LazyNetTransport(options, held.load);
    expect(held.loads).to.equal(0);
    const asked = [request(1_000), request(500)];
    const first = sendTo(transport, asked[0]!);
    const second = sendTo(transport, asked[1]!);
    await wait(30);
    expect(held.loads).to.equal(1);
    expect([first.reports, second.reports]).to.deep.equal([[], []]);
    held.finish();
    answerOf(await first.settled);
    answerOf(await second.settled);
    expect(held.made).to.have.length(1);
    expect(held.made[0]!.options).to.equal(options);
    // The same requests: their timeouts run from now, when they are sent.
    expect(held.made[0]!.sent).to.deep.equal(asked);
    expect(held.made[0]!.sent[0]).to.equal(asked[0]);
    // Once loaded, an exchange goes to the same NetTransport without waiting.
    const third = sendTo(transport, request());
    expect(held.made[0]!.sent).to.have.length(3);
    answerOf(await third.settled);
    expect(held.loads).to.equal(1);
    await transport.close();
    expect(held.made[0]!.closed).to.equal(true);
  });

  it("at close, fails what waits as NetTransport fails what is in flight, and makes no NetTransport when the load ends", async () => {
    const held = new HeldLoad();
    const transport = new LazyNetTransport({}, held.load);
    const waiting = sendTo(transport, request());
    await transport.close();
    expect((errorOf(await waiting.settled) as Error).message).to.equal("NetTransport closed");
    held.finish();
    await settleAll();
    expect(held.made).to.deep.equal([]);
    const after = sendTo(transport, request());
    expect((errorOf(await after.settled) as Error).message).to.equal("NetTransport used after close()");
    expect(after.reports[0]!.afterSend).to.equal(true);
    expect(waiting.reports).to.have.length(1);
  });

  it("fails what waits with the load's error, and the next exchanges too", async () => {
    const held = new HeldLoad();
    const transport = new LazyNetTransport({}, held.load);
    const waiting = sendTo(transport, request());
    const broken = new Error("Cannot find module net.js");
    held.fail(broken);
    expect(errorOf(await waiting.settled)).to.equal(broken);
    const next = sendTo(transport, request());
    expect(errorOf(await next.settled)).to.equal(broken);
    expect(next.reports[0]!.afterSend).to.equal(true);
    await transport.close();
  });

  describe("with net.ts, against a server on loopback", () => {
    let server: TestDnsServer;
    before(async () => {
      server = await TestDnsServer.start({ zones: ZONES });
    });
    after(async () => {
      await server.stop();
    });

    it("answers the first exchange of each new transport, over UDP and TCP", async () => {
      expect((await loadNet()).NetTransport).to.be.a("function");
      for (const protocol of ["udp", "tcp"] as const) {
        const transport = new LazyNetTransport();
        const got = await transport.exchange({ ...request(), server: server.nameServer(4), protocol });
        expect(got.protocol).to.equal(protocol);
        expect(decodeMessage(got.message).answers[0]!.data).to.equal("192.0.2.1");
        expect([...transport.flows().keys()]).to.have.length(protocol === "udp" ? 1 : 0);
        await transport.close();
      }
    });
  });
});

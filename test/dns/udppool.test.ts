import { expect } from "chai";
import dgram from "node:dgram";
import { TransportError } from "../../src/dns/errors.js";
import { encodeQuery } from "../../src/dns/message.js";
import { exchangeUdp } from "../../src/dns/transport/udp.js";
import { UdpPool, type PoolLimits } from "../../src/dns/transport/udppool.js";
import type { NameServer, TransportRequest } from "../../src/types.js";
import { openSockets } from "../reliability/sockets.js";
import { assertNoLeaks, resourceBaseline } from "../support/handles.js";
import { closedPort } from "./world.js";

/** A server that answers every query by echoing it with QR set (a response with no records), and notes the source port of each. */
class EchoServer {
  readonly ports: number[] = [];
  /** What to answer instead of the query itself (QR is set on it either way). */
  rewrite: ((query: Buffer) => Uint8Array) | undefined;
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  /** The most queries received and not answered yet at any time. */
  mostWaiting = 0;
  #waiting = 0;
  readonly #socket = dgram.createSocket("udp4");

  async start(): Promise<NameServer> {
    this.#socket.on("message", (bytes, from) => {
      this.ports.push(from.port);
      const answer = Buffer.from(this.rewrite?.(bytes) ?? bytes);
      answer[2]! |= 0x80;
      this.mostWaiting = Math.max(this.mostWaiting, ++this.#waiting);
      setTimeout(() => {
        this.#waiting--;
        this.#socket.send(answer, from.port, from.address);
      }, this.delayMs);
    });
    await new Promise<void>((resolve) => this.#socket.bind(0, "127.0.0.1", resolve));
    return { address: "127.0.0.1", port: this.#socket.address().port, family: 4 };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

describe("UDP socket pool", () => {
  let echo: EchoServer;
  let server: NameServer;
  let pool: UdpPool;
  let baseline: Map<string, number>;

  beforeEach(async () => {
    echo = new EchoServer();
    server = await echo.start();
    baseline = await resourceBaseline();
  });
  afterEach(async () => {
    await pool.close();
    await assertNoLeaks(baseline, "the pool");
    await echo.stop();
  });

  const start = (limits: Partial<PoolLimits> = {}): void => {
    pool = new UdpPool(limits);
  };
  const request = (id: number, name = "www.netdb.test", to = server, timeout = 500): TransportRequest => ({
    server: to,
    protocol: "udp",
    message: encodeQuery({ name, type: "A" }, { id, edns0: false }),
    id,
    question: { name, type: "A" },
    timeout,
  });
  const distinct = (ports: number[]): number => new Set(ports).size;

  it("carries many queries in flight on one socket, each answered", async () => {
    start();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => exchangeUdp(pool, request(i, `h${i}.netdb.test`))));
    expect(answers.map((a) => a.message[1])).to.deep.equal(Array.from({ length: 30 }, (_, i) => i));
    expect(distinct(echo.ports)).to.equal(1);
  });

  it("fills a socket up to inFlightPerSocket queries, then opens the next", async () => {
    start({ inFlightPerSocket: 10 });
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => exchangeUdp(pool, request(i, `h${i}.netdb.test`))));
    expect(answers).to.have.length(25);
    const perPort = new Map<number, number>();
    for (const port of echo.ports) perPort.set(port, (perPort.get(port) ?? 0) + 1);
    expect([...perPort.values()]).to.deep.equal([10, 10, 5]);
  });

  it("has at most inFlightPerServer queries in flight to a server; the others wait their turn, in order", async () => {
    start({ inFlightPerServer: 3 });
    echo.delayMs = 5;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => exchangeUdp(pool, request(i, `h${i}.netdb.test`))));
    expect(answers.map((a) => a.message[1])).to.deep.equal(Array.from({ length: 12 }, (_, i) => i));
    expect(echo.mostWaiting).to.equal(3);
  });

  it("never sends a query that timed out while waiting for room", async () => {
    start({ inFlightPerServer: 1 });
    echo.delayMs = 150;
    const first = exchangeUdp(pool, request(1, "a.netdb.test", server, 1000));
    const second = (await exchangeUdp(pool, request(2, "b.netdb.test", server, 30)).catch((e: unknown) => e)) as TransportError;
    expect(second.code).to.equal("ETIMEDOUT");
    expect((await first).message[1]).to.equal(1);
    expect(echo.ports).to.have.length(1);
  });

  it("sends one datagram for identical queries in flight; each gets the answer under its own ID", async () => {
    start();
    echo.delayMs = 20;
    const answers = await Promise.all([1, 2, 3].map((id) => exchangeUdp(pool, request(id, "same.netdb.test"))));
    expect(answers.map((a) => a.message[1])).to.deep.equal([1, 2, 3]);
    expect(answers.map((a) => a.message.length)).to.deep.equal(answers.map(() => answers[0]!.message.length));
    expect(echo.ports).to.have.length(1);
  });

  it("holds a merged query to its own deadline", async () => {
    start();
    echo.delayMs = 150;
    const sent = exchangeUdp(pool, request(1, "same.netdb.test", server, 1000));
    const merged = (await exchangeUdp(pool, request(2, "same.netdb.test", server, 30)).catch((e: unknown) => e)) as TransportError;
    expect(merged.code).to.equal("ETIMEDOUT");
    expect((await sent).message[1]).to.equal(1);
    expect(echo.ports).to.have.length(1);
  });

  it("keeps the datagram of an aborted query on the wire for the queries merged into it", async () => {
    start();
    echo.delayMs = 80;
    const abort = new AbortController();
    const sent = exchangeUdp(pool, { ...request(1, "same.netdb.test"), signal: abort.signal }).catch((e: unknown) => e);
    const merged = exchangeUdp(pool, request(2, "same.netdb.test"));
    abort.abort(new Error("caller gave up"));
    expect(((await sent) as Error).message).to.equal("caller gave up");
    expect((await merged).message[1]).to.equal(2);
    expect(echo.ports).to.have.length(1);
  });

  it("ends the queries merged into a query when its deadline passes", async () => {
    start();
    echo.delayMs = 200;
    const started = performance.now();
    const outcomes = (await Promise.all([
      exchangeUdp(pool, request(1, "same.netdb.test", server, 40)).catch((e: unknown) => e),
      exchangeUdp(pool, request(2, "same.netdb.test", server, 2000)).catch((e: unknown) => e),
    ])) as TransportError[];
    expect(outcomes.map((e) => e.code)).to.deep.equal(["ETIMEDOUT", "ETIMEDOUT"]);
    expect(performance.now() - started).to.be.below(150);
    expect(echo.ports).to.have.length(1);
    // The server's late answer, which nothing waits for any more.
    await new Promise((resolve) => setTimeout(resolve, 250));
  });

  it("abortAll ends sent, waiting and merged queries alike", async () => {
    start({ inFlightPerServer: 1 });
    echo.delayMs = 50;
    const reason = new Error("closing");
    const pending = [
      exchangeUdp(pool, request(1, "a.netdb.test", server, 2000)),
      exchangeUdp(pool, request(2, "a.netdb.test", server, 2000)),
      exchangeUdp(pool, request(3, "b.netdb.test", server, 2000)),
    ].map((p) => p.catch((e: unknown) => e));
    pool.abortAll(reason);
    expect(await Promise.all(pending)).to.deep.equal([reason, reason, reason]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it("retires a socket after queriesPerSocket queries, so the source port changes", async () => {
    start({ queriesPerSocket: 5 });
    for (let i = 0; i < 12; i++) await exchangeUdp(pool, request(i));
    expect(distinct(echo.ports.slice(0, 5))).to.equal(1);
    expect(distinct(echo.ports)).to.equal(3);
  });

  it("retires a socket after lifetimeMs", async () => {
    start({ lifetimeMs: 30 });
    await exchangeUdp(pool, request(1));
    await exchangeUdp(pool, request(2));
    await new Promise((resolve) => setTimeout(resolve, 40));
    await exchangeUdp(pool, request(3));
    expect(distinct(echo.ports.slice(0, 2))).to.equal(1);
    expect(distinct(echo.ports)).to.equal(2);
  });

  it("never has one ID in flight twice on a socket: the second query gets a socket of its own", async () => {
    start();
    const [a, b] = await Promise.all([exchangeUdp(pool, request(7, "a.netdb.test")), exchangeUdp(pool, request(7, "b.netdb.test"))]);
    expect([a.message.length, b.message.length]).to.deep.equal([request(7, "a.netdb.test").message.length, request(7, "b.netdb.test").message.length]);
    expect(distinct(echo.ports)).to.equal(2);
  });

  it("takes only a response with the query's question: another question under the same ID is ignored until the timeout", async () => {
    start();
    echo.rewrite = () => request(9, "b.netdb.test").message;
    const err = (await exchangeUdp(pool, request(9, "a.netdb.test", server, 150)).catch((e: unknown) => e)) as TransportError;
    expect(err.code).to.equal("ETIMEDOUT");
    expect(echo.ports).to.have.length(1);
  });

  it("gives ECONNREFUSED to every query in flight on a socket of a server where nothing listens", async () => {
    start();
    const to: NameServer = { address: "127.0.0.1", port: await closedPort(), family: 4 };
    const started = performance.now();
    const errors = (await Promise.all([1, 2, 3].map((id) => exchangeUdp(pool, request(id, "www.netdb.test", to, 2000)).catch((e: unknown) => e)))) as TransportError[];
    expect(errors.map((e) => e.code)).to.deep.equal(["ECONNREFUSED", "ECONNREFUSED", "ECONNREFUSED"]);
    expect(performance.now() - started).to.be.below(1000);
  });

  it("keeps an idle socket unreferenced and closes it after idleMs", async () => {
    start({ idleMs: 50 });
    const before = openSockets();
    await exchangeUdp(pool, request(1));
    expect(openSockets()).to.equal(before + 1);
    await assertNoLeaks(baseline, "an idle pool");
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(openSockets()).to.equal(before);
  });
});

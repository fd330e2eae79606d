/**
 * The pool judges a deadline only after the sockets were read
 * (deadlines.ts): here the event loop is held up *between* that read and
 * the judgement, by other work queued in the same turn, while an answer
 * arrives in time from a server in another process. The judgement must
 * not take the answer's absence from a read that happened before it came.
 */
import { expect } from "chai";
import dgram from "node:dgram";
import { TransportError } from "../../src/dns/errors.js";
import { encodeQuery } from "../../src/dns/message.js";
import { exchangeUdp } from "../../src/dns/transport/udp.js";
import { UdpPool } from "../../src/dns/transport/udppool.js";
import type { TransportRequest } from "../../src/dns/transport/transport.js";
import type { NameServer } from "../../src/dns/server.js";
import { ForkedDnsServer } from "../support/dnsserver-process.js";
import { ZONES } from "./world.js";

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // held up
  }
}

describe("UDP pool: a loop held up between reading the sockets and judging the deadlines", function () {
  this.timeout(20_000);
  let server: ForkedDnsServer;
  let silent: dgram.Socket;
  let blackHole: NameServer;
  let pool: UdpPool;

  before(async () => {
    server = await ForkedDnsServer.start({ zones: ZONES, ipv6: false });
    silent = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
    blackHole = { address: "127.0.0.1", port: silent.address().port, family: 4 };
  });
  after(async () => {
    await server.stop();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  afterEach(async () => {
    await pool.close();
  });

  let nextId = 1;
  const request = (to: NameServer, name: string, timeout: number): TransportRequest => {
    const id = nextId++;
    return { server: to, protocol: "udp", message: encodeQuery({ name, type: "A" }, { id, edns0: false }), id, question: { name, type: "A" }, timeout };
  };

  it("reads an answer already waiting in the socket before judging its deadline, however late the loop gets to it", async () => {
    pool = new UdpPool();
    // A connected socket, so the next datagram leaves at once.
    await exchangeUdp(pool, request(server.nameServer(4), "www.netdb.test", 1000));
    const pending = exchangeUdp(pool, request(server.nameServer(4), "www.netdb.test", 50));
    // The server (its own process) answers within a few ms while this loop
    // is held for 150 ms: the deadline's timer and the datagram are both due
    // when it comes back, and the answer counts.
    busy(150);
    const answer = await pending;
    expect(answer.rtt, "the answer was read after the deadline had passed").to.be.above(50);
  });

  it("takes an answer that arrived before its deadline while other work ran between the read and the judgement", async () => {
    await server.reset();
    await server.misbehave({ name: "slow.netdb.test", behaviour: { kind: "delay", ms: 250 } });
    pool = new UdpPool();
    // Connected sockets to both servers, so the next datagrams leave at once.
    await exchangeUdp(pool, request(server.nameServer(4), "www.netdb.test", 1000));
    await exchangeUdp(pool, request(blackHole, "www.netdb.test", 20)).catch(() => undefined);

    // t = 0: A to the black hole (deadline 100 ms), B to the server, which
    // answers it at about 250 ms (deadline 600 ms).
    const a = exchangeUdp(pool, request(blackHole, "www.netdb.test", 100)).then(() => "answered", (e: unknown) => (e instanceof TransportError ? e.code : String(e)));
    const b = exchangeUdp(pool, request(server.nameServer(4), "slow.netdb.test", 600)).then(() => "answered", (e: unknown) => (e instanceof TransportError ? e.code : String(e)));
    // At 150 ms both this timer and A's deadline are due in one timers phase,
    // this one first: its immediate (work of 700 ms) runs before the
    // judgement that A's deadline queued, after a poll that found nothing.
    // B's answer arrives during that work, before B's deadline.
    setTimeout(() => setImmediate(() => busy(700)), 90);
    busy(150);
    expect(await a, "A, to the black hole").to.equal("ETIMEDOUT");
    expect(await b, "B, answered at 250 ms of its 600").to.equal("answered");
    expect(await server.count(), "queries the server received").to.equal(2);
  });
});

/**
 * TCP exchanges (src/dns/transport/tcp.ts) against hostile servers on
 * loopback: every case ends within its timeout + 10%, a flood never keeps
 * the event loop from its other work for more than a few milliseconds at
 * a stretch, an answer within the limits is still found, and nothing is
 * left open. The floods come from a server in its own process
 * (test/reliability/tcp-flood-server.ts), writing as fast as the
 * connection takes it; the other cases from the in-process test server.
 */
import { expect } from "chai";
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { TransportError } from "../../../src/dns/errors.js";
import { decodeMessage, encodeQuery } from "../../../src/dns/message.js";
import { exchangeTcp, TCP_LIMITS, type TcpLimits } from "../../../src/dns/transport/tcp.js";
import { Resolver, type SocketError } from "../../../src/index.js";
import type { TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";
import type { NameServer } from "../../../src/dns/server.js";
import { framed, TestDnsServer, type Behaviour } from "../../support/dnsserver.js";
import { assertNoLeaks, resourceBaseline } from "../../support/handles.js";
import { StallSampler } from "../../support/stall.js";
import { ZONES } from "../world.js";

const TIMEOUT = 1000;
/** A try's timeout + 10%. */
const BOUND = TIMEOUT * 1.1;

/**
 * How late a plain timer of TIMEOUT ms started now fires: on a loaded
 * machine every timer is late, and only netdb's lateness beyond that is
 * its own, so the bound of a timeout case is BOUND plus this.
 */
function plainTimerLateness(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => setTimeout(() => resolve(Math.max(0, performance.now() - started - TIMEOUT)), TIMEOUT));
}
/**
 * The most CPU time the process may spend between two runs of the timers
 * phase during a flood (see StallSampler: the wall-clock gap also counts
 * time the shared machine did not run this process).
 */
const MAX_STALL_MS = 50;
const ID = 0x5150;
const FLOOD_SERVER = fileURLToPath(new URL("../../reliability/tcp-flood-server.ts", import.meta.url));

/** The answer to `query` under another ID. */
function wrongId(normal: Buffer): Buffer {
  const other = Buffer.from(normal);
  other.writeUInt16BE(other.readUInt16BE(0) ^ 0x5a5a, 0);
  return other;
}

/** A frame of 65,535 octets (the most a length prefix can say) with another ID. */
function fullSizeWrongId(): Buffer {
  const frame = Buffer.alloc(0xffff);
  frame.writeUInt16BE(ID ^ 0x5a5a, 0);
  return framed(frame);
}

/** `count` framed copies of the answer under another ID, then (if `answer`) the answer itself. */
function wrongIdFrames(count: number, answer: boolean): (query: unknown, normal: Buffer) => Buffer {
  return (_query, normal) => Buffer.concat([...Array.from({ length: count }, () => framed(wrongId(normal))), ...(answer ? [framed(normal)] : [])]);
}

describe("TCP transport against hostile servers", function () {
  this.timeout(20_000);
  let server: TestDnsServer;
  let flooder: ChildProcess;
  let flooderPort: number;
  let baseline: Map<string, number>;

  before(async () => {
    server = await TestDnsServer.start({ zones: ZONES, ipv6: false });
    flooder = fork(FLOOD_SERVER, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    [{ port: flooderPort }] = (await once(flooder, "message")) as [{ port: number }];
  });
  after(async () => {
    await server.stop();
    flooder.send("stop");
    await once(flooder, "exit");
  });
  beforeEach(async () => {
    server.reset();
    baseline = await resourceBaseline();
  });
  afterEach(async () => {
    server.reset();
    await assertNoLeaks(baseline, "the exchange");
  });

  function request(name: string, to: NameServer, timeout = TIMEOUT): TransportRequest {
    return { server: to, protocol: "tcp", message: encodeQuery({ name, type: "A" }, { id: ID, edns0: false }), id: ID, question: { name, type: "A" }, timeout };
  }
  const local = (name = "www.netdb.test"): TransportRequest => request(name, server.nameServer(4));
  const flood = (name: string): TransportRequest => request(`${name}.flood.test`, { address: "127.0.0.1", port: flooderPort, family: 4 });

  /** Runs one exchange; says how it ended, how long it took and the longest stall of the event loop meanwhile. */
  async function exchange(req: TransportRequest, limits?: TcpLimits): Promise<{ response?: TransportResponse; code?: string; ms: number; stallMs: number; wallStallMs: number; gcMs: number }> {
    const sampler = new StallSampler();
    const started = performance.now();
    try {
      const response = await exchangeTcp(req, undefined, limits);
      const ms = performance.now() - started;
      const stall = sampler.stop();
      return { response, ms, stallMs: stall.busyMs, wallStallMs: stall.wallMs, gcMs: stall.gcMs };
    } catch (err) {
      const ms = performance.now() - started;
      const stall = sampler.stop();
      if (!(err instanceof TransportError)) throw err;
      return { code: err.code, ms, stallMs: stall.busyMs, wallStallMs: stall.wallMs, gcMs: stall.gcMs };
    }
  }

  describe("cases that end at the timeout", () => {
    const cases: Array<{ what: string; behaviour: Behaviour }> = [
      { what: "slowloris: one octet of the answer every 100 ms", behaviour: { kind: "tcp-slowloris", intervalMs: 100 } },
      { what: "a 65,535 length prefix, then silence", behaviour: { kind: "tcp-stream", bytes: () => Uint8Array.of(0xff, 0xff) } },
      { what: "a 65,535 length prefix and the answer, then silence", behaviour: { kind: "tcp-huge-length" } },
    ];
    for (const c of cases) {
      it(`${c.what}: ETIMEDOUT at the timeout, within +10%`, async () => {
        server.misbehave({ behaviour: c.behaviour });
        const lateness = plainTimerLateness();
        const got = await exchange(local());
        expect(got.code).to.equal("ETIMEDOUT");
        expect(got.ms).to.be.within(TIMEOUT - 5, BOUND + (await lateness));
      });
    }
  });

  describe("floods, as fast as the server can write", () => {
    const cases: Array<{ flood: string; what: string; codes: string[]; decoded?: true }> = [
      { flood: "wrong-id", what: "endless answers with another ID", codes: ["EPROTO"] },
      { flood: "wrong-id-large", what: "endless 64 KB answers with another ID", codes: ["EPROTO"] },
      { flood: "wrong-question-large", what: "endless 64 KB answers with the query's ID for another question", codes: ["EPROTO"] },
      // A random length under 12 is EMSGSIZE; otherwise a limit is reached first.
      { flood: "random", what: "endless random octets", codes: ["EPROTO", "EMSGSIZE"] },
      // Each frame is decoded (4,000 records, 5-30 ms, more with a GC in a
      // large heap such as a whole mocha run's), one per turn, four in all
      // under the octet limit: the stall is the decoder's, not asserted,
      // and on a loaded machine the timeout may come before the fifth frame.
      { flood: "wrong-opcode-large", what: "endless 64 KB answers with the query's ID and question but another opcode", codes: ["EPROTO", "ETIMEDOUT"], decoded: true },
    ];
    for (const c of cases) {
      const stall = c.decoded === true ? "" : `, the event loop never held for more than ${MAX_STALL_MS} ms`;
      it(`${c.what}: the server's failure within the timeout${stall}`, async () => {
        // One exchange first, unmeasured, so that what a first exchange compiles is not counted.
        await exchange(flood(c.flood));
        for (let i = 0; i < 5; i++) {
          const got = await exchange(flood(c.flood));
          expect(got.code).to.be.oneOf(c.codes);
          expect(got.ms).to.be.below(BOUND);
          if (c.decoded !== true) expect(got.stallMs, `longest stall of the event loop (${got.wallStallMs.toFixed(0)} ms of wall-clock time, longest GC ${got.gcMs.toFixed(0)} ms)`).to.be.below(MAX_STALL_MS);
        }
      });
    }

    it("with the limits lifted, an endless flood still ends at the timeout and never holds the event loop", async () => {
      const got = await exchange(flood("wrong-id"), { frames: Infinity, octets: Infinity, framesPerTurn: TCP_LIMITS.framesPerTurn });
      expect(got.code).to.equal("ETIMEDOUT");
      // Here the server writes for the whole second, taking a core of the
      // two, so the timer may run later than in the cases above (1,121 ms
      // seen in a full run at load average 8); what this case is about is
      // the stall.
      expect(got.ms).to.be.within(TIMEOUT - 5, TIMEOUT * 1.25);
      expect(got.stallMs, `longest stall of the event loop (${got.wallStallMs.toFixed(0)} ms of wall-clock time, longest GC ${got.gcMs.toFixed(0)} ms)`).to.be.below(MAX_STALL_MS);
    });
  });

  describe("answers among other frames", () => {
    it(`the answer after ${TCP_LIMITS.frames - 1} frames with another ID, all in one segment: found`, async () => {
      server.misbehave({ behaviour: { kind: "tcp-stream", bytes: wrongIdFrames(TCP_LIMITS.frames - 1, true) } });
      const got = await exchange(local());
      expect(got.code).to.equal(undefined);
      expect(decodeMessage(got.response!.message).answers[0]!.data).to.equal("192.0.2.1");
    });

    it(`the answer after ${TCP_LIMITS.frames} frames with another ID: past the limit, EPROTO at once`, async () => {
      server.misbehave({ behaviour: { kind: "tcp-stream", bytes: wrongIdFrames(TCP_LIMITS.frames, true) } });
      const got = await exchange(local());
      expect(got.code).to.equal("EPROTO");
      expect(got.ms).to.be.below(200);
    });

    it("the answer after three full-size frames with another ID: found; after four, past the octet limit: EPROTO", async () => {
      for (const [others, expected] of [[3, undefined], [4, "EPROTO"]] as const) {
        server.reset();
        server.misbehave({ behaviour: { kind: "tcp-stream", bytes: (_q, normal) => Buffer.concat([...Array.from({ length: others }, fullSizeWrongId), framed(normal)]) } });
        const got = await exchange(local());
        expect(got.code, `after ${others}`).to.equal(expected);
        if (expected === undefined) expect(decodeMessage(got.response!.message).id).to.equal(ID);
      }
    });

    it("frames with another ID and then the answer, arriving three octets at a time: found", async () => {
      server.misbehave({ behaviour: { kind: "tcp-stream", bytes: wrongIdFrames(5, true), pieces: 3 } });
      const got = await exchange(local());
      expect(got.code).to.equal(undefined);
      expect(decodeMessage(got.response!.message).answers[0]!.data).to.equal("192.0.2.1");
    });

    it("many small frames in one segment are read a few at a time, other work running in between", async () => {
      // With one frame a turn, each frame costs a turn of the event loop:
      // count the turns (a chain of setImmediate) from the server's write.
      let turns = 0;
      let counting = true;
      const tick = (): void => {
        turns++;
        if (counting) setImmediate(tick);
      };
      const frames = 20;
      server.misbehave({
        behaviour: {
          kind: "tcp-stream",
          bytes: (query, normal) => {
            setImmediate(tick);
            return wrongIdFrames(frames, true)(query, normal);
          },
        },
      });
      const got = await exchange(local(), { ...TCP_LIMITS, framesPerTurn: 1 });
      counting = false;
      expect(got.code).to.equal(undefined);
      expect(turns).to.be.at.least(frames);
    });
  });

  it("the deadline holds even when the event loop was held past it with the answer on its way", async () => {
    // The server (another process) answers after 150 ms; the loop is held
    // from 50 ms to 250 ms, so when it runs again the answer is there and
    // the deadline (100 ms) has passed, and the timer may come after it.
    const blocker = setTimeout(() => {
      const until = performance.now() + 200;
      while (performance.now() < until);
    }, 50);
    const got = await exchange(request("late.flood.test", { address: "127.0.0.1", port: flooderPort, family: 4 }, 100));
    clearTimeout(blocker);
    expect(got.code).to.equal("ETIMEDOUT");
  });

  describe("a whole lookup: getaddrinfo with use-vc, timeout 1000 ms, one attempt, one server", () => {
    /** Fails a getaddrinfo against `port`; says with what, how long it took and the longest stall. */
    async function lookUp(name: string, port: number): Promise<{ error: unknown[]; ms: number; stallMs: number; wallStallMs: number; gcMs: number }> {
      const resolver = new Resolver({
        files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
        hostname: "hostile",
        nameservers: [`127.0.0.1:${port}`],
        timeout: TIMEOUT,
        attempts: 1,
        useTcp: true,
      });
      try {
        const sampler = new StallSampler();
        const started = performance.now();
        const err = (await resolver.getaddrinfo(name, 80).then(() => undefined, (e: unknown) => e)) as SocketError | undefined;
        const ms = performance.now() - started;
        const stall = sampler.stop();
        return { error: [err?.constructor.name ?? "no error", err?.errno], ms, stallMs: stall.busyMs, wallStallMs: stall.wallMs, gcMs: stall.gcMs };
      } finally {
        await resolver.close();
      }
    }

    before(async () => {
      // Whatever a first lookup loads or compiles, outside the stalls measured.
      const resolver = new Resolver({
        files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
        hostname: "warm",
        nameservers: [`127.0.0.1:${server.port}`],
        useTcp: true,
      });
      // A name that does not exist: an answer's addresses would be sorted
      // with UDP sockets connected to them, which the network guard refuses.
      await resolver.getaddrinfo("nowhere.netdb.test", 80).catch(() => undefined);
      for (const flood of ["wrong-id", "wrong-question-large", "random"]) await exchange(request(`${flood}.flood.test`, { address: "127.0.0.1", port: flooderPort, family: 4 }));
      await resolver.close();
    });

    const timeouts: Array<{ what: string; behaviour: Behaviour }> = [
      { what: "slowloris", behaviour: { kind: "tcp-slowloris", intervalMs: 100 } },
      { what: "a 65,535 length prefix then silence", behaviour: { kind: "tcp-stream", bytes: () => Uint8Array.of(0xff, 0xff) } },
    ];
    for (const c of timeouts) {
      it(`${c.what}: EAI_AGAIN within 1.1 s`, async () => {
        server.misbehave({ behaviour: c.behaviour });
        const lateness = plainTimerLateness();
        const got = await lookUp("www.netdb.test", server.port);
        expect(got.error).to.deep.equal(["GaiError", -3]);
        expect(got.ms).to.be.within(TIMEOUT - 5, BOUND + (await lateness));
      });
    }
    for (const flood of ["wrong-id", "wrong-question-large", "random"]) {
      it(`a ${flood} flood: EAI_AGAIN within 1.1 s, the event loop never held for more than ${MAX_STALL_MS} ms`, async () => {
        const got = await lookUp(`${flood}.flood.test`, flooderPort);
        expect(got.error).to.deep.equal(["GaiError", -3]);
        expect(got.ms).to.be.below(BOUND);
        expect(got.stallMs, `longest stall of the event loop (${got.wallStallMs.toFixed(0)} ms of wall-clock time, longest GC ${got.gcMs.toFixed(0)} ms)`).to.be.below(MAX_STALL_MS);
      });
    }
  });
});

/**
 * Name servers that cannot be reached, against CPython/glibc in the same
 * kind of network namespace: no route (IPv4 and IPv6), routes of type
 * prohibit, blackhole, unreachable and throw, a local address where
 * nothing listens (ICMP port unreachable), no loopback at all, a route
 * prohibited after a first answer (a send error on a socket already
 * connected), and mixes with a server that answers, over UDP and with
 * use-vc over TCP.
 *
 * fixtures/golden/unreachable.json holds what CPython 3.11 on glibc 2.36
 * answered, recorded by scripts/golden/unreachable.py; here each of its
 * namespaces is built again (`unshare -n`, as root: nothing can leave it)
 * and unreachable-child.ts asks netdb the same calls there. For every call:
 * the same result, or the same error class, errno and message; the time
 * close to glibc's (where glibc answered in under 100 ms, netdb must too;
 * where it waited for a timeout, netdb must wait about as long); and
 * netdb's trace must name, for each server, the failure the recorder's
 * probe met there (the errno of connect or send, ECONNREFUSED, or a
 * timeout), so each scenario is the failure it claims to be.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import { readlinkSync } from "node:fs";
import { join } from "node:path";
import sinon from "sinon";
import { GaiError, HError, type SocketError } from "../../../src/errors.js";
import { Resolver } from "../../../src/resolver.js";
import { TestDnsServer } from "../../support/dnsserver.js";
import { parseNameServer } from "../../../src/lookup/nameserver.js";
import { serverLabel } from "../../../src/dns/server.js";
import { recordFigures } from "../../reliability/figures.js";
import { isIpStep, readUnreachableGolden, type GoldenCall, type GoldenNamespace, type ScenarioRun } from "./unreachable-child.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const CHILD = join(import.meta.dirname, "unreachable-child.ts");

/** glibc answered "at once" (recorded as 0 ms: under 50 ms): netdb must answer within this. */
const AT_ONCE_MS = 100;

/**
 * Where glibc waited for a timeout, netdb's time must be within these
 * margins of glibc's: not sooner by more than max(100 ms, 20%) (it must
 * wait its timeout too), not later by more than max(250 ms, 25%) (the
 * machine has two cores shared with other test runs).
 */
function waitBounds(glibcMs: number): [number, number] {
  return [glibcMs - Math.max(100, glibcMs * 0.2), glibcMs + Math.max(250, glibcMs * 0.25)];
}

/** Runs the replay of one recorded namespace in a network namespace of its own. */
function replayInNamespace(namespace: GoldenNamespace): Promise<ScenarioRun[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["--net", "--", process.execPath, "--import", "tsx", CHILD, "replay", namespace.id], {
      cwd: REPO,
      env: { ...process.env, UNREACHABLE_OUTER_NETNS: readlinkSync("/proc/self/ns/net") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) reject(new Error(`the replay of namespace ${namespace.id} ended with ${code ?? signal}:\n${stderr}`));
      else resolve(JSON.parse(stdout) as ScenarioRun[]);
    });
  });
}

/** The error codes netdb's trace must show for a server, from what the recorder's probe met there. */
function expectedCodes(probe: string): string[] {
  if (probe === "answers") return [];
  if (probe === "silent") return ["ETIMEDOUT"];
  return [probe];
}

const golden = readUnreachableGolden();
/** Per scenario, the slowest call of glibc and of netdb (ms), for docs/reliability.md. */
const figures: Record<string, { glibcMs: number; netdbMs: number }> = {};

describe(`unreachable and refused name servers: netdb against CPython ${golden.python} (${golden.libc}) in private network namespaces`, function () {
  this.timeout(60_000);
  after(() => recordFigures("unreachable", figures));

  for (const namespace of golden.namespaces) {
    describe(`namespace "${namespace.id}": ${namespace.what}`, () => {
      let runs: Map<string, ScenarioRun>;

      before(async () => {
        runs = new Map((await replayInNamespace(namespace)).map((run) => [run.id, run]));
      });

      for (const scenario of namespace.scenarios) {
        const conf = scenario["resolv.conf"].trim().replace(/\n/g, "; ");
        it(`${scenario.id}: ${scenario.what} (${conf || "empty resolv.conf"})`, () => {
          const run = runs.get(scenario.id);
          expect(run, `no replay of ${scenario.id}`).to.not.equal(undefined);
          const calls = scenario.steps.filter((step): step is GoldenCall => !isIpStep(step));
          expect(run!.calls).to.have.length(calls.length);
          figures[scenario.id] = {
            glibcMs: Math.max(...calls.map((c) => c.ms)),
            netdbMs: Math.round(Math.max(...run!.calls.map((c) => c.ms)) * 10) / 10,
          };
          calls.forEach((call, i) => {
            const what = `${scenario.id}: ${call.call}(${call.args.map((a) => JSON.stringify(a)).join(", ")})`;
            const got = run!.calls[i]!;
            if (call.error !== undefined) expect(got.error, `${what}: netdb ${got.error === undefined ? `answered ${JSON.stringify(got.ok)}` : "failed otherwise"}`).to.deep.equal(call.error);
            else {
              expect(got, `${what}: netdb failed with ${JSON.stringify(got.error)}`).to.not.have.property("error");
              expect(got.ok, what).to.deep.equal(call.ok);
            }
            if (call.ms < AT_ONCE_MS) {
              expect(got.ms, `${what}: glibc took ${call.ms} ms, netdb ${got.ms.toFixed(1)} ms`).to.be.below(AT_ONCE_MS);
            } else {
              const [low, high] = waitBounds(call.ms);
              expect(got.ms, `${what}: glibc took ${call.ms} ms, netdb ${got.ms.toFixed(1)} ms`).to.be.within(low, high);
            }
          });
          const expected = Object.fromEntries(
            Object.entries(scenario.servers)
              .map(([address, probe]) => [serverLabel(parseNameServer(address)), expectedCodes(probe)] as const)
              .filter(([, codes]) => codes.length > 0),
          );
          expect(run!.errors, `${scenario.id}: the failures netdb's trace reported per server`).to.deep.equal(expected);
          if (scenario.id === "prohibited-after-answer") {
            // The socket of the first answer is still connected: the prohibit rule is met by send, not connect.
            expect(run!.errorTexts.some((text) => text.startsWith("EACCES: UDP send:")), run!.errorTexts.join("\n")).to.equal(true);
          }
        });
      }
    });
  }
});

/**
 * What no namespace can stage: dgram itself throwing, as a runtime that
 * refuses the socket or the bind does (Deno's NotCapable with a narrow
 * --allow-net), or a socket in a state Node refuses to send on. Each is a
 * failure of that server, ending the lookup as a failed connect ends
 * glibc's (the golden "v4-prohibit" outcomes, at once), or moving on to the
 * next server, which answers. Against the test server on loopback, with
 * the throwing calls stubbed for the first server's address only.
 */
describe("dgram calls that throw: a server failure, never an exception", function () {
  const prohibit = golden.namespaces.flatMap((n) => n.scenarios).find((s) => s.id === "v4-prohibit")!;
  const failed = prohibit.steps.filter((step): step is GoldenCall => !isIpStep(step) && step.error !== undefined);
  let server: TestDnsServer;

  before(async () => {
    server = await TestDnsServer.start({ zones: golden.zones, ipv6: false });
  });
  after(async () => {
    sinon.restore();
    await server.stop();
  });
  afterEach(() => sinon.restore());

  /** A Resolver with the recorded files; `first` is the server whose dgram calls throw, then the test server. */
  function resolver(servers: string[], codes: string[]): Resolver {
    return new Resolver({
      files: { ...golden.etc, "resolv.conf": "options timeout:1 attempts:2\n" },
      hostname: golden.hostname,
      env: {},
      nameservers: servers,
      tracer: (event) => {
        if (event.kind === "error") codes.push(event.error.split(":", 1)[0]!);
      },
    });
  }

  function thrown(code: string | undefined, message: string): Error {
    return Object.assign(new Error(message), code === undefined ? {} : { code });
  }

  const DOOMED = "127.0.0.2";

  /** The address a socket is connected to; undefined for the test server's own (unconnected) sockets. */
  function connectedTo(socket: dgram.Socket): string | undefined {
    try {
      return socket.remoteAddress().address;
    } catch {
      return undefined;
    }
  }

  const cases: Array<{ what: string; code: string; stub(): void }> = [
    {
      what: "dgram.createSocket throws (EMFILE)",
      code: "EMFILE",
      stub() {
        // The pool makes its socket before it knows more than the family: every server is refused here.
        sinon.stub(dgram, "createSocket").throws(thrown("EMFILE", "too many open files"));
      },
    },
    {
      what: "connect throws synchronously (a runtime refusing the bind: EPERM)",
      code: "EPERM",
      stub() {
        const connect = dgram.Socket.prototype.connect;
        sinon.stub(dgram.Socket.prototype, "connect").callsFake(function (this: dgram.Socket, ...args: unknown[]) {
          if (args[1] === DOOMED) throw thrown("EPERM", "operation not permitted");
          return (connect as (...a: unknown[]) => void).apply(this, args);
        });
      },
    },
    {
      // No code of its own: the error's name stands for it in the trace.
      what: "connect throws an error without a code (Deno's NotCapable)",
      code: "NotCapable",
      stub() {
        const connect = dgram.Socket.prototype.connect;
        sinon.stub(dgram.Socket.prototype, "connect").callsFake(function (this: dgram.Socket, ...args: unknown[]) {
          if (args[1] === DOOMED) throw Object.assign(new Error("Requires net access"), { name: "NotCapable" });
          return (connect as (...a: unknown[]) => void).apply(this, args);
        });
      },
    },
    {
      what: "send throws synchronously (ERR_SOCKET_DGRAM_NOT_CONNECTED)",
      code: "ERR_SOCKET_DGRAM_NOT_CONNECTED",
      stub() {
        const send = dgram.Socket.prototype.send;
        sinon.stub(dgram.Socket.prototype, "send").callsFake(function (this: dgram.Socket, ...args: unknown[]) {
          if (connectedTo(this) === DOOMED) throw thrown("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
          return (send as (...a: unknown[]) => void).apply(this, args);
        });
      },
    },
  ];

  for (const c of cases) {
    it(`${c.what}: glibc's outcomes of a failed connect, at once`, async () => {
      c.stub();
      const codes: string[] = [];
      const r = resolver([`${DOOMED}:${server.port}`], codes);
      try {
        for (const call of failed) {
          const started = performance.now();
          const outcome = await (r as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[call.call]!.apply(r, call.args).then(
            (ok) => ({ ok }),
            (error: unknown) => ({ error }),
          );
          const ms = performance.now() - started;
          expect(outcome, `${call.call}: answered`).to.have.property("error");
          const error = (outcome as { error: unknown }).error as SocketError;
          expect(error, String(error)).to.be.instanceOf(call.error!.type === "gaierror" ? GaiError : HError);
          expect({ errno: error.errno, message: error.message }).to.deep.equal({ errno: call.error!.errno, message: call.error!.message });
          expect(ms, `${call.call} took ${ms.toFixed(1)} ms`).to.be.below(AT_ONCE_MS);
        }
      } finally {
        await r.close();
      }
      expect(new Set(codes)).to.deep.equal(new Set([c.code]));
    });

    if (c.code !== "EMFILE") {
      it(`${c.what} for the first server: the second answers`, async () => {
        c.stub();
        const codes: string[] = [];
        const r = resolver([`${DOOMED}:${server.port}`, `127.0.0.1:${server.port}`], codes);
        try {
          expect(await r.gethostbyname("www.example.test")).to.equal("192.0.2.80");
          expect(await r.gethostbyaddr("192.0.2.80")).to.deep.equal(["www.example.test", [], ["192.0.2.80"]]);
        } finally {
          await r.close();
        }
        expect(new Set(codes)).to.deep.equal(new Set([c.code]));
      });
    }
  }
});

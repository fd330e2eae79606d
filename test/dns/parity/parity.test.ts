/**
 * netdb against CPython/glibc 2.36 on the glibc-parity scenarios
 * (scenarios.ts): oddly shaped and malformed answers, the EDNS payload
 * size, FORMERR to EDNS, sortlist, more addresses than CPython's
 * gethostbyname_r buffer holds, no-tld-query, no-aaaa with AF_INET6,
 * backslash escapes and the IDNA BiDi rule.
 *
 * fixtures/golden/resolv-parity.json holds what CPython answered, and the
 * queries glibc sent, with the scripted server on 127.0.0.x:53 in a
 * private namespace (scripts/golden/resolv-parity.py). Here the same
 * scripts answer on loopback ports of their own and a Resolver with the
 * recorded /etc texts makes the same calls. Each call must give the same
 * result (or error class, errno and message) and send the same distinct
 * queries (protocol, server, name as sent, type, EDNS payload size), and
 * answer at once where glibc did.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NetTransport } from "../../../src/dns/transport/net.js";
import { GaiError, HError, SocketError } from "../../../src/errors.js";
import { Resolver } from "../../../src/resolver.js";
import { namespaceNetwork } from "../../lookup/support/namespace.js";
import { SCENARIOS, SERVER_ADDRESSES } from "./scenarios.js";
import { ScriptedServer } from "./scripted.js";

const GOLDEN_FILE = join(import.meta.dirname, "..", "..", "..", "fixtures", "golden", "resolv-parity.json");

interface GoldenCall {
  call: string;
  args: unknown[];
  ok?: unknown;
  error?: { type: string; errno: number | null; message: string };
  ms: number;
  queries: string[];
}

interface GoldenScenario {
  id: string;
  kind: number;
  what: string;
  "resolv.conf": string;
  calls: GoldenCall[];
}

interface Golden {
  python: string;
  libc: string;
  hostname: string;
  etc: Record<string, string>;
  scenarios: GoldenScenario[];
}

/** glibc answered at once (under 500 ms): netdb must answer before a one-second timeout could have passed. */
const AT_ONCE_MS = 900;

/** Python's class name for what netdb threw. */
function describeError(error: unknown): NonNullable<GoldenCall["error"]> {
  const type =
    error instanceof GaiError ? "gaierror"
    : error instanceof HError ? "herror"
    : error instanceof SocketError ? "OSError"
    // netdb's stand-in for Python's UnicodeError (src/lookup/idna.ts).
    : error instanceof RangeError ? "UnicodeError"
    : `not a socket error: ${(error as Error)?.name ?? typeof error}`;
  const errno = error instanceof SocketError ? (error.errno ?? null) : null;
  return { type, errno, message: error instanceof Error ? error.message : String(error) };
}

/** The recorder's namespace: lo alone, up, no route beyond it. */
const NETWORK = namespaceNetwork(
  { addresses: [{ interface: "lo", index: 1, address: "127.0.0.1", prefixlen: 8 }, { interface: "lo", index: 1, address: "::1", prefixlen: 128 }], routes: [] },
  { v4: false, v6: false },
);

const distinct = (lines: string[]): string[] => [...new Set(lines)].sort();

const golden = JSON.parse(readFileSync(GOLDEN_FILE, "utf8")) as Golden;

describe(`glibc parity scenarios: netdb against CPython ${golden.python} (${golden.libc}), the same server bytes`, function () {
  this.timeout(30_000);
  let server: ScriptedServer;

  before(async () => {
    server = await ScriptedServer.start(SERVER_ADDRESSES.map((address) => ({ address, port: 0 })));
  });
  after(async () => {
    // Undefined when before() failed to start it.
    await (server as ScriptedServer | undefined)?.stop();
  });

  it("every scenario has been recorded, and every recorded one still exists", () => {
    expect(golden.scenarios.map((s) => s.id)).to.deep.equal(SCENARIOS.map((s) => s.id));
  });

  for (const recorded of golden.scenarios) {
    const scenario = SCENARIOS.find((s) => s.id === recorded.id);
    describe(`class ${recorded.kind}, ${recorded.id}: ${recorded.what}`, () => {
      let resolver: Resolver;
      // Names go out in the case glibc sends them: the log compares them as sent.
      let transport: NetTransport;

      before(() => {
        const count = scenario?.servers ?? 1;
        server.use(scenario!.script);
        transport = new NetTransport({ pool: { caseRandomization: false } });
        resolver = new Resolver({
          transport,
          files: { ...golden.etc, "resolv.conf": recorded["resolv.conf"] },
          hostname: golden.hostname,
          env: {},
          network: NETWORK,
          nameservers: SERVER_ADDRESSES.slice(0, count).map((address, i) => `${address}:${server.ports[i]}`),
        });
      });
      after(async () => {
        await resolver.close();
        await transport.close();
      });

      for (const call of recorded.calls) {
        const what = `${call.call}(${call.args.map((arg) => JSON.stringify(arg)).join(", ")})`;
        it(`${what} → ${call.error === undefined ? "ok" : call.error.message}`, async () => {
          server.takeLog();
          const method = (resolver as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[call.call]!;
          const started = performance.now();
          let outcome: { ok?: unknown; error?: GoldenCall["error"] };
          try {
            outcome = { ok: JSON.parse(JSON.stringify(await method.apply(resolver, call.args))) as unknown };
          } catch (error) {
            outcome = { error: describeError(error) };
          }
          const ms = performance.now() - started;
          if (call.error !== undefined) expect(outcome.error, `netdb answered ${JSON.stringify(outcome.ok)?.slice(0, 300)}`).to.deep.equal(call.error);
          else {
            expect(outcome.error, "netdb failed").to.equal(undefined);
            expect(outcome.ok).to.deep.equal(call.ok);
          }
          expect(distinct(server.takeLog()), "the queries sent").to.deep.equal(distinct(call.queries));
          if (call.ms < 500) expect(ms, `glibc answered in ${call.ms} ms`).to.be.below(AT_ONCE_MS);
        });
      }
    });
  }
});

describe("glibc parity scenarios: the departures, as options off by default", () => {
  let server: ScriptedServer;
  let transport: NetTransport;

  before(async () => {
    server = await ScriptedServer.start([{ address: "127.0.0.1", port: 0 }]);
  });
  after(async () => {
    // Undefined when before() failed to start it.
    await (server as ScriptedServer | undefined)?.stop();
  });
  beforeEach(() => {
    transport = new NetTransport({ pool: { caseRandomization: false } });
  });
  afterEach(async () => {
    await transport.close();
  });

  function resolverFor(id: string, options: ConstructorParameters<typeof Resolver>[0]): Resolver {
    const recorded = golden.scenarios.find((s) => s.id === id)!;
    server.use(SCENARIOS.find((s) => s.id === id)!.script);
    server.takeLog();
    return new Resolver({
      transport,
      files: { ...golden.etc, "resolv.conf": recorded["resolv.conf"] },
      hostname: golden.hostname,
      env: {},
      network: NETWORK,
      nameservers: [`127.0.0.1:${server.ports[0]}`],
      ...options,
    });
  }

  it("ednsPayloadSize: 1232 keeps the 1,206-octet answer on UDP, where glibc's 1200 goes to TCP", async () => {
    const resolver = resolverFor("edns-1210", { ednsPayloadSize: 1232 });
    try {
      const [, , addresses] = await resolver.gethostbyname_ex("x.example");
      expect(addresses).to.have.length(73);
      expect(distinct(server.takeLog())).to.deep.equal(["udp 0 x.example A 1232"]);
    } finally {
      await resolver.close();
    }
  });

  it("ednsFallback: a FORMERR to EDNS is asked again without it, and answers, where glibc says EAI_NONAME", async () => {
    const resolver = resolverFor("formerr-edns", { ednsFallback: true });
    try {
      expect(await resolver.gethostbyname("x.example")).to.equal("192.0.2.1");
      expect(server.takeLog()).to.deep.equal(["udp 0 x.example A 1200", "udp 0 x.example A -"]);
    } finally {
      await resolver.close();
    }
  });
});

/**
 * netdb against CPython/glibc: for every world with a golden file
 * (fixtures/golden/lookup-<world>.json), serve the world's zones on a free
 * loopback port (the in-process server, or Knot with NETDB_GOLDEN_SERVER=knot),
 * give a Resolver the world's /etc files, those servers and the network the
 * golden file was recorded in, and ask every case in order: result, or
 * error class, errno and message, must be identical.
 *
 * The cases run in file order on one Resolver per world because CPython's
 * run did the same in one process, and some answers depend on what came
 * before (the thread's h_errno, the local domain of NI_NOFQDN).
 */
import { expect } from "chai";
import dgram from "node:dgram";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GaiError, HError, SocketError } from "../src/errors.js";
import { parseNameServer } from "../src/lookup/nameserver.js";
import { Resolver } from "../src/resolver.js";
import { TestDnsServer } from "./support/dnsserver.js";
import { startKnot, type KnotServer } from "./support/knot.js";
import { defaultRoutes, namespaceNetwork, type RecordedNamespace } from "./lookup/support/namespace.js";

const ROOT = join(import.meta.dirname, "..");
const GOLDEN = join(ROOT, "fixtures", "golden");
const WORLDS = join(ROOT, "fixtures", "worlds");

interface GoldenCase {
  id: string;
  call: string;
  args: unknown[];
  ok?: unknown;
  error?: { type: string; errno: number | null; message: string };
}

interface Golden {
  world: string;
  namespace: RecordedNamespace;
  cases: GoldenCase[];
}

/** Python's exception classes as netdb raises them (API.md "Errors"). */
const ERROR_CLASSES: Record<string, (e: unknown) => boolean> = {
  gaierror: (e) => e instanceof GaiError,
  herror: (e) => e instanceof HError,
  OSError: (e) => e instanceof SocketError && !(e instanceof GaiError) && !(e instanceof HError),
  TypeError: (e) => e instanceof TypeError,
  ValueError: (e) => e instanceof RangeError,
  UnicodeError: (e) => e instanceof RangeError,
  OverflowError: (e) => e instanceof RangeError,
};

/** Calls the Resolver method a golden case names, with the case's arguments. */
function call(resolver: Resolver, c: GoldenCase): Promise<unknown> {
  const r = resolver as unknown as Record<string, (...args: unknown[]) => unknown>;
  return Promise.resolve().then(() => r[c.call]!.apply(resolver, c.args));
}

/** A UDP socket on `address:port` that reads queries and never answers (a world's `silent` file). */
async function silentSocket(address: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(address.includes(":") ? "udp6" : "udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, address, () => resolve());
  });
  return socket;
}

/** The name servers of a world's resolv.conf, each moved to `port`. */
function worldNameServers(world: string, port: number): string[] {
  const text = readFileSync(join(WORLDS, world, "etc", "resolv.conf"), "utf8");
  const servers = [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => parseNameServer(m[1]!));
  return servers.map((s) => (s.family === 4 ? `${s.address}:${port}` : `[${s.address}]:${port}`));
}

const goldenFiles = readdirSync(GOLDEN).filter((f) => /^lookup-.+\.json$/.test(f)).sort();

for (const file of goldenFiles) {
  const golden = JSON.parse(readFileSync(join(GOLDEN, file), "utf8")) as Golden;
  const world = golden.world;
  const worldDir = join(WORLDS, world);

  describe(`golden lookups: world ${world}`, function () {
    this.timeout(30000);
    let resolver: Resolver;
    let stopServer: () => Promise<void> = async () => undefined;
    const silent: dgram.Socket[] = [];

    before(async function () {
      const zones = join(worldDir, "zones");
      let port = 9; // No zones: no server runs in the world either, so nothing answers.
      if (existsSync(zones)) {
        if (process.env.NETDB_GOLDEN_SERVER === "knot") {
          const origins = readFileSync(zones, "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim().split(/\s+/)).filter((f) => f.length === 2);
          const knot: KnotServer = await startKnot(origins.map(([origin, f]) => ({ origin: origin!, file: join(ROOT, "fixtures", "zones", f!) })));
          port = knot.port;
          stopServer = () => knot.stop();
        } else {
          const server = await TestDnsServer.start({ worldZones: zones });
          port = server.port;
          stopServer = () => server.stop();
        }
      }
      const silentFile = join(worldDir, "silent");
      if (existsSync(silentFile)) {
        for (const line of readFileSync(silentFile, "utf8").split("\n")) {
          const [address] = line.replace(/#.*/, "").trim().split(/\s+/);
          if (address) silent.push(await silentSocket(address, port));
        }
      }
      const netFile = join(worldDir, "net");
      resolver = new Resolver({
        root: worldDir,
        nameservers: worldNameServers(world, port),
        network: namespaceNetwork(golden.namespace, defaultRoutes(existsSync(netFile) ? readFileSync(netFile, "utf8") : undefined)),
        env: {},
      });
    });

    after(async function () {
      await resolver?.close();
      for (const socket of silent) socket.close();
      await stopServer();
    });

    for (const c of golden.cases) {
      it(c.id, async function () {
        let outcome: { ok: unknown } | { error: unknown };
        try {
          outcome = { ok: await call(resolver, c) };
        } catch (error) {
          outcome = { error };
        }
        if (c.error === undefined) {
          if ("error" in outcome) throw outcome.error;
          expect(JSON.parse(JSON.stringify(outcome.ok))).to.deep.equal(c.ok);
          return;
        }
        expect(outcome, `expected ${c.error.type}: ${c.error.message}`).to.have.property("error");
        const error = (outcome as { error: unknown }).error;
        const matchesClass = ERROR_CLASSES[c.error.type];
        expect(matchesClass, `no netdb class for Python's ${c.error.type}`).to.not.equal(undefined);
        expect(matchesClass!(error), `${String(error)} is not netdb's ${c.error.type}`).to.equal(true);
        expect((error as Error).message).to.equal(c.error.message);
        const errno = error instanceof SocketError ? error.errno ?? null : null;
        expect(errno).to.equal(c.error.errno);
      });
    }
  });
}

/**
 * The golden lookup files (fixtures/golden/lookup-<world>.json, recorded
 * from CPython/glibc in fixtures/worlds/<world>) and how a Resolver is held
 * to them: shared by the live run (test/golden-lookup.test.ts), the replay
 * of a recorded world (test/golden-replay.test.ts) and the script that
 * records that world (scripts/record-golden-world.ts).
 */
import { expect } from "chai";
import dgram from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GaiError, HError, SocketError } from "../../src/errors.js";
import { parseNameServer } from "../../src/lookup/nameserver.js";
import type { NetworkEnvironment } from "../../src/lookup/network.js";
import { Resolver } from "../../src/resolver.js";
import { TestDnsServer } from "./dnsserver.js";
import { startKnot } from "./knot.js";
import { defaultRoutes, namespaceNetwork, type RecordedNamespace } from "../lookup/support/namespace.js";

const ROOT = join(import.meta.dirname, "..", "..");
export const GOLDEN = join(ROOT, "fixtures", "golden");
export const WORLDS = join(ROOT, "fixtures", "worlds");

export interface GoldenCase {
  id: string;
  call: string;
  args: unknown[];
  ok?: unknown;
  error?: { type: string; errno: number | null; message: string };
}

export interface Golden {
  world: string;
  namespace: RecordedNamespace;
  cases: GoldenCase[];
}

export function readGolden(file: string): Golden {
  return JSON.parse(readFileSync(join(GOLDEN, file), "utf8")) as Golden;
}

/** Python's exception classes as netdb raises them (API.md "Errors"). */
const ERROR_CLASSES: Record<string, (e: unknown) => boolean> = {
  gaierror: (e) => e instanceof GaiError,
  herror: (e) => e instanceof HError,
  OSError: (e) => e instanceof SocketError && !(e instanceof GaiError) && !(e instanceof HError),
  // OSError subclasses CPython picks by errno.
  IsADirectoryError: (e) => e instanceof SocketError && e.errno === 21,
  PermissionError: (e) => e instanceof SocketError && e.errno === 13,
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

/** Runs one case; throws (a chai AssertionError) unless the result, or error class, errno and message, are CPython's. */
export async function expectGolden(resolver: Resolver, c: GoldenCase): Promise<void> {
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

/** A world's servers running on loopback: its resolv.conf's servers, moved to their port. */
export interface LiveWorld {
  nameservers: string[];
  stop(): Promise<void>;
}

/**
 * Serves a world's zones on a free loopback port (the in-process server,
 * or Knot with NETDB_GOLDEN_SERVER=knot), with a socket that never answers
 * for each address of its `silent` file. A world without zones gets no
 * server (port 9: nothing answers there either).
 */
export async function startWorld(world: string): Promise<LiveWorld> {
  const worldDir = join(WORLDS, world);
  const zones = join(worldDir, "zones");
  let port = 9;
  let stopServer: () => Promise<void> = async () => undefined;
  if (existsSync(zones)) {
    if (process.env.NETDB_GOLDEN_SERVER === "knot") {
      const origins = readFileSync(zones, "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim().split(/\s+/)).filter((f) => f.length === 2);
      const knot = await startKnot(origins.map(([origin, f]) => ({ origin: origin!, file: join(ROOT, "fixtures", "zones", f!) })));
      port = knot.port;
      stopServer = () => knot.stop();
    } else {
      const server = await TestDnsServer.start({ worldZones: zones });
      port = server.port;
      stopServer = () => server.stop();
    }
  }
  const silent: dgram.Socket[] = [];
  const silentFile = join(worldDir, "silent");
  if (existsSync(silentFile)) {
    for (const line of readFileSync(silentFile, "utf8").split("\n")) {
      const [address] = line.replace(/#.*/, "").trim().split(/\s+/);
      if (address) silent.push(await silentSocket(address, port));
    }
  }
  return {
    nameservers: worldNameServers(world, port),
    async stop() {
      for (const socket of silent) socket.close();
      await stopServer();
    },
  };
}

/** The network the golden file of a world was recorded in (its addresses, and routes from the world's `net`). */
export function goldenNetwork(golden: Golden): NetworkEnvironment {
  const netFile = join(WORLDS, golden.world, "net");
  return namespaceNetwork(golden.namespace, defaultRoutes(existsSync(netFile) ? readFileSync(netFile, "utf8") : undefined));
}

/** What a golden suite changes about its Resolver and its cases. */
export interface GoldenSuiteOptions {
  /** The Resolver's environment (default none: regen.sh runs python with an empty one). */
  env?: Record<string, string>;
  /** A case as netdb is asked it (bytes arguments made Uint8Arrays). */
  mapCase?: (c: GoldenCase) => GoldenCase;
}

/**
 * A mocha suite holding netdb to a golden file: the world's zones served on
 * loopback ({@link startWorld}), one Resolver on the world's files, servers
 * and recorded network, and every case asked in file order on it, because
 * CPython's run did the same in one process and some answers depend on
 * what came before (the thread's h_errno, the local domain of NI_NOFQDN).
 */
export function describeGolden(title: string, golden: Golden, options: GoldenSuiteOptions = {}): void {
  describe(title, function () {
    this.timeout(30000);
    let resolver: Resolver | undefined;
    let live: LiveWorld | undefined;

    before(async function () {
      live = await startWorld(golden.world);
      resolver = new Resolver({ root: join(WORLDS, golden.world), nameservers: live.nameservers, network: goldenNetwork(golden), env: options.env ?? {} });
    });

    after(async function () {
      await resolver?.close();
      await live?.stop();
    });

    for (const c of golden.cases) {
      it(c.id, () => expectGolden(resolver!, options.mapCase?.(c) ?? c));
    }
  });
}

/**
 * Worlds: a directory holding everything a lookup depends on, so lookups
 * can be replayed offline exactly as they happened.
 *
 * ```
 * <world>/etc/hosts, etc/resolv.conf, ...   the etc files (the world is the root)
 * <world>/exchanges.jsonl                    every DNS exchange, wire bytes included
 * <world>/network.json                       optional: interface addresses, and the
 *                                            source address of each destination
 * ```
 *
 * {@link openWorld} gives the resolver options that replay a world;
 * {@link recordWorld} the ones that record one from a live server.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "./builtins.js";
import { hostname as osHostname } from "./builtins.js";
import { join } from "node:path";
import { parseIPv4, parseIPv6 } from "./inet.js";
import { EXCHANGE_LOG } from "./dns/transport/exchange-log.js";
import { RecordTransport } from "./dns/transport/record.js";
import { ReplayTransport } from "./dns/transport/replay.js";
import { parseHostname } from "./files/hostname.js";
import { LazyNetTransport } from "./dns/transport/lazy-net.js";
import { systemNetwork, type InterfaceAddress, type NetworkEnvironment } from "./lookup/network.js";
import type { ResolverOptions } from "./options.js";
import type { Transport } from "./dns/transport/transport.js";

export { EXCHANGE_LOG };

/** The file of a world that describes the machine's network. */
export const NETWORK_FILE = "network.json";

/** The etc files a recording copies into the world, when the root has them. */
const WORLD_ETC_FILES = ["hosts", "services", "protocols", "networks", "resolv.conf", "nsswitch.conf", "host.conf", "gai.conf", "hostname"];

/** How to replay a world. */
export interface WorldOptions {
  /** Answer queries the world has no recording for with NXDOMAIN instead of failing. */
  nxdomainOnMiss?: boolean;
  /** Match recordings by server too (see {@link ReplayTransport}). */
  matchServer?: boolean;
}

/**
 * The resolver options that make a resolver live in a world, plus the
 * replay transport itself, so a test can ask it which recordings went
 * unused.
 */
export interface World {
  /** The world directory: etc files are read from `<root>/etc`. */
  root: string;
  /** What gethostname() returns there: the world's etc/hostname (`localhost` without one). */
  hostname: string;
  /** The environment the resolver reads (LOCALDOMAIN, RES_OPTIONS): empty, so the caller's cannot leak in. */
  env: Record<string, string | undefined>;
  transport: ReplayTransport;
  network: NetworkEnvironment;
}

/**
 * Opens the world in `dir` for replay. Throws when `dir` has no
 * `exchanges.jsonl`: an empty world must be an empty file, not a typo.
 */
export function openWorld(dir: string, options: WorldOptions = {}): World {
  const log = join(dir, EXCHANGE_LOG);
  if (!existsSync(log)) throw new Error(`${dir} is not a world: it has no ${EXCHANGE_LOG}`);
  return {
    root: dir,
    hostname: readHostname(dir) ?? "localhost",
    env: {},
    transport: ReplayTransport.fromFile(log, { ...options, source: dir }),
    network: readNetwork(dir),
  };
}

/**
 * Resolver options that replay the world in `dir` (see {@link openWorld}),
 * with `options` on top: what `Resolver.fromWorld` builds its resolver from.
 */
export function worldResolverOptions(dir: string, options: ResolverOptions & WorldOptions = {}): ResolverOptions {
  const { nxdomainOnMiss, matchServer, ...rest } = options;
  return { ...openWorld(dir, { nxdomainOnMiss, matchServer }), ...rest };
}

/** What a recording needs: where the etc files come from and how to reach servers. */
export interface RecordWorldOptions {
  /** The root whose etc files the recorded lookups read (default `/`); they are copied into the world. */
  root?: string;
  /** The live transport to record (default: a new `NetTransport`). */
  transport?: Transport;
  /** The network the recorded lookups see (default: the machine's). */
  network?: NetworkEnvironment;
  /**
   * Add to the world already in the directory (its exchanges and network
   * facts) instead of starting afresh, so several runs make one world.
   */
  append?: boolean;
  /** What gethostname() returns while recording (default `os.hostname()`); saved as etc/hostname. */
  hostname?: string;
}

/** Resolver options that record a world, and {@link WorldRecording.finish} to complete it. */
export interface WorldRecording {
  root: string;
  hostname: string;
  transport: RecordTransport;
  network: NetworkEnvironment;
  /** Writes network.json and closes the transport. */
  finish(): Promise<void>;
}

/**
 * Starts recording a world into `dir`: copies the root's etc files there
 * now, logs every DNS exchange as it happens, and notes the network facts
 * lookups ask for. Lookups made with the returned options read the
 * original root, so the recording sees exactly what a live run sees.
 */
export function recordWorld(dir: string, options: RecordWorldOptions): WorldRecording {
  const root = options.root ?? "/";
  const hostname = options.hostname ?? osHostname();
  mkdirSync(join(dir, "etc"), { recursive: true });
  for (const name of WORLD_ETC_FILES) {
    const from = join(root, "etc", name);
    if (existsSync(from)) copyFileSync(from, join(dir, "etc", name));
  }
  writeFileSync(join(dir, "etc", "hostname"), `${hostname}\n`);
  const transport = new RecordTransport(options.transport ?? new LazyNetTransport(), join(dir, EXCHANGE_LOG), { append: options.append === true });
  const earlier = options.append === true ? readSavedNetwork(dir)?.sources : undefined;
  const network = recordingNetwork(options.network ?? systemNetwork, earlier ?? []);
  return {
    root,
    hostname,
    transport,
    network,
    async finish() {
      writeFileSync(join(dir, NETWORK_FILE), network.snapshot());
      await transport.close();
    },
  };
}

function readHostname(dir: string): string | undefined {
  const path = join(dir, "etc", "hostname");
  return existsSync(path) ? parseHostname(readFileSync(path, "utf8")) : undefined;
}

/** One recorded answer of `sourceFor`. */
interface RecordedSource {
  family: 4 | 6;
  address: string;
  scopeId: number;
  /** The source address, or null for an unreachable destination. */
  source: string | null;
}

function sourceKey(d: { family: number; address: string; scopeId: number }): string {
  return `${d.family} ${d.address} ${d.scopeId}`;
}

/** A network that passes `inner` through and remembers the sources it gave. */
interface RecordingNetwork extends NetworkEnvironment {
  /** network.json: the addresses now, and every source asked for, sorted. */
  snapshot(): string;
}

/**
 * Passes a network through, remembering what it said. A plain object with
 * its functions as own properties, because the Resolver spreads the
 * network it is given over the machine's.
 */
function recordingNetwork(inner: NetworkEnvironment, earlier: readonly RecordedSource[]): RecordingNetwork {
  const sources = new Map(earlier.map((s) => [sourceKey(s), s]));
  return {
    addresses: () => inner.addresses(),
    indexOf: (name) => inner.indexOf(name),
    nameOf: (index) => inner.nameOf(index),
    async sourceFor(destination) {
      const source = await inner.sourceFor(destination);
      const { family, address, scopeId } = destination;
      sources.set(sourceKey(destination), { family, address, scopeId, source });
      return source;
    },
    snapshot() {
      const sorted = [...sources.values()].sort((a, b) => sourceKey(a).localeCompare(sourceKey(b)));
      return JSON.stringify({ addresses: inner.addresses(), sources: sorted }, null, 2) + "\n";
    },
  };
}

/** The network of a world without network.json: a machine with only loopback. */
const LOOPBACK_ONLY: InterfaceAddress[] = [
  { name: "lo", index: 1, family: 4, address: "127.0.0.1", prefixlen: 8 },
  { name: "lo", index: 1, family: 6, address: "::1", prefixlen: 128 },
];

/** What network.json holds. */
interface SavedNetwork {
  addresses: InterfaceAddress[];
  sources: RecordedSource[];
}

function readSavedNetwork(dir: string): SavedNetwork | undefined {
  const path = join(dir, NETWORK_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as SavedNetwork) : undefined;
}

/** Reads network.json, or describes a loopback-only machine when there is none. */
function readNetwork(dir: string): NetworkEnvironment {
  const saved = readSavedNetwork(dir);
  if (saved === undefined) return worldNetwork(LOOPBACK_ONLY, undefined, dir);
  return worldNetwork(saved.addresses, new Map(saved.sources.map((s) => [sourceKey(s), s.source])), dir);
}

/**
 * A world's network (a plain object, as for {@link recordingNetwork}).
 * With recorded sources, a destination nobody recorded is an error naming
 * the world (as a DNS miss is); without (no network.json), every
 * destination but loopback is unreachable.
 */
function worldNetwork(addresses: readonly InterfaceAddress[], sources: Map<string, string | null> | undefined, world: string): NetworkEnvironment {
  return {
    addresses: () => addresses.map((a) => ({ ...a })),
    indexOf: (name) => addresses.find((a) => a.name === name)?.index ?? 0,
    nameOf: (index) => addresses.find((a) => a.index === index)?.name,
    sourceFor(destination) {
      const recorded = sources?.get(sourceKey(destination));
      if (recorded !== undefined) return Promise.resolve(recorded);
      const loopback = loopbackSource(destination.address);
      if (loopback !== undefined || sources === undefined) return Promise.resolve(loopback ?? null);
      return Promise.reject(new Error(`no recorded source address for ${destination.address} in world ${world}; record the world again`));
    },
  };
}

/**
 * The source the kernel picks for a loopback destination (the address of
 * lo: 127.0.0.1, ::1, or 127.0.0.1 IPv4-mapped), or undefined for any other.
 */
export function loopbackSource(address: string): string | undefined {
  const v4 = parseIPv4(address);
  if (v4 !== null) return v4[0] === 127 ? "127.0.0.1" : undefined;
  const v6 = parseIPv6(address);
  if (v6 === null || !v6.subarray(0, 10).every((b) => b === 0)) return undefined;
  if (v6[10] === 0xff && v6[11] === 0xff) return v6[12] === 127 ? "::ffff:127.0.0.1" : undefined;
  return v6.subarray(10, 15).every((b) => b === 0) && v6[15] === 1 ? "::1" : undefined;
}

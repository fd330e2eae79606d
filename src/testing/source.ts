/**
 * What an interception answers from, made into one netdb Resolver: a
 * Resolver given as it is, a recorded world directory (replayed, or in
 * record mode replayed and completed from a live loopback server), or an
 * inline world (hosts text and zones). Faults go on top of the source's
 * transport. Each kind also tells what it had that nobody asked.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ZoneTransport } from "../dns/transport/zone.js";
import { EXCHANGE_LOG } from "../dns/transport/exchange-log.js";
import { ReplayTransport } from "../dns/transport/replay.js";
import { parseHosts } from "../files/hosts.js";
import type { ResolverOptions } from "../options.js";
import { Resolver } from "../resolver.js";
import { startExchange, type Transport } from "../dns/transport/transport.js";
import { openWorld } from "../world.js";
import { FaultTransport, type FaultOptions } from "./faults.js";
import { inlineResolver, type InlineWorld } from "./inline.js";
import { RecordMissesTransport, recordModeFrom, recordServer, type RecordMode } from "./record-misses.js";

/** Where answers come from: a Resolver, a world directory, or a world written inline. */
export type DnsWorldSource = Resolver | string | InlineWorld;

/** How a source is opened. */
export interface SourceOptions {
  /** Answer questions the source cannot answer NXDOMAIN instead of failing them loudly. */
  nxdomainOnMiss?: boolean;
  /** Faults applied on top of the source (for a Resolver, on top of its whole transport stack). */
  faults?: FaultOptions;
  /** Record mode for a world directory; else the NETDB_RECORD environment variable turns it on. */
  record?: RecordMode;
  /** Resolver options on top of the world's (`timeout`, `attempts`, `ndots`...). */
  resolver?: ResolverOptions;
}

/** Something the source had that no question asked for. */
export interface UnusedEntry {
  from: "hosts" | "zone" | "recording";
  name: string;
  /** The record type; `A`/`AAAA` for a hosts line. */
  type: string;
  /** The hosts line, the record's data, or the recorded server. */
  data: unknown;
}

/** A source, opened. */
export interface OpenedSource {
  resolver: Resolver;
  /** The fault transport, when faults were asked for. */
  faults: FaultTransport | undefined;
  /** What the source had that no question asked for; `asked` holds the lowercased names and addresses asked. */
  unused(asked: ReadonlySet<string>): UnusedEntry[];
  /** Closes the resolver made here (a Resolver passed in stays its owner's). */
  close(): Promise<void>;
}

/** Opens `source`; see the file comment. */
export function openSource(source: DnsWorldSource, options: SourceOptions): OpenedSource {
  if (source instanceof Resolver) return openResolver(source, options);
  if (typeof source === "string") return openDirectory(source, options);
  return openInline(checkedInline(source), options);
}

/** `source` if it is an inline world (an object with at most a string `hosts` and a string or strings `zone`); a TypeError naming what is wrong otherwise. */
function checkedInline(source: unknown): InlineWorld {
  if (typeof source !== "object" || source === null || Array.isArray(source)) {
    throw new TypeError(`a DNS world is a Resolver, a world directory or { hosts?, zone? }, not ${String(source)}`);
  }
  const { hosts, zone, ...rest } = source as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new TypeError(`an inline world has hosts and zone, not ${unknown.join(", ")}`);
  if (hosts !== undefined && typeof hosts !== "string") throw new TypeError("an inline world's hosts must be the text of a hosts file");
  const zones = zone === undefined ? [] : Array.isArray(zone) ? zone : [zone];
  if (zones.some((z) => typeof z !== "string")) throw new TypeError("an inline world's zone must be zone-file text, or an array of them");
  return source as InlineWorld;
}

/**
 * A Resolver as it is; with faults or resolver options, a Resolver derived
 * from it whose transport is the faults over its whole stack (its cache
 * included), which closing the interception leaves open: it is the
 * Resolver's owner's.
 */
function openResolver(source: Resolver, options: SourceOptions): OpenedSource {
  if (options.record !== undefined) throw new TypeError("record mode needs a world directory to append to, not a Resolver");
  const unused = (): UnusedEntry[] => unusedOf(source.transport);
  if (options.faults === undefined && options.resolver === undefined) return { resolver: source, faults: undefined, unused, close: () => Promise.resolve() };
  const stack = source.transport;
  const borrowed: Transport = { exchange: (request) => stack.exchange(request), send: (request, sink) => startExchange(stack, request, sink), close: () => Promise.resolve() };
  const opened = withFaults({ transport: borrowed }, options, (resolverOptions) => source.derive({ ...resolverOptions, cache: undefined, mergeQueries: false }));
  return { ...opened, unused };
}

function openDirectory(dir: string, options: SourceOptions): OpenedSource {
  const record = recordModeFrom(options.record, process.env);
  const server = record === undefined ? undefined : recordServer(record);
  if (server !== undefined && !existsSync(join(dir, EXCHANGE_LOG))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, EXCHANGE_LOG), "");
  }
  const world = openWorld(dir, { nxdomainOnMiss: server === undefined && options.nxdomainOnMiss === true });
  const transport: Transport = server === undefined ? world.transport : new RecordMissesTransport(world.transport, dir, server);
  const opened = withFaults({ ...world, transport }, options);
  return { ...opened, unused: () => unusedOf(world.transport) };
}

function openInline(world: InlineWorld, options: SourceOptions): OpenedSource {
  if (options.record !== undefined) throw new TypeError("record mode needs a world directory to append to, not an inline world");
  const inline = inlineResolver(world, options.nxdomainOnMiss === true);
  const opened = withFaults(inline.options, options);
  const hostsEntries = parseHosts(world.hosts ?? "").entries;
  return {
    ...opened,
    unused: (asked) => [
      ...hostsEntries
        .filter((e) => !asked.has(e.address) && ![e.canonical, ...e.aliases].some((n) => asked.has(n.toLowerCase())))
        .map((e): UnusedEntry => ({ from: "hosts", name: e.canonical, type: e.family === 4 ? "A" : "AAAA", data: [e.address, e.canonical, ...e.aliases].join(" ") })),
      ...unusedOf(inline.transport),
    ],
  };
}

/** A Resolver over `base` (made by `make`) with the faults and resolver options asked for on top. */
function withFaults(
  base: ResolverOptions & { transport: Transport },
  options: SourceOptions,
  make: (options: ResolverOptions) => Resolver = (o) => new Resolver(o),
): Omit<OpenedSource, "unused"> {
  const faults = options.faults === undefined ? undefined : new FaultTransport(base.transport, options.faults);
  const resolver = make({ ...base, ...options.resolver, transport: faults ?? base.transport });
  const transport = faults ?? base.transport;
  return { resolver, faults, close: () => transport.close() };
}

/** The unused recordings or zone records of a replay or zone transport (the bottom of a resolver's stack). */
function unusedOf(transport: Transport): UnusedEntry[] {
  if (transport instanceof ZoneTransport) return transport.unused().map((rr) => ({ from: "zone", name: rr.name, type: rr.type, data: rr.data }));
  if (transport instanceof ReplayTransport) return transport.unused().map((e) => ({ from: "recording", name: e.question.name, type: e.question.type, data: e.server }));
  return [];
}

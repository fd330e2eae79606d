/**
 * netdb/testing: test network code offline. `interceptDns` makes this
 * process's node:dns (and so net, http, tls, undici, fetch and every
 * package that resolves names through them) answer from a recorded or
 * inline world, with deterministic faults on top and a log of every
 * question; `FaultTransport` gives the same faults to a netdb Resolver;
 * `ZoneTransport` answers from zone texts as an authoritative server.
 * docs/testing.md shows it under mocha, node:test and vitest.
 */
export { interceptDns, type DnsInterception, type InterceptOptions } from "./intercept.js";
export type { AskedQuestion } from "./questions.js";
export type { DnsWorldSource, SourceOptions, UnusedEntry } from "./source.js";
export { INLINE_SERVERS, type InlineWorld } from "./inline.js";
export { FaultTransport, type Fault, type FaultRule, type FaultOptions, type AppliedFault } from "./faults.js";
export { RECORD_ENV, type RecordMode } from "./record-misses.js";
export { ZoneTransport, ZoneMissError, type ZoneTransportOptions } from "../dns/transport/zone.js";
export { parseZoneText, ZoneFileError, type Zone, type ZoneRecord, type ZoneData } from "../zone/zonefile.js";

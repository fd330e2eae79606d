/**
 * A fake `dns` hosts module answering from a table, for tests of what the
 * lookup layer makes of nss_dns's answers without a server.
 */
import { HOST_NOT_FOUND, NO_DATA } from "../../../src/constants.js";
import { parseIPv4, parseIPv6 } from "../../../src/inet.js";
import type { AddrTuple, NssOutcome } from "../../../src/lookup/hostent.js";
import type { HostsModule } from "../../../src/lookup/sources.js";
import { laterModule } from "./modules.js";
import type { NssStatus } from "../../../src/files/nsswitch.js";

/** Addresses a name has (any may be empty), or the failure nss_dns reports for it. */
export type FakeAnswer =
  | { a?: string[]; aaaa?: string[]; canon?: string }
  | { status: NssStatus; herrno: number };

export interface FakeDns extends HostsModule {
  /** The calls made, as "byName4 name", "byName3 name 6", "byAddr 1.2.3.4". */
  readonly calls: string[];
}

export function fakeDns(table: Record<string, FakeAnswer>): FakeDns {
  const calls: string[] = [];
  const failure = <T>(name: string): NssOutcome<T> | undefined => {
    const entry = table[name];
    if (entry === undefined) return { status: "notfound", herrno: HOST_NOT_FOUND, resolverHErrno: HOST_NOT_FOUND };
    if ("status" in entry) return { status: entry.status, herrno: entry.herrno, resolverHErrno: entry.herrno };
    return undefined;
  };
  const module = laterModule({
    async byName4(name) {
      calls.push(`byName4 ${name}`);
      const failed = failure<AddrTuple[]>(name);
      if (failed !== undefined) return failed;
      const entry = table[name] as { a?: string[]; aaaa?: string[]; canon?: string };
      const tuples: AddrTuple[] = [
        ...(entry.a ?? []).map((a) => ({ family: 4 as const, address: parseIPv4(a)!, scopeId: 0 })),
        ...(entry.aaaa ?? []).map((a) => ({ family: 6 as const, address: parseIPv6(a)!, scopeId: 0 })),
      ];
      if (tuples.length === 0) return { status: "notfound", herrno: NO_DATA, resolverHErrno: NO_DATA };
      tuples[0]!.name = entry.canon ?? name;
      return { status: "success", value: tuples, herrno: 0 };
    },
    async byName3(name, family) {
      calls.push(`byName3 ${name} ${family}`);
      const failed = failure<never>(name);
      if (failed !== undefined) return failed;
      const entry = table[name] as { a?: string[]; aaaa?: string[]; canon?: string };
      const texts = (family === 4 ? entry.a : entry.aaaa) ?? [];
      if (texts.length === 0) return { status: "notfound", herrno: NO_DATA, resolverHErrno: NO_DATA };
      const parse = family === 4 ? parseIPv4 : parseIPv6;
      const canon = entry.canon ?? name;
      return { status: "success", value: { name: canon, aliases: [], family, addresses: texts.map((t) => parse(t)!) }, canon, herrno: 0 };
    },
    async byAddr(address) {
      calls.push(`byAddr ${Buffer.from(address).toString("hex")}`);
      return { status: "notfound", herrno: HOST_NOT_FOUND, resolverHErrno: HOST_NOT_FOUND };
    },
  });
  return { calls, ...module };
}

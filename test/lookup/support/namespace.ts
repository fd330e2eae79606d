/**
 * A {@link NetworkEnvironment} that behaves like the network namespace a
 * golden file was recorded in: the interface addresses it lists, and the
 * kernel's choice of source address from those addresses and the world's
 * default routes (fixtures/worlds/<world>/net). Only what the worlds use is
 * modelled: every address sits on `lo`, so a prefix on lo is local, and a
 * default route makes every other destination of its family reachable.
 */
import { parseIPv4, parseIPv6 } from "../../../src/inet.js";
import type { Destination, InterfaceAddress, NetworkEnvironment } from "../../../src/lookup/network.js";

/** The `namespace` record of a golden file. */
export interface RecordedNamespace {
  addresses: Array<{ interface: string; index: number; address: string; prefixlen: number }>;
  routes: Array<{ dst: string; dev: string; gateway?: string }>;
}

/** Which families have a default route, from the `ip` commands of a world's `net` file. */
export function defaultRoutes(netFile: string | undefined): { v4: boolean; v6: boolean } {
  const lines = (netFile ?? "").split("\n").map((l) => l.replace(/#.*/, "").trim());
  return {
    v4: lines.some((l) => /^route add default\b/.test(l)),
    v6: lines.some((l) => /^-6 route add default\b/.test(l)),
  };
}

function inPrefix(address: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let i = 0; i < address.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff00 >> bits) & 0xff;
    if ((address[i]! & mask) !== (prefix[i]! & mask)) return false;
  }
  return true;
}

/** The namespace as a NetworkEnvironment. */
export function namespaceNetwork(recorded: RecordedNamespace, routes: { v4: boolean; v6: boolean }): NetworkEnvironment {
  const addresses: InterfaceAddress[] = recorded.addresses.map((a) => ({
    name: a.interface,
    index: a.index,
    family: a.address.includes(":") ? 6 : 4,
    address: a.address,
    prefixlen: a.prefixlen,
  }));
  const ofFamily = (family: 4 | 6) => addresses
    .filter((a) => a.family === family)
    .map((a) => ({ ...a, bytes: (family === 4 ? parseIPv4(a.address) : parseIPv6(a.address))! }));

  const sourceV4 = (dest: Uint8Array): string | null => {
    if (dest[0] === 127 || dest.every((b) => b === 0)) return "127.0.0.1";
    const own = ofFamily(4);
    const local = own.find((a) => a.address !== "127.0.0.1" && inPrefix(dest, a.bytes, a.prefixlen));
    if (local !== undefined) return local.address;
    const global = own.find((a) => a.bytes[0] !== 127);
    return routes.v4 && global !== undefined ? global.address : null;
  };
  const sourceV6 = (dest: Uint8Array): string | null => {
    const loopback = dest.subarray(0, 15).every((b) => b === 0) && (dest[15] === 0 || dest[15] === 1);
    if (loopback) return "::1";
    if (dest.subarray(0, 10).every((b) => b === 0) && dest[10] === 0xff && dest[11] === 0xff) {
      const v4 = sourceV4(dest.subarray(12));
      return v4 === null ? null : `::ffff:${v4}`;
    }
    const own = ofFamily(6).filter((a) => a.address !== "::1");
    const local = own.find((a) => inPrefix(dest, a.bytes, a.prefixlen));
    if (local !== undefined) return local.address;
    return routes.v6 && own[0] !== undefined ? own[0].address : null;
  };

  return {
    addresses: () => addresses.map((a) => ({ ...a })),
    indexOf: (name) => addresses.find((a) => a.name === name)?.index ?? 0,
    nameOf: (index) => addresses.find((a) => a.index === index)?.name,
    sourceFor: async (destination: Destination) => {
      if (destination.family === 4) {
        const bytes = parseIPv4(destination.address);
        return bytes === null ? null : sourceV4(bytes);
      }
      const bytes = parseIPv6(destination.address);
      return bytes === null ? null : sourceV6(bytes);
    },
  };
}


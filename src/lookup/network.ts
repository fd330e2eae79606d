/**
 * What getaddrinfo and getnameinfo learn from the machine's network
 * configuration: interface addresses (AI_ADDRCONFIG and the sort's
 * prefix/interface data, glibc's __check_pf), interface names and indexes
 * (scoped IPv6 addresses), and the source address the kernel picks for a
 * destination (the sort's connect() probe). All of it sits behind
 * {@link NetworkEnvironment} so tests and sandboxes can supply their own.
 */
import { dgramModule, networkInterfaces, readdirSync, readFileSync } from "../builtins.js";
import { udpSocketDenied } from "../deno.js";
import { parseIPv6, formatIPv6 } from "../inet.js";
import type { Destination, InterfaceAddress, NetworkEnvironment } from "./environment.js";
import { readRouteTables, routedSource } from "./routes.js";

export type { Destination, InterfaceAddress, NetworkEnvironment } from "./environment.js";

/**
 * glibc's __check_pf over interface addresses: a family counts when some
 * address of it is not the loopback address itself (exactly 127.0.0.1 or
 * ::1; another 127/8 address counts).
 */
export function familiesOf(addresses: readonly InterfaceAddress[]): { v4: boolean; v6: boolean } {
  return {
    v4: addresses.some((a) => a.family === 4 && a.address !== "127.0.0.1"),
    v6: addresses.some((a) => a.family === 6 && a.address !== "::1"),
  };
}

const SYS_NET = "/sys/class/net";
/** Linux ARPHRD_TUNNEL, ARPHRD_TUNNEL6 and ARPHRD_SIT: what glibc calls non-native. */
const TUNNEL_TYPES = new Set([768, 769, 776]);
/** Linux IFNAMSIZ: if_nametoindex rejects longer names. */
const IFNAMSIZ = 16;

function readSysNumber(name: string, file: string): number | undefined {
  if (name.length === 0 || name.length >= IFNAMSIZ || name.includes("/") || name === "." || name === "..") return undefined;
  try {
    const value = Number.parseInt(readFileSync(`${SYS_NET}/${name}/${file}`, "latin1"), 10);
    return Number.isNaN(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

function isNative(name: string): boolean {
  const type = readSysNumber(name, "type");
  return type === undefined || !TUNNEL_TYPES.has(type);
}

/** IPv6 addresses with their flags, from /proc/net/if_inet6, or undefined where it cannot be read. */
function procIPv6Addresses(): InterfaceAddress[] | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/net/if_inet6", "latin1");
  } catch {
    return undefined;
  }
  const out: InterfaceAddress[] = [];
  for (const line of text.split("\n")) {
    const [hex, index, prefixlen, , flags, name] = line.trim().split(/\s+/);
    if (hex === undefined || hex.length !== 32 || name === undefined) continue;
    const bytes = parseIPv6(hex.match(/.{4}/g)!.join(":"));
    if (bytes === null) continue;
    const f = Number.parseInt(flags!, 16);
    out.push({
      name,
      index: Number.parseInt(index!, 16),
      family: 6,
      address: formatIPv6(bytes),
      prefixlen: Number.parseInt(prefixlen!, 16),
      // IFA_F_DEPRECATED 0x20, IFA_F_OPTIMISTIC 0x04, IFA_F_HOMEADDRESS 0x10.
      deprecated: (f & 0x24) !== 0,
      homeAddress: (f & 0x10) !== 0,
      native: isNative(name),
    });
  }
  return out;
}

function systemAddresses(): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  const v6 = procIPv6Addresses();
  for (const [name, infos] of Object.entries(networkInterfaces())) {
    const index = readSysNumber(name, "ifindex") ?? 0;
    for (const info of infos ?? []) {
      const family = info.family === "IPv4" ? 4 : 6;
      if (family === 6 && v6 !== undefined) continue;
      const prefixlen = Number(info.cidr?.split("/")[1] ?? (family === 4 ? 32 : 128));
      out.push({ name, index, family, address: info.address, prefixlen, native: isNative(name) });
    }
  }
  return out.concat(v6 ?? []);
}

/**
 * How long the interface list is kept. glibc asks netlink on every
 * getaddrinfo; reading /proc, /sys and os.networkInterfaces() costs about
 * 180 µs, so a second's delay in seeing an address come or go (as the /etc
 * files are checked at most once a second) buys back that time per call.
 */
const ADDRESSES_KEPT_MS = 1_000;
let lastAddresses: { readAt: number; addresses: readonly InterfaceAddress[] } | undefined;

/** {@link systemAddresses}, read at most once per {@link ADDRESSES_KEPT_MS}; a fresh array each call. */
function keptSystemAddresses(): InterfaceAddress[] {
  const now = performance.now();
  if (lastAddresses === undefined || now - lastAddresses.readAt >= ADDRESSES_KEPT_MS) {
    lastAddresses = { readAt: now, addresses: systemAddresses() };
  }
  return [...lastAddresses.addresses];
}

function systemNameOf(index: number): string | undefined {
  try {
    return readdirSync(SYS_NET).find((name) => readSysNumber(name, "ifindex") === index);
  } catch {
    return undefined;
  }
}

/** The unspecified addresses a socket is bound to before connect() picks its source. */
const UNSPECIFIED = new Set(["::", "0.0.0.0"]);

/**
 * connect() on a UDP socket and read back the local address; a UDP connect
 * sends nothing. A failed connect (ENETUNREACH: no route) means no usable
 * source, as glibc's sort sees it; the socket's address then is only the
 * unspecified one it was bound to ("::", "0.0.0.0").
 *
 * A connect the kernel accepted always leaves a concrete source address,
 * so a "successful" connect that leaves the unspecified one did not reach
 * the kernel (Deno's node:dgram, whose connect cannot fail): the source
 * is then worked out from the routing tables (routes.ts) instead.
 */
function systemSourceFor(destination: Destination): Promise<string | null> {
  // Read outside the socket's callbacks, so that a failure to read them rejects the lookup.
  const routed = (): string | null => routedSource(destination, readRouteTables(), keptSystemAddresses());
  if (udpSocketDenied(destination.family, destination.address) !== undefined) return Promise.resolve().then(routed);
  return connectedSource(destination).then((address) => (address !== null && UNSPECIFIED.has(address) ? routed() : address));
}

/** The local address of a UDP socket connected to `destination`, or null when the connect failed. */
function connectedSource(destination: Destination): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = dgramModule().createSocket(destination.family === 4 ? "udp4" : "udp6");
    const finish = (address: string | null): void => {
      socket.close();
      resolve(address);
    };
    socket.on("error", () => finish(null));
    // Node reads the zone as an interface name (if_nametoindex), not a number.
    const host = destination.family === 6 && destination.scopeId !== 0
      ? `${destination.address}%${systemNameOf(destination.scopeId) ?? destination.scopeId}`
      : destination.address;
    try {
      // The port does not change the route; Node refuses to connect to port 0.
      socket.connect(destination.port === 0 ? 9 : destination.port, host, (...outcome: unknown[]) => {
        // @types/node declares no argument, but Node passes a failed connect's error here.
        if (outcome[0] instanceof Error) {
          finish(null);
          return;
        }
        let address: string;
        try {
          address = socket.address().address.replace(/%.*$/, "");
        } catch {
          finish(null);
          return;
        }
        finish(address);
      });
    } catch {
      finish(null);
    }
  });
}

/** The running machine's network, read through Node, /proc and /sys. */
export const systemNetwork: NetworkEnvironment = {
  addresses: keptSystemAddresses,
  indexOf: (name) => readSysNumber(name, "ifindex") ?? 0,
  nameOf: systemNameOf,
  sourceFor: systemSourceFor,
};

/**
 * The network guard: tests may send DNS (or anything) only to loopback.
 * Patches every Node API that can put a packet on the wire so that a send to
 * another address throws, and records the attempt so the running test fails
 * even if the throw is swallowed. A TCP connection to a name is judged by
 * the addresses the name resolves to: dns.lookup refuses any name but
 * localhost, unless netdb/testing has put its own in its place.
 */
import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";

const violations: string[] = [];

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith("127.");
}

function refuse(what: string, host: string): never {
  const msg = `network guard: ${what} to non-loopback address ${JSON.stringify(host)} refused`;
  violations.push(msg);
  throw new Error(msg);
}

/** Returns and clears the violations seen since the last call. */
export function takeViolations(): string[] {
  return violations.splice(0, violations.length);
}

let installed = false;

/** Installs the patches once per process. */
export function installNetGuard(): void {
  if (installed) return;
  installed = true;

  const sock = dgram.Socket.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const origSend = sock.send!;
  sock.send = function (this: unknown, ...args: unknown[]) {
    // send(msg, [offset, length,] port, address, cb) — the address is the
    // first string argument after the message; absent means "connected".
    const address = args.slice(1).find((a) => typeof a === "string") as string | undefined;
    if (address !== undefined && !isLoopback(address)) refuse("UDP send", address);
    return origSend.apply(this, args);
  };
  const origConnect = sock.connect!;
  sock.connect = function (this: unknown, ...args: unknown[]) {
    const address = typeof args[1] === "string" ? args[1] : "127.0.0.1";
    if (!isLoopback(address)) refuse("UDP connect", address);
    return origConnect.apply(this, args);
  };

  const tcp = net.Socket.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const origTcpConnect = tcp.connect!;
  tcp.connect = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as unknown;
    const opts = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string | null; port?: unknown } | number | string;
    let host: string | undefined;
    if (typeof opts === "object" && opts !== null && typeof (opts as { lookup?: unknown }).lookup === "function") {
      // A custom lookup (netdb's) decides the addresses: check those instead of the name.
      guardCustomLookup(opts as { lookup: CustomLookup });
    } else if (typeof opts === "object" && opts !== null) {
      if (opts.path == null) host = opts.host ?? "localhost";
      if (host !== undefined && net.isIP(host) === 0 && !isLoopback(host)) {
        // A name: net resolves it with dns.lookup, read when it connects
        // (the guard's, or netdb/testing's while it intercepts node:dns).
        // Check the addresses it resolves to instead of the name.
        // A refusal goes to the callback, so net destroys the socket it made.
        (opts as { lookup?: CustomLookup }).lookup = (name, options, callback) => {
          try {
            return dns.lookup(name, options as dns.LookupOptions, callback as never);
          } catch (err) {
            process.nextTick(callback, err as Error);
            return undefined;
          }
        };
        guardCustomLookup(opts as { lookup: CustomLookup });
        host = undefined;
      }
    } else if (typeof opts === "number" || (typeof opts === "string" && /^\d+$/.test(opts))) {
      host = typeof args[1] === "string" ? args[1] : "localhost";
    }
    if (host !== undefined && !isLoopback(host)) refuse("TCP connect", host);
    return origTcpConnect.apply(this, args);
  };

  type CustomLookup = (hostname: string, options: unknown, callback: (err: Error | null, address?: unknown, family?: number) => void) => unknown;
  const guarded = new WeakSet<CustomLookup>();
  const guardCustomLookup = (opts: { lookup: CustomLookup }): void => {
    const orig = opts.lookup;
    if (guarded.has(orig)) return;
    const wrapper: CustomLookup = (hostname, options, callback) =>
      orig(hostname, options, (err, address, family) => {
        const found = err ? [] : Array.isArray(address) ? address.map((a: { address: string }) => a.address) : [address as string];
        const outside = found.find((a) => !isLoopback(a));
        if (outside === undefined) return callback(err, address, family);
        const msg = `network guard: TCP connect to non-loopback address ${JSON.stringify(outside)} (from a custom lookup of ${hostname}) refused`;
        violations.push(msg);
        return callback(new Error(msg));
      });
    guarded.add(wrapper);
    opts.lookup = wrapper;
  };

  // The system resolver would ask the machine's real nameserver: only
  // loopback names and literals may go through dns.lookup.
  const guardLookup = <F extends (...a: never[]) => unknown>(orig: F): F =>
    function (this: unknown, ...args: unknown[]) {
      const host = String(args[0]);
      if (!isLoopback(host) && net.isIP(host) === 0) refuse("dns.lookup of a non-local name", host);
      return (orig as unknown as (...a: unknown[]) => unknown).apply(this, args);
    } as unknown as F;
  (dns as { lookup: typeof dns.lookup }).lookup = guardLookup(dns.lookup);
  (dns.promises as { lookup: typeof dns.promises.lookup }).lookup = guardLookup(dns.promises.lookup);

  // c-ares resolvers must have been pointed at loopback servers.
  for (const proto of [dns.Resolver.prototype, dns.promises.Resolver.prototype] as unknown as Record<string, (...a: unknown[]) => unknown>[]) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (!/^(resolve|reverse)/.test(key) || typeof proto[key] !== "function") continue;
      const orig = proto[key]!;
      proto[key] = function (this: { getServers(): string[] }, ...args: unknown[]) {
        for (const s of this.getServers()) if (!isLoopback(s.replace(/:\d+$/, ""))) refuse("c-ares query", s);
        return orig.apply(this, args);
      };
    }
  }
}

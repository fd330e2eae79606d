/**
 * How a DoH server named by host name is found: a `lookup` function for
 * node:http2 and node:https (net.connect's `lookup` option) that asks
 * the resolver's bootstrap (the hosts file and the plain nameservers,
 * never the encrypted ones, so a DoH server's name cannot need itself).
 */
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { AF_INET, AF_INET6, SOCK_STREAM } from "../constants.js";
import type { AddrInfo } from "./addrinfo.js";

/** Looks up `host` for TCP, in the family asked (0: any), as getaddrinfo. */
export type BootstrapResolve = (host: string, family: number, type: number) => Promise<AddrInfo[]>;

/** net.connect's `lookup` over {@link BootstrapResolve}; a failed lookup is the error its caller sees. */
export function bootstrapLookup(resolve: BootstrapResolve): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === "IPv4" ? AF_INET : options.family === 6 || options.family === "IPv6" ? AF_INET6 : 0;
    resolve(hostname, family, SOCK_STREAM).then(
      (infos) => {
        const addresses: LookupAddress[] = infos.map(([f, , , , sockaddr]) => ({ address: String(sockaddr[0]), family: f === AF_INET6 ? 6 : 4 }));
        if (addresses.length === 0) callback(Object.assign(new Error(`bootstrap: no address for ${hostname}`), { code: "ENOTFOUND" }), "", 4);
        else if (options.all === true) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: unknown) => callback(Object.assign(new Error(`bootstrap: ${hostname}: ${err instanceof Error ? err.message : String(err)}`), { code: "ENOTFOUND" }), "", 4),
    );
  };
}

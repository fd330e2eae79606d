/**
 * netdb, as users call it: a Resolver pointed at the bench server, asked
 * gethostbyname (one A query, like every other client here; CPython's
 * gethostbyname_ex asks twice, first through getaddrinfo, and netdb does
 * the same). The hosts table holds only localhost, so every lookup goes
 * to DNS.
 */
import { importBuilt } from "../build.js";
import type { BenchClient, ClientFactory, ClientOptions, ServerAddress } from "./client.js";
import type { Transport } from "../../src/dns/transport/transport.js";

/** Another nameserver than `server` (a `tls://` or `https://` URI), with the CA that signed its certificate. */
export interface EncryptedServerOption {
  nameserver: string;
  tlsCa: string;
}

/** The bench's netdb client, on the Resolver's own transport or on `transport`, asking `server` or `encrypted`. */
export async function netdbClient(server: ServerAddress, options: ClientOptions, transport?: Transport, encrypted?: EncryptedServerOption): Promise<BenchClient> {
  const { Resolver } = await importBuilt<typeof import("../../src/index.js")>("index.js");
  const resolver = new Resolver({
    files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
    hostname: "bench",
    nameservers: [encrypted?.nameserver ?? `${server.address}:${server.port}`],
    ...(encrypted === undefined ? {} : { tlsCa: encrypted.tlsCa }),
    timeout: options.timeoutMs,
    attempts: 1,
    ...(transport === undefined ? {} : { transport }),
  });
  return {
    // gethostbyname's own promise, as c-ares' client hands on resolve4's: no `then` or async frame of the bench's counts against netdb.
    lookupA: (name) => resolver.gethostbyname(name),
    close: async () => {
      await resolver.close();
      await transport?.close();
    },
  };
}

export const create: ClientFactory = (server, options) => netdbClient(server, options);

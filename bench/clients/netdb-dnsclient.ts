/**
 * netdb's DNS layer alone: DnsClient over NetTransport, reading the answer
 * as gethostbyname does. Next to the `netdb` row (the public Resolver) it
 * shows what the lookup layer above the DNS client costs.
 */
import { importBuilt } from "../build.js";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async (server, options) => {
  const { readHostAnswer } = await importBuilt<typeof import("../../src/dns/answer.js")>("dns/answer.js");
  const { DnsClient } = await importBuilt<typeof import("../../src/dns/client.js")>("dns/client.js");
  const { NetTransport } = await importBuilt<typeof import("../../src/dns/transport/net.js")>("dns/transport/net.js");
  const { parseResolvConf } = await importBuilt<typeof import("../../src/files/resolvconf.js")>("files/resolvconf.js");
  const { formatAddress } = await importBuilt<typeof import("../../src/inet.js")>("inet.js");
  const conf = { ...parseResolvConf(""), nameservers: [{ address: server.address, port: server.port, family: 4 as const }], timeout: options.timeoutMs, attempts: 1 };
  const transport = new NetTransport();
  const client = new DnsClient({ conf: () => conf, transport });
  return {
    // The addresses as text, as gethostbyname hands them out.
    lookupA: async (name) => readHostAnswer((await client.query(name, ["A"])).results[0]!).addresses.map(formatAddress),
    close: () => transport.close(),
  };
};

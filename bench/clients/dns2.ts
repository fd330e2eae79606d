/** The npm package dns2: one UDP socket per query. */
import DNS from "dns2";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async (server) => {
  // dns2 has no per-query timeout option on this path (its UDP client waits
  // 10 s); the closed loop's drain bounds a lost query instead.
  const client = new DNS({ nameServers: [server.address], port: server.port, retryOverTCP: false });
  return {
    lookupA: async (name) => {
      const response = await client.resolveA(name);
      return response.answers.map((a) => (a as { address: string }).address);
    },
    close: async () => undefined,
  };
};

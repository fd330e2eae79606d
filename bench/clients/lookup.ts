/**
 * node:dns `lookup` (glibc getaddrinfo on libuv's thread pool). It asks the
 * nameservers of /etc/resolv.conf, so it may only run inside the bench's
 * private network namespace (bench/netns.ts), never on the host.
 */
import dns from "node:dns";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async () => ({
  lookupA: async (name) => (await dns.promises.lookup(name, { family: 4, all: true })).map((a) => a.address),
  close: async () => undefined,
});

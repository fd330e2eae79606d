/**
 * The load test's DNS server, in a process of its own so that answering
 * 10,000 queries does not compete with the client for its event loop:
 *
 *   fork("test/reliability/load-server.ts", [LOOKUPS, DROP_EVERY], { execArgv: ["--import", "tsx"] })
 *
 * Serves `*.load.test` (every name: 192.0.2.7), drops the first query for
 * every DROP_EVERY-th name `n<i>.load.test`, and talks over IPC: it sends
 * `{ port }` once listening, answers "count" with `{ count }` (queries
 * received so far), and stops and exits on "stop".
 */
import { TestDnsServer } from "../support/dnsserver.js";

const [lookups, dropEvery] = process.argv.slice(2).map(Number) as [number, number];
const ZONE = { origin: "load.test.", text: "$TTL 60\n@ SOA ns hostmaster 1 3600 900 604800 60\n@ NS ns\nns A 192.0.2.53\n* A 192.0.2.7\n" };

// A 4 MB receive buffer: with the default (about 200 datagrams) the
// server itself would drop most of a burst of 10,000 queries.
const server = await TestDnsServer.start({ zones: [ZONE], ipv6: false, recvBufferSize: 4 * 1024 * 1024 });
for (let i = 0; i < lookups; i += dropEvery) server.misbehave({ name: `n${i}.load.test`, times: 1, behaviour: { kind: "drop" } });

process.on("message", (message) => {
  if (message === "count") process.send!({ count: server.count() });
  if (message === "stop") void server.stop().then(() => process.disconnect());
});
process.send!({ port: server.port });

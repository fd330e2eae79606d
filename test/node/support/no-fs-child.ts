/**
 * Run by test/node/no-fs.test.ts as a child process, with node:fs trapped
 * for netdb's modules (fs-trap-register.mjs): imports netdb, builds a
 * Resolver from texts and a fake transport, runs a lookup of every kind,
 * and prints the answers and the node:fs calls netdb made (there must be
 * none). Then, as a control, a Resolver of the system's files, whose first
 * lookup must hit the trap.
 */
import dnsPacket from "dns-packet";
import type { Transport, TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";

const calls = (): string[] => ((globalThis as { netdbFsCalls?: string[] }).netdbFsCalls ??= []);

const resourcesBefore = process.getActiveResourcesInfo();
const netdb = await import("../../../src/index.js");
const afterImport = [...calls()];
// Whatever the import left running (sockets, timers, ...): must be nothing.
const startedByImport = process.getActiveResourcesInfo();
for (const kind of resourcesBefore) startedByImport.splice(startedByImport.indexOf(kind), startedByImport.includes(kind) ? 1 : 0);

/** Answers A, AAAA and MX for *.sandbox.test from memory, NXDOMAIN for anything else. */
const transport: Transport = {
  exchange(request: TransportRequest): Promise<TransportResponse> {
    const q = request.question;
    const data: Record<string, unknown> = { A: "192.0.2.7", AAAA: "2001:db8::7", MX: { preference: 10, exchange: "mail.sandbox.test" } };
    const known = q.name.endsWith(".sandbox.test") && data[q.type] !== undefined;
    const message = dnsPacket.encode({
      id: request.id,
      type: "response",
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
      questions: [{ name: q.name, type: q.type as "A", class: "IN" }],
      answers: known ? [{ name: q.name, type: q.type as "A", class: "IN", ttl: 60, data: data[q.type] as string }] : [],
    });
    return Promise.resolve({ message: new Uint8Array(message), protocol: request.protocol, rtt: 1 });
  },
  close: () => Promise.resolve(),
};

const resolver = new netdb.Resolver({
  files: { hosts: "127.0.0.1 localhost\n192.0.2.1 box.sandbox.test box\n", "resolv.conf": "nameserver 127.0.0.53\nsearch sandbox.test\n" },
  hostname: "box",
  env: {},
  transport,
  network: {
    addresses: () => [{ name: "eth0", index: 2, family: 4, address: "192.0.2.1", prefixlen: 24 }],
    indexOf: () => 0,
    nameOf: () => undefined,
    sourceFor: (d) => Promise.resolve(d.family === 4 ? "192.0.2.1" : null),
  },
});
const promises = new netdb.PromisesResolver({ resolver, search: true });
const lookup = netdb.createLookup(() => resolver);

const answers = {
  gethostname: resolver.gethostname(),
  gethostbyname: await resolver.gethostbyname("www.sandbox.test"),
  gethostbyname_ex: await resolver.gethostbyname_ex("box"),
  getaddrinfo: await resolver.getaddrinfo("www.sandbox.test", "http", netdb.AF_INET, netdb.SOCK_STREAM),
  getservbyname: resolver.getservbyname("https", "tcp"),
  getprotobyname: resolver.getprotobyname("udp"),
  gethostbyaddr: await resolver.gethostbyaddr("192.0.2.1"),
  resolveMx: await promises.resolveMx("www"),
  lookup: await new Promise((resolve, reject) =>
    lookup("www.sandbox.test", { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  ),
};
const duringUse = [...calls()];

// The control: the system's files go through node:fs, so the trap must see them.
new netdb.Resolver({ env: {}, hostname: "box", transport }).getservbyname("https", "tcp");
const control = calls().slice(duringUse.length);

process.stdout.write(JSON.stringify({ afterImport, startedByImport, answers, duringUse, control }));

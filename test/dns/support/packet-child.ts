/**
 * Run by test/dns/packet.test.ts as a child process: imports netdb, runs a
 * gethostbyname over DNS (a fake transport answering with bytes written by
 * hand, so that the test itself needs no dns-packet), and prints whether
 * dns-packet was loaded after the import, after the lookup, and after an
 * MX answer was decoded (the control: that one must load it).
 */
import { createRequire } from "node:module";
import type { Transport, TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";

const loaded = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("/dns-packet/"));

/** The query's header and question, as a response with one answer of `type` carrying `rdata`. */
function answer(query: Uint8Array, type: number, rdata: number[]): Uint8Array {
  let end = 12;
  while (query[end] !== 0) end += query[end]! + 1;
  end += 5;
  const head = Buffer.from(query.subarray(0, end));
  head.writeUInt16BE(0x8180, 2);
  head.writeUInt16BE(1, 6);
  head.writeUInt16BE(0, 10);
  const record = Buffer.from([0xc0, 12, 0, type, 0, 1, 0, 0, 0, 60, 0, rdata.length, ...rdata]);
  return Buffer.concat([head, record]);
}

const transport: Transport = {
  exchange(request: TransportRequest): Promise<TransportResponse> {
    const rdata = request.question.type === "MX" ? [0, 10, 0] : [192, 0, 2, 7];
    const type = request.question.type === "MX" ? 15 : 1;
    return Promise.resolve({ message: answer(request.message, type, rdata), protocol: request.protocol, rtt: 1 });
  },
  close: () => Promise.resolve(),
};

const netdb = await import("../../../src/index.js");
const afterImport = loaded();
const resolver = new netdb.Resolver({ files: { hosts: "", "nsswitch.conf": "hosts: dns\n", "resolv.conf": "nameserver 127.0.0.53\n" }, hostname: "box", env: {}, transport });
const address = await resolver.gethostbyname("www.sandbox.test");
const afterLookup = loaded();
const mx = await new netdb.PromisesResolver({ resolver }).resolveMx("sandbox.test");
process.stdout.write(JSON.stringify({ afterImport, address, afterLookup, mx, afterMx: loaded() }));
await resolver.close();

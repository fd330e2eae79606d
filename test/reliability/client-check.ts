/**
 * Fuzzed responses through a fake transport into DnsClient: every call of
 * send, query and search must settle, with a result or with the error its
 * contract names (DnsError for send, DnsLookupError for query and search),
 * and whatever it resolves with must read cleanly with the answer readers.
 *
 * The fake transport behaves like the real one would on a hostile network:
 * each exchange gets the next fuzzed datagram, most of the time one made as
 * a response to that query; it hands back what readResponse accepts,
 * and turns the rest into the timeout that junk alone would end in, or a
 * network error.
 */
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer } from "../../src/dns/answer.js";
import { DnsClient, type SearchResult } from "../../src/dns/client.js";
import { DnsError, DnsLookupError, TransportError } from "../../src/dns/errors.js";
import { readResponse } from "../../src/dns/message.js";
import type { QueryResult } from "../../src/dns/send.js";
import type { Transport, TransportRequest, TransportResponse } from "../../src/dns/transport/transport.js";
import type { NameServer } from "../../src/dns/server.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import { Random } from "./random.js";
import { hex, responseCase } from "./responses.js";

/** A transport that answers from a stream of fuzz cases; records what it handed out. */
class FuzzTransport implements Transport {
  readonly handedOut: string[] = [];
  /** Mutated or foreign responses and network errors handed out. */
  faults = 0;
  #next = 0;

  constructor(
    private readonly seed: number,
    private readonly index: number,
    private readonly r: Random,
  ) {}

  async exchange(request: TransportRequest): Promise<TransportResponse> {
    if (request.signal?.aborted === true) throw request.signal.reason;
    // Mostly a response to this query (its ID and question), sometimes to another.
    const own = this.r.chance(0.9);
    const c = responseCase(this.seed, this.index * 64 + this.#next++, own ? { question: request.question, id: request.id } : undefined);
    const bytes = c.bytes;
    this.handedOut.push(`${request.protocol} [${c.mutations.join(",")}] ${hex(bytes)}`);
    if (!own || c.mutations.length > 0) this.faults++;
    if (this.r.chance(0.05)) {
      this.faults++;
      const code = this.r.pick(request.protocol === "tcp" ? ["ECONNREFUSED", "ECONNRESET", "EOF", "EMSGSIZE"] : ["ECONNREFUSED", "ENETUNREACH"]);
      throw new TransportError(code, `fuzz: ${code}`, request.server, request.protocol);
    }
    if (readResponse(request, bytes) === "ignore") throw new TransportError("ETIMEDOUT", "fuzz: only junk arrived", request.server, request.protocol);
    return { message: bytes, protocol: request.protocol, rtt: 0 };
  }

  async close(): Promise<void> {}
}

const SERVERS: NameServer[] = [
  { address: "127.0.0.1", port: 53, family: 4 },
  { address: "::1", port: 53, family: 6 },
  { address: "127.0.0.2", port: 5353, family: 4 },
];

function conf(r: Random): ResolvConf {
  return {
    nameservers: SERVERS.slice(0, r.between(1, 3)),
    search: r.pick([[], ["example.test"], ["example.test", "."], [""]]),
    ndots: r.pick([0, 1, 2, 15]),
    timeout: 1000,
    attempts: r.between(1, 3),
    rotate: r.chance(0.3),
    edns0: r.chance(0.5),
    singleRequest: r.chance(0.2),
    singleRequestReopen: false,
    useVc: r.chance(0.1),
    noAaaa: r.chance(0.1),
    trustAd: r.chance(0.1),
  };
}

function readAll(results: readonly QueryResult[]): number {
  let addresses = 0;
  for (const r of results) {
    if (r.question.type === "A" || r.question.type === "AAAA") addresses += readHostAnswer(r).addresses.length;
    readPtrAnswer(r);
  }
  return addresses + readAddrInfoAnswer(results.filter((r) => r.question.type === "A" || r.question.type === "AAAA")).addresses.length;
}

/** Case `index`: one DnsClient call over fuzzed responses; resolves with how it ended and the faults it met. */
export async function exerciseClient(seed: number, index: number): Promise<{ outcome: string; faults: number }> {
  const transport = new FuzzTransport(seed, index, Random.forCase(seed, index + 0x51ed));
  return { outcome: await callClient(seed, index, transport), faults: transport.faults };
}

async function callClient(seed: number, index: number, transport: FuzzTransport): Promise<string> {
  const r = Random.forCase(seed, index + 0x5eed);
  const first = responseCase(seed, index * 64);
  const settings = conf(r);
  const client = new DnsClient({ conf: () => settings, transport });
  const name = first.question.name;
  const call = r.pick(["send", "query", "query2", "search"] as const);
  try {
    if (call === "send") {
      const result = await client.send({ name, type: first.question.type, class: "IN" });
      return readAll([result]) > 0 ? "send:addresses" : "send:answer";
    }
    const types = call === "query2" ? ["A", "AAAA"] : [first.question.type];
    const result: SearchResult = call === "search" ? await client.search(name, types) : await client.query(name, types);
    return readAll(result.results) > 0 ? `${call}:addresses` : `${call}:answer`;
  } catch (err) {
    if (call === "send" && err instanceof DnsError) return "send:DnsError";
    if (call !== "send" && err instanceof DnsLookupError) return `${call}:${err.status}`;
    throw new Error(
      `DnsClient ${call}(${name}) rejected with ${(err as Error).stack ?? String(err)}\n  responses handed out:\n    ${transport.handedOut.join("\n    ")}`,
      { cause: err },
    );
  }
}

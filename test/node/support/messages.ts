/**
 * DNS messages for the node-layer tests, built with dns-packet: a response
 * is described by its question, RCODE and sections, and comes back as
 * bytes or decoded by netdb's own decoder.
 */
import dnsPacket from "dns-packet";
import { decodeMessage, type DnsMessage } from "../../../src/dns/message.js";

/** One record: owner, type, TTL and RDATA in dns-packet's shape. */
export interface TestRecord {
  name: string;
  type: string;
  ttl?: number;
  data: unknown;
}

/** A response to build. */
export interface TestResponse {
  id?: number;
  name: string;
  type: string;
  rcode?: "NOERROR" | "FORMERR" | "SERVFAIL" | "NXDOMAIN" | "NOTIMP" | "REFUSED";
  answers?: TestRecord[];
  authorities?: TestRecord[];
  truncated?: boolean;
  edns?: boolean;
}

const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

function packetRecords(records: TestRecord[] = []): dnsPacket.Answer[] {
  return records.map((r) => ({ name: r.name, type: r.type, class: "IN", ttl: r.ttl ?? 300, data: r.data }) as dnsPacket.Answer);
}

/** The response's wire bytes. */
export function responseBytes(r: TestResponse): Uint8Array {
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | RCODES[r.rcode ?? "NOERROR"];
  if (r.truncated === true) flags |= dnsPacket.TRUNCATED_RESPONSE;
  return new Uint8Array(
    dnsPacket.encode({
      id: r.id ?? 0x1234,
      type: "response",
      flags,
      questions: [{ name: r.name, type: r.type as dnsPacket.RecordType, class: "IN" }],
      answers: packetRecords(r.answers),
      authorities: packetRecords(r.authorities),
      additionals: r.edns === true ? [{ type: "OPT", name: ".", udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, options: [] } as unknown as dnsPacket.Answer] : [],
    }),
  );
}

/** The response decoded by netdb. */
export function response(r: TestResponse): DnsMessage {
  return decodeMessage(responseBytes(r));
}

/** An SOA record for negative answers: TTL `ttl`, MINIMUM `minimum`. */
export function soa(zone: string, ttl: number, minimum: number): TestRecord {
  return {
    name: zone,
    type: "SOA",
    ttl,
    data: { mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum },
  };
}

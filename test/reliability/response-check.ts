/**
 * What the response path must do with any bytes: classify them, decode them
 * or reject them with MalformedMessageError, and read answers out of
 * whatever decoded without throwing and without inventing addresses.
 */
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer } from "../../src/dns/answer.js";
import { MalformedMessageError } from "../../src/dns/errors.js";
import { decodeMessage, isResponseTo, readResponse, type DnsMessage } from "../../src/dns/message.js";
import type { QueryResult } from "../../src/dns/send.js";
import type { TransportRequest } from "../../src/dns/transport/transport.js";
import { hex, type ResponseCase } from "./responses.js";

/** How a case ended; anything else is a bug and is thrown. */
export type ResponseOutcome = "malformed" | "ignored" | "ignored-truncated" | "cut-short" | "addresses" | "no-addresses";

const SERVER = { address: "127.0.0.1", port: 53, family: 4 as const };

function fail(c: ResponseCase, what: string): never {
  throw new Error(`${what}\n  question ${c.question.name} ${c.question.type}, mutations [${c.mutations.join(", ")}]\n  bytes ${hex(c.bytes)}`);
}

function checkAddress(c: ResponseCase, address: unknown, family: 4 | 6): void {
  if (!(address instanceof Uint8Array) || address.length !== (family === 4 ? 4 : 16)) fail(c, `answer reader returned ${String(address)} as an IPv${family} address`);
}

function checkName(c: ResponseCase, name: unknown): void {
  if (typeof name !== "string" || name.length === 0) fail(c, `answer reader returned the name ${JSON.stringify(name)}`);
}

/** Runs one case through the response path; throws (with the case) on anything undocumented. */
export function exerciseResponse(c: ResponseCase): ResponseOutcome {
  const request: TransportRequest = { server: SERVER, protocol: "udp", message: new Uint8Array(0), id: c.id, question: c.question, timeout: 1000 };
  const verdict = readResponse(request, c.bytes);
  if (verdict !== "malformed" && verdict !== "ignore" && typeof verdict !== "object") fail(c, `readResponse returned ${String(verdict)}`);

  let message: DnsMessage;
  try {
    message = decodeMessage(c.bytes);
  } catch (err) {
    if (err instanceof MalformedMessageError) return "malformed";
    fail(c, `decodeMessage threw ${(err as Error).stack ?? String(err)}`);
  }
  // The answer readers see only responses the transport accepted and
  // res_send matched to the question, as on the real path.
  if (verdict === "ignore" || !isResponseTo(request, message)) return message.tc ? "ignored-truncated" : "ignored";

  const result: QueryResult = { question: c.question, rcode: message.rcode, message, server: SERVER, protocol: "udp", rtt: 0 };
  let found = 0;
  try {
    if (c.question.type === "A" || c.question.type === "AAAA") {
      const family = c.question.type === "A" ? 4 : 6;
      const host = readHostAnswer(result);
      checkName(c, host.name);
      host.aliases.forEach((a) => checkName(c, a));
      host.addresses.forEach((a) => checkAddress(c, a, family));
      if (host.error === undefined && host.addresses.length === 0) fail(c, "readHostAnswer: no error and no addresses");
      if (message.cutShort && message.answers.length < message.counts[1] && host.error !== "UNAVAIL" && host.error !== "HOST_NOT_FOUND") {
        fail(c, `readHostAnswer: ${host.error ?? "success"} for an answer section cut short`);
      }
      found += host.addresses.length;
      const info = readAddrInfoAnswer([result]);
      info.addresses.forEach((a) => checkAddress(c, a.address, a.family));
      if ((info.status === "SUCCESS") !== info.addresses.length > 0) fail(c, `readAddrInfoAnswer: status ${info.status} with ${info.addresses.length} addresses`);
    }
    const ptr = readPtrAnswer(result);
    ptr.names.forEach((n) => checkName(c, n));
    if (!Number.isInteger(ptr.ttl) || ptr.ttl < 0) fail(c, `readPtrAnswer: ttl ${ptr.ttl}`);
  } catch (err) {
    if (err instanceof Error && err.message.includes("\n  bytes ")) throw err;
    fail(c, `an answer reader threw ${(err as Error).stack ?? String(err)}`);
  }
  if (message.cutShort) return "cut-short";
  return found > 0 ? "addresses" : "no-addresses";
}

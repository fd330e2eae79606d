/**
 * What every DNS layer says of one exchange: the question asked and the
 * protocol it travelled over (RFC 1035 section 4.1.2, 4.2).
 */

/** One DNS question. Names are ASCII (A-labels), without trailing dot. */
export interface Question {
  name: string;
  /** Record type name as dns-packet spells it: "A", "AAAA", "PTR", ... */
  type: string;
  /** Class name, "IN" unless stated. */
  class?: string;
}

/** Which way a message travelled. */
export type Protocol = "udp" | "tcp";

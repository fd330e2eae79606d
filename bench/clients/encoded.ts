/**
 * The floors' queries: each name's A query encoded once, with ID 0, and
 * kept, so a floor's lookups do no DNS work but put the ID in.
 */
import dnsPacket from "dns-packet";

/** A function giving the kept encoding of `name`'s A query (ID 0; callers copy it before writing an ID). */
export function preEncoded(): (name: string) => Buffer {
  const encoded = new Map<string, Buffer>();
  return (name) => {
    let query = encoded.get(name);
    if (query === undefined) {
      query = dnsPacket.encode({ id: 0, type: "query", flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: "A" }] });
      encoded.set(name, query);
    }
    return query;
  };
}

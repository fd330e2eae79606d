/**
 * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`): getaddrinfo makes them
 * for AI_V4MAPPED and drops them next to real IPv6 answers, the sort
 * compares IPv4 addresses in this form, and gai.conf may write IPv4
 * prefixes in it.
 */

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** True for 16 address bytes of the form `::ffff:a.b.c.d`. */
export function isV4Mapped(address: Uint8Array): boolean {
  return address.length === 16 && V4_MAPPED_PREFIX.every((b, i) => address[i] === b);
}

/** The IPv4-mapped IPv6 form (16 bytes) of 4 IPv4 address bytes. */
export function v4Mapped(v4: Uint8Array): Uint8Array {
  return Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]);
}

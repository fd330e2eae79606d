/**
 * Names for reverse (PTR) lookups, spelled as glibc's gethostbyaddr spells
 * them: `4.3.2.1.in-addr.arpa` and the nibble form under `ip6.arpa` with
 * lowercase hex digits.
 */

/**
 * The reverse-lookup name of a 4-byte IPv4 or 16-byte IPv6 address.
 * glibc first turns IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible
 * (`::a.b.c.d`, but not `::` or `::1`) IPv6 addresses into IPv4 ones; that
 * is the caller's choice, not done here. Throws a RangeError for any other
 * length.
 */
export function reverseName(address: Uint8Array): string {
  if (address.length === 4) return `${address[3]}.${address[2]}.${address[1]}.${address[0]}.in-addr.arpa`;
  if (address.length === 16) {
    const nibbles: string[] = [];
    for (let i = 15; i >= 0; i--) nibbles.push((address[i]! & 0xf).toString(16), (address[i]! >> 4).toString(16));
    return `${nibbles.join(".")}.ip6.arpa`;
  }
  throw new RangeError(`an address has 4 or 16 bytes, not ${address.length}`);
}

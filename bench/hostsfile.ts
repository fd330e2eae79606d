/**
 * Generated /etc/hosts files for the hosts-file benchmark. Addresses come
 * from 198.18.0.0/15 (RFC 2544, benchmarking), one name and one alias per
 * line; the name looked up is on the last line, the worst case for a
 * linear scan (and glibc scans every line anyway with `multi on`).
 */

/** A hosts file with `lines` lines and the name on its last line. */
export function generateHosts(lines: number): { text: string; lastName: string; lastAddress: string } {
  const out = ["127.0.0.1 localhost"];
  for (let i = 1; i < lines; i++) out.push(`198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255} host${i}.hosts.test alias${i}`);
  const last = lines - 1;
  return {
    text: out.join("\n") + "\n",
    lastName: `host${last}.hosts.test`,
    lastAddress: `198.${18 + (last >> 16)}.${(last >> 8) & 255}.${last & 255}`,
  };
}

/**
 * The zones of the node:dns comparisons (promises-resolver.test.ts,
 * dns-module.test.ts): diff.test and the reverse zones of its addresses.
 */
export const ZONE = `
$ORIGIN diff.test.
$TTL 300
@         IN SOA  ns.diff.test. host\\.master.diff.test. 2024010101 3600 900 604800 60
@         IN NS   ns1.diff.test.
@         IN NS   ns2.diff.test.
@         IN MX   10 mx1.diff.test.
@         IN MX   20 mx2.diff.test.
@         IN TXT  "v=spf1 -all"
@         IN TXT  "two" "strings"
@         IN CAA  0 issue "ca.example"
@         IN CAA  128 iodef "mailto:sec@diff.test"
ns1       IN A    192.0.2.53
dual      IN A    192.0.2.10
dual      IN A    192.0.2.11
dual 120  IN AAAA 2001:db8::10
only6     IN AAAA 2001:db8::6
alias 30  IN CNAME dual
alias2    IN CNAME alias
_sip._udp IN SRV  10 60 5060 sip.diff.test.
sip       IN A    192.0.2.60
`;

export const REVERSE = `
$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@   IN SOA ns.diff.test. hostmaster.diff.test. 1 3600 900 604800 60
10  IN PTR dual.diff.test.
10  IN PTR dual-again.diff.test.
`;

export const REVERSE6 = `
$ORIGIN 8.b.d.0.1.0.0.2.ip6.arpa.
$TTL 300
@   IN SOA ns.diff.test. hostmaster.diff.test. 1 3600 900 604800 60
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR dual.diff.test.
`;

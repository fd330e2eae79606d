/**
 * The inline world the netdb/testing tests share: one zone with every
 * kind of answer an authoritative server gives (CNAME chains, a dangling
 * CNAME, NODATA, a wildcard, TXT, MX, SRV, CAA, NAPTR, an answer too big
 * for 512 octets of UDP), and a hosts text.
 */

/** 40 A records: 16 octets each in the answer, so the response passes 512 octets. */
const MANY = Array.from({ length: 40 }, (_, i) => `many     A     127.0.1.${i + 1}`).join("\n");

export const SHOP_ZONE = `$ORIGIN shop.test.
$TTL 300
@        SOA   ns hostmaster 2026120201 3600 600 86400 60
@        NS    ns
ns       A     127.0.0.1
api      A     127.0.0.10
api      AAAA  ::1
www      CNAME web
web      CNAME api
dangling CNAME gone
only-v4  A     127.0.0.11
*.tenants A    127.0.0.12
@        TXT   "v=spf1 -all" "second string"
@        MX    10 mail
mail     A     127.0.0.13
_imaps._tcp SRV 0 5 993 mail
@        CAA   0 issue "ca.example"
@        NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp
${MANY}
`;

export const SHOP_HOSTS = "127.0.0.20 db.internal db\n127.0.0.21 cache.internal\n";

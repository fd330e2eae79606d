/**
 * lookup/routes.ts against the kernel: inside a network namespace with
 * addresses, gateways and reject routes of both families, the source the
 * model works out from /proc and the interface list is the one a real UDP
 * connect() gets (Node's dgram asks the kernel; connect sends nothing).
 * Destinations off the namespace's subnets are documentation and RFC 2544
 * benchmarking addresses, so no real host is ever named.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseRoutes4, parseRoutes6 } from "../../src/lookup/routes.js";

const NETWORK = join(import.meta.dirname, "..", "..", "src", "lookup", "network.ts");
const ROUTES = join(import.meta.dirname, "..", "..", "src", "lookup", "routes.ts");

/** The namespace: lo, and an ifb interface with two subnets of each family, gateways and reject routes. */
const SETUP = [
  "ip link set lo up",
  "ip link add d0 type ifb",
  "ip link set d0 addrgenmode none",
  "ip link set d0 up",
  "ip addr add 192.0.2.2/24 dev d0",
  "ip addr add 198.51.100.7/24 dev d0",
  "ip addr add 2001:db8:1::2/64 dev d0 nodad",
  "ip addr add fd00:1::5/64 dev d0 nodad",
  "ip addr add fe80::5/64 dev d0 nodad",
  "ip route add default via 192.0.2.1",
  "ip route add 203.0.113.0/24 via 198.51.100.1",
  "ip route add prohibit 198.18.0.0/16",
  "ip -6 route add default via 2001:db8:1::1",
  "ip -6 route add unreachable 2001:db8:dead::/48",
].join(" && ");

const DESTINATIONS = [
  "127.0.0.1", "127.0.0.5", "127.255.255.254", "192.0.2.2", "192.0.2.9", "198.51.100.7", "198.51.100.200", "203.0.113.5",
  "198.18.1.1", "198.19.1.1", "198.19.8.8", "0.0.0.0",
  "::1", "::", "2001:db8:1::2", "2001:db8:1::77", "2001:db8:2::1", "2001:db8:dead::1", "fd00:1::9", "fd00:2::9", "fd00:1::5",
  "2002:c000:202::1", "64:ff9b::1", "fe80::9", "ff02::1", "ff0e::1",
  "::ffff:127.0.0.1", "::ffff:192.0.2.9", "::ffff:203.0.113.5", "::ffff:198.18.1.1",
];

describe("lookup/routes: the source address from the routing tables, against the kernel", () => {
  it("parses /proc/net/route (little-endian hex) and /proc/net/ipv6_route", () => {
    const v4 = parseRoutes4("Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n*\t0000090A\t00000000\t0201\t0\t0\t0\t0000FFFF\t0\t0\t0\n");
    expect(v4.map((r) => [[...r.prefix].join("."), r.prefixlen, r.gateway && [...r.gateway].join("."), r.iface, r.reject])).to.deep.equal([
      ["0.0.0.0", 0, "192.0.2.1", "eth0", false],
      ["10.9.0.0", 16, undefined, "*", true],
    ]);
    const v6 = parseRoutes6("00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n");
    expect(v6.map((r) => [r.prefixlen, r.metric, r.iface, r.reject])).to.deep.equal([[0, 0xffffffff, "lo", true]]);
  });

  it("gives the source a UDP connect() gets, for every destination of a namespace with gateways and reject routes", function () {
    this.timeout(20_000);
    const program = `
      import { systemNetwork } from ${JSON.stringify(NETWORK)};
      import { readRouteTables, routedSource } from ${JSON.stringify(ROUTES)};
      const destinations = ${JSON.stringify(DESTINATIONS)};
      const tables = readRouteTables();
      const interfaces = systemNetwork.addresses();
      const d0 = systemNetwork.indexOf("d0");
      const out = [];
      for (const address of destinations) {
        const destination = { family: address.includes(":") ? 6 : 4, address, port: 80, scopeId: address.startsWith("fe80") ? d0 : 0 };
        out.push([address, await systemNetwork.sourceFor(destination), routedSource(destination, tables, interfaces)]);
      }
      console.log(JSON.stringify(out));`;
    const out = execFileSync("unshare", ["-n", "sh", "-c", `${SETUP} && exec node --import tsx --input-type=module -e "$0"`, program], { encoding: "utf8" });
    const rows = JSON.parse(out) as Array<[string, string | null, string | null]>;
    expect(rows.map(([address, , model]) => [address, model])).to.deep.equal(rows.map(([address, kernel]) => [address, kernel]));
    // The namespace really has the variety: reachable and unreachable destinations of both families.
    expect(rows.filter(([, kernel]) => kernel === null).length).to.be.greaterThan(2);
    expect(new Set(rows.map(([, kernel]) => kernel)).size).to.be.greaterThan(6);
  });
});

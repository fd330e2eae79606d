/**
 * netdb's lookup against node:dns's own (glibc's getaddrinfo): for each
 * world of node-lookup-cases.ts, test/node/fixtures/node-lookup-<world>.json
 * holds what dns.lookup answered inside the world's namespace (recorded by
 * support/regen-node-lookup.sh). Here a Resolver gets the world's /etc
 * files, its zones on the in-process test server and the namespace's
 * network, and every case must settle identically: addresses, families and
 * order, or the same error object. The file also holds what node:dns's
 * promises Resolver answered there, which netdb's PromisesResolver must
 * match.
 */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseNameServer } from "../../src/lookup/nameserver.js";
import { createLookup } from "../../src/node/lookup.js";
import { PromisesResolver } from "../../src/node/promises-resolver.js";
import { Resolver } from "../../src/resolver.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { defaultRoutes, namespaceNetwork, type RecordedNamespace } from "../lookup/support/namespace.js";
import { outcome, settled, WORLDS, type LookupCase, type LookupOutcome } from "./support/node-lookup-cases.js";

const ROOT = join(import.meta.dirname, "..", "..");

for (const world of WORLDS) {
  const worldDir = join(ROOT, "fixtures", "worlds", world);
  const golden = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", `node-lookup-${world}.json`), "utf8")) as {
    cases: Array<LookupCase & LookupOutcome>;
    resolver: Array<{ method: string; args: string[] } & LookupOutcome>;
  };
  // The namespace the Python goldens were recorded in is the same world's.
  const namespace = (JSON.parse(readFileSync(join(ROOT, "fixtures", "golden", `lookup-${world}.json`), "utf8")) as { namespace: RecordedNamespace }).namespace;

  describe(`node/lookup: as node:dns's lookup in world ${world}`, function () {
    let server: TestDnsServer;
    let resolver: Resolver;
    let lookup: ReturnType<typeof createLookup>;

    before(async () => {
      server = await TestDnsServer.start({ worldZones: join(worldDir, "zones") });
      const resolvConf = readFileSync(join(worldDir, "etc", "resolv.conf"), "utf8");
      const servers = [...resolvConf.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => parseNameServer(m[1]!));
      const netFile = join(worldDir, "net");
      resolver = new Resolver({
        root: worldDir,
        nameservers: servers.map((s) => (s.family === 4 ? `${s.address}:${server.port}` : `[${s.address}]:${server.port}`)),
        network: namespaceNetwork(namespace, defaultRoutes(existsSync(netFile) ? readFileSync(netFile, "utf8") : undefined)),
        env: {},
      });
      lookup = createLookup(() => resolver);
    });
    after(async () => {
      await resolver.close();
      await server.stop();
    });

    for (const c of golden.cases) {
      const { name, options, ...expected } = c;
      it(`${name} ${JSON.stringify(options)}`, async () => {
        expect(await outcome(lookup as never, { name, options })).to.deep.equal(expected);
      });
    }

    // node:dns's promises Resolver on the same system configuration (c-ares reads the hosts file for reverse()).
    for (const c of golden.resolver) {
      const { method, args, ...expected } = c;
      it(`PromisesResolver.${method}(${args.map((a) => JSON.stringify(a)).join(", ")})`, async () => {
        const promises = new PromisesResolver({ resolver, timeout: 1000, tries: 1 }) as unknown as Record<string, (...a: string[]) => Promise<unknown>>;
        // Through JSON, as the golden file was written (an undefined errno drops out).
        expect(JSON.parse(JSON.stringify(await settled(promises[method]!(...args))))).to.deep.equal(expected);
      });
    }
  });
}

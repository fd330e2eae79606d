import { expect } from "chai";
import { readFileSync } from "node:fs";
import { DEFAULT_NETWORKS, DEFAULT_PROTOCOLS, DEFAULT_SERVICES } from "../../src/files/defaults.generated.js";
import { parseNetworks } from "../../src/files/networks.js";
import { parseProtocols } from "../../src/files/protocols.js";
import { parseServices } from "../../src/files/services.js";
import { GENERATED_PATH, NETBASE_NETWORKS, NETBASE_PROTOCOLS, NETBASE_SERVICES, renderDefaults } from "../../scripts/gen-defaults.js";

describe("embedded default tables", () => {
  const services = readFileSync(NETBASE_SERVICES, "utf8");
  const protocols = readFileSync(NETBASE_PROTOCOLS, "utf8");
  const networks = readFileSync(NETBASE_NETWORKS, "utf8");

  it("are what scripts/gen-defaults.ts makes from netbase today (run `npm run gen:defaults` if not)", () => {
    const fresh = renderDefaults({ services, protocols, networks }, ["fixtures/netbase/services", "fixtures/netbase/protocols", "fixtures/netbase/networks"]);
    expect(readFileSync(GENERATED_PATH, "utf8")).to.equal(fresh);
  });

  it("answer exactly as the netbase files do", () => {
    expect(parseServices(DEFAULT_SERVICES).entries).to.deep.equal(parseServices(services).entries);
    expect(parseProtocols(DEFAULT_PROTOCOLS).entries).to.deep.equal(parseProtocols(protocols).entries);
    expect(parseServices(DEFAULT_SERVICES).entries.length).to.be.above(300);
    expect(parseNetworks(DEFAULT_NETWORKS).entries).to.deep.equal(parseNetworks(networks).entries);
    expect(parseNetworks(DEFAULT_NETWORKS).entries.map((e) => e.name)).to.deep.equal(["default", "loopback", "link-local"]);
  });
});

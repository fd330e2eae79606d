/**
 * LookupContexts for unit tests: tables from inline texts, hosts sources
 * from the files module and any fakes, and a network that is only `lo`
 * unless told otherwise. No file is read and no packet sent.
 */
import { parseHosts } from "../../../src/files/hosts.js";
import { parseNsswitch } from "../../../src/files/nsswitch.js";
import { parseServices } from "../../../src/files/services.js";
import type { LookupContext } from "../../../src/lookup/context.js";
import { filesModule } from "../../../src/lookup/filessource.js";
import { DEFAULT_POLICY } from "../../../src/files/gaiconf.js";
import { parseHostConf } from "../../../src/files/hostconf.js";
import type { NetworkEnvironment } from "../../../src/lookup/network.js";
import type { HostsModule } from "../../../src/lookup/sources.js";
import { namespaceNetwork } from "./namespace.js";

export interface TestContextOptions {
  hosts?: string;
  services?: string;
  /** The sources of nsswitch.conf's hosts line (default "files"). */
  nsswitch?: string;
  hostConf?: string;
  /** Modules for sources other than files (e.g. a fake "dns"). */
  modules?: Record<string, HostsModule>;
  network?: Partial<NetworkEnvironment>;
  hostname?: string;
}

/** Only lo, with 127.0.0.1/8 and ::1/128, and no route beyond it. */
export const LOOPBACK_ONLY = namespaceNetwork({
  addresses: [
    { interface: "lo", index: 1, address: "127.0.0.1", prefixlen: 8 },
    { interface: "lo", index: 1, address: "::1", prefixlen: 128 },
  ],
  routes: [],
}, { v4: false, v6: false });

export function testContext(options: TestContextOptions = {}): LookupContext {
  const nsswitch = parseNsswitch(`hosts: ${options.nsswitch ?? "files"}\n`);
  const hostConf = parseHostConf(options.hostConf ?? "multi on\n");
  const files = filesModule(parseHosts(options.hosts ?? "127.0.0.1 localhost\n::1 localhost\n"), hostConf.multi);
  const modules: Record<string, HostsModule> = { files, ...options.modules };
  const services = parseServices(options.services ?? "http 80/tcp www\nhttps 443/tcp\nhttps 443/udp\ndomain 53/tcp\ndomain 53/udp\nssh 22/tcp\n");
  return {
    sources: nsswitch.hostsSources.map((s) => ({ name: s.name, module: modules[s.name], actions: s.actions })),
    thread: { hErrno: 0 },
    hostConf,
    network: { ...LOOPBACK_ONLY, ...options.network },
    services: () => services,
    policy: () => DEFAULT_POLICY,
    hostname: () => options.hostname ?? "farnsworth.hellfly.net",
  };
}

/**
 * The lookup contexts of one Resolver: a configuration snapshot bound to
 * a call's signal and tracer, with the nsswitch sources as modules (nss_files
 * on the snapshot's hosts table, nss_dns on the DNS client) and each
 * module's answers reported to the tracer.
 */
import type { DnsClient, LookupOptions } from "./dns/client.js";
import type { Configuration } from "./files/config.js";
import type { NssSource, NssStatus } from "./files/nsswitch.js";
import type { ServicesTable } from "./files/services.js";
import { formatAddress } from "./inet.js";
import type { LookupContext } from "./lookup/context.js";
import { dnsModule } from "./lookup/dnssource.js";
import { failedModule, filesModule } from "./lookup/filessource.js";
import type { NetworkEnvironment } from "./lookup/network.js";
import type { NssOutcome } from "./lookup/hostent.js";
import type { ConfiguredSource, HostsModule, NssSink, ThreadState } from "./lookup/sources.js";
import type { Tracer } from "./trace.js";

const TRACE_RESULT: Record<NssStatus, "found" | "notfound" | "unavailable" | "tryagain"> = {
  success: "found", notfound: "notfound", unavail: "unavailable", tryagain: "tryagain",
};

/** A source's answer on its way to the walk, reported to the tracer first. */
class TracedAnswer<T> implements NssSink<T> {
  constructor(readonly tracer: Tracer, readonly source: string, readonly name: string, readonly sink: NssSink<T>) {}

  answered(outcome: NssOutcome<T>): void {
    try {
      this.tracer({ kind: "source", source: this.source, name: this.name, result: TRACE_RESULT[outcome.status] });
    } catch (err) {
      this.sink.failed(err);
      return;
    }
    this.sink.answered(outcome);
  }

  failed(error: unknown): void {
    this.sink.failed(error);
  }
}

/** A module that reports each answer to the tracer. */
function traced(source: string, module: HostsModule, tracer: Tracer | undefined): HostsModule {
  if (tracer === undefined) return module;
  return {
    byName4: (name, sink) => module.byName4(name, new TracedAnswer(tracer, source, name, sink)),
    byName3: (name, family, checkName, buflen, sink) => module.byName3(name, family, checkName, buflen, new TracedAnswer(tracer, source, name, sink)),
    byAddr: (address, family, sink) => module.byAddr(address, family, new TracedAnswer(tracer, source, formatAddress(address), sink)),
  };
}

/** What the contexts of one configuration share. */
interface Modules {
  files: HostsModule;
  /** nss_dns when resolv.conf could not be read, in place of the call's own. */
  failedDns: HostsModule | undefined;
  /** The context of calls without signal or tracer, built by the first one. */
  plain?: LookupContext;
}

/** What every context of a Resolver holds besides its configuration. */
export interface ContextParts {
  client: DnsClient;
  /** The thread-local h_errno of glibc, which CPython's herror reports. */
  thread: ThreadState;
  network: NetworkEnvironment;
  services: () => ServicesTable;
  hostname: () => string;
}

/** Builds the context of each call, sharing what the calls of one configuration can share. */
export class LookupContexts {
  readonly #parts: ContextParts;
  /** Keyed by the snapshot, which is another object once a file changed. */
  readonly #modules = new WeakMap<Configuration, Modules>();
  /** The nss_dns module of calls without signal or tracer. */
  readonly #plainDns: HostsModule;
  #lastConfig: Configuration | undefined;
  #lastModules: Modules | undefined;

  constructor(parts: ContextParts) {
    this.#parts = parts;
    this.#plainDns = dnsModule(parts.client, {});
  }

  /**
   * The context of a call in `config`: `call` is what its DNS queries run
   * with (the client adds the Resolver's own tracer), `tracer` what its
   * sources report to (the Resolver's and the call's).
   */
  contextFor(config: Configuration, call: LookupOptions, tracer: Tracer | undefined): LookupContext {
    const modules = this.#modulesOf(config);
    if (call.signal === undefined && tracer === undefined) {
      modules.plain ??= this.#build(config, modules, this.#plainDns, undefined);
      return modules.plain;
    }
    return this.#build(config, modules, dnsModule(this.#parts.client, call), tracer);
  }

  #modulesOf(config: Configuration): Modules {
    // Nearly every call is in the same snapshot as the one before.
    if (this.#lastConfig === config) return this.#lastModules!;
    let modules = this.#modules.get(config);
    if (modules === undefined) {
      const failure = config.resolvConf.failure;
      modules = { files: filesModule(config.hosts, config.hostConf.multi), failedDns: failure === undefined ? undefined : failedModule(failure) };
      this.#modules.set(config, modules);
    }
    this.#lastConfig = config;
    this.#lastModules = modules;
    return modules;
  }

  #build(config: Configuration, modules: Modules, dns: HostsModule, tracer: Tracer | undefined): LookupContext {
    const toSource = (s: NssSource): ConfiguredSource => {
      const module = s.name === "files" ? modules.files : s.name === "dns" ? modules.failedDns ?? dns : undefined;
      return { name: s.name, module: module === undefined ? undefined : traced(s.name, module, tracer), actions: s.actions };
    };
    const { gaiPolicy } = config;
    const context: LookupContext = {
      sources: config.nsswitch.hostsSources.map(toSource),
      thread: this.#parts.thread,
      hostConf: config.hostConf,
      network: this.#parts.network,
      services: this.#parts.services,
      policy: () => gaiPolicy,
      hostname: this.#parts.hostname,
    };
    if (config.nsswitch.error !== undefined) context.nsswitchError = config.nsswitch.error;
    if (config.nsswitch.errno !== undefined) context.nsswitchErrno = config.nsswitch.errno;
    if (tracer !== undefined) context.tracer = tracer;
    return context;
  }
}

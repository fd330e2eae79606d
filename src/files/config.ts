/**
 * One configuration snapshot: what every lookup of a resolver reads of
 * the /etc files at a moment, resolv.conf with the resolver's options
 * applied (as c-ares' ares_sysconfig_apply lays options over the system
 * configuration, and hickory's system_conf feeds one ResolverConfig).
 *
 * A snapshot is the same object while no file it is made of changed (the
 * tables keep each parse until its file changes, src/files/source.ts), so
 * it keys every cache that holds per configuration: the lookup context of
 * calls without signal or tracer, the DNS client's send context.
 */
import type { GaiPolicy } from "./gaiconf.js";
import type { HostConf } from "./hostconf.js";
import type { HostAliases } from "./hostaliases.js";
import type { HostsTable } from "./hosts.js";
import type { NsswitchConf } from "./nsswitch.js";
import type { ResolvConf } from "./resolvconf.js";
import type { EtcTables } from "./source.js";

/** What the lookups read at one moment; no part of it is changed once made. */
export interface Configuration {
  readonly nsswitch: NsswitchConf;
  readonly hosts: HostsTable;
  readonly hostConf: HostConf;
  readonly gaiPolicy: GaiPolicy;
  /** resolv.conf and the environment, with the resolver's options on top and HOSTALIASES' aliases. */
  readonly resolvConf: ResolvConf;
}

/** Lays the resolver's options over resolv.conf as the tables read it: a new object, the file's untouched. */
export type ResolvConfOverlay = (file: ResolvConf) => ResolvConf;

/** A snapshot with the tables' parts it was made of, compared by identity. */
interface Made {
  nsswitch: NsswitchConf;
  hosts: HostsTable;
  hostConf: HostConf;
  gaiPolicy: GaiPolicy;
  resolvFile: ResolvConf;
  aliases: HostAliases | undefined;
  snapshot: Configuration;
  /** The clock reading it was checked at: at the same reading every table gives what it gave then. */
  checkedAt: number;
}

/** Hands out the snapshot of one resolver's tables, made again only when one of its files changed. */
export class ConfigurationSource {
  readonly #tables: EtcTables;
  readonly #overlay: ResolvConfOverlay;
  #last: Made | undefined;

  constructor(tables: EtcTables, overlay: ResolvConfOverlay) {
    this.#tables = tables;
    this.#overlay = overlay;
  }

  /** The configuration in effect now. */
  current(): Configuration {
    const t = this.#tables;
    const now = t.now();
    const last = this.#last;
    // A table is checked at most once per clock reading (and once a second), so at the reading of the last check nothing can have changed.
    if (last !== undefined && last.checkedAt === now) return last.snapshot;
    const nsswitch = t.nsswitch(now);
    const hosts = t.hosts(now);
    const hostConf = t.hostConf(now);
    const gaiPolicy = t.gaiPolicy(now);
    const resolvFile = t.resolvConf(now);
    const aliases = t.hostAliases(now);
    const sameResolv = last !== undefined && last.resolvFile === resolvFile && last.aliases === aliases;
    if (sameResolv && last.nsswitch === nsswitch && last.hosts === hosts && last.hostConf === hostConf && last.gaiPolicy === gaiPolicy) {
      last.checkedAt = now;
      return last.snapshot;
    }
    // resolv.conf's object stays the one made before while its file and aliases do: the DNS client keys on it.
    const resolvConf = sameResolv ? last.snapshot.resolvConf : this.#resolvConf(resolvFile, aliases);
    const snapshot: Configuration = { nsswitch, hosts, hostConf, gaiPolicy, resolvConf };
    this.#last = { nsswitch, hosts, hostConf, gaiPolicy, resolvFile, aliases, snapshot, checkedAt: now };
    return snapshot;
  }

  /**
   * `current().resolvConf`, reading only resolv.conf and HOSTALIASES: what
   * the DNS client asks at every query.
   */
  resolvConf(): ResolvConf {
    const last = this.#last;
    const t = this.#tables;
    const now = t.now();
    if (last !== undefined && last.checkedAt === now) return last.snapshot.resolvConf;
    if (last !== undefined && last.resolvFile === t.resolvConf(now) && last.aliases === t.hostAliases(now)) return last.snapshot.resolvConf;
    return this.current().resolvConf;
  }

  #resolvConf(file: ResolvConf, aliases: HostAliases | undefined): ResolvConf {
    const conf = this.#overlay(file);
    if (aliases !== undefined) conf.hostAliases = aliases;
    return conf;
  }
}

/**
 * Where the /etc tables come from: files under a root directory, texts
 * given directly, or embedded defaults when a file is missing. Each table
 * is parsed once and re-read only when its file changed (size, mtime,
 * ctime or inode), checked at most once a second, as glibc checks
 * resolv.conf and nsswitch.conf (glibc's io/file_change_detection.c).
 *
 * A file that exists but cannot be used is a {@link FileFailure}, kept
 * with the file's stamp like a text, so it is not tried again until the
 * file changes: unreadable (the open's errno, EACCES), a directory
 * (EISDIR, what glibc's first read of one gives), anything else that is
 * no regular file (a FIFO, /dev/zero: EINVAL, never opened, where glibc
 * hangs or reads until memory runs out), and a file larger than
 * {@link MAX_FILE_SIZE} (EFBIG). docs/glibc-notes.md §"/etc files that
 * are not plain files" has what each table makes of it.
 */
import { readFileSync, statSync } from "../builtins.js";
import { hostname as osHostname } from "../builtins.js";
import { join } from "node:path";
import { fileFailure, type FileFailure } from "./failure.js";
import type { NsswitchConf } from "./nsswitch.js";
import type { ResolvConf } from "./resolvconf.js";
import { DEFAULT_NETWORKS, DEFAULT_PROTOCOLS, DEFAULT_SERVICES } from "./defaults.generated.js";
import { parseHostAliases, type HostAliases } from "./hostaliases.js";
import { parseHostname } from "./hostname.js";
import { failedHosts, parseHosts, type HostsTable } from "./hosts.js";
import { parseNetworks, type NetworksTable } from "./networks.js";
import { failedNsswitch, parseNsswitch } from "./nsswitch.js";
import { parseProtocols, type ProtocolsTable } from "./protocols.js";
import { parseResolvConf, type ResolverEnv } from "./resolvconf.js";
import { parseServices, type ServicesTable } from "./services.js";
// The two parsers that live with the lookup code that reads their result.
import { DEFAULT_POLICY, parseGaiConf, type GaiPolicy } from "./gaiconf.js";
import { parseHostConf, type HostConf } from "./hostconf.js";

/** The files under `etc/` that netdb reads. */
export type EtcFileName =
  | "hosts" | "services" | "protocols" | "networks" | "resolv.conf" | "nsswitch.conf" | "hostname"
  | "host.conf" | "gai.conf";

/**
 * The hosts table used when the root has no etc/hosts. glibc has none (with
 * no /etc/hosts its files source finds nothing, even for localhost); this
 * is netdb's choice, so that a sandbox without /etc still resolves localhost.
 */
export const DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost\n";

/**
 * The largest file netdb reads by default, in bytes: 8 MiB, about 180,000
 * hosts lines, which hold the event loop for the read and parse about
 * 0.1 s a megabyte (docs/benchmarks.md §"Huge /etc files"). glibc has no
 * limit (it blocks only the calling thread); a larger file is an EFBIG
 * {@link FileFailure}, so one lookup never holds the loop for seconds.
 * `maxFileSize` raises or lowers it.
 */
export const MAX_FILE_SIZE = 8 * 1024 * 1024;

/** What identifies one version of a file, as glibc's file_change_detection sees it. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** What is at the path: only a regular file is read. */
  kind: "file" | "directory" | "other";
}

/** How {@link EtcTables} reads files. The default uses node:fs; tests wrap it. */
export interface EtcFileSystem {
  /** What is at `path`, or undefined when nothing is (ENOENT, ENOTDIR): the file is missing. */
  stat(path: string): FileStamp | undefined;
  /** The regular file's text, decoded as UTF-8, or why it cannot be read. */
  read(path: string): string | FileFailure;
}

/** Reads the real file system. */
export const nodeFileSystem: EtcFileSystem = {
  stat(path) {
    try {
      const s = statSync(path);
      const kind = s.isFile() ? "file" : s.isDirectory() ? "directory" : "other";
      return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, kind };
    } catch {
      return undefined;
    }
  },
  read(path) {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      return fileFailure((err as NodeJS.ErrnoException).code ?? "EIO");
    }
  },
};

/** What the stamp alone says of a file that is there: a failure, or undefined when it is to be read. */
function failureOfStamp(stamp: FileStamp, maxSize: number): FileFailure | undefined {
  if (stamp.kind === "directory") return fileFailure("EISDIR");
  if (stamp.kind === "other") return fileFailure("EINVAL");
  return stamp.size > maxSize ? fileFailure("EFBIG") : undefined;
}

export interface EtcTablesOptions {
  /**
   * Directory that stands in for `/`: files are read from `ROOT/etc/NAME`.
   * Default `/`, unless `files` is given: then names missing from `files`
   * use the embedded defaults and nothing is read from disk.
   */
  root?: string;
  /** File texts given directly; they take precedence over `root` and are never re-read. */
  files?: Partial<Record<EtcFileName, string>>;
  /** The environment glibc's resolver reads (LOCALDOMAIN, RES_OPTIONS). Default `process.env`. */
  env?: ResolverEnv;
  /**
   * What gethostname() returns, for resolv.conf's default domain: the name,
   * or a function asked whenever resolv.conf is parsed (a Resolver whose
   * host name comes from the root's etc/hostname). Default `os.hostname()`.
   */
  hostname?: string | (() => string);
  /** Milliseconds clock for the once-a-second change check. Default `Date.now`. */
  now?: () => number;
  /** How files are read. Default {@link nodeFileSystem}. */
  fs?: EtcFileSystem;
  /** Files larger than this many bytes are not read (EFBIG). Default {@link MAX_FILE_SIZE}. */
  maxFileSize?: number;
}

/** How often a file's stamp is checked at most, in milliseconds. */
const CHECK_INTERVAL = 1000;

/** A text's origin: a file to read, else a text given directly, else none (the default applies). */
interface Origin {
  path?: string;
  text?: string;
}

function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.kind === b.kind;
}

/**
 * A table's parser: `text` undefined when there is no text, `failure`
 * set when the file exists but gave none, both undefined when it is missing.
 */
type Parse<T> = (text: string | undefined, failure?: FileFailure) => T;

/** One file's parsed value, kept until the file changes. */
class CachedTable<T> {
  private loaded = false;
  private value!: T;
  private stamp: FileStamp | undefined;
  private checkedAt = 0;

  constructor(
    /** Where the text comes from: a file (re-read when it changes), else a fixed text or none. */
    private readonly origin: Origin,
    private readonly fs: EtcFileSystem,
    private readonly maxSize: number,
    /** Builds the value. */
    private readonly parse: Parse<T>,
    /** When true for the current value, the file is never checked again (resolv.conf's no-reload). */
    private readonly frozen: (value: T) => boolean = () => false,
  ) {}

  get(now: number): T {
    if (!this.loaded) {
      this.refresh(now);
    } else if (this.origin.path !== undefined && now - this.checkedAt >= CHECK_INTERVAL && !this.frozen(this.value)) {
      this.refresh(now);
    }
    return this.value;
  }

  private refresh(now: number): void {
    this.checkedAt = now;
    const { path } = this.origin;
    if (path === undefined) {
      this.value = this.parse(this.origin.text);
    } else {
      const stamp = this.fs.stat(path);
      if (this.loaded && sameStamp(stamp, this.stamp)) return;
      // The stamp taken before the read: a file that changes while it is read differs at the next check.
      this.stamp = stamp;
      this.value = stamp === undefined ? this.parse(undefined) : this.readAndParse(path, stamp);
    }
    this.loaded = true;
  }

  private readAndParse(path: string, stamp: FileStamp): T {
    const failure = failureOfStamp(stamp, this.maxSize);
    if (failure !== undefined) return this.parse(undefined, failure);
    const text = this.fs.read(path);
    return typeof text === "string" ? this.parse(text) : this.parse(undefined, text);
  }
}

/** Parses a default table once per process: they never change. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const defaultHosts = once(() => parseHosts(DEFAULT_HOSTS));
const defaultServices = once(() => parseServices(DEFAULT_SERVICES));
const defaultProtocols = once(() => parseProtocols(DEFAULT_PROTOCOLS));
const defaultNetworks = once(() => parseNetworks(DEFAULT_NETWORKS));

/**
 * The /etc tables of one root, each parsed on first use and re-read when
 * its file changes. Missing files fall back to embedded defaults: Debian
 * netbase's services and protocols, Debian's networks, and a hosts file with just localhost
 * (127.0.0.1 and ::1); a missing resolv.conf or nsswitch.conf means glibc's
 * defaults, a missing hostname `undefined`.
 */
export class EtcTables {
  /** The clock of the change checks; a caller reading several tables at once takes it once and passes it on. */
  readonly now: () => number;
  private readonly hostsTable: CachedTable<HostsTable>;
  private readonly servicesTable: CachedTable<ServicesTable>;
  private readonly protocolsTable: CachedTable<ProtocolsTable>;
  private readonly networksTable: CachedTable<NetworksTable>;
  private readonly resolvConfTable: CachedTable<ResolvConf>;
  private readonly nsswitchTable: CachedTable<NsswitchConf>;
  private readonly hostnameTable: CachedTable<string | undefined>;
  private readonly hostConfTable: CachedTable<HostConf>;
  private readonly gaiPolicyTable: CachedTable<GaiPolicy>;
  private readonly hostAliasesTable: CachedTable<HostAliases | undefined>;

  constructor(options: EtcTablesOptions = {}) {
    const { files, env = process.env, fs = nodeFileSystem, maxFileSize = MAX_FILE_SIZE } = options;
    const root = options.root ?? (files === undefined ? "/" : undefined);
    const origin = (name: EtcFileName): Origin => {
      const text = files?.[name];
      if (text !== undefined) return { text };
      return root === undefined ? {} : { path: join(root, "etc", name) };
    };
    const table = <T>(name: EtcFileName, parse: Parse<T>, frozen?: (value: T) => boolean) =>
      new CachedTable(origin(name), fs, maxFileSize, parse, frozen);

    this.now = options.now ?? Date.now;
    // A hosts file that cannot be read makes nss_files fail (UNAVAIL, with the errno); a
    // missing one is netdb's localhost table. services and protocols that cannot be read are
    // empty, as glibc finds nothing in them.
    this.hostsTable = table("hosts", (text, failure) => (failure !== undefined ? failedHosts(failure) : text === undefined ? defaultHosts() : parseHosts(text)));
    this.servicesTable = table("services", (text, failure) => (text === undefined && failure === undefined ? defaultServices() : parseServices(text ?? "")));
    this.protocolsTable = table("protocols", (text, failure) => (text === undefined && failure === undefined ? defaultProtocols() : parseProtocols(text ?? "")));
    this.networksTable = table("networks", (text, failure) => (text === undefined && failure === undefined ? defaultNetworks() : parseNetworks(text ?? "")));
    this.resolvConfTable = table(
      "resolv.conf",
      (text, failure) => {
        const { hostname } = options;
        const conf = parseResolvConf(text ?? "", env, typeof hostname === "function" ? hostname() : hostname ?? osHostname());
        return failure === undefined || failure.code === "EACCES" ? conf : { ...conf, failure };
      },
      (conf) => conf.noReload === true,
    );
    this.nsswitchTable = table("nsswitch.conf", (text, failure) => (failure === undefined || failure.code === "EACCES" ? parseNsswitch(text ?? "") : failedNsswitch(failure)));
    this.hostnameTable = table("hostname", (text) => (text === undefined ? undefined : parseHostname(text)));
    // host.conf's settings, with the RESOLV_* variables of the environment on top.
    this.hostConfTable = table("host.conf", (text) => parseHostConf(text, env));
    this.gaiPolicyTable = table("gai.conf", (text) => (text === undefined ? DEFAULT_POLICY : parseGaiConf(text)));
    // HOSTALIASES names a file of the process, not of the root; a Resolver that reads no disk reads none.
    const aliasesPath = env.HOSTALIASES;
    const aliasesOrigin = aliasesPath === undefined || aliasesPath === "" || root === undefined ? {} : { path: aliasesPath };
    this.hostAliasesTable = new CachedTable(aliasesOrigin, fs, maxFileSize, (text) => (text === undefined ? undefined : parseHostAliases(text)));
  }

  /** The hosts table (etc/hosts, or localhost only). */
  hosts(now = this.now()): HostsTable {
    return this.hostsTable.get(now);
  }

  /** The services table (etc/services, or netbase's). */
  services(now = this.now()): ServicesTable {
    return this.servicesTable.get(now);
  }

  /** The protocols table (etc/protocols, or netbase's). */
  protocols(now = this.now()): ProtocolsTable {
    return this.protocolsTable.get(now);
  }

  /** The networks table (etc/networks, or Debian's default, loopback and link-local). */
  networks(now = this.now()): NetworksTable {
    return this.networksTable.get(now);
  }

  /** The resolver configuration: etc/resolv.conf with the environment applied. */
  resolvConf(now = this.now()): ResolvConf {
    return this.resolvConfTable.get(now);
  }

  /** The name service switch configuration (etc/nsswitch.conf, or glibc's defaults). */
  nsswitch(now = this.now()): NsswitchConf {
    return this.nsswitchTable.get(now);
  }

  /** The first word of etc/hostname, or undefined when there is none. */
  hostname(now = this.now()): string | undefined {
    return this.hostnameTable.get(now);
  }

  /** etc/host.conf's settings (glibc's defaults when there is none) with the environment's RESOLV_* on top. */
  hostConf(now = this.now()): HostConf {
    return this.hostConfTable.get(now);
  }

  /**
   * The aliases of the file the environment's HOSTALIASES names (read as
   * the Resolver's `env` had it when the tables were made), or undefined
   * when there is none or it cannot be read.
   */
  hostAliases(now = this.now()): HostAliases | undefined {
    return this.hostAliasesTable.get(now);
  }

  /** etc/gai.conf's address sorting policy, or glibc's built-in tables when there is none. */
  gaiPolicy(now = this.now()): GaiPolicy {
    return this.gaiPolicyTable.get(now);
  }
}

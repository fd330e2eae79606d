/**
 * Everything one lookup reads: the configured sources, the tables and
 * settings of the moment, the network facts, and the Resolver's thread
 * state. A call sees one context throughout, so one consistent
 * configuration even if the files change while it runs; calls without a
 * signal or tracer share one while the files are unchanged.
 */
import type { ServicesTable } from "../files/services.js";
import type { Tracer } from "../trace.js";
import type { GaiPolicy } from "../files/gaiconf.js";
import type { HostConf } from "../files/hostconf.js";
import type { NetworkEnvironment } from "./network.js";
import type { ConfiguredSource, ThreadState } from "./sources.js";

export interface LookupContext {
  /** The `hosts:` sources in nsswitch order, bound to this call. */
  sources: readonly ConfiguredSource[];
  /** Set when nsswitch.conf is malformed: glibc then fails every hosts lookup. */
  nsswitchError?: string;
  /** The errno of that failure: EINVAL for a malformed file, EISDIR for a directory. */
  nsswitchErrno?: number;
  thread: ThreadState;
  hostConf: HostConf;
  network: NetworkEnvironment;
  services: () => ServicesTable;
  policy: () => GaiPolicy;
  /** What gethostname() returns. */
  hostname: () => string;
  tracer?: Tracer;
}

/**
 * Worlds written inline in a test: a hosts text and RFC 1035 zone texts,
 * made into the options of a Resolver that answers from them as glibc on
 * a machine with that /etc/hosts and an authoritative server for those
 * zones would (nsswitch `hosts: files dns`, no search list, the caller's
 * environment kept out). The zones are served by a {@link ZoneTransport}:
 * answers go through res_send and the answer parser as bytes, exactly as
 * a live server's do, and no socket is opened.
 */
import { ZoneTransport } from "../dns/transport/zone.js";
import type { ResolverOptions } from "../options.js";
import { parseZoneText } from "../zone/zonefile.js";

/** A world written in the test: `/etc/hosts` text, and zone-file texts (each naming its origin). */
export interface InlineWorld {
  /** The hosts file; `localhost` lines are added after it, so the name stays local unless the text says otherwise. */
  hosts?: string;
  /**
   * Zones in RFC 1035 text, one string each. A zone's origin is its
   * `$ORIGIN`, else its SOA's owner, else the domain above all its owners.
   */
  zone?: string | readonly string[];
}

/**
 * The name servers an inline world's resolv.conf lists. No packet goes to
 * them (the zone transport answers); two, so that a failover fault has a
 * next server, and on loopback, so that nothing could leave the machine.
 */
export const INLINE_SERVERS = ["127.0.53.1", "127.0.53.2"] as const;

/** What the localhost lines of a machine's hosts file say (Debian's). */
const LOCALHOST = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

/** The Resolver options of an inline world, and the zone transport they use. */
export interface InlineResolver {
  options: ResolverOptions & { transport: ZoneTransport };
  transport: ZoneTransport;
  hosts: string;
}

/** Builds the Resolver options for `world`; `nxdomainOnMiss` answers names in no zone NXDOMAIN. */
export function inlineResolver(world: InlineWorld, nxdomainOnMiss: boolean): InlineResolver {
  const texts = world.zone === undefined ? [] : typeof world.zone === "string" ? [world.zone] : world.zone;
  const zones = texts.map((text, i) => parseZoneText(text, `inline zone ${i + 1}`));
  const transport = new ZoneTransport(zones, { source: "the inline world", nxdomainOnMiss });
  const hosts = `${world.hosts ?? ""}${world.hosts === undefined || world.hosts.endsWith("\n") || world.hosts === "" ? "" : "\n"}${LOCALHOST}`;
  const options: InlineResolver["options"] = {
    files: {
      hosts,
      "resolv.conf": INLINE_SERVERS.map((s) => `nameserver ${s}\n`).join(""),
      "nsswitch.conf": "hosts: files dns\n",
      hostname: "localhost\n",
    },
    env: {},
    transport,
  };
  return { options, transport, hosts };
}

/**
 * A name server: what it is ({@link NameServer}, with how an encrypted
 * one is reached), and its text forms: the host a socket connects to (with
 * the zone of a scoped IPv6 address) and the `address:port` label that
 * traces, errors, recordings and the pools' keys use; an encrypted server
 * is labelled by its URI.
 */

/** A nameserver to ask. */
export interface NameServer {
  /** IPv4 or IPv6 address text, without brackets or scope. */
  address: string;
  /** UDP/TCP port, 53 unless configured otherwise. */
  port: number;
  /** 4 or 6. */
  family: 4 | 6;
  /** Interface name or number of a scoped IPv6 address (`fe80::1%eth0`). */
  scope?: string;
  /** The local address queries to it are sent from (node:dns's `setLocalAddress`); default: the system's choice. */
  source?: string;
  /**
   * DNS over TLS or over HTTPS instead of plain UDP/TCP: a `tls://` or
   * `https://` nameserver (docs/encrypted.md). For DoH by host name,
   * `address` is that name, resolved through the bootstrap servers.
   */
  encrypted?: EncryptedServer;
}

/** How an encrypted nameserver is reached (server-uri.ts reads them from URIs). */
export interface EncryptedServer {
  /** `tls`: DNS over TLS (RFC 7858); `https`: DNS over HTTPS (RFC 8484). */
  scheme: "tls" | "https";
  /** The URI as given: the server's label in traces and errors. */
  uri: string;
  /** The name the certificate must be for, sent as SNI when it is a host name: `?name=`, else the URI's host. */
  name: string;
  /**
   * RFC 8310's usage profile. `strict` (the default): a server whose
   * certificate does not check fails, as a server that does not answer.
   * `opportunistic` (DoT only): the certificate is not checked, and a
   * server that cannot be reached over TLS is asked in clear on port 53.
   */
  profile: "strict" | "opportunistic";
  /** DoH: the URL queries go to (without the fragment). */
  url?: string;
  /** DoH: POST (the default) or GET with `?dns=`. */
  method?: "POST" | "GET";
  /** DoH: HTTP/2 (`2`, the default), HTTP/1.1 (`1.1`), or the global `fetch` (`fetch`). */
  http?: "2" | "1.1" | "fetch";
}

/** The address to connect to, with the zone of a scoped IPv6 address (`fe80::1%eth0`). */
export function serverHost(server: NameServer): string {
  return server.scope === undefined ? server.address : `${server.address}%${server.scope}`;
}

/** `address:port` text of a server, brackets around IPv6 addresses; the port left out when it is `omitPort`. */
export function formatHostPort(server: NameServer, omitPort?: number): string {
  const host = serverHost(server);
  if (server.port === omitPort) return host;
  return server.family === 6 ? `[${host}]:${server.port}` : `${host}:${server.port}`;
}

/** {@link formatHostPort}, kept per server object: every outcome lists its servers, and the objects live as long as their configuration. */
export function serverLabel(server: NameServer): string {
  let label = SERVER_LABELS.get(server);
  if (label === undefined) {
    label = server.encrypted?.uri ?? formatHostPort(server);
    SERVER_LABELS.set(server, label);
  }
  return label;
}

const SERVER_LABELS = new WeakMap<NameServer, string>();

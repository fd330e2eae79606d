/**
 * The text forms of a name server: the host a socket connects to (with
 * the zone of a scoped IPv6 address) and the `address:port` label that
 * traces, errors, recordings and the pools' keys use.
 */
import type { NameServer } from "../files/resolvconf.js";

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
    label = formatHostPort(server);
    SERVER_LABELS.set(server, label);
  }
  return label;
}

const SERVER_LABELS = new WeakMap<NameServer, string>();

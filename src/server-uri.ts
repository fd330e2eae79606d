/**
 * Encrypted nameservers written as URIs, for the `nameservers` option and
 * resolv.conf's `# netdb: nameserver` lines (docs/encrypted.md):
 *
 * - `tls://ADDRESS[:PORT][?name=NAME&profile=strict|opportunistic]`: DNS
 *   over TLS (RFC 7858), port 853 unless given. The certificate must be
 *   for NAME, else for the address itself.
 * - `https://HOST[:PORT]/PATH[?QUERY][#method=get&http=1.1|fetch]`: DNS
 *   over HTTPS (RFC 8484), the URL RFC 8484's URI template names without
 *   `{?dns}`. HOST may be a name, resolved through the bootstrap servers.
 *   netdb's own settings go in the fragment, which never reaches the server.
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "./inet.js";
import type { EncryptedServer, NameServer } from "./dns/server.js";

/** The port of DNS over TLS (RFC 7858 section 3.1). */
export const DOT_PORT = 853;

/** True when `text` is written as a URI this module reads (a scheme, then `://`). */
export function isServerUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** Parses one `tls://` or `https://` nameserver; throws a TypeError saying what is wrong. */
export function parseServerUri(text: string): NameServer {
  const fail = (why: string): never => {
    throw new TypeError(`nameserver ${JSON.stringify(text)}: ${why}`);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail("not a URI");
  }
  if (url.username !== "" || url.password !== "") fail("a user or password has no meaning here");
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const literal = addressOf(host);
  if (url.protocol === "tls:") {
    if (literal === undefined) fail("a tls:// server is an IP address (name the certificate with ?name=)");
    if (url.pathname !== "" && url.pathname !== "/") fail("a tls:// server has no path");
    const params = url.searchParams;
    for (const key of params.keys()) if (key !== "name" && key !== "profile") fail(`unknown parameter ${JSON.stringify(key)} (name, profile)`);
    const encrypted: EncryptedServer = { scheme: "tls", uri: text, name: params.get("name") ?? literal!.address, profile: profileOf(params.get("profile"), fail) };
    return { ...literal!, port: url.port === "" ? DOT_PORT : Number(url.port), encrypted };
  }
  if (url.protocol === "https:") {
    const settings = new URLSearchParams(url.hash.slice(1));
    for (const key of settings.keys()) if (key !== "method" && key !== "http") fail(`unknown setting ${JSON.stringify(key)} in the fragment (method, http)`);
    const method = (settings.get("method") ?? "post").toUpperCase();
    if (method !== "POST" && method !== "GET") fail(`method ${JSON.stringify(method)} is neither post nor get`);
    const http = settings.get("http") ?? "2";
    if (http !== "2" && http !== "1.1" && http !== "fetch") fail(`http ${JSON.stringify(http)} is none of 2, 1.1, fetch`);
    url.hash = "";
    const encrypted: EncryptedServer = { scheme: "https", uri: text, name: host, profile: "strict", url: url.href, method: method as "POST" | "GET", http: http as "2" | "1.1" | "fetch" };
    const port = url.port === "" ? 443 : Number(url.port);
    return literal === undefined ? { address: host, port, family: 4, encrypted } : { ...literal, port, encrypted };
  }
  return fail(`scheme ${url.protocol.slice(0, -1)} is not tls or https`);
}

/** The address and family of an IP literal, or undefined for a host name. */
function addressOf(host: string): { address: string; family: 4 | 6 } | undefined {
  const v4 = parseIPv4(host);
  if (v4 !== null) return { address: formatIPv4(v4), family: 4 };
  const v6 = parseIPv6(host);
  return v6 === null ? undefined : { address: formatIPv6(v6), family: 6 };
}

function profileOf(value: string | null, fail: (why: string) => never): EncryptedServer["profile"] {
  if (value === null || value === "strict") return "strict";
  if (value === "opportunistic") return "opportunistic";
  return fail(`profile ${JSON.stringify(value)} is neither strict nor opportunistic`);
}

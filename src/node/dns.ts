/**
 * `netdb/dns`: node:dns answered by netdb. `import dns from "netdb/dns"`
 * (or any of its named exports) replaces `import dns from "node:dns"`
 * unchanged; the functions use netdb's default Resolver (the one of
 * `import { getaddrinfo } from "netdb"`), built from the system's /etc
 * files on first use. Importing it reads no file and opens no socket.
 * Build one over another Resolver with `createDns(resolver)` (netdb's
 * main module). docs/node.md lists what differs from node:dns.
 */
import { getDefaultResolver } from "../index.js";
import { createDns } from "./create-dns.js";

const dns = createDns(getDefaultResolver);
export default dns;

export const {
  lookup, lookupService, Resolver, getDefaultResultOrder, setDefaultResultOrder, setServers, getServers,
  resolve, resolve4, resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs,
  resolvePtr, resolveSoa, resolveSrv, resolveTxt, reverse, promises,
  ADDRCONFIG, ALL, V4MAPPED,
  NODATA, FORMERR, SERVFAIL, NOTFOUND, NOTIMP, REFUSED, BADQUERY, BADNAME, BADFAMILY, BADRESP, CONNREFUSED,
  TIMEOUT, EOF, FILE, NOMEM, DESTRUCTION, BADSTR, BADFLAGS, NONAME, BADHINTS, NOTINITIALIZED, LOADIPHLPAPI,
  ADDRGETNETWORKPARAMS, CANCELLED,
} = dns;

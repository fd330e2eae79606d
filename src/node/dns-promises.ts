/**
 * `netdb/dns/promises`: node:dns/promises answered by netdb, the
 * `promises` object of `netdb/dns` (the same functions and default
 * resolver), so `import { resolveSrv } from "netdb/dns/promises"`
 * replaces the node:dns/promises import unchanged.
 */
import dns from "./dns.js";

const promises = dns.promises;
export default promises;

export const {
  lookup, lookupService, Resolver, getDefaultResultOrder, setDefaultResultOrder, setServers, getServers,
  resolve, resolve4, resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs,
  resolvePtr, resolveSoa, resolveSrv, resolveTxt, reverse,
  NODATA, FORMERR, SERVFAIL, NOTFOUND, NOTIMP, REFUSED, BADQUERY, BADNAME, BADFAMILY, BADRESP, CONNREFUSED,
  TIMEOUT, EOF, FILE, NOMEM, DESTRUCTION, BADSTR, BADFLAGS, NONAME, BADHINTS, NOTINITIALIZED, LOADIPHLPAPI,
  ADDRGETNETWORKPARAMS, CANCELLED,
} = promises;

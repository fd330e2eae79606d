/**
 * node:dns's constants: the c-ares status codes it exports by their names
 * (lib/internal/dns/utils.js, in its order) and the getaddrinfo hints
 * `lookup` accepts, which are the C library's AI_* values (glibc's here).
 */
import { AI_ADDRCONFIG, AI_ALL, AI_V4MAPPED } from "../constants.js";

/** `dns.ADDRCONFIG`: glibc's AI_ADDRCONFIG. */
export const ADDRCONFIG = AI_ADDRCONFIG;
/** `dns.V4MAPPED`: glibc's AI_V4MAPPED. */
export const V4MAPPED = AI_V4MAPPED;
/** `dns.ALL`: glibc's AI_ALL. */
export const ALL = AI_ALL;

/** `dns.NODATA` ... `dns.CANCELLED`: each constant's value is its code (`"ENODATA"`, ...). */
export const DNS_ERROR_CODES = {
  NODATA: "ENODATA",
  FORMERR: "EFORMERR",
  SERVFAIL: "ESERVFAIL",
  NOTFOUND: "ENOTFOUND",
  NOTIMP: "ENOTIMP",
  REFUSED: "EREFUSED",
  BADQUERY: "EBADQUERY",
  BADNAME: "EBADNAME",
  BADFAMILY: "EBADFAMILY",
  BADRESP: "EBADRESP",
  CONNREFUSED: "ECONNREFUSED",
  TIMEOUT: "ETIMEOUT",
  EOF: "EOF",
  FILE: "EFILE",
  NOMEM: "ENOMEM",
  DESTRUCTION: "EDESTRUCTION",
  BADSTR: "EBADSTR",
  BADFLAGS: "EBADFLAGS",
  NONAME: "ENONAME",
  BADHINTS: "EBADHINTS",
  NOTINITIALIZED: "ENOTINITIALIZED",
  LOADIPHLPAPI: "ELOADIPHLPAPI",
  ADDRGETNETWORKPARAMS: "EADDRGETNETWORKPARAMS",
  CANCELLED: "ECANCELLED",
} as const;

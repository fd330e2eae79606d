/**
 * The shapes glibc's hosts lookups pass between the name service switch
 * and its callers: `struct hostent`, getaddrinfo's address tuples, and the
 * NSS status plus `h_errno` every source function reports.
 */
import type { NssStatus } from "../files/nsswitch.js";

/** glibc's h_errno values. */
export const NETDB_INTERNAL = -1;
export const NETDB_SUCCESS = 0;
export { HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, TRY_AGAIN } from "../constants.js";

/** `struct hostent`: one answer of gethostbyname*_r / gethostbyaddr_r. */
export interface HostEnt {
  name: string;
  aliases: string[];
  family: 4 | 6;
  /** 4 or 16 bytes each. */
  addresses: Uint8Array[];
}

/** getaddrinfo's `struct gaih_addrtuple`. */
export interface AddrTuple {
  /** Set on the entry that carries the canonical name (the first one, from gethostbyname4_r). */
  name?: string;
  family: 4 | 6;
  /** 4 or 16 bytes. */
  address: Uint8Array;
  scopeId: number;
}

/**
 * What one source function returned: its status, the h_errno it stored
 * through its `h_errnop` argument (undefined when it stored none), the
 * h_errno the resolver itself left in the thread's `h_errno` while the
 * source worked (undefined when the source sent no DNS query), and its
 * value on success.
 */
export interface NssOutcome<T> {
  status: NssStatus;
  herrno?: number;
  resolverHErrno?: number;
  value?: T;
  /** gethostbyname3_r's canonical name, when the source has one. */
  canon?: string;
  /** The servers the DNS source asked, for error context. */
  servers?: string[];
  /** The errno the source left (nss_dns's ECONNREFUSED/ETIMEDOUT), when it matters. */
  errno?: string;
  /**
   * Set on an UNAVAIL that leaves errno non-zero, so gethostbyname2_r
   * returns an error (nss_dns's getanswer_r on a record that did not read:
   * getaddrinfo(AF_INET) then says EAI_NODATA, as recorded in
   * resolv-parity.json). Which value no caller sees.
   */
  errnoLeft?: true;
  /** The errno number behind an UNAVAIL of nss_files whose hosts file could not be read. */
  fileErrno?: number;
}

/**
 * Python's getservbyname, getservbyport and getprotobyname (plus
 * getprotobynumber, which Python lacks) over the /etc tables: the same
 * answers, and the same errors with the same texts, as CPython 3.11 on
 * glibc 2.36 reading the same files.
 */
import { SocketError } from "../errors.js";
import type { ProtocolsTable } from "../files/protocols.js";
import type { ServicesTable } from "../files/services.js";
import { requireCInt, requireCString } from "../inet.js";

/** Anything that provides a services table, such as an EtcTables. */
export interface ServiceTables {
  services(): ServicesTable;
}

/** Anything that provides a protocols table, such as an EtcTables. */
export interface ProtocolTables {
  protocols(): ProtocolsTable;
}

/** Python's OSError without errno, as CPython raises it for these lookups. */
function notFound(message: string): SocketError {
  return new SocketError(message);
}

/**
 * CPython's optional "s" argument: omitted (undefined) means none; null
 * stands for Python's None, which CPython refuses.
 */
function optionalProto(fn: string, proto: unknown): string | undefined {
  return proto === undefined ? undefined : requireCString(fn, 2, proto);
}

/**
 * The port of service `name` (`getservbyname("http")` → 80), from the first
 * line in the services file naming it, for protocol `proto` if given. Names
 * and protocols compare exactly: `"HTTP"` and `"TCP"` find nothing.
 *
 * @throws SocketError `service/proto not found`
 * @throws TypeError when `name` or `proto` is not a string
 * @throws RangeError when a string holds a NUL (Python's ValueError)
 */
export function getservbyname(tables: ServiceTables, name: string, proto?: string): number {
  const service = requireCString("getservbyname", 1, name);
  const protocol = optionalProto("getservbyname", proto);
  const entry = tables.services().byName(service, protocol);
  if (entry === undefined) throw notFound("service/proto not found");
  return entry.port;
}

/**
 * The name of the service on `port` (`getservbyport(443)` → `"https"`),
 * from the first line in the services file with that port, for protocol
 * `proto` if given.
 *
 * @throws SocketError `port/proto not found`
 * @throws RangeError `getservbyport: port must be 0-65535.` (Python's
 *   OverflowError), or CPython's text when `port` does not even fit a C int
 * @throws TypeError when `port` is not an integer or `proto` not a string
 */
export function getservbyport(tables: ServiceTables, port: number, proto?: string): string {
  const number = requireCInt(port);
  const protocol = optionalProto("getservbyport", proto);
  if (number < 0 || number > 0xffff) throw new RangeError("getservbyport: port must be 0-65535.");
  const entry = tables.services().byPort(number, protocol);
  if (entry === undefined) throw notFound("port/proto not found");
  return entry.name;
}

/**
 * The number of protocol `name` (`getprotobyname("tcp")` → 6), compared
 * exactly (`"TCP"` works only through the file's alias).
 *
 * @throws SocketError `protocol not found`
 * @throws TypeError when `name` is not a string
 * @throws RangeError when `name` holds a NUL (Python's ValueError)
 */
export function getprotobyname(tables: ProtocolTables, name: string): number {
  const protocol = requireCString("getprotobyname", 1, name);
  const entry = tables.protocols().byName(protocol);
  if (entry === undefined) throw notFound("protocol not found");
  return entry.number;
}

/**
 * The name of protocol number `n` (`getprotobynumber(17)` → `"udp"`). Python
 * has no such function; this follows C's getprotobynumber and reports a
 * miss as getprotobyname does.
 *
 * @throws SocketError `protocol not found`
 * @throws TypeError when `n` is not an integer
 * @throws RangeError when `n` does not fit a C int
 */
export function getprotobynumber(tables: ProtocolTables, n: number): string {
  const number = requireCInt(n);
  const entry = tables.protocols().byNumber(number);
  if (entry === undefined) throw notFound("protocol not found");
  return entry.name;
}

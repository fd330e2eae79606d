/**
 * The error classes of the public contract. Every failure the library
 * reports is built here, from a code, so texts and codes live in one place.
 */
import {
  EAI_ADDRFAMILY, EAI_AGAIN, EAI_BADFLAGS, EAI_FAIL, EAI_FAMILY, EAI_MEMORY, EAI_NODATA,
  EAI_IDN_ENCODE, EAI_NONAME, EAI_OVERFLOW, EAI_SERVICE, EAI_SOCKTYPE, EAI_SYSTEM,
  HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, TRY_AGAIN,
} from "./constants.js";

/** Context attached to errors that involved a lookup. */
export interface ErrorContext {
  /** The name that was looked up. */
  hostname?: string;
  /** The nameservers that were asked, as `address:port` text. */
  servers?: string[];
  /** The underlying cause, when there is one. */
  cause?: unknown;
}

/**
 * Base class of every error the library raises for a failed lookup or a bad
 * table entry; Python's `socket.error` (`OSError`). `errno` is undefined
 * where Python has none.
 */
export class SocketError extends Error {
  /** Numeric error code (negative `EAI_*`, positive `h_errno`), if any. */
  readonly errno: number | undefined;
  /** Symbolic code, such as `"EAI_NONAME"` or `"HOST_NOT_FOUND"`. */
  readonly code: string | undefined;
  /** The C library's text for the code, without the `[Errno N]` prefix. */
  readonly strerror: string;
  /** The name looked up, when the error came from a lookup. */
  hostname?: string;
  /** The nameservers asked, when DNS was involved. */
  servers?: string[];

  constructor(message: string, errno?: number, code?: string, strerror?: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.errno = errno;
    this.code = code;
    this.strerror = strerror ?? message;
    if (context.hostname !== undefined) this.hostname = context.hostname;
    if (context.servers !== undefined) this.servers = context.servers;
  }
}

/** glibc `gai_strerror` texts, keyed by `EAI_*` value. */
const GAI_STRERROR: ReadonlyMap<number, [code: string, text: string]> = new Map([
  [EAI_BADFLAGS, ["EAI_BADFLAGS", "Bad value for ai_flags"]],
  [EAI_NONAME, ["EAI_NONAME", "Name or service not known"]],
  [EAI_AGAIN, ["EAI_AGAIN", "Temporary failure in name resolution"]],
  [EAI_FAIL, ["EAI_FAIL", "Non-recoverable failure in name resolution"]],
  [EAI_NODATA, ["EAI_NODATA", "No address associated with hostname"]],
  [EAI_FAMILY, ["EAI_FAMILY", "ai_family not supported"]],
  [EAI_SOCKTYPE, ["EAI_SOCKTYPE", "ai_socktype not supported"]],
  [EAI_SERVICE, ["EAI_SERVICE", "Servname not supported for ai_socktype"]],
  [EAI_ADDRFAMILY, ["EAI_ADDRFAMILY", "Address family for hostname not supported"]],
  [EAI_MEMORY, ["EAI_MEMORY", "Memory allocation failure"]],
  [EAI_SYSTEM, ["EAI_SYSTEM", "System error"]],
  [EAI_IDN_ENCODE, ["EAI_IDN_ENCODE", "Parameter string not correctly encoded"]],
  // glibc has no text for EAI_OVERFLOW and prints its fallback.
  [EAI_OVERFLOW, ["EAI_OVERFLOW", "Unknown error"]],
]);

/**
 * glibc `hstrerror` texts, keyed by `h_errno`. 0 and -1 (NETDB_INTERNAL)
 * occur too: CPython reports whatever the thread's h_errno holds.
 */
const H_STRERROR: ReadonlyMap<number, [code: string, text: string]> = new Map([
  [-1, ["NETDB_INTERNAL", "Resolver internal error"]],
  [0, ["NETDB_SUCCESS", "Resolver Error 0 (no error)"]],
  [HOST_NOT_FOUND, ["HOST_NOT_FOUND", "Unknown host"]],
  [TRY_AGAIN, ["TRY_AGAIN", "Host name lookup failure"]],
  [NO_RECOVERY, ["NO_RECOVERY", "Unknown server error"]],
  [NO_DATA, ["NO_DATA", "No address associated with name"]],
]);

/** `getaddrinfo`/`getnameinfo` failure; Python's `socket.gaierror`. */
export class GaiError extends SocketError {
  /** The `EAI_*` value (negative); always set. */
  declare readonly errno: number;
  /** The `EAI_*` name, such as `"EAI_NONAME"`; always set. */
  declare readonly code: string;

  constructor(errno: number, context: ErrorContext = {}) {
    const [code, text] = GAI_STRERROR.get(errno) ?? [`EAI_${-errno}`, "Unknown error"];
    super(`[Errno ${errno}] ${text}`, errno, code, text, context);
  }
}

/** `gethostbyaddr`-family failure; Python's `socket.herror`. */
export class HError extends SocketError {
  /** The `h_errno` value; always set. */
  declare readonly errno: number;
  /** The `h_errno` name, such as `"HOST_NOT_FOUND"`; always set. */
  declare readonly code: string;

  constructor(errno: number, context: ErrorContext = {}) {
    const [code, text] = H_STRERROR.get(errno) ?? (errno < 0 ? ["NETDB_INTERNAL", "Resolver internal error"] : [`H_ERRNO_${errno}`, "Unknown resolver error"]);
    super(`[Errno ${errno}] ${text}`, errno, code, text, context);
  }
}

/** Python-style aliases. */
export { SocketError as error, GaiError as gaierror, HError as herror };

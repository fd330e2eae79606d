/**
 * The errors the lookup functions raise, built the way CPython builds
 * them from glibc's codes: gaierror from an EAI code (or OSError from errno
 * for EAI_SYSTEM), herror from h_errno.
 */
import { EAI_SYSTEM } from "../constants.js";
import { GaiError, HError, SocketError, type ErrorContext } from "../errors.js";

/** Linux errno values glibc's lookups can leave behind, with their strerror texts. */
const ERRNO_TEXT: ReadonlyMap<number, [code: string, text: string]> = new Map([
  [1, ["EPERM", "Operation not permitted"]],
  [5, ["EIO", "Input/output error"]],
  [11, ["EAGAIN", "Resource temporarily unavailable"]],
  [13, ["EACCES", "Permission denied"]],
  [16, ["EBUSY", "Device or resource busy"]],
  [21, ["EISDIR", "Is a directory"]],
  [22, ["EINVAL", "Invalid argument"]],
  [27, ["EFBIG", "File too large"]],
  [97, ["EAFNOSUPPORT", "Address family not supported by protocol"]],
]);

export const EAGAIN = 11;
export const EBUSY = 16;
export const EINVAL = 22;
export const EAFNOSUPPORT = 97;

/** CPython's OSError from errno: `[Errno 97] Address family not supported by protocol`. */
export function errnoError(errno: number, context: ErrorContext = {}): SocketError {
  const [code, text] = ERRNO_TEXT.get(errno) ?? [`E${errno}`, `Unknown error ${errno}`];
  return new SocketError(`[Errno ${errno}] ${text}`, errno, code, text, context);
}

/** CPython's set_gaierror: a GaiError, or for EAI_SYSTEM the OSError of `errno`. */
function gaiFailure(code: number, context: ErrorContext = {}, errno = EBUSY): SocketError {
  return code === EAI_SYSTEM ? errnoError(errno, context) : new GaiError(code, context);
}

/** CPython's set_herror. */
export function hostFailure(herrno: number, context: ErrorContext = {}): SocketError {
  return new HError(herrno, context);
}

/**
 * An internal failure carrying a negative EAI code through the getaddrinfo
 * steps; turned into the public error at the edge.
 */
export class GaiCode extends Error {
  constructor(readonly code: number, readonly servers: string[] = [], readonly errno?: number) {
    super(`getaddrinfo failed with ${code}`);
    this.name = "GaiCode";
  }
}

/**
 * The error CPython raises for a failure of the getaddrinfo steps: a
 * {@link GaiCode} becomes its error for `hostname`; anything else stays itself.
 */
export function publicGaiError(err: unknown, hostname: string | undefined): unknown {
  if (!(err instanceof GaiCode)) return err;
  const context: ErrorContext = { servers: err.servers };
  if (hostname !== undefined) context.hostname = hostname;
  return gaiFailure(err.code, context, err.errno);
}

/**
 * Why an /etc file that exists gives no text (src/files/source.ts reads
 * files; each table says what it makes of a failure).
 */
import { errnoConstants } from "../builtins.js";

/**
 * Why an /etc file that exists gives no text: the errno glibc would see,
 * or netdb's own EINVAL (no regular file) or EFBIG (too large); see
 * src/files/source.ts.
 */
export interface FileFailure {
  /** Linux errno number, e.g. 13. */
  errno: number;
  /** Its name, e.g. "EACCES". */
  code: string;
}

/** A failure of the errno named `code` (a node:fs error code). */
export function fileFailure(code: string): FileFailure {
  const table = errnoConstants();
  const errno = (table as Record<string, number | undefined>)[code];
  return errno === undefined ? { errno: table.EIO, code: "EIO" } : { errno, code };
}

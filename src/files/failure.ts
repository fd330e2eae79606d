/**
 * Why an /etc file that exists gives no text (src/files/source.ts reads
 * files; each table says what it makes of a failure).
 */
import { constants as osConstants } from "node:os";

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
  const errno = (osConstants.errno as Record<string, number | undefined>)[code];
  return errno === undefined ? { errno: osConstants.errno.EIO, code: "EIO" } : { errno, code };
}

/**
 * /etc/hostname. glibc never reads it (gethostname() asks the kernel); the
 * system's init sets the kernel's name from it. This reads it the way
 * systemd does: the first line that is neither blank nor a `#` comment.
 */
import { splitWords } from "./lines.js";

/**
 * The host name an /etc/hostname text names: the first word of its first
 * line that is not blank and does not start with `#`; undefined if none.
 */
export function parseHostname(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const [first] = splitWords(line);
    if (first !== undefined && !first.startsWith("#")) return first;
  }
  return undefined;
}

/**
 * The error of a command line that cannot be run (its message is the one
 * line printed), shared by the parsers of args.ts and query-args.ts.
 */

/** A command line that cannot be run; its message is the one line printed. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The exit status: 1, or getent's 64 (EX_USAGE) for an option a getent command does not know. */
    readonly status = 1,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

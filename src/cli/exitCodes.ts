// What a script can tell from the exit code alone (documented in docs/cli.md).
export const EXIT = {
  ok: 0,
  /** The service refused or something failed: a bad input, a failed image or set, NOT_FOUND, a batch line. */
  failed: 1,
  /** The command line itself is wrong: unknown flag, missing argument, unreadable file. */
  usage: 2,
  /** The service could not be reached, or refused the credentials. */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends a command with a given exit code and a message for the user. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** The service's error code (NOT_FOUND, BAD_USER_INPUT, …) when it answered with one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

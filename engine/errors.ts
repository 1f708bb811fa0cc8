/**
 * An error that means "the command could not do its job" (exit code 2): unreadable or malformed
 * input, an invalid config. Its message names the file and the problem in one or two lines and never
 * echoes input content that could be a secret.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "InputError";
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

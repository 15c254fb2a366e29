/** What a CLI command may touch: its output streams and the directory it was started in. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Environment of the process (only the CLI entry point reads process.env). */
  env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes, documented in the README: 0 pass, 1 blocking findings, 2 usage or configuration error. */
export const EXIT_PASS = 0;
export const EXIT_BLOCKING = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override name = 'UsageError';
}

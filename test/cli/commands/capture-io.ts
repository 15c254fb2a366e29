import type { CliIO } from '../../../src/cli/cli-io.ts';

/** A CliIO that records what a command prints. */
export function captureIo(cwd: string): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd,
    env: {},
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    out: () => out,
    err: () => err,
  };
}

/**
 * Runs one render command (argv, no shell) over a checkout of a tree and hands back what it printed.
 * The adapter decides how: in a sandbox with no network and none of the worker's secrets, with the
 * program taken from the operator's allow-list. The repository chooses only the arguments.
 */
export interface RenderRunner {
  runRender(request: RenderRequest): Promise<RenderRunResult>;
}

export interface RenderRequest {
  /** argv[0] is a program name the operator allowed (`helm`, `kustomize`...), never a path. */
  argv: readonly string[];
  /** The checkout to render: the runner works on a throwaway copy, this folder is never written. */
  treeDir: string;
  timeoutMs: number;
  /** Stdout beyond this stops the command. */
  maxOutputBytes: number;
}

export interface RenderRunResult {
  stdout: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Stdout exceeded `maxOutputBytes`; the command was stopped and `stdout` is incomplete. */
  outputTooLarge: boolean;
  /** Last lines of stderr (at most 20), credentials scrubbed. */
  stderrTail: string;
  /** The command could not be started (not found, not executable). */
  spawnError?: string;
  /**
   * The command was not run at all, and why (not on the allow-list, no sandbox available): the
   * environment is not checked, which blocks.
   */
  refused?: string;
  /** How it ran, for the record: `sandbox` (bubblewrap) or `unsandboxed` (the operator opted out). */
  isolation?: 'sandbox' | 'unsandboxed';
}

/** A snapshot of a repository at one commit: the bot reads it through the platform, the CLI through git. */
export interface SourceTree {
  readonly sha: string;
  /** Every file path in the tree, repository-relative, forward slashes. */
  listFiles(): Promise<string[]>;
  /** The file's bytes, or undefined when the tree has no such file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * Several files at once, answers in the order asked (`readFile` of each). Sources that can
   * pipeline reads (one `git cat-file --batch`) implement it; callers fall back to `readFile`.
   */
  readFiles?(paths: readonly string[]): Promise<(Uint8Array | undefined)[]>;
}

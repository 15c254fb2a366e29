/** A snapshot of a repository at one commit: the bot reads it through the platform, the CLI through git. */
export interface SourceTree {
  readonly sha: string;
  /** Every file path in the tree, repository-relative, forward slashes. */
  listFiles(): Promise<string[]>;
  /** The file's bytes, or undefined when the tree has no such file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
}

/** A commit of a fake repository's history (both platform fakes share this shape). */
export interface HistoryCommit {
  sha: string;
  message: string;
  /** First parent first, as git records them. */
  parents: string[];
  /** The commit's tree SHA (GitHub's Git Data API). */
  tree?: string;
  /** Merge requests / pull requests that introduced the commit. */
  mergeRequests?: number[];
}

function ancestors(bySha: Map<string, HistoryCommit>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const sha = stack.pop()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    for (const parent of bySha.get(sha)?.parents ?? []) stack.push(parent);
  }
  return seen;
}

/**
 * What `git log base..head` lists, oldest first (parents before children), as both platforms'
 * compare endpoints return it; undefined when either end is not in the history.
 */
export function commitsBetween(
  commits: readonly HistoryCommit[],
  base: string,
  head: string,
): HistoryCommit[] | undefined {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  if (!bySha.has(base) || !bySha.has(head)) return undefined;
  const excluded = ancestors(bySha, base);
  const included = [...ancestors(bySha, head)].filter((sha) => !excluded.has(sha));
  const ordered: HistoryCommit[] = [];
  const placed = new Set<string>();
  const place = (sha: string) => {
    if (placed.has(sha) || !included.includes(sha)) return;
    placed.add(sha);
    for (const parent of bySha.get(sha)!.parents) place(parent);
    ordered.push(bySha.get(sha)!);
  };
  place(head);
  return ordered;
}

export const firstLine = (message: string) => message.split('\n', 1)[0] ?? '';

/** What a rollback needs to know and decide, as plain data (the plan is stored while it awaits confirmation). */

export type RollbackStrategy = 'redeploy' | 'revert';
export const DEFAULT_STRATEGIES: readonly RollbackStrategy[] = ['redeploy', 'revert'];

/** A successful deployment of a commit to an environment, as the platform records it. */
export interface DeploymentRecord {
  /** GitHub deployment id; GitLab deployment id. */
  id: number;
  /** GitLab deployment iid (shown in the UI). */
  iid?: number;
  sha: string;
  ref?: string;
  environment: string;
  /** ISO time it finished (or was created). */
  at: string;
  /** GitLab: the deploy job to retry. */
  jobId?: number;
  url?: string;
}

export interface CommitRecord {
  sha: string;
  /** First line of the message. */
  title: string;
  parents: string[];
}

export interface MergeRequestRecord {
  number: number;
  title: string;
  url: string;
}

export interface RollbackPlan {
  environment: string;
  /** What runs now. */
  from: { sha: string; deployment?: DeploymentRecord };
  /** What will run after the rollback. */
  to: { sha: string; deployment?: DeploymentRecord };
  /** First-parent commits being undone, newest first. */
  commits: CommitRecord[];
  mergeRequests: MergeRequestRecord[];
  /**
   * Commits on the default branch after what runs now (merged, not deployed yet). A GitHub revert
   * returns the branch to the target's tree, so it undoes these too: the plan says so.
   */
  undeployed?: CommitRecord[];
  strategies: RollbackStrategy[];
  defaultBranch: string;
  /** Login of who asked, for messages. Who may confirm or cancel is decided by `requestedById`. */
  requestedBy: string;
  /** Platform user id of who asked (a login can be renamed and reused; an id cannot). */
  requestedById: number;
  /** Merge request or issue the plan was asked for in. */
  number: number;
  /** Comment that holds the plan (updated with progress). */
  replyId?: number;
  /** Hold on the environment's mutex, passed on to the execution. */
  mutexToken?: string;
  createdAt: string;
  expiresAt: string;
}

export type TargetChoice =
  | { ok: true; from: DeploymentRecord; to: { sha: string; deployment?: DeploymentRecord } }
  | { ok: false; reason: string };

/**
 * Picks what runs now (the newest successful deployment) and the target: the given deployment or
 * SHA, else the newest successful deployment of a different commit before it.
 * `deployments` are successful ones, newest first.
 */
export function chooseRollbackTarget(
  environment: string,
  deployments: readonly DeploymentRecord[],
  target?:
    | { kind: 'sha'; sha: string }
    | { kind: 'deployment'; id: number }
    | { kind: 'number'; value: string },
): TargetChoice {
  const [current, ...older] = deployments;
  if (!current)
    return {
      ok: false,
      reason: `no successful deployment of ${environment} is on record, so there is nothing to roll back from`,
    };
  if (!target) {
    const previous = older.find((d) => d.sha !== current.sha);
    if (!previous)
      return {
        ok: false,
        reason: `${environment} has no earlier successful deployment of a different commit; name one with \`to SHA\``,
      };
    return { ok: true, from: current, to: { sha: previous.sha, deployment: previous } };
  }
  if (target.kind === 'deployment' || target.kind === 'number') {
    const id = target.kind === 'deployment' ? target.id : Number(target.value);
    const byId = deployments.find((d) => d.id === id || d.iid === id);
    if (byId) return checkDistinct(environment, current, { sha: byId.sha, deployment: byId });
    if (target.kind === 'deployment' || target.value.length < 7)
      return {
        ok: false,
        reason: `deployment ${id} is not among the recent successful deployments of ${environment}`,
      };
  }
  const sha = target.kind === 'sha' ? target.sha : target.kind === 'number' ? target.value : '';
  const bySha = deployments.find((d) => d.sha.startsWith(sha));
  return checkDistinct(environment, current, bySha ? { sha: bySha.sha, deployment: bySha } : { sha });
}

function checkDistinct(
  environment: string,
  current: DeploymentRecord,
  to: { sha: string; deployment?: DeploymentRecord },
): TargetChoice {
  if (current.sha.startsWith(to.sha))
    return { ok: false, reason: `${to.sha.slice(0, 12)} is what runs in ${environment} already` };
  return { ok: true, from: current, to };
}

export type CommitChain = { ok: true; commits: CommitRecord[] } | { ok: false; reason: string };

/**
 * The first-parent history from `fromSha` back to (not including) `toSha`: the merges and direct
 * commits of the main line, newest first. Commits inside merged branches are undone with their merge.
 */
export function listFirstParentCommits(
  commits: readonly CommitRecord[],
  fromSha: string,
  toSha: string,
): CommitChain {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const chain: CommitRecord[] = [];
  let cursor: string | undefined = fromSha;
  while (cursor && cursor !== toSha) {
    const commit = bySha.get(cursor);
    if (!commit)
      return {
        ok: false,
        reason: `${toSha.slice(0, 12)} is not on the main line behind ${fromSha.slice(0, 12)}; a rollback can only go back in history`,
      };
    chain.push(commit);
    cursor = commit.parents[0];
  }
  if (cursor !== toSha)
    return { ok: false, reason: `${toSha.slice(0, 12)} is not an ancestor of ${fromSha.slice(0, 12)}` };
  return { ok: true, commits: chain };
}

export function branchNameFor(environment: string, toSha: string): string {
  return `tollgate/rollback-${environment}-${toSha.slice(0, 8)}`;
}

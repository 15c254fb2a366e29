import type { Finding } from '../findings/finding.ts';

/** How a push to the protected branch went around the gate (undefined: it went through it). */
export type BypassKind = 'direct-push' | 'force-push' | 'merged-while-failing' | 'branch-deleted';

export type GateState = 'pending' | 'success' | 'failure' | 'error';

export interface PushFacts {
  deleted: boolean;
  /** History was rewritten: the old head is not an ancestor of the new one. */
  forced: boolean;
  /** The merged merge request whose merge produced the new head, when there is one. */
  mergedChangeRequest?: { number: number; headSha: string };
  /** The `tollgate` check on that merge request's head (undefined: never set). */
  headCheckState?: GateState;
}

/** Pure decision: did this push to the protected branch pass the gate? */
export function classifyPush(facts: PushFacts): BypassKind | undefined {
  if (facts.deleted) return 'branch-deleted';
  if (facts.forced) return 'force-push';
  if (!facts.mergedChangeRequest) return 'direct-push';
  return facts.headCheckState === 'success' ? undefined : 'merged-while-failing';
}

const TITLES: Record<BypassKind, (branch: string) => string> = {
  'direct-push': (b) => `Pushed to ${b} without a merge request`,
  'force-push': (b) => `Force-pushed to ${b}: history was rewritten`,
  'merged-while-failing': (b) => `Merged into ${b} while the tollgate check was not passing`,
  'branch-deleted': (b) => `The protected branch ${b} was deleted`,
};

export function describeBypass(kind: BypassKind, branch: string): string {
  return TITLES[kind](branch);
}

/** The blocking finding that marks the bypassing commit's `tollgate` check as failed. */
export function bypassFinding(
  kind: BypassKind,
  branch: string,
  detail: { pusher: string; changeRequest?: number; headCheckState?: GateState | undefined },
): Finding {
  const why: Record<BypassKind, string> = {
    'direct-push': `${detail.pusher} pushed to \`${branch}\` directly; no reviewed merge request produced this commit.`,
    'force-push': `${detail.pusher} force-pushed \`${branch}\`; commits that were on it may be gone and what runs now was not reviewed as a merge request.`,
    'merged-while-failing': `Merge request !${detail.changeRequest ?? '?'} was merged by ${detail.pusher} while its \`tollgate\` check was ${detail.headCheckState ?? 'missing'}.`,
    'branch-deleted': `${detail.pusher} deleted \`${branch}\`.`,
  };
  return {
    check: 'branch',
    rule: `bypass/${kind}`,
    severity: 'error',
    blocking: true,
    title: describeBypass(kind, branch),
    message: why[kind],
    remedy:
      'Review what changed (see the findings), revert or confirm it through a merge request, and make the tollgate check required (`tollgate doctor --apply`).',
  };
}

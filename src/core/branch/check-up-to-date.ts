import type { Finding } from '../findings/finding.ts';
import type { BranchRuleOptions } from './branch-rule-options.ts';

export interface UpToDateInput {
  /** Commits on the protected branch that the source branch lacks; undefined when unknown. */
  behindBy: number | undefined;
  targetBranch: string;
}

/**
 * A branch that is behind was reviewed against an old `main`: what merges is not what was checked.
 * Warns when behind at all; fails when behind by more than `maxBehind` (when set).
 */
export function checkUpToDate(
  input: UpToDateInput,
  options: Pick<BranchRuleOptions, 'maxBehind'>,
): Finding[] {
  const behind = input.behindBy;
  if (behind === undefined || !Number.isFinite(behind) || behind <= 0) return [];
  const commits = `${behind} commit${behind === 1 ? '' : 's'}`;
  const remedy = `Rebase on or merge the latest \`${input.targetBranch}\`, then push again.`;
  if (options.maxBehind === undefined) {
    return [
      {
        check: 'branch',
        rule: 'up-to-date',
        severity: 'warning',
        blocking: false,
        title: `The branch is ${commits} behind ${input.targetBranch}`,
        message: `The source branch lacks ${commits} of \`${input.targetBranch}\`; the result checked here may differ from what merging produces.`,
        remedy,
      },
    ];
  }
  if (behind <= options.maxBehind) return [];
  return [
    {
      check: 'branch',
      rule: 'up-to-date',
      severity: 'error',
      blocking: true,
      title: `The branch is ${commits} behind ${input.targetBranch} (at most ${options.maxBehind} allowed)`,
      message: `The source branch lacks ${commits} of \`${input.targetBranch}\`; this repository allows at most ${options.maxBehind}.`,
      remedy,
    },
  ];
}

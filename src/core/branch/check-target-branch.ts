import type { Finding } from '../findings/finding.ts';
import type { BranchRuleOptions } from './branch-rule-options.ts';

export interface TargetBranchInput {
  /** The branch the merge request merges into. */
  targetBranch: string;
  /** Changed files that are deployable: Kubernetes manifests or files of an environment. */
  deployableFiles: readonly string[];
}

/**
 * Deployable manifests change on the protected branch only: a merge request that changes them
 * and targets any other branch would create a second truth that drifts from the first.
 */
export function checkTargetBranch(
  input: TargetBranchInput,
  options: Pick<BranchRuleOptions, 'protectedBranch'>,
): Finding[] {
  if (input.targetBranch === options.protectedBranch || input.deployableFiles.length === 0) return [];
  const files = [...input.deployableFiles].sort();
  const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
  return [
    {
      check: 'branch',
      rule: 'target-branch',
      severity: 'error',
      blocking: true,
      title: `Deployable manifests must change on ${options.protectedBranch}, not ${input.targetBranch}`,
      message: `This merge request targets \`${input.targetBranch}\` and changes deployable manifests (${shown}). Only \`${options.protectedBranch}\` is deployed; changes merged elsewhere drift from it and reach production unreviewed, or never.`,
      remedy: `Change the merge request's target branch to \`${options.protectedBranch}\`.`,
      location: { file: files[0]! },
    },
  ];
}

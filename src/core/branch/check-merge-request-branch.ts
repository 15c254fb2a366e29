import type { Finding } from '../findings/finding.ts';
import type { Manifest } from '../manifests/parse-manifests.ts';
import { type BranchRuleOptions, withBranchRuleDefaults } from './branch-rule-options.ts';
import { checkPromotion } from './check-promotion.ts';
import { checkSourceBranchName } from './check-source-branch-name.ts';
import { checkTargetBranch } from './check-target-branch.ts';
import { checkUpToDate } from './check-up-to-date.ts';

export interface MergeRequestBranchInput {
  sourceBranch: string;
  targetBranch: string;
  /** Changed files that are Kubernetes manifests or belong to an environment. */
  deployableFiles: readonly string[];
  /** From `Platform.countCommitsBehind(targetBranch, headSha)`; undefined when not known. */
  behindBy?: number;
  /** Needed only when `promotion` is on; rendered manifests per environment. */
  promotion?: {
    /** Staging on the target branch, plus staging in this merge request. */
    staging: readonly Manifest[];
    productionBase: readonly Manifest[];
    productionHead: readonly Manifest[];
  };
}

/** All merge request branch rules in one call: the review adds these findings to its report. */
export function checkMergeRequestBranch(
  input: MergeRequestBranchInput,
  options: Partial<BranchRuleOptions> = {},
): Finding[] {
  const resolved = withBranchRuleDefaults(options);
  const findings = [
    ...checkTargetBranch(input, resolved),
    ...checkSourceBranchName(input.sourceBranch, resolved),
    ...checkUpToDate({ behindBy: input.behindBy, targetBranch: input.targetBranch }, resolved),
  ];
  if (resolved.promotion && input.promotion) {
    const { staging, productionBase, productionHead } = input.promotion;
    findings.push(...checkPromotion(staging, productionBase, productionHead));
  }
  return findings;
}

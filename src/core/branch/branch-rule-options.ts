/**
 * Options of the merge request branch rules (the `branch:` section of `.tollgate.yml`, parsed
 * elsewhere). Everything except the protected branch is off until a team turns it on.
 */
export interface BranchRuleOptions {
  /** The only branch deployable manifests may change on (the "truth"). */
  protectedBranch: string;
  /** Regular expression a source branch name must match (JavaScript syntax); off when undefined. */
  sourceBranchPattern?: string;
  /**
   * Fail when the source branch is behind the protected branch by more than this many commits.
   * Undefined: never fail, but warn as soon as it is behind at all.
   */
  maxBehind?: number;
  /** Production may only start using image tags that already run in staging. */
  promotion: boolean;
}

export const DEFAULT_BRANCH_RULE_OPTIONS: BranchRuleOptions = {
  protectedBranch: 'main',
  promotion: false,
};

export function withBranchRuleDefaults(options: Partial<BranchRuleOptions> = {}): BranchRuleOptions {
  const merged: BranchRuleOptions = { ...DEFAULT_BRANCH_RULE_OPTIONS };
  if (options.protectedBranch) merged.protectedBranch = options.protectedBranch;
  if (options.sourceBranchPattern !== undefined) merged.sourceBranchPattern = options.sourceBranchPattern;
  if (options.maxBehind !== undefined) merged.maxBehind = options.maxBehind;
  if (options.promotion !== undefined) merged.promotion = options.promotion;
  return merged;
}

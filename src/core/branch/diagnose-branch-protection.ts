/** What the platform says about one branch's protection, gathered from every source it has. */
export interface BranchProtectionSettings {
  platform: 'github' | 'gitlab';
  project: string;
  branch: string;
  branchExists: boolean;
  /** Some protection applies (GitHub branch protection or a ruleset; GitLab protected branch). */
  protected: boolean;
  /** Only a merge request can change the branch (GitHub: pull request required; GitLab: push "No one"). */
  directPushRestricted: boolean;
  /** GitHub: branch protection does not apply to administrators (`enforce_admins` off). */
  adminsExempt?: boolean;
  /** Names of checks that must pass before merging (GitHub status checks; GitLab external status checks). */
  requiredChecks: string[];
  /** GitLab: "Pipelines must succeed" (`only_allow_merge_if_pipeline_succeeds`). */
  pipelineMustSucceed?: boolean;
  forcePushAllowed: boolean;
  /** Readable notes: tier limits, settings that could not be read. */
  notes: string[];
}

export type ProtectionFix =
  | 'protect-branch'
  | 'restrict-direct-push'
  | 'require-check'
  | 'disable-force-push';

export type DoctorStatus = 'ok' | 'missing' | 'warning';

export interface DoctorItem {
  id: 'branch-exists' | 'direct-push-restricted' | 'check-required' | 'force-push-disabled';
  title: string;
  status: DoctorStatus;
  detail: string;
  howToFix?: string;
  /** What `--apply` would change to fix it (absent: Tollgate cannot fix it for you). */
  fix?: ProtectionFix;
}

const GITHUB_SETTINGS = (s: BranchProtectionSettings) =>
  `Settings → Branches (or Rules → Rulesets) for \`${s.branch}\``;
const GITLAB_SETTINGS = (s: BranchProtectionSettings) =>
  `Settings → Repository → Protected branches for \`${s.branch}\``;

/**
 * Pure diagnosis: which safeguards that keep `main` the only truth are in place. The same items
 * feed `tollgate doctor` in a terminal and `/tollgate doctor` in a comment.
 */
export function diagnoseBranchProtection(s: BranchProtectionSettings, checkName = 'tollgate'): DoctorItem[] {
  const gh = s.platform === 'github';
  const where = gh ? GITHUB_SETTINGS(s) : GITLAB_SETTINGS(s);
  const items: DoctorItem[] = [];
  items.push(
    s.branchExists
      ? { id: 'branch-exists', title: `Branch ${s.branch} exists`, status: 'ok', detail: 'Found.' }
      : {
          id: 'branch-exists',
          title: `Branch ${s.branch} exists`,
          status: 'missing',
          detail: `${s.project} has no branch \`${s.branch}\`.`,
          howToFix: `Create \`${s.branch}\` (or set branch.protectedBranch in .tollgate.yml to the branch you deploy from). --apply does not create branches.`,
        },
  );
  const protectFix: ProtectionFix | undefined = s.protected ? undefined : 'protect-branch';

  if (s.directPushRestricted) {
    items.push({
      id: 'direct-push-restricted',
      title: 'Direct pushes are restricted',
      status: gh && s.adminsExempt ? 'warning' : 'ok',
      detail:
        gh && s.adminsExempt
          ? 'A pull request is required, but administrators are exempt ("Do not allow bypassing the above settings" is off).'
          : gh
            ? 'A pull request is required before merging.'
            : 'Nobody may push; changes arrive through merge requests only.',
      ...(gh && s.adminsExempt
        ? {
            howToFix: `${where}: enable "Do not allow bypassing the above settings".`,
            fix: 'restrict-direct-push' as const,
          }
        : {}),
    });
  } else {
    items.push({
      id: 'direct-push-restricted',
      title: 'Direct pushes are restricted',
      status: 'missing',
      detail: gh
        ? 'No rule requires a pull request: anyone with write access can push straight to the branch.'
        : 'Someone may push to the branch directly (allowed to push is not "No one").',
      howToFix: gh
        ? `${where}: enable "Require a pull request before merging" and "Do not allow bypassing the above settings".`
        : `${where}: set "Allowed to push and merge" to "No one" (Free tier).`,
      fix: protectFix ?? 'restrict-direct-push',
    });
  }

  const checkRequired = s.requiredChecks.includes(checkName);
  if (checkRequired || (!gh && s.pipelineMustSucceed)) {
    items.push({
      id: 'check-required',
      title: `The ${checkName} check is required`,
      status: 'ok',
      detail: checkRequired
        ? `\`${checkName}\` is a required status check.`
        : `"Pipelines must succeed" is on, and the \`${checkName}\` status is part of the commit's pipeline.`,
    });
  } else {
    items.push({
      id: 'check-required',
      title: `The ${checkName} check is required`,
      status: 'missing',
      detail: gh
        ? `\`${checkName}\` is not among the required status checks (${s.requiredChecks.length ? s.requiredChecks.join(', ') : 'none'}): a failing or pending check does not stop a merge.`
        : `"Pipelines must succeed" is off and no external status check named \`${checkName}\` exists: a failed \`${checkName}\` status does not stop a merge.`,
      howToFix: gh
        ? `${where}: enable "Require status checks to pass before merging" and add \`${checkName}\`.`
        : 'Settings → Merge requests: enable "Pipelines must succeed" (Free tier). External status checks need GitLab Ultimate.',
      fix: gh && protectFix ? protectFix : 'require-check',
    });
  }

  items.push(
    s.forcePushAllowed
      ? {
          id: 'force-push-disabled',
          title: 'Force pushes are disabled',
          status: 'missing',
          detail: 'Force pushes are allowed: history on the branch can be rewritten.',
          howToFix: gh
            ? `${where}: turn off "Allow force pushes".`
            : `${where}: turn off "Allowed to force push".`,
          fix: protectFix ?? 'disable-force-push',
        }
      : {
          id: 'force-push-disabled',
          title: 'Force pushes are disabled',
          status: 'ok',
          detail: 'Force pushes are blocked.',
        },
  );
  return items;
}

/** The distinct fixes that would repair every missing item (in a stable order). */
export function planProtectionFixes(items: readonly DoctorItem[]): ProtectionFix[] {
  const order: ProtectionFix[] = [
    'protect-branch',
    'restrict-direct-push',
    'require-check',
    'disable-force-push',
  ];
  const wanted = new Set(items.filter((i) => i.status !== 'ok' && i.fix).map((i) => i.fix!));
  return order.filter((f) => wanted.has(f));
}

import type {
  BranchProtectionSettings,
  ProtectionFix,
} from '../../core/branch/diagnose-branch-protection.ts';
import type { BranchDoctorPort } from '../../usecases/ports/branch-doctor-port.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import { callGitHub, type GitHubClient } from './github-request.ts';

/** The parts of `GET /repos/{owner}/{repo}/branches/{branch}/protection` the doctor reads and keeps. */
interface Protection {
  required_status_checks?: { strict?: boolean; contexts?: string[]; checks?: { context: string }[] } | null;
  enforce_admins?: { enabled?: boolean } | null;
  required_pull_request_reviews?: {
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    required_approving_review_count?: number;
    require_last_push_approval?: boolean;
  } | null;
  restrictions?: {
    users?: { login: string }[];
    teams?: { slug: string }[];
    apps?: { slug: string }[];
  } | null;
  allow_force_pushes?: { enabled?: boolean } | null;
  allow_deletions?: { enabled?: boolean } | null;
  required_linear_history?: { enabled?: boolean } | null;
  required_conversation_resolution?: { enabled?: boolean } | null;
  block_creations?: { enabled?: boolean } | null;
  lock_branch?: { enabled?: boolean } | null;
  allow_fork_syncing?: { enabled?: boolean } | null;
}

interface Rule {
  type: string;
  parameters?: { required_status_checks?: { context: string }[] };
}

async function readOr404<T>(what: string, call: () => Promise<{ data: T }>): Promise<T | undefined> {
  try {
    return (await callGitHub(what, call)).data;
  } catch (error) {
    if (error instanceof PermanentPlatformError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Branch protection on GitHub, from both sources: classic branch protection and repository
 * rulesets (`GET /repos/{o}/{r}/rules/branches/{b}`, the rules that apply to the branch). Fixes go
 * to classic branch protection only: one `PUT .../protection` that keeps the existing settings, or
 * `POST .../required_status_checks/contexts` / `POST .../enforce_admins` when that is all it takes.
 */
export function createGitHubBranchDoctor(options: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
}): BranchDoctorPort {
  const { octokit, owner, repo } = options;
  let lastProtection: Protection | undefined;

  return {
    platform: 'github',
    project: `${owner}/${repo}`,

    async readBranchProtection(branch): Promise<BranchProtectionSettings> {
      const notes: string[] = [];
      const exists = await readOr404('read branch', () =>
        octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo, branch }),
      );
      const base: BranchProtectionSettings = {
        platform: 'github',
        project: `${owner}/${repo}`,
        branch,
        branchExists: Boolean(exists),
        protected: false,
        directPushRestricted: false,
        requiredChecks: [],
        forcePushAllowed: true,
        notes,
      };
      if (!exists) return base;
      const protection = (await readOr404('read branch protection', () =>
        octokit.request('GET /repos/{owner}/{repo}/branches/{branch}/protection', { owner, repo, branch }),
      )) as Protection | undefined;
      lastProtection = protection;
      const rules = ((await readOr404('read branch rules', () =>
        octokit.request('GET /repos/{owner}/{repo}/rules/branches/{branch}', {
          owner,
          repo,
          branch,
          per_page: 100,
        }),
      )) ?? []) as Rule[];
      if (!protection && rules.length === 0) {
        notes.push(
          'Reading classic branch protection needs admin rights on the repository; without them GitHub answers 404, which looks like "not protected".',
        );
      }
      const checks = new Set<string>([
        ...(protection?.required_status_checks?.contexts ?? []),
        ...(protection?.required_status_checks?.checks ?? []).map((c) => c.context),
        ...rules
          .filter((r) => r.type === 'required_status_checks')
          .flatMap((r) => r.parameters?.required_status_checks ?? [])
          .map((c) => c.context),
      ]);
      const prByRules = rules.some((r) => r.type === 'pull_request');
      const prByProtection = Boolean(protection?.required_pull_request_reviews);
      return {
        ...base,
        protected: Boolean(protection) || rules.length > 0,
        directPushRestricted: prByProtection || prByRules,
        adminsExempt: prByProtection && !prByRules && !protection?.enforce_admins?.enabled,
        requiredChecks: [...checks].sort(),
        forcePushAllowed:
          !rules.some((r) => r.type === 'non_fast_forward') &&
          (protection ? Boolean(protection.allow_force_pushes?.enabled) : true),
      };
    },

    async applyProtectionFixes(branch, fixes: readonly ProtectionFix[], checkName) {
      const p = lastProtection;
      const wants = new Set(fixes);
      const changed: string[] = [];
      const onlyCheck = p?.required_status_checks && fixes.length === 1 && wants.has('require-check');
      const onlyAdmins =
        p?.required_pull_request_reviews && fixes.length === 1 && wants.has('restrict-direct-push');
      if (onlyCheck) {
        await callGitHub('add required status check', () =>
          octokit.request(
            'POST /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts',
            {
              owner,
              repo,
              branch,
              contexts: [checkName],
            },
          ),
        );
        return [`added \`${checkName}\` to the required status checks of ${branch}`];
      }
      if (onlyAdmins) {
        await callGitHub('enforce protection for admins', () =>
          octokit.request('POST /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins', {
            owner,
            repo,
            branch,
          }),
        );
        return [`branch protection of ${branch} now applies to administrators too`];
      }
      const all = wants.has('protect-branch');
      const contexts = new Set([
        ...(p?.required_status_checks?.contexts ?? []),
        ...(p?.required_status_checks?.checks ?? []).map((c) => c.context),
      ]);
      if (all || wants.has('require-check')) {
        contexts.add(checkName);
        changed.push(`required status check \`${checkName}\``);
      }
      const reviews = p?.required_pull_request_reviews;
      if (all || wants.has('restrict-direct-push')) {
        changed.push(
          reviews
            ? 'protection applies to administrators'
            : 'pull request required before merging (no direct pushes, administrators included)',
        );
      }
      if (all || wants.has('disable-force-push')) changed.push('force pushes blocked');
      const enabled = (flag: { enabled?: boolean } | null | undefined) => Boolean(flag?.enabled);
      await callGitHub('update branch protection', () =>
        octokit.request('PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
          owner,
          repo,
          branch,
          required_status_checks:
            contexts.size > 0
              ? { strict: Boolean(p?.required_status_checks?.strict), contexts: [...contexts] }
              : null,
          enforce_admins: all || wants.has('restrict-direct-push') ? true : enabled(p?.enforce_admins),
          required_pull_request_reviews: reviews
            ? {
                dismiss_stale_reviews: Boolean(reviews.dismiss_stale_reviews),
                require_code_owner_reviews: Boolean(reviews.require_code_owner_reviews),
                required_approving_review_count: reviews.required_approving_review_count ?? 0,
                require_last_push_approval: Boolean(reviews.require_last_push_approval),
              }
            : all || wants.has('restrict-direct-push')
              ? { required_approving_review_count: 0 }
              : null,
          restrictions: p?.restrictions
            ? {
                users: (p.restrictions.users ?? []).map((u) => u.login),
                teams: (p.restrictions.teams ?? []).map((t) => t.slug),
                apps: (p.restrictions.apps ?? []).map((a) => a.slug),
              }
            : null,
          allow_force_pushes: all || wants.has('disable-force-push') ? false : enabled(p?.allow_force_pushes),
          allow_deletions: enabled(p?.allow_deletions),
          required_linear_history: enabled(p?.required_linear_history),
          required_conversation_resolution: enabled(p?.required_conversation_resolution),
          block_creations: enabled(p?.block_creations),
          lock_branch: enabled(p?.lock_branch),
          allow_fork_syncing: enabled(p?.allow_fork_syncing),
        }),
      );
      return [`branch protection of ${branch} set (PUT): ${changed.join(', ')}`];
    },
  };
}

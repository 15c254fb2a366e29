import type {
  BranchProtectionSettings,
  ProtectionFix,
} from '../../core/branch/diagnose-branch-protection.ts';
import type { BranchDoctorPort } from '../../usecases/ports/branch-doctor-port.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import { createGitLabRest, projectPath } from './gitlab-rest.ts';

interface AccessLevel {
  id: number;
  access_level: number;
  user_id?: number | null;
  group_id?: number | null;
  deploy_key_id?: number | null;
}

interface ProtectedBranch {
  name: string;
  push_access_levels: AccessLevel[];
  merge_access_levels: AccessLevel[];
  allow_force_push: boolean;
}

async function readOr404<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PermanentPlatformError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Branch protection on GitLab: protected branches (Free), "Pipelines must succeed" (Free; the
 * `tollgate` commit status is part of the commit's pipeline), external status checks (Ultimate,
 * read when available). Fixes: `POST protected_branches` (push "No one", merge Maintainers, no force
 * push), `PATCH protected_branches/:name` (force push off; `allowed_to_push` needs Premium), and
 * `PUT /projects/:id` (`only_allow_merge_if_pipeline_succeeds`).
 */
export function createGitLabBranchDoctor(options: {
  host: string;
  token: string;
  projectId: number | string;
}): BranchDoctorPort {
  const rest = createGitLabRest(options);
  const project = projectPath(options.projectId);
  let lastProtected: ProtectedBranch | undefined;

  return {
    platform: 'gitlab',
    project: String(options.projectId),

    async readBranchProtection(branch): Promise<BranchProtectionSettings> {
      const notes: string[] = [];
      const encoded = encodeURIComponent(branch);
      const settings = await rest.get<{ only_allow_merge_if_pipeline_succeeds?: boolean }>(project);
      const exists = await readOr404(() => rest.get(`${project}/repository/branches/${encoded}`));
      const protectedBranch = await readOr404(() =>
        rest.get<ProtectedBranch>(`${project}/protected_branches/${encoded}`),
      );
      lastProtected = protectedBranch;
      let externalChecks: string[] = [];
      try {
        const checks = await rest.getAll<{ name: string; protected_branches?: { name: string }[] }>(
          `${project}/external_status_checks`,
        );
        externalChecks = checks
          .filter((c) => !c.protected_branches?.length || c.protected_branches.some((b) => b.name === branch))
          .map((c) => c.name);
      } catch (error) {
        if (!(error instanceof PermanentPlatformError)) throw error;
        notes.push(
          'External status checks are not available here (they need GitLab Ultimate); "Pipelines must succeed" is used instead.',
        );
      }
      const push = protectedBranch?.push_access_levels ?? [];
      return {
        platform: 'gitlab',
        project: String(options.projectId),
        branch,
        branchExists: Boolean(exists),
        protected: Boolean(protectedBranch),
        directPushRestricted:
          Boolean(protectedBranch) &&
          push.length > 0 &&
          push.every((l) => l.access_level === 0 && !l.user_id && !l.group_id && !l.deploy_key_id),
        requiredChecks: externalChecks.sort(),
        pipelineMustSucceed: Boolean(settings.only_allow_merge_if_pipeline_succeeds),
        forcePushAllowed: protectedBranch ? protectedBranch.allow_force_push : true,
        notes,
      };
    },

    async applyProtectionFixes(branch, fixes: readonly ProtectionFix[]) {
      const wants = new Set(fixes);
      const changed: string[] = [];
      if (wants.has('protect-branch')) {
        await rest.send('POST', `${project}/protected_branches`, {
          name: branch,
          push_access_level: 0,
          merge_access_level: 40,
          allow_force_push: false,
        });
        changed.push(`protected ${branch}: push "No one", merge "Maintainers", force push off`);
      } else if (wants.has('restrict-direct-push') || wants.has('disable-force-push')) {
        const body: Record<string, unknown> = {};
        if (wants.has('disable-force-push')) body.allow_force_push = false;
        if (wants.has('restrict-direct-push')) {
          body.allowed_to_push = [
            ...(lastProtected?.push_access_levels ?? []).map((l) => ({ id: l.id, _destroy: true })),
            { access_level: 0 },
          ];
        }
        await rest.send('PATCH', `${project}/protected_branches/${encodeURIComponent(branch)}`, body);
        if (wants.has('restrict-direct-push')) changed.push(`${branch}: allowed to push set to "No one"`);
        if (wants.has('disable-force-push')) changed.push(`${branch}: force push off`);
      }
      if (wants.has('require-check')) {
        await rest.send('PUT', project, { only_allow_merge_if_pipeline_succeeds: true });
        changed.push('"Pipelines must succeed" turned on');
      }
      return changed;
    },
  };
}

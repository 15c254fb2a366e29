import type { Probot } from 'probot';
import { createGitHubBranchPlatform } from '../../adapters/github/create-github-branch-platform.ts';
import { createGitLabBranchPlatform } from '../../adapters/gitlab/create-gitlab-branch-platform.ts';
import type { BranchPlatform, ConditionalCache } from '../../usecases/ports/branch-platform.ts';
import type { EnvConfig } from '../read-env-config.ts';
import { type JobTarget, resolveJobTarget } from './resolve-job-target.ts';

export type PlatformTarget = JobTarget;

/** Like `createPlatformForJob`, with the branch-discipline methods (and the ETag cache for GitHub). */
export function createBranchPlatformForJob(
  config: EnvConfig,
  probot: Probot | undefined,
  cache?: ConditionalCache,
) {
  return async (data: PlatformTarget): Promise<BranchPlatform> => {
    const target = await resolveJobTarget(config, probot, data);
    if (target.platform === 'github') {
      const { octokit, owner, repo, webUrl } = target;
      return createGitHubBranchPlatform({ octokit, owner, repo, webUrl, ...(cache ? { cache } : {}) });
    }
    const { platform: _kind, ...options } = target;
    return createGitLabBranchPlatform(options);
  };
}

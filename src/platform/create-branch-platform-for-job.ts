import type { Probot } from 'probot';
import type { EnvConfig } from '../config/read-env-config.ts';
import type { BranchPlatform, ConditionalCache } from './branch-platform.ts';
import { createGitHubBranchPlatform } from './github/create-github-branch-platform.ts';
import type { GitHubClient } from './github/github-request.ts';
import { createGitLabBranchPlatform } from './gitlab/create-gitlab-branch-platform.ts';
import type { PlatformKind } from './platform.ts';
import { PermanentPlatformError } from './platform-errors.ts';

export interface PlatformTarget {
  platform: PlatformKind;
  project: string;
  projectId?: number;
  installationId?: number;
}

/** Like `createPlatformForJob`, with the branch-discipline methods (and the ETag cache for GitHub). */
export function createBranchPlatformForJob(
  config: EnvConfig,
  probot: Probot | undefined,
  cache?: ConditionalCache,
) {
  return async (data: PlatformTarget): Promise<BranchPlatform> => {
    if (data.platform === 'github') {
      if (!probot || !config.github)
        throw new PermanentPlatformError('GitHub is not configured on this worker');
      if (!data.installationId)
        throw new PermanentPlatformError('the event carries no GitHub App installation');
      const [owner, repo] = data.project.split('/');
      const octokit = (await probot.auth(data.installationId)) as unknown as GitHubClient;
      return createGitHubBranchPlatform({ octokit, owner: owner!, repo: repo!, ...(cache ? { cache } : {}) });
    }
    if (!config.gitlab) throw new PermanentPlatformError('GitLab is not configured on this worker');
    return createGitLabBranchPlatform({
      host: config.gitlab.url,
      token: config.gitlab.token,
      projectId: data.projectId ?? data.project,
      projectPath: data.project,
      webUrl: `${config.gitlab.url}/${data.project}`,
    });
  };
}

import type { Probot } from 'probot';
import type { EnvConfig } from '../config/read-env-config.ts';
import type { CheckJobData } from '../queue/check-job.ts';
import type { ApiCallObserver } from './api-call-observer.ts';
import { createGitHubPlatform } from './github/create-github-platform.ts';
import type { GitHubClient } from './github/github-request.ts';
import { createGitLabPlatform } from './gitlab/create-gitlab-platform.ts';
import { createGitLabFindingDiscussions } from './gitlab/sync-gitlab-finding-discussions.ts';
import type { Platform } from './platform.ts';
import { PermanentPlatformError } from './platform-errors.ts';

/** Builds the platform adapter for a job: GitHub as the App installation, GitLab with the bot token. */
export function createPlatformForJob(
  config: EnvConfig,
  probot: Probot | undefined,
  observeApiCall?: ApiCallObserver,
) {
  return async (
    data: Pick<CheckJobData, 'platform' | 'project' | 'projectId' | 'installationId'>,
  ): Promise<Platform> => {
    if (data.platform === 'github') {
      if (!probot || !config.github)
        throw new PermanentPlatformError('GitHub is not configured on this worker');
      if (!data.installationId)
        throw new PermanentPlatformError('the event carries no GitHub App installation');
      const [owner, repo] = data.project.split('/');
      const octokit = (await probot.auth(data.installationId)) as unknown as GitHubClient;
      return createGitHubPlatform({ octokit, owner: owner!, repo: repo! });
    }
    if (!config.gitlab) throw new PermanentPlatformError('GitLab is not configured on this worker');
    const options = {
      host: config.gitlab.url,
      token: config.gitlab.token,
      projectId: data.projectId ?? data.project,
      projectPath: data.project,
      webUrl: `${config.gitlab.url}/${data.project}`,
      ...(observeApiCall ? { observeApiCall } : {}),
    };
    return {
      ...createGitLabPlatform(options),
      syncFindingDiscussions: createGitLabFindingDiscussions(options),
    };
  };
}

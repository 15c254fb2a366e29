import type { Probot } from 'probot';
import type { EnvConfig } from '../config/read-env-config.ts';
import type { CheckJobData } from '../queue/check-job.ts';
import { DEFAULT_ARCHIVE_SETTINGS } from './archive-settings.ts';
import { createArchiveCache } from './create-archive-cache.ts';
import { createGitHubPlatform } from './github/create-github-platform.ts';
import type { GitHubClient } from './github/github-request.ts';
import { createGitLabPlatform } from './gitlab/create-gitlab-platform.ts';
import type { ArchiveTrees } from './open-archive-tree.ts';
import type { Platform } from './platform.ts';
import { PermanentPlatformError } from './platform-errors.ts';

/**
 * Builds the platform adapter for a job: GitHub as the App installation, GitLab with the bot token.
 * Reviewed trees come from commit archives through one cache per worker (see archive-settings.ts).
 */
export function createPlatformForJob(config: EnvConfig, probot: Probot | undefined) {
  const settings = config.archive ?? DEFAULT_ARCHIVE_SETTINGS;
  const archives: ArchiveTrees | undefined =
    settings.treeSource === 'archive'
      ? {
          cache: createArchiveCache(settings.cacheBytes),
          limits: settings.limits,
          timeoutMs: settings.timeoutMs,
        }
      : undefined;
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
      return createGitHubPlatform({ octokit, owner: owner!, repo: repo!, ...(archives ? { archives } : {}) });
    }
    if (!config.gitlab) throw new PermanentPlatformError('GitLab is not configured on this worker');
    return createGitLabPlatform({
      host: config.gitlab.url,
      token: config.gitlab.token,
      projectId: data.projectId ?? data.project,
      webUrl: `${config.gitlab.url}/${data.project}`,
      ...(archives ? { archives } : {}),
    });
  };
}

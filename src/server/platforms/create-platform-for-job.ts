import type { Probot } from 'probot';
import { DEFAULT_ARCHIVE_SETTINGS } from '../../adapters/archive/archive-settings.ts';
import { createArchiveCache } from '../../adapters/archive/create-archive-cache.ts';
import type { ArchiveTrees } from '../../adapters/archive/open-archive-tree.ts';
import { createGitHubPlatform } from '../../adapters/github/create-github-platform.ts';
import { createGitLabPlatform } from '../../adapters/gitlab/create-gitlab-platform.ts';
import { createGitLabFindingDiscussions } from '../../adapters/gitlab/sync-gitlab-finding-discussions.ts';
import type { ApiCallObserver } from '../../usecases/ports/api-call-observer.ts';
import type { Platform } from '../../usecases/ports/platform.ts';
import type { EnvConfig } from '../read-env-config.ts';
import { type JobTarget, resolveJobTarget } from './resolve-job-target.ts';

/**
 * Builds the platform adapter for a check job. Reviewed trees come from commit archives through
 * one cache per worker (see archive-settings.ts).
 */
export function createPlatformForJob(
  config: EnvConfig,
  probot: Probot | undefined,
  observeApiCall?: ApiCallObserver,
) {
  const settings = config.archive ?? DEFAULT_ARCHIVE_SETTINGS;
  const archives: ArchiveTrees | undefined =
    settings.treeSource === 'archive'
      ? {
          cache: createArchiveCache(settings.cacheBytes),
          limits: settings.limits,
          timeoutMs: settings.timeoutMs,
        }
      : undefined;
  return async (data: JobTarget): Promise<Platform> => {
    const target = await resolveJobTarget(config, probot, data);
    if (target.platform === 'github') {
      const { platform: _kind, ...options } = target;
      return createGitHubPlatform({ ...options, ...(archives ? { archives } : {}) });
    }
    const { platform: _kind, ...options } = target;
    const gitlab = { ...options, ...(observeApiCall ? { observeApiCall } : {}) };
    return {
      ...createGitLabPlatform({ ...gitlab, ...(archives ? { archives } : {}) }),
      // GitLab only: blocking findings on changed lines become MR diff discussions.
      syncFindingDiscussions: createGitLabFindingDiscussions(gitlab),
    };
  };
}

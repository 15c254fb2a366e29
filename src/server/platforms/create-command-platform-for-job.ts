import type { Probot } from 'probot';
import { createGitHubCommandPlatform } from '../../adapters/github/create-github-command-platform.ts';
import { createGitLabCommandPlatform } from '../../adapters/gitlab/create-gitlab-command-platform.ts';
import type { CommandPlatform } from '../../usecases/ports/command-platform.ts';
import type { EnvConfig } from '../read-env-config.ts';
import { type JobTarget, resolveJobTarget } from './resolve-job-target.ts';

export type CommandPlatformForJob = (data: JobTarget) => Promise<CommandPlatform>;

/** The chat-ops adapter for a job, authenticated like every other adapter (resolveJobTarget). */
export function createCommandPlatformForJob(
  config: EnvConfig,
  probot: Probot | undefined,
): CommandPlatformForJob {
  return async (data) => {
    const target = await resolveJobTarget(config, probot, data);
    if (target.platform === 'github') {
      const { octokit, owner, repo, webUrl } = target;
      return createGitHubCommandPlatform({ octokit, owner, repo, webUrl });
    }
    const { platform: _kind, token, ...rest } = target;
    return createGitLabCommandPlatform({ ...rest, token });
  };
}

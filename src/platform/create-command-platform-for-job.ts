import type { Probot } from 'probot';
import type { EnvConfig } from '../config/read-env-config.ts';
import type { CommandJobData } from '../queue/command-job.ts';
import type { CommandPlatform } from '../usecases/ports/command-platform.ts';
import { createGitHubCommandPlatform } from './github/create-github-command-platform.ts';
import type { GitHubClient } from './github/github-request.ts';
import { createGitLabCommandPlatform } from './gitlab/create-gitlab-command-platform.ts';
import { PermanentPlatformError } from './platform-errors.ts';

export type CommandPlatformForJob = (
  data: Pick<CommandJobData, 'platform' | 'project' | 'projectId' | 'installationId'>,
) => Promise<CommandPlatform>;

/** The chat-ops adapter for a job: GitHub as the App installation, GitLab with the bot token. */
export function createCommandPlatformForJob(
  config: EnvConfig,
  probot: Probot | undefined,
): CommandPlatformForJob {
  return async (data) => {
    if (data.platform === 'github') {
      if (!probot || !config.github)
        throw new PermanentPlatformError('GitHub is not configured on this worker');
      if (!data.installationId)
        throw new PermanentPlatformError('the event carries no GitHub App installation');
      const [owner, repo] = data.project.split('/');
      const octokit = (await probot.auth(data.installationId)) as unknown as GitHubClient;
      return createGitHubCommandPlatform({ octokit, owner: owner!, repo: repo! });
    }
    if (!config.gitlab) throw new PermanentPlatformError('GitLab is not configured on this worker');
    return createGitLabCommandPlatform({
      host: config.gitlab.url,
      token: config.gitlab.token,
      projectId: data.projectId ?? data.project,
      projectPath: data.project,
      webUrl: `${config.gitlab.url}/${data.project}`,
    });
  };
}

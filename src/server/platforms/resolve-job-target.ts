import type { Probot } from 'probot';
import type { GitHubClient } from '../../adapters/github/github-request.ts';
import type { PlatformKind } from '../../usecases/ports/platform.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import type { EnvConfig } from '../read-env-config.ts';

/** What every job says about where it happened. */
export interface JobTarget {
  platform: PlatformKind;
  project: string;
  projectId?: number;
  installationId?: number;
}

export type ResolvedTarget =
  | { platform: 'github'; octokit: GitHubClient; owner: string; repo: string; webUrl: string }
  | {
      platform: 'gitlab';
      host: string;
      token: string;
      projectId: number | string;
      projectPath: string;
      webUrl: string;
    };

/**
 * The credentials and coordinates of a job's repository: GitHub as the App installation that
 * received the event, GitLab with the bot token. The adapters (checks, commands, branch) are built
 * from this, so they authenticate the same way.
 */
export async function resolveJobTarget(
  config: EnvConfig,
  probot: Probot | undefined,
  data: JobTarget,
): Promise<ResolvedTarget> {
  if (data.platform === 'github') {
    if (!probot || !config.github)
      throw new PermanentPlatformError('GitHub is not configured on this worker');
    if (!data.installationId)
      throw new PermanentPlatformError('the event carries no GitHub App installation');
    const [owner, repo] = data.project.split('/');
    const octokit = (await probot.auth(data.installationId)) as unknown as GitHubClient;
    return { platform: 'github', octokit, owner: owner!, repo: repo!, webUrl: config.github.webUrl };
  }
  if (!config.gitlab) throw new PermanentPlatformError('GitLab is not configured on this worker');
  return {
    platform: 'gitlab',
    host: config.gitlab.url,
    token: config.gitlab.token,
    projectId: data.projectId ?? data.project,
    projectPath: data.project,
    webUrl: `${config.gitlab.url}/${data.project}`,
  };
}

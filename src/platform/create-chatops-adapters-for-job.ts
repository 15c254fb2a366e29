import type { Probot } from 'probot';
import type { EnvConfig } from '../config/read-env-config.ts';
import type { BranchDoctorPort } from '../usecases/ports/branch-doctor-port.ts';
import type { RepositoryReader } from '../usecases/ports/repository-reader.ts';
import type { PlatformTarget } from './create-branch-platform-for-job.ts';
import { createGitHubBranchDoctor } from './github/create-github-branch-doctor.ts';
import { createGitHubRepositoryReader } from './github/create-github-repository-reader.ts';
import type { GitHubClient } from './github/github-request.ts';
import { createGitLabBranchDoctor } from './gitlab/create-gitlab-branch-doctor.ts';
import { createGitLabRepositoryReader } from './gitlab/create-gitlab-repository-reader.ts';
import { PermanentPlatformError } from './platform-errors.ts';

export interface ChatOpsAdapters {
  /** Reads `.tollgate.yml` and trees at the default branch (settings, rollback diffs). */
  readerFor(target: PlatformTarget): Promise<RepositoryReader>;
  /** Reads branch protection for `/tollgate doctor`. */
  doctorFor(target: PlatformTarget): Promise<BranchDoctorPort>;
}

/** The read-only adapters the chat-ops worker needs beside the command platform. */
export function createChatOpsAdaptersForJob(config: EnvConfig, probot: Probot | undefined): ChatOpsAdapters {
  const github = async (target: PlatformTarget) => {
    if (!probot || !config.github)
      throw new PermanentPlatformError('GitHub is not configured on this worker');
    if (!target.installationId)
      throw new PermanentPlatformError('the event carries no GitHub App installation');
    const [owner, repo] = target.project.split('/');
    const octokit = (await probot.auth(target.installationId)) as unknown as GitHubClient;
    return { octokit, owner: owner!, repo: repo! };
  };
  const gitlab = (target: PlatformTarget) => {
    if (!config.gitlab) throw new PermanentPlatformError('GitLab is not configured on this worker');
    return {
      host: config.gitlab.url,
      token: config.gitlab.token,
      projectId: target.projectId ?? target.project,
      projectPath: target.project,
      webUrl: `${config.gitlab.url}/${target.project}`,
    };
  };
  return {
    async readerFor(target) {
      return target.platform === 'github'
        ? createGitHubRepositoryReader(await github(target))
        : createGitLabRepositoryReader(gitlab(target));
    },
    async doctorFor(target) {
      return target.platform === 'github'
        ? createGitHubBranchDoctor(await github(target))
        : createGitLabBranchDoctor(gitlab(target));
    },
  };
}

import type { Probot } from 'probot';
import { createGitHubBranchDoctor } from '../../adapters/github/create-github-branch-doctor.ts';
import { createGitHubRepositoryReader } from '../../adapters/github/create-github-repository-reader.ts';
import { createGitLabBranchDoctor } from '../../adapters/gitlab/create-gitlab-branch-doctor.ts';
import { createGitLabRepositoryReader } from '../../adapters/gitlab/create-gitlab-repository-reader.ts';
import type { BranchDoctorPort } from '../../usecases/ports/branch-doctor-port.ts';
import type { RepositoryReader } from '../../usecases/ports/repository-reader.ts';
import type { EnvConfig } from '../read-env-config.ts';
import type { PlatformTarget } from './create-branch-platform-for-job.ts';
import { resolveJobTarget } from './resolve-job-target.ts';

export interface ChatOpsAdapters {
  /** Reads `.tollgate.yml` and trees at the default branch (settings, rollback diffs). */
  readerFor(target: PlatformTarget): Promise<RepositoryReader>;
  /** Reads branch protection for `/tollgate doctor`. */
  doctorFor(target: PlatformTarget): Promise<BranchDoctorPort>;
}

/** The read-only adapters the chat-ops worker needs beside the command platform. */
export function createChatOpsAdaptersForJob(config: EnvConfig, probot: Probot | undefined): ChatOpsAdapters {
  const github = async (target: PlatformTarget) => {
    const resolved = await resolveJobTarget(config, probot, target);
    if (resolved.platform !== 'github') throw new Error('expected a GitHub target');
    const { platform: _kind, ...options } = resolved;
    return options;
  };
  const gitlab = async (target: PlatformTarget) => {
    const resolved = await resolveJobTarget(config, probot, target);
    if (resolved.platform !== 'gitlab') throw new Error('expected a GitLab target');
    const { platform: _kind, ...options } = resolved;
    return options;
  };
  return {
    async readerFor(target) {
      return target.platform === 'github'
        ? createGitHubRepositoryReader(await github(target))
        : createGitLabRepositoryReader(await gitlab(target));
    },
    async doctorFor(target) {
      return target.platform === 'github'
        ? createGitHubBranchDoctor(await github(target))
        : createGitLabBranchDoctor(await gitlab(target));
    },
  };
}

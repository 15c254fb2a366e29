import type { ProbotOctokit } from 'probot';
import { classifyHttpFailure, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';

export type GitHubClient = InstanceType<typeof ProbotOctokit>;

interface OctokitFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
}

/** Runs one GitHub API call and maps a failure to the platform error that carries its retry semantics. */
export async function callGitHub<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = error as OctokitFailure;
    if (typeof failure.status === 'number' && failure.status > 0) {
      throw classifyHttpFailure(
        `GitHub ${what}`,
        failure.status,
        failure.response?.headers ?? {},
        failure.message,
      );
    }
    throw new TransientPlatformError(`GitHub ${what} failed: ${(error as Error).message}`);
  }
}

import type { RepositoryReader } from '../../usecases/ports/repository-reader.ts';
import { createGitHubPlatform, type GitHubPlatformOptions } from './create-github-platform.ts';
import { callGitHub } from './github-request.ts';

/** Branch heads (`GET /repos/{o}/{r}/branches/{branch}`) and trees, through the review's tree reader. */
export function createGitHubRepositoryReader(options: GitHubPlatformOptions): RepositoryReader {
  const { octokit, owner, repo } = options;
  const platform = createGitHubPlatform(options);
  return {
    kind: 'github',
    project: `${owner}/${repo}`,
    async getBranchHead(branch) {
      const { data } = await callGitHub(`read branch ${branch}`, () =>
        octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo, branch }),
      );
      return data.commit.sha;
    },
    openTree: (sha) => platform.openTree(sha),
  };
}

import type { RepositoryReader } from '../../usecases/ports/repository-reader.ts';
import { createGitLabPlatform, type GitLabPlatformOptions } from './create-gitlab-platform.ts';
import { createGitLabRest, projectPath } from './gitlab-rest.ts';

/** Branch heads (`GET /projects/:id/repository/branches/:branch`) and trees, through the review's tree reader. */
export function createGitLabRepositoryReader(options: GitLabPlatformOptions): RepositoryReader {
  const rest = createGitLabRest(options);
  const platform = createGitLabPlatform(options);
  const project = projectPath(options.projectId);
  return {
    kind: 'gitlab',
    project: options.projectPath ?? String(options.projectId),
    async getBranchHead(branch) {
      const found = await rest.get<{ commit: { id: string } }>(
        `${project}/repository/branches/${encodeURIComponent(branch)}`,
      );
      return found.commit.id;
    },
    openTree: (sha) => platform.openTree(sha),
  };
}

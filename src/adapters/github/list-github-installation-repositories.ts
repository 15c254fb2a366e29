import type { Probot } from 'probot';
import type { ConditionalCache } from '../../usecases/ports/branch-platform.ts';
import type { ReconcileTarget } from '../../usecases/reconcile-open-change-requests.ts';
import { getAllConditionally } from './github-conditional-get.ts';
import type { GitHubClient } from './github-request.ts';

/**
 * Every repository of every installation of the App: `GET /app/installations` (as the App), then
 * `GET /installation/repositories` per installation (as the installation), both conditional.
 */
export async function listGitHubInstallationRepositories(
  probot: Probot,
  cache?: ConditionalCache,
): Promise<ReconcileTarget[]> {
  const app = (await probot.auth()) as unknown as GitHubClient;
  const installations = await getAllConditionally(
    app,
    'list App installations',
    'GET /app/installations',
    {},
    (data) =>
      (data as { id: number; suspended_at?: string | null }[])
        .filter((i) => !i.suspended_at)
        .map((i) => i.id),
    cache,
  );
  const targets: ReconcileTarget[] = [];
  for (const installationId of installations) {
    const octokit = (await probot.auth(installationId)) as unknown as GitHubClient;
    const repos = await getAllConditionally(
      octokit,
      'list installation repositories',
      'GET /installation/repositories',
      { installation: installationId },
      (data) =>
        (data as { repositories: { full_name: string; archived?: boolean }[] }).repositories
          .filter((r) => !r.archived)
          .map((r) => r.full_name),
      cache,
    );
    for (const project of repos) targets.push({ platform: 'github', project, installationId });
  }
  return targets;
}

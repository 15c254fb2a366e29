import type { ReconcileTarget } from '../../usecases/reconcile-open-change-requests.ts';
import { createGitLabRest } from './gitlab-rest.ts';

/**
 * The GitLab projects to reconcile: the configured list when there is one, otherwise every
 * non-archived project the bot token is a member of with at least Developer access (30), which
 * it needs to set commit statuses.
 */
export async function listGitLabProjects(options: {
  host: string;
  token: string;
  projects?: readonly string[];
}): Promise<ReconcileTarget[]> {
  if (options.projects?.length) {
    return options.projects.map((p) =>
      /^\d+$/.test(p)
        ? { platform: 'gitlab', project: p, projectId: Number(p) }
        : { platform: 'gitlab', project: p },
    );
  }
  const rest = createGitLabRest(options);
  const projects = await rest.getAll<{ id: number; path_with_namespace: string }>('/projects', {
    membership: true,
    min_access_level: 30,
    archived: false,
    simple: true,
  });
  return projects.map((p) => ({ platform: 'gitlab', project: p.path_with_namespace, projectId: p.id }));
}

/**
 * The secret a GitLab delivery for `projectPath` must carry: the one configured for the project, or
 * else for its nearest group (`group/sub/project` → `group/sub` → `group`), or else the global one.
 * A project or group with its own secret never accepts the global one: whoever holds the global
 * secret (or another project's) cannot speak for it.
 */
export function selectGitLabWebhookSecret(
  secrets: ReadonlyMap<string, string>,
  global: string | undefined,
  projectPath: string | undefined,
): string | undefined {
  if (projectPath) {
    const parts = projectPath.split('/');
    for (let n = parts.length; n > 0; n--) {
      const own = secrets.get(parts.slice(0, n).join('/'));
      if (own !== undefined) return own;
    }
  }
  return global;
}

/** `project.path_with_namespace` of a GitLab webhook payload, when it has one. */
export function gitlabProjectPathOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const project = (payload as { project?: unknown }).project;
  if (typeof project !== 'object' || project === null) return undefined;
  const path = (project as { path_with_namespace?: unknown }).path_with_namespace;
  return typeof path === 'string' ? path : undefined;
}

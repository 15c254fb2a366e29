import type { TollgateConfig } from '../core/config/tollgate-config.ts';
import { diffEnvironments } from '../core/diff/diff-manifests.ts';
import { formatDiffMarkdown } from '../core/diff/format-diff-markdown.ts';
import type { ChatOpsSettings } from './command-deps.ts';
import { loadRepositoryConfig, type RepositoryConfig } from './load-repository-config.ts';
import type { EnvironmentRenderer } from './ports/environment-renderer.ts';
import type { RepositoryReader } from './ports/repository-reader.ts';

/** A chat-ops reply holds the manifest diff next to the plan: well under a comment's 65,536 characters. */
export const REPLY_DIFF_BUDGET = 20_000;
const DEFAULT_TTL_MS = 60_000;
const MAX_CACHED = 200;

/** `.tollgate.yml` `chatops:` (and the declared environments) as the command runner takes them. */
export function toChatOpsSettings(repository: RepositoryConfig): ChatOpsSettings {
  const { config } = repository;
  return {
    permissions: { ...config.chatops.permissions },
    strategies: [...config.chatops.strategies],
    confirmTimeoutMs: config.chatops.confirmTimeoutSeconds * 1000,
    // No declared environments: the platform's list applies (see run-command).
    ...(config.environments.length ? { environments: config.environments.map((e) => e.name) } : {}),
    ...(repository.file ? { protectedBranch: config.protectedBranch } : {}),
  };
}

/** Renders both commits with the same code as the review and returns the markdown diff section. */
export async function renderCommitDiff(
  reader: Pick<RepositoryReader, 'openTree'>,
  config: TollgateConfig,
  fromSha: string,
  toSha: string,
  options: { render: EnvironmentRenderer; budget?: number },
): Promise<string> {
  const [from, to] = await Promise.all([
    options.render(reader.openTree(fromSha), config),
    options.render(reader.openTree(toSha), config),
  ]);
  return formatDiffMarkdown(
    { base: { sha: fromSha }, head: { sha: toSha }, environments: diffEnvironments(from, to) },
    { budget: options.budget ?? REPLY_DIFF_BUDGET, headingLevel: 4 },
  );
}

export interface ChatOpsSettingsLoaderOptions<T> {
  readerFor(target: T): Promise<RepositoryReader>;
  /** Renders both commits of a rollback diff (src/adapters/render, with the worker's runner). */
  render: EnvironmentRenderer;
  /** How long a (project, commit) configuration is reused (default one minute). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Chat-ops settings per job, from `.tollgate.yml` at the head of the repository's DEFAULT branch
 * (never a merge request's head: a merge request must not loosen who may roll back). The parsed
 * configuration is cached briefly per (platform, project, commit); a push to the default branch is
 * a new commit, so it applies at once.
 */
export function createChatOpsSettingsLoader<T extends { defaultBranch: string }>(
  options: ChatOpsSettingsLoaderOptions<T>,
): (target: T) => Promise<ChatOpsSettings> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; config: Promise<RepositoryConfig> }>();

  const configAt = (reader: RepositoryReader, sha: string): Promise<RepositoryConfig> => {
    const key = `${reader.kind}:${reader.project}:${sha}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.config;
    const config = loadRepositoryConfig(reader.openTree(sha));
    config.catch(() => cache.delete(key));
    cache.delete(key);
    cache.set(key, { at: now(), config });
    while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
    return config;
  };

  return async (target) => {
    const reader = await options.readerFor(target);
    const sha = await reader.getBranchHead(target.defaultBranch);
    const repository = await configAt(reader, sha);
    return {
      ...toChatOpsSettings(repository),
      renderDiff: (fromSha, toSha) =>
        renderCommitDiff(reader, repository.config, fromSha, toSha, {
          render: options.render,
        }),
    };
  };
}

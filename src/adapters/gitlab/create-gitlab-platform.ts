import { Gitlab } from '@gitbeaker/rest';
import type { ApiCallObserver } from '../../usecases/ports/api-call-observer.ts';
import type { ChangedFile } from '../../usecases/ports/changed-file.ts';
import type { ChangeRequest, CheckResult, Platform, UpsertOutcome } from '../../usecases/ports/platform.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';
import { type ArchiveTrees, openArchiveTree } from '../archive/open-archive-tree.ts';
import { createGitLabRequester, gitlabRequester } from './create-gitlab-requester.ts';
import { downloadGitLabArchive } from './download-gitlab-archive.ts';

export const STATUS_NAME = 'tollgate';

export interface GitLabPlatformOptions {
  /** e.g. https://gitlab.com */
  host: string;
  token: string;
  /** Numeric id or `group/project` path (what the API is called with). */
  projectId: number | string;
  /** `group/project`: how the project is named in keys, logs and links (default: projectId). */
  projectPath?: string;
  /** Project web URL, for links. */
  webUrl?: string;
  /** Hears of every API request (metrics). */
  observeApiCall?: ApiCallObserver;
  /**
   * Serve trees from commit archives (one API request per commit); without it, the paginated tree
   * listing plus one request per file. A rate-limited archive falls back to the per-file path.
   */
  archives?: ArchiveTrees;
}

const STATE: Record<CheckResult['state'], 'pending' | 'success' | 'failed'> = {
  pending: 'pending',
  success: 'success',
  failure: 'failed',
  error: 'failed',
};

/** GitLab answers these when a status is already in the requested state: nothing to do. */
function isBenignStatusConflict(error: unknown): boolean {
  return (
    error instanceof PermanentPlatformError &&
    (error.status === 409 ||
      /cannot transition status/i.test(error.message) ||
      /already/i.test(error.message))
  );
}

interface GitLabDiff {
  old_path: string;
  new_path: string;
  new_file: boolean;
  deleted_file: boolean;
  renamed_file: boolean;
}

function toChangedFiles(diffs: readonly GitLabDiff[]): ChangedFile[] {
  return diffs.map((d) => ({
    path: d.deleted_file ? d.old_path : d.new_path,
    status: d.new_file ? 'added' : d.deleted_file ? 'removed' : d.renamed_file ? 'renamed' : 'modified',
    ...(d.renamed_file ? { previousPath: d.old_path } : {}),
  }));
}

interface Note {
  id: number;
  body: string;
  system: boolean;
  author: { id: number };
}

export function createGitLabPlatform(options: GitLabPlatformOptions): Platform {
  const requesterFn = options.observeApiCall
    ? createGitLabRequester(options.observeApiCall)
    : gitlabRequester;
  const api = new Gitlab({ host: options.host, token: options.token, requesterFn });
  const project = options.projectId;
  let me: Promise<number> | undefined;
  const myUserId = () => {
    me ??= api.Users.showCurrentUser().then((u) => u.id);
    return me;
  };
  const web = options.webUrl ?? `${options.host}/${project}`;

  // Blobs are content-addressed: base and head share most files, and a review reads each once.
  const blobCache = new Map<string, Promise<Uint8Array>>();
  const readBlob = (blob: string): Promise<Uint8Array> => {
    let cached = blobCache.get(blob);
    if (!cached) {
      cached = (api.Repositories.showBlobRaw(project, blob) as Promise<unknown>).then(async (raw) =>
        typeof raw === 'string'
          ? new Uint8Array(Buffer.from(raw, 'utf8'))
          : new Uint8Array(await (raw as Blob).arrayBuffer()),
      );
      cached.catch(() => blobCache.delete(blob));
      blobCache.set(blob, cached);
    }
    return cached;
  };

  const openApiTree = (sha: string): SourceTree => {
    let listing: Promise<Map<string, string>> | undefined;
    const files = () => {
      listing ??= api.Repositories.allRepositoryTrees(project, {
        ref: sha,
        recursive: true,
        perPage: 100,
      }).then((entries) => new Map(entries.filter((e) => e.type === 'blob').map((e) => [e.path, e.id])));
      return listing;
    };
    return {
      sha,
      listFiles: async () => [...(await files()).keys()],
      readFile: async (path) => {
        const blob = (await files()).get(path);
        return blob ? readBlob(blob) : undefined;
      },
    };
  };

  const { archives } = options;
  const openTree = (sha: string): SourceTree =>
    archives
      ? openArchiveTree(sha, {
          cache: archives.cache,
          key: `gitlab:${options.host}/${project}:${sha}`,
          download: () => downloadGitLabArchive({ ...options, projectId: project }, sha, archives),
          fallback: () => openApiTree(sha),
        })
      : openApiTree(sha);

  return {
    kind: 'gitlab',
    project: options.projectPath ?? String(project),

    async getChangeRequest(iid): Promise<ChangeRequest> {
      const mr = await api.MergeRequests.show(project, iid);
      const refs = mr.diff_refs as { base_sha?: string; head_sha?: string } | undefined;
      return {
        number: iid,
        headSha: String(mr.sha),
        baseSha: String(refs?.base_sha ?? ''),
        baseRef: String(mr.target_branch),
        headRef: String(mr.source_branch),
        state: mr.state === 'merged' ? 'merged' : mr.state === 'opened' ? 'open' : 'closed',
        webUrl: String(mr.web_url),
      };
    },

    async listChangedFiles(iid): Promise<ChangedFile[]> {
      return toChangedFiles(await api.MergeRequests.allDiffs(project, iid, { perPage: 100 }));
    },

    async listChangedFilesBetween(baseSha, headSha): Promise<ChangedFile[]> {
      const comparison = await api.Repositories.compare(project, baseSha, headSha);
      return toChangedFiles((comparison.diffs ?? []) as GitLabDiff[]);
    },

    openTree,

    async countCommitsBehind(baseRef, headSha) {
      // Commits reachable from the target branch but not from the head.
      const comparison = await api.Repositories.compare(project, headSha, baseRef);
      return (comparison.commits ?? []).length;
    },

    fileUrl: (sha, path, line) => `${web}/-/blob/${sha}/${path}${line ? `#L${line}` : ''}`,

    async setCheck(sha, result) {
      // Attach to the commit's existing pipeline; without pipeline_id GitLab creates a separate one.
      const commit = await api.Commits.show(project, sha);
      const pipelineId = (commit.last_pipeline as { id?: number } | null | undefined)?.id;
      try {
        await api.Commits.editStatus(project, sha, STATE[result.state], {
          name: STATUS_NAME,
          description: result.title.slice(0, 255),
          ...(pipelineId ? { pipelineId } : {}),
          ...(result.detailsUrl ? { targetUrl: result.detailsUrl } : {}),
        });
      } catch (error) {
        if (!isBenignStatusConflict(error)) throw error;
      }
    },

    async upsertComment(iid, marker, body): Promise<UpsertOutcome> {
      const [userId, notes] = await Promise.all([
        myUserId(),
        api.MergeRequestNotes.all(project, iid, { perPage: 100 }) as unknown as Promise<Note[]>,
      ]);
      const mine = notes
        .filter((n) => !n.system && n.author.id === userId && n.body.includes(marker))
        .sort((a, b) => b.id - a.id);
      const [current, ...stale] = mine;
      for (const extra of stale) {
        // GitLab has no "minimize": collapse the stale copy and drop its marker so it is never picked again.
        await api.MergeRequestNotes.edit(project, iid, extra.id, {
          body: `<details><summary>Outdated Tollgate report</summary>\n\n${extra.body.replaceAll(marker, '')}\n\n</details>`,
        });
      }
      if (!current) {
        await api.MergeRequestNotes.create(project, iid, body);
        return 'created';
      }
      if (current.body === body) return 'unchanged';
      await api.MergeRequestNotes.edit(project, iid, current.id, { body });
      return 'updated';
    },
  };
}

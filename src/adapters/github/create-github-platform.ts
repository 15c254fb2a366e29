import type { Finding } from '../../core/findings/finding.ts';
import { isRepositoryLocated, MAX_ANNOTATIONS } from '../../core/report/select-annotations.ts';
import type { ChangedFile, ChangeStatus } from '../../usecases/ports/changed-file.ts';
import type { ChangeRequest, CheckResult, Platform, UpsertOutcome } from '../../usecases/ports/platform.ts';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';
import { type ArchiveTrees, openArchiveTree } from '../archive/open-archive-tree.ts';
import { downloadGitHubTarball } from './download-github-tarball.ts';
import { callGitHub, type GitHubClient } from './github-request.ts';

export const CHECK_NAME = 'tollgate';
/** GitHub accepts at most 50 annotations per check-run request; one request per write, no more. */
const ANNOTATIONS_PER_REQUEST = MAX_ANNOTATIONS;
const MAX_TEXT = 65_000;

export interface GitHubPlatformOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Login of the App's bot user (`<slug>[bot]`); comments by anyone else are never edited. */
  botLogin?: string;
  /** Web base URL for links (GitHub Enterprise: https://ghe.example.com). */
  webUrl?: string;
  /** Serve trees from commit tarballs (one API request per commit); without it, one request per file. */
  archives?: ArchiveTrees;
}

const FILE_STATUS: Record<string, ChangeStatus> = {
  added: 'added',
  removed: 'removed',
  renamed: 'renamed',
  copied: 'added',
};

function toAnnotation(f: Finding) {
  const line = f.location?.line ?? 1;
  return {
    path: f.location!.file,
    start_line: line,
    end_line: f.location?.endLine ?? line,
    annotation_level: f.blocking
      ? 'failure'
      : f.severity === 'error' || f.severity === 'warning'
        ? 'warning'
        : 'notice',
    title: f.title.slice(0, 255),
    message: f.message.slice(0, 64_000),
  } as const;
}

export function createGitHubPlatform(options: GitHubPlatformOptions): Platform {
  const { octokit, owner, repo } = options;
  const web = options.webUrl ?? 'https://github.com';

  const findCheckRun = async (sha: string) => {
    const { data } = await callGitHub('list check runs', () =>
      octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        owner,
        repo,
        ref: sha,
        check_name: CHECK_NAME,
        filter: 'latest',
      }),
    );
    return data.check_runs[0]?.id;
  };

  // Blobs are content-addressed: base and head share most files, and a review reads each once.
  const blobCache = new Map<string, Promise<Uint8Array>>();
  const readBlob = (blob: string, path: string): Promise<Uint8Array> => {
    let cached = blobCache.get(blob);
    if (!cached) {
      cached = callGitHub(`read ${path}`, () =>
        octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner, repo, file_sha: blob }),
      ).then(
        ({ data }) =>
          new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')),
      );
      cached.catch(() => blobCache.delete(blob));
      blobCache.set(blob, cached);
    }
    return cached;
  };

  const openApiTree = (sha: string): SourceTree => {
    let listing: Promise<Map<string, string>> | undefined;
    const blobs = () => {
      listing ??= callGitHub('read tree', () =>
        octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
          owner,
          repo,
          tree_sha: sha,
          recursive: 'true',
        }),
      ).then(({ data }) => {
        if (data.truncated) throw new Error(`the tree of ${sha} has too many files for GitHub's tree API`);
        return new Map(
          data.tree.filter((e) => e.type === 'blob' && e.path && e.sha).map((e) => [e.path!, e.sha!]),
        );
      });
      return listing;
    };
    return {
      sha,
      listFiles: async () => [...(await blobs()).keys()],
      readFile: async (path) => {
        const blob = (await blobs()).get(path);
        if (!blob) return undefined;
        return readBlob(blob, path);
      },
    };
  };

  const { archives } = options;
  const openTree = (sha: string): SourceTree =>
    archives
      ? openArchiveTree(sha, {
          cache: archives.cache,
          key: `github:${owner}/${repo}:${sha}`,
          download: () => downloadGitHubTarball(octokit, { owner, repo }, sha, archives),
        })
      : openApiTree(sha);

  return {
    kind: 'github',
    project: `${owner}/${repo}`,

    async getChangeRequest(number): Promise<ChangeRequest> {
      const { data } = await callGitHub(`read pull request #${number}`, () =>
        octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          owner,
          repo,
          pull_number: number,
        }),
      );
      return {
        number,
        headSha: data.head.sha,
        baseSha: data.base.sha,
        baseRef: data.base.ref,
        headRef: data.head.ref,
        state: data.merged_at ? 'merged' : data.state === 'open' ? 'open' : 'closed',
        webUrl: data.html_url,
      };
    },

    async listChangedFiles(number): Promise<ChangedFile[]> {
      const files = await callGitHub(`list files of #${number}`, () =>
        octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
          owner,
          repo,
          pull_number: number,
          per_page: 100,
        }),
      );
      return files.map((f) => ({
        path: f.filename,
        status: FILE_STATUS[f.status] ?? 'modified',
        ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      }));
    },

    async listChangedFilesBetween(baseSha, headSha): Promise<ChangedFile[]> {
      const { data } = await callGitHub('compare commits', () =>
        octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
          owner,
          repo,
          basehead: `${baseSha}...${headSha}`,
          per_page: 100,
        }),
      );
      return (data.files ?? []).map((f) => ({
        path: f.filename,
        status: FILE_STATUS[f.status] ?? 'modified',
        ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      }));
    },

    openTree,

    async countCommitsBehind(baseRef, headSha) {
      const { data } = await callGitHub('compare with the target branch', () =>
        octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
          owner,
          repo,
          basehead: `${baseRef}...${headSha}`,
          per_page: 1,
        }),
      );
      return data.behind_by;
    },

    fileUrl: (sha, path, line) => `${web}/${owner}/${repo}/blob/${sha}/${path}${line ? `#L${line}` : ''}`,

    /**
     * One write: creates the check run or updates it, with at most 50 annotations (the use case
     * chooses the most important ones); never a request per further batch.
     */
    async setCheck(sha, result: CheckResult) {
      const existing = await findCheckRun(sha);
      const annotations = (result.annotations ?? []).filter(isRepositoryLocated).map(toAnnotation);
      const output = (batch: ReturnType<typeof toAnnotation>[]) => ({
        title: result.title.slice(0, 255),
        summary: (result.summary ?? result.title).slice(0, MAX_TEXT),
        ...(result.text ? { text: result.text.slice(0, MAX_TEXT) } : {}),
        annotations: batch,
      });
      const state =
        result.state === 'pending'
          ? { status: 'in_progress' as const }
          : {
              status: 'completed' as const,
              conclusion: result.state === 'success' ? ('success' as const) : ('failure' as const),
              completed_at: new Date().toISOString(),
            };
      const first = annotations.slice(0, ANNOTATIONS_PER_REQUEST);
      const detailsUrl = result.detailsUrl ? { details_url: result.detailsUrl } : {};
      if (existing === undefined) {
        await callGitHub('create check run', () =>
          octokit.request('POST /repos/{owner}/{repo}/check-runs', {
            owner,
            repo,
            name: CHECK_NAME,
            head_sha: sha,
            ...state,
            ...detailsUrl,
            output: output(first),
          }),
        );
      } else {
        await callGitHub('update check run', () =>
          octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
            owner,
            repo,
            check_run_id: existing,
            ...state,
            ...detailsUrl,
            output: output(first),
          }),
        );
      }
    },

    async upsertComment(number, marker, body): Promise<UpsertOutcome> {
      const comments = await callGitHub(`list comments of #${number}`, () =>
        octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: number,
          per_page: 100,
        }),
      );
      const mine = comments.filter(
        (c) =>
          c.body?.includes(marker) &&
          (options.botLogin ? c.user?.login === options.botLogin : c.user?.type === 'Bot'),
      );
      const [current, ...stale] = mine.sort((a, b) => b.id - a.id);
      for (const extra of stale) {
        // Hidden, not deleted: the history stays readable for reviewers.
        await callGitHub('minimize outdated comment', () =>
          octokit.graphql(
            'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
            { id: extra.node_id },
          ),
        );
      }
      if (!current) {
        await callGitHub(`comment on #${number}`, () =>
          octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner,
            repo,
            issue_number: number,
            body,
          }),
        );
        return 'created';
      }
      if (current.body === body) return 'unchanged';
      await callGitHub(`edit comment on #${number}`, () =>
        octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          owner,
          repo,
          comment_id: current.id,
          body,
        }),
      );
      return 'updated';
    },
  };
}

import type {
  BranchPlatform,
  CommitSummary,
  ConditionalCache,
} from '../../usecases/ports/branch-platform.ts';
import type { ChangeRequest, CheckState } from '../../usecases/ports/platform.ts';
import { CHECK_NAME, createGitHubPlatform, type GitHubPlatformOptions } from './create-github-platform.ts';
import { getAllConditionally } from './github-conditional-get.ts';
import { callGitHub } from './github-request.ts';

export interface GitHubBranchPlatformOptions extends GitHubPlatformOptions {
  /** ETag store for the reconciler's repeated reads (open pulls, check runs). */
  cache?: ConditionalCache;
}

interface PullLike {
  number: number;
  state: string;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  html_url: string;
  head: { sha: string; ref: string };
  base: { sha: string; ref: string };
}

function toChangeRequest(p: PullLike): ChangeRequest {
  return {
    number: p.number,
    headSha: p.head.sha,
    baseSha: p.base.sha,
    baseRef: p.base.ref,
    headRef: p.head.ref,
    state: p.merged_at ? 'merged' : p.state === 'open' ? 'open' : 'closed',
    webUrl: p.html_url,
  };
}

interface CheckRunLike {
  status: string;
  conclusion: string | null;
}

function toCheckState(run: CheckRunLike | undefined): CheckState | undefined {
  if (!run) return undefined;
  if (run.status !== 'completed') return 'pending';
  if (run.conclusion === 'success') return 'success';
  if (run.conclusion === 'failure' || run.conclusion === 'action_required') return 'failure';
  return 'error';
}

/** The GitHub adapter with the reads and writes branch discipline needs. */
export function createGitHubBranchPlatform(options: GitHubBranchPlatformOptions): BranchPlatform {
  const { octokit, owner, repo, cache } = options;
  const web = options.webUrl ?? 'https://github.com';
  const base = createGitHubPlatform(options);

  const compare = (baseRef: string, head: string) =>
    callGitHub('compare commits', () =>
      octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        owner,
        repo,
        basehead: `${baseRef}...${head}`,
        per_page: 100,
      }),
    );

  return {
    ...base,

    async listOpenChangeRequests() {
      const pulls = await getAllConditionally(
        octokit,
        'list open pull requests',
        'GET /repos/{owner}/{repo}/pulls',
        { owner, repo, state: 'open' },
        (data) => (data as PullLike[]).map(toChangeRequest),
        cache,
      );
      return pulls;
    },

    async getCheckState(sha) {
      const runs = await getAllConditionally(
        octokit,
        'list check runs',
        'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
        { owner, repo, ref: sha, check_name: CHECK_NAME, filter: 'latest' },
        (data) =>
          (data as { check_runs: (CheckRunLike & { id: number })[] }).check_runs.map((r) => ({
            id: r.id,
            status: r.status,
            conclusion: r.conclusion,
          })),
        cache,
      );
      return toCheckState(runs.sort((a, b) => b.id - a.id)[0]);
    },

    async findMergedChangeRequest(sha) {
      const pulls = await callGitHub('list pull requests of a commit', () =>
        octokit.paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
          owner,
          repo,
          commit_sha: sha,
          per_page: 100,
        }),
      );
      const merged = (pulls as PullLike[]).find((p) => p.merged_at && p.merge_commit_sha === sha);
      return merged ? toChangeRequest(merged) : undefined;
    },

    async isAncestor(ancestorSha, sha) {
      const { data } = await compare(ancestorSha, sha);
      return data.status === 'ahead' || data.status === 'identical';
    },

    async listCommitsBetween(baseSha, headSha): Promise<CommitSummary[]> {
      const { data } = await compare(baseSha, headSha);
      return data.commits.map((c) => ({
        sha: c.sha,
        title: c.commit.message.split('\n')[0] ?? '',
        ...(c.author?.login
          ? { author: c.author.login }
          : c.commit.author?.name
            ? { author: c.commit.author.name }
            : {}),
      }));
    },

    commitUrl: (sha) => `${web}/${owner}/${repo}/commit/${sha}`,

    async upsertIssue(marker, issue) {
      const found = await callGitHub('list bypass issues', () =>
        octokit.paginate('GET /repos/{owner}/{repo}/issues', {
          owner,
          repo,
          labels: issue.labels.join(','),
          state: 'all',
          per_page: 100,
        }),
      );
      const mine = found
        .filter(
          (i) =>
            !i.pull_request &&
            i.body?.includes(marker) &&
            (options.botLogin ? i.user?.login === options.botLogin : i.user?.type === 'Bot'),
        )
        .sort((a, b) => a.number - b.number)[0];
      if (!mine) {
        const { data } = await callGitHub('open bypass issue', () =>
          octokit.request('POST /repos/{owner}/{repo}/issues', {
            owner,
            repo,
            title: issue.title,
            body: issue.body,
            labels: issue.labels,
          }),
        );
        return { outcome: 'created', url: data.html_url };
      }
      if (mine.title === issue.title && mine.body === issue.body) {
        return { outcome: 'unchanged', url: mine.html_url };
      }
      await callGitHub('update bypass issue', () =>
        octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          owner,
          repo,
          issue_number: mine.number,
          title: issue.title,
          body: issue.body,
        }),
      );
      return { outcome: 'updated', url: mine.html_url };
    },
  };
}

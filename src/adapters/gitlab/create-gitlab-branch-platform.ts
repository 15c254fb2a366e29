import type { BranchPlatform, CommitSummary } from '../../usecases/ports/branch-platform.ts';
import type { ChangeRequest, CheckState } from '../../usecases/ports/platform.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import { createGitLabPlatform, type GitLabPlatformOptions, STATUS_NAME } from './create-gitlab-platform.ts';
import { createGitLabRest, projectPath } from './gitlab-rest.ts';

interface MergeRequestLike {
  iid: number;
  state: string;
  sha: string;
  merge_commit_sha?: string | null;
  squash_commit_sha?: string | null;
  source_branch: string;
  target_branch: string;
  web_url: string;
  diff_refs?: { base_sha?: string } | null;
}

interface CommitLike {
  id: string;
  title?: string;
  message?: string;
  author_name?: string;
}

function toChangeRequest(mr: MergeRequestLike): ChangeRequest {
  return {
    number: mr.iid,
    headSha: mr.sha,
    baseSha: mr.diff_refs?.base_sha ?? '',
    baseRef: mr.target_branch,
    headRef: mr.source_branch,
    state: mr.state === 'merged' ? 'merged' : mr.state === 'opened' ? 'open' : 'closed',
    webUrl: mr.web_url,
  };
}

const FINAL: Record<string, CheckState> = {
  success: 'success',
  failed: 'failure',
  canceled: 'error',
  skipped: 'error',
  created: 'pending',
  pending: 'pending',
  running: 'pending',
};

/** The GitLab adapter with the reads and writes branch discipline needs. */
export function createGitLabBranchPlatform(options: GitLabPlatformOptions): BranchPlatform {
  const base = createGitLabPlatform(options);
  const rest = createGitLabRest(options);
  const project = projectPath(options.projectId);
  const web = options.webUrl ?? `${options.host}/${options.projectId}`;
  let me: Promise<number> | undefined;
  const myUserId = () => {
    me ??= rest.get<{ id: number }>('/user').then((u) => u.id);
    return me;
  };
  const compare = (from: string, to: string) =>
    rest.get<{ commits: CommitLike[] }>(`${project}/repository/compare`, { from, to });

  return {
    ...base,

    async listOpenChangeRequests() {
      const mrs = await rest.getAll<MergeRequestLike>(`${project}/merge_requests`, { state: 'opened' });
      return mrs.map(toChangeRequest);
    },

    async getCheckState(sha) {
      const statuses = await rest.getAll<{ id: number; status: string }>(
        `${project}/repository/commits/${sha}/statuses`,
        { name: STATUS_NAME, all: true },
      );
      const latest = statuses.sort((a, b) => b.id - a.id)[0];
      return latest ? (FINAL[latest.status] ?? 'error') : undefined;
    },

    async findMergedChangeRequest(sha) {
      const mrs = await rest.getAll<MergeRequestLike>(`${project}/repository/commits/${sha}/merge_requests`);
      const merged = mrs.find(
        (mr) =>
          mr.state === 'merged' &&
          (mr.merge_commit_sha === sha ||
            mr.squash_commit_sha === sha ||
            (!mr.merge_commit_sha && mr.sha === sha)),
      );
      return merged ? toChangeRequest(merged) : undefined;
    },

    async isAncestor(ancestorSha, sha) {
      // GitLab push events have no `forced` flag: the old head is an ancestor of the new one exactly
      // when it is their merge base. A commit GitLab no longer knows (rewritten away) counts as "not".
      try {
        const url = `${project}/repository/merge_base?refs[]=${encodeURIComponent(ancestorSha)}&refs[]=${encodeURIComponent(sha)}`;
        const mergeBase = await rest.get<{ id: string }>(url);
        return mergeBase.id === ancestorSha;
      } catch (error) {
        if (error instanceof PermanentPlatformError) return false;
        throw error;
      }
    },

    async listCommitsBetween(baseSha, headSha): Promise<CommitSummary[]> {
      const { commits } = await compare(baseSha, headSha);
      return commits.map((c) => ({
        sha: c.id,
        title: c.title ?? c.message?.split('\n')[0] ?? '',
        ...(c.author_name ? { author: c.author_name } : {}),
      }));
    },

    commitUrl: (sha) => `${web}/-/commit/${sha}`,

    async upsertIssue(marker, issue) {
      const [userId, issues] = await Promise.all([
        myUserId(),
        rest.getAll<{
          iid: number;
          title: string;
          description: string | null;
          web_url: string;
          author: { id: number };
        }>(`${project}/issues`, { labels: issue.labels.join(',') }),
      ]);
      const mine = issues
        .filter((i) => i.author.id === userId && i.description?.includes(marker))
        .sort((a, b) => a.iid - b.iid)[0];
      if (!mine) {
        const created = await rest.send<{ web_url: string }>('POST', `${project}/issues`, {
          title: issue.title,
          description: issue.body,
          labels: issue.labels.join(','),
        });
        return { outcome: 'created', url: created.web_url };
      }
      if (mine.title === issue.title && mine.description === issue.body) {
        return { outcome: 'unchanged', url: mine.web_url };
      }
      await rest.send('PUT', `${project}/issues/${mine.iid}`, {
        title: issue.title,
        description: issue.body,
      });
      return { outcome: 'updated', url: mine.web_url };
    },
  };
}

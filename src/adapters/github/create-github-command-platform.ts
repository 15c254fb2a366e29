import { roleFromGitHub } from '../../core/chatops/decide-permission.ts';
import type { CommitRecord, DeploymentRecord, MergeRequestRecord } from '../../core/chatops/rollback-plan.ts';
import type { CommandPlatform, RevertResult } from '../../usecases/ports/command-platform.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import { createGitHubPlatform } from './create-github-platform.ts';
import { callGitHub, type GitHubClient } from './github-request.ts';

export interface GitHubCommandPlatformOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  webUrl?: string;
}

/** How many recent deployments are read to find the last two successful ones. */
const DEPLOYMENT_WINDOW = 30;

const firstLine = (message: string) => message.split('\n', 1)[0] ?? '';

/** Chat-ops on GitHub: issue-comment reactions, collaborator roles, deployments, and the Git Data API. */
export function createGitHubCommandPlatform(options: GitHubCommandPlatformOptions): CommandPlatform {
  const { octokit, owner, repo } = options;
  const base = createGitHubPlatform(options);
  const web = options.webUrl ?? 'https://github.com';

  return {
    kind: 'github',
    project: `${owner}/${repo}`,
    getChangeRequest: (number) => base.getChangeRequest(number),

    // The webhook drops `sender.type === 'Bot'` already; App bot logins end in `[bot]`.
    isBot: async (user) => user.login.endsWith('[bot]'),

    async addReaction(_thread, commentId, content) {
      await callGitHub('react to comment', () =>
        octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
          owner,
          repo,
          comment_id: commentId,
          content,
        }),
      );
    },

    async hasThumbsUp(_thread, commentId, user) {
      const reactions = await callGitHub('list reactions', () =>
        octokit.paginate('GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
          owner,
          repo,
          comment_id: commentId,
          content: '+1',
          per_page: 100,
        }),
      );
      return reactions.some((r) => r.user?.id === user.id);
    },

    async reply(thread, body) {
      const { data } = await callGitHub(`comment on #${thread.number}`, () =>
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: thread.number,
          body,
        }),
      );
      return { id: Number(data.id), url: data.html_url };
    },

    async editReply(_thread, replyId, body) {
      await callGitHub('edit reply', () =>
        octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          owner,
          repo,
          comment_id: replyId,
          body,
        }),
      );
    },

    async getRole(user) {
      try {
        const { data } = await octokit.request(
          'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
          {
            owner,
            repo,
            username: user.login,
          },
        );
        return roleFromGitHub(data.role_name, data.permission);
      } catch (error) {
        // 404: not a collaborator (or not a user at all).
        if ((error as { status?: number }).status === 404) return 'none';
        return callGitHub('read collaborator permission', () => Promise.reject(error));
      }
    },

    async listEnvironments() {
      try {
        const { data } = await callGitHub('list environments', () =>
          octokit.request('GET /repos/{owner}/{repo}/environments', { owner, repo, per_page: 100 }),
        );
        return (data.environments ?? []).map((e) => e.name);
      } catch (error) {
        // Listing needs the App's "Actions: read" permission; without it the list is unknown, which
        // the commands treat like a repository that declares none (they check nothing against it).
        if (error instanceof PermanentPlatformError && error.status === 403) return [];
        throw error;
      }
    },

    async listSuccessfulDeployments(environment) {
      const { data: deployments } = await callGitHub('list deployments', () =>
        octokit.request('GET /repos/{owner}/{repo}/deployments', {
          owner,
          repo,
          environment,
          per_page: DEPLOYMENT_WINDOW,
        }),
      );
      const successful: DeploymentRecord[] = [];
      for (const d of deployments) {
        const { data: statuses } = await callGitHub('list deployment statuses', () =>
          octokit.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            owner,
            repo,
            deployment_id: Number(d.id),
            per_page: 1,
          }),
        );
        // Statuses come newest first: the deployment's current state is the first one.
        const latest = statuses[0];
        if (latest?.state !== 'success') continue;
        successful.push({
          id: Number(d.id),
          sha: d.sha,
          ref: d.ref,
          environment: d.environment,
          at: latest.created_at,
          // Never d.url: that is the REST API's JSON, not a page a person can open.
          url:
            latest.log_url ||
            latest.environment_url ||
            `${web}/${owner}/${repo}/deployments/${encodeURIComponent(d.environment)}`,
        });
        // Two are enough for the default choice; more only when the target is named.
        if (successful.length >= 10) break;
      }
      return successful;
    },

    async listCommitsBetween(baseSha, headSha) {
      const { data } = await callGitHub('compare commits', () =>
        octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
          owner,
          repo,
          basehead: `${baseSha}...${headSha}`,
          per_page: 250,
        }),
      );
      if (data.status === 'diverged' || data.status === 'behind')
        throw new PermanentPlatformError(
          `${baseSha.slice(0, 12)} is not behind ${headSha.slice(0, 12)} (GitHub says the two ${data.status === 'behind' ? 'are in the wrong order' : 'have diverged'})`,
        );
      const commits: CommitRecord[] = data.commits.map((c) => ({
        sha: c.sha,
        title: firstLine(c.commit.message),
        parents: c.parents.map((p) => p.sha),
      }));
      // `base_commit` is the target itself: the chain ends there.
      return commits;
    },

    async listMergeRequestsOfCommit(sha) {
      const { data } = await callGitHub('list pull requests of commit', () =>
        octokit.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
          owner,
          repo,
          commit_sha: sha,
        }),
      );
      return data
        .filter((pr) => pr.merged_at)
        .map((pr): MergeRequestRecord => ({ number: pr.number, title: pr.title, url: pr.html_url }));
    },

    async redeploy(input) {
      const { data } = await callGitHub('create deployment', () =>
        octokit.request('POST /repos/{owner}/{repo}/deployments', {
          owner,
          repo,
          ref: input.toSha,
          environment: input.environment,
          auto_merge: false,
          required_contexts: [],
          description:
            `Rollback of ${input.environment} to ${input.toSha.slice(0, 12)} by @${input.requestedBy}`.slice(
              0,
              140,
            ),
          payload: {
            rollback_of: input.fromSha,
            requested_by: input.requestedBy,
            ...(input.sourceUrl ? { source: input.sourceUrl } : {}),
          },
        }),
      );
      if (!('id' in data))
        throw new PermanentPlatformError(
          `GitHub did not create the deployment: ${data.message ?? 'no reason given'}`,
        );
      return {
        detail: `deployment ${data.id} of \`${input.toSha.slice(0, 12)}\` to ${input.environment} created; your CD picks it up`,
        url: `${web}/${owner}/${repo}/deployments/${encodeURIComponent(input.environment)}`,
      };
    },

    async openRevert(input): Promise<RevertResult> {
      const done: string[] = [];
      try {
        const { data: head } = await callGitHub('read default branch', () =>
          octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
            owner,
            repo,
            ref: `heads/${input.defaultBranch}`,
          }),
        );
        const { data: target } = await callGitHub('read target commit', () =>
          octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
            owner,
            repo,
            commit_sha: input.toSha,
          }),
        );
        // A commit whose tree is the target's and whose parent is today's head: the branch ends up as what runs.
        const { data: commit } = await callGitHub('create revert commit', () =>
          octokit.request('POST /repos/{owner}/{repo}/git/commits', {
            owner,
            repo,
            message: `${input.title}\n\nReverts ${input.fromSha}..${input.toSha} (${input.commits.length} commits on the main line).`,
            tree: target.tree.sha,
            parents: [head.object.sha],
          }),
        );
        done.push(`commit ${commit.sha.slice(0, 12)} created`);
        await callGitHub('create branch', () =>
          octokit.request('POST /repos/{owner}/{repo}/git/refs', {
            owner,
            repo,
            ref: `refs/heads/${input.branch}`,
            sha: commit.sha,
          }),
        );
        done.push(`branch ${input.branch} created`);
        const { data: pr } = await callGitHub('open revert pull request', () =>
          octokit.request('POST /repos/{owner}/{repo}/pulls', {
            owner,
            repo,
            title: input.title,
            head: input.branch,
            base: input.defaultBranch,
            body: input.body,
          }),
        );
        return { ok: true, url: pr.html_url, number: pr.number, branch: input.branch };
      } catch (error) {
        return {
          ok: false,
          detail: `${(error as Error).message}; ${done.length ? `done before that: ${done.join(', ')}` : 'nothing was created'}`,
          ...(done.length > 1 ? { branch: input.branch } : {}),
        };
      }
    },
  };
}

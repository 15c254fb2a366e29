import { roleFromGitLab } from '../../core/chatops/decide-permission.ts';
import type { CommitRecord, DeploymentRecord, MergeRequestRecord } from '../../core/chatops/rollback-plan.ts';
import type { CommandPlatform, CommandThread, RevertResult } from '../../usecases/ports/command-platform.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import { createGitLabPlatform } from './create-gitlab-platform.ts';
import { createGitLabJsonClient } from './gitlab-json-client.ts';

export interface GitLabCommandPlatformOptions {
  host: string;
  token: string;
  /** Numeric id or `group/project` path. */
  projectId: number | string;
  /** `group/project`, for messages and the audit. */
  projectPath?: string;
  webUrl?: string;
}

interface GitLabDeployment {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  created_at: string;
  finished_at?: string | null;
  deployable?: { id: number; web_url?: string } | null;
  environment?: { name: string };
}

/** GET /projects/:id/merge_requests/:iid/notes/:note_id, as GitLab's Notes API documents it. */
interface GitLabNote {
  id: number;
  body: string;
  author: { id: number; username: string };
  system?: boolean;
  noteable_type: string;
  noteable_iid?: number;
  project_id?: number;
}

interface GitLabCommit {
  id: string;
  title: string;
  parent_ids?: string[];
}

/**
 * Project and group access tokens act as bot users named `project_<id>_bot_<random>` or
 * `group_<id>_bot_<random>`; GitLab's note payload carries no bot flag, so the name tells.
 */
export function isGitLabBotUsername(username: string): boolean {
  return (
    /^(project|group)_\d+_bot(_[0-9a-f]+)?\d*$/i.test(username) ||
    username === 'ghost' ||
    username === 'support-bot' ||
    username === 'alert-bot'
  );
}

/** Chat-ops on GitLab: note award emoji, member access levels, deployments, job retry and revert. */
export function createGitLabCommandPlatform(options: GitLabCommandPlatformOptions): CommandPlatform {
  const client = createGitLabJsonClient(options.host, options.token);
  const base = createGitLabPlatform(options);
  const p = `/projects/${encodeURIComponent(String(options.projectId))}`;
  const notes = (thread: CommandThread) =>
    `${p}/${thread.kind === 'merge_request' ? 'merge_requests' : 'issues'}/${thread.number}/notes`;

  let me: Promise<number> | undefined;

  return {
    kind: 'gitlab',
    project: options.projectPath ?? String(options.projectId),
    getChangeRequest: (number) => base.getChangeRequest(number),

    async isBot(user) {
      if (isGitLabBotUsername(user.login)) return true;
      me ??= client.get<{ id: number }>('/user').then((u) => u.id);
      return user.id === (await me);
    },

    async addReaction(thread, noteId, name) {
      await client.post(`${notes(thread)}/${noteId}/award_emoji`, { name });
    },

    async hasThumbsUp(thread, noteId, user) {
      const awards = await client.get<{ name: string; user: { id: number } }[]>(
        `${notes(thread)}/${noteId}/award_emoji`,
        { per_page: 100 },
      );
      return awards.some((a) => a.name === 'thumbsup' && a.user.id === user.id);
    },

    async readCommandSource(thread, noteId) {
      let note: GitLabNote;
      try {
        note = await client.get<GitLabNote>(`${notes(thread)}/${noteId}`);
      } catch (error) {
        if (error instanceof PermanentPlatformError && error.status === 404) return undefined;
        throw error;
      }
      const type = thread.kind === 'merge_request' ? 'MergeRequest' : 'Issue';
      // The note must be this thread's: GitLab answers by note id, so check what it says it belongs to.
      if (note.id !== noteId || note.noteable_type !== type) return undefined;
      if (note.noteable_iid !== undefined && note.noteable_iid !== thread.number) return undefined;
      if (
        note.project_id !== undefined &&
        typeof options.projectId === 'number' &&
        note.project_id !== options.projectId
      )
        return undefined;
      const project = await client.get<{ path_with_namespace: string; default_branch?: string | null }>(p);
      return {
        author: { login: note.author.username, id: note.author.id },
        body: note.body,
        system: note.system === true,
        project: project.path_with_namespace,
        defaultBranch: project.default_branch ?? 'main',
      };
    },

    async reply(thread, body) {
      const note = await client.post<{ id: number }>(notes(thread), { body });
      return { id: note.id };
    },

    async editReply(thread, noteId, body) {
      await client.put(`${notes(thread)}/${noteId}`, { body });
    },

    async getRole(user) {
      try {
        const member = await client.get<{ access_level: number; state?: string }>(
          `${p}/members/all/${user.id}`,
        );
        if (member.state && member.state !== 'active') return 'none';
        return roleFromGitLab(member.access_level);
      } catch (error) {
        if (error instanceof PermanentPlatformError && error.status === 404) return 'none';
        throw error;
      }
    },

    async listEnvironments() {
      const envs = await client.get<{ name: string; state?: string }[]>(`${p}/environments`, {
        per_page: 100,
      });
      return envs.filter((e) => e.state !== 'stopped').map((e) => e.name);
    },

    async listSuccessfulDeployments(environment) {
      const deployments = await client.get<GitLabDeployment[]>(`${p}/deployments`, {
        environment,
        status: 'success',
        order_by: 'finished_at',
        sort: 'desc',
        per_page: 20,
      });
      return deployments.map(
        (d): DeploymentRecord => ({
          id: d.id,
          iid: d.iid,
          sha: d.sha,
          ref: d.ref,
          environment,
          at: d.finished_at ?? d.created_at,
          ...(d.deployable ? { jobId: d.deployable.id } : {}),
          ...(d.deployable?.web_url ? { url: d.deployable.web_url } : {}),
        }),
      );
    },

    async listCommitsBetween(baseSha, headSha) {
      const comparison = await client.get<{ commits: GitLabCommit[] }>(`${p}/repository/compare`, {
        from: baseSha,
        to: headSha,
      });
      return comparison.commits.map(
        (c): CommitRecord => ({ sha: c.id, title: c.title, parents: c.parent_ids ?? [] }),
      );
    },

    async listMergeRequestsOfCommit(sha) {
      const mrs = await client.get<{ iid: number; title: string; web_url: string; state: string }[]>(
        `${p}/repository/commits/${sha}/merge_requests`,
      );
      return mrs
        .filter((m) => m.state === 'merged')
        .map((m): MergeRequestRecord => ({ number: m.iid, title: m.title, url: m.web_url }));
    },

    async redeploy(input) {
      const jobId = input.deployment?.jobId;
      if (!jobId)
        throw new PermanentPlatformError(
          `no deploy job is recorded for ${input.toSha.slice(0, 12)} in ${input.environment}, so there is nothing to re-run`,
        );
      const job = await client.post<{ id: number; web_url?: string }>(`${p}/jobs/${jobId}/retry`);
      return {
        detail: `deploy job ${jobId} of \`${input.toSha.slice(0, 12)}\` re-run as job ${job.id}`,
        ...(job.web_url ? { url: job.web_url } : {}),
      };
    },

    async openRevert(input): Promise<RevertResult> {
      const done: string[] = [];
      try {
        // The revert endpoint commits straight onto the branch it is given: never the default branch.
        await client.post(`${p}/repository/branches`, { branch: input.branch, ref: input.defaultBranch });
        done.push(`branch ${input.branch} created`);
        for (const commit of input.commits) {
          await client.post(`${p}/repository/commits/${commit.sha}/revert`, { branch: input.branch });
          done.push(`reverted ${commit.sha.slice(0, 12)}`);
        }
        const mr = await client.post<{ iid: number; web_url: string }>(`${p}/merge_requests`, {
          source_branch: input.branch,
          target_branch: input.defaultBranch,
          title: input.title,
          description: input.body,
          remove_source_branch: true,
        });
        return { ok: true, url: mr.web_url, number: mr.iid, branch: input.branch };
      } catch (error) {
        return {
          ok: false,
          detail: `${(error as Error).message}; ${done.length ? `done before that: ${done.join(', ')}` : 'nothing was created'}`,
          ...(done.length ? { branch: input.branch } : {}),
        };
      }
    },
  };
}

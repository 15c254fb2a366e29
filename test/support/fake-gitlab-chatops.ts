import nock from 'nock';
import type { fakeGitLabApi } from './fake-gitlab-api.ts';
import { commitsBetween, firstLine, type HistoryCommit } from './fake-history.ts';

export interface FakeMember {
  id: number;
  username: string;
  /** 10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner. */
  access_level: number;
}

export interface FakeGitLabDeployment {
  id: number;
  iid: number;
  sha: string;
  environment: string;
  status: 'success' | 'failed' | 'running' | 'canceled';
  finishedAt: string;
  /** The deploy job (what a rollback retries). */
  jobId: number;
}

export interface FakeGitLabChatOpsOptions {
  host?: string;
  projectId: number;
  projectPath: string;
  iid: number;
  members: FakeMember[];
  environments: string[];
  deployments: FakeGitLabDeployment[];
  history: HistoryCommit[];
  mergeRequests: Record<number, { title: string }>;
  branches: Record<string, string>;
  defaultBranch?: string;
}

/**
 * A note as GitLab's Notes API documents it (GET /projects/:id/merge_requests/:iid/notes/:note_id).
 */
export function gitlabNoteJson(note: {
  id: number;
  body: string;
  author: { id: number; username: string };
  projectId: number;
  iid: number;
  system?: boolean;
  host?: string;
}) {
  const host = note.host ?? 'https://gitlab.example.com';
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: {
      id: note.author.id,
      username: note.author.username,
      name: note.author.username,
      state: 'active',
      avatar_url: null,
      web_url: `${host}/${note.author.username}`,
    },
    created_at: '2024-05-01T12:00:00.000Z',
    updated_at: '2024-05-01T12:00:00.000Z',
    system: note.system ?? false,
    noteable_id: 1000 + note.iid,
    noteable_type: 'MergeRequest',
    project_id: note.projectId,
    noteable_iid: note.iid,
    resolvable: false,
    confidential: false,
    internal: false,
  };
}

export interface FakeAward {
  noteId: number;
  name: string;
  username: string;
}

/**
 * The GitLab endpoints chat-ops calls (note award emoji, members, environments, deployments,
 * compare, merge requests of a commit, job retry, branches, revert, merge requests), added to a
 * `fakeGitLabApi`: calls land in its `state.calls`, write bodies in `chat.writes`.
 */
export function fakeGitLabChatOps(fake: ReturnType<typeof fakeGitLabApi>, options: FakeGitLabChatOpsOptions) {
  const host = options.host ?? 'https://gitlab.example.com';
  const project = `/api/v4/projects/${options.projectId}`;
  const web = `${host}/${options.projectPath}`;
  const notes = `${project}/merge_requests/${options.iid}/notes`;
  const chat = {
    /** Notes that exist on the merge request (what GitLab answers for GET …/notes/:id). */
    notes: new Map<number, { body: string; author: { id: number; username: string }; system?: boolean }>(),
    awards: [] as FakeAward[],
    history: [...options.history],
    branches: { ...options.branches },
    retried: [] as number[],
    writes: [] as { call: string; body: Record<string, unknown> }[],
    mergeRequestsOpened: [] as { iid: number; body: Record<string, unknown> }[],
  };
  let nextId = 9000;
  const path = (uri: string) => decodeURIComponent(new URL(uri, 'https://x').pathname);
  const record = (method: string, uri: string, body?: unknown) => {
    const call = `${method} ${path(uri)}`;
    fake.state.calls.push(call);
    if (body !== undefined) chat.writes.push({ call, body: body as Record<string, unknown> });
  };
  const idOf = (username: string) =>
    username === 'tollgate-bot' ? 99 : (options.members.find((m) => m.username === username)?.id ?? 500);
  const user = (username: string, id: number) => ({
    id,
    username,
    name: username,
    state: 'active',
    avatar_url: null,
    web_url: `${host}/${username}`,
  });
  const commitJson = (c: HistoryCommit) => ({
    id: c.sha,
    short_id: c.sha.slice(0, 8),
    created_at: '2024-05-01T10:00:00.000Z',
    parent_ids: c.parents,
    title: firstLine(c.message),
    message: c.message,
    author_name: 'Administrator',
    author_email: 'admin@example.com',
    web_url: `${web}/-/commit/${c.sha}`,
  });

  fake.state.compare = (from, to) => {
    const commits = commitsBetween(chat.history, chat.branches[from] ?? from, chat.branches[to] ?? to);
    if (!commits) return undefined;
    return {
      commit: commits.length ? commitJson(commits.at(-1)!) : null,
      commits: commits.map(commitJson),
      diffs: [],
      compare_timeout: false,
      compare_same_ref: false,
      web_url: `${web}/-/compare/${from}...${to}`,
    };
  };

  const scope = nock(host)
    .persist()
    .get(new RegExp(`^${notes}/\\d+$`))
    .reply((uri) => {
      record('GET', uri);
      const id = Number(path(uri).split('/').pop());
      const note = chat.notes.get(id);
      if (!note) return [404, { message: '404 Not found' }];
      return [200, gitlabNoteJson({ id, ...note, projectId: options.projectId, iid: options.iid, host })];
    })
    .get(project)
    .reply((uri) => {
      record('GET', uri);
      return [
        200,
        {
          id: options.projectId,
          path_with_namespace: options.projectPath,
          default_branch: options.defaultBranch ?? 'master',
          web_url: web,
        },
      ];
    })
    .post(new RegExp(`^${notes}/\\d+/award_emoji$`))
    .reply((uri, body) => {
      record('POST', uri, body);
      const noteId = Number(path(uri).split('/').at(-2));
      const name = String((body as { name: string }).name);
      if (chat.awards.some((a) => a.noteId === noteId && a.name === name && a.username === 'tollgate-bot'))
        return [404, { message: '404 Award Emoji Name has already been taken Not Found' }];
      chat.awards.push({ noteId, name, username: 'tollgate-bot' });
      return [
        201,
        {
          id: nextId++,
          name,
          user: user('tollgate-bot', 99),
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
          awardable_id: noteId,
          awardable_type: 'Note',
        },
      ];
    })
    .get(new RegExp(`^${notes}/\\d+/award_emoji$`))
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      const noteId = Number(path(uri).split('/').at(-2));
      return [
        200,
        chat.awards
          .filter((a) => a.noteId === noteId)
          .map((a, i) => ({
            id: i + 1,
            name: a.name,
            user: user(a.username, idOf(a.username)),
            awardable_id: noteId,
            awardable_type: 'Note',
          })),
      ];
    })
    .get(new RegExp(`^${project}/members/all/\\d+$`))
    .reply((uri) => {
      record('GET', uri);
      const member = options.members.find((m) => m.id === Number(path(uri).split('/').pop()));
      if (!member) return [404, { message: '404 Not found' }];
      return [200, { ...user(member.username, member.id), access_level: member.access_level }];
    })
    .get(`${project}/environments`)
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      return [
        200,
        options.environments.map((name, i) => ({
          id: i + 1,
          name,
          slug: name,
          external_url: `https://${name}.example.com`,
          state: 'available',
          tier: name,
        })),
      ];
    })
    .get(`${project}/deployments`)
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      const query = new URL(uri, 'https://x').searchParams;
      const list = options.deployments
        .filter((d) => d.environment === query.get('environment'))
        .filter((d) => !query.get('status') || d.status === query.get('status'))
        .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))
        .slice(0, Number(query.get('per_page') ?? 20));
      return [
        200,
        list.map((d) => ({
          id: d.id,
          iid: d.iid,
          ref: 'master',
          sha: d.sha,
          status: d.status,
          created_at: d.finishedAt,
          updated_at: d.finishedAt,
          finished_at: d.finishedAt,
          user: user('deployer', 7),
          environment: { id: 9, name: d.environment, external_url: `https://${d.environment}.example.com` },
          deployable: {
            id: d.jobId,
            status: d.status,
            stage: 'deploy',
            name: `deploy-${d.environment}`,
            ref: 'master',
            tag: false,
            web_url: `${web}/-/jobs/${d.jobId}`,
          },
        })),
      ];
    })
    .get(new RegExp(`^${project}/repository/commits/[0-9a-f]{40}/merge_requests$`))
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      const sha = path(uri).split('/').at(-2);
      const iids = chat.history.find((c) => c.sha === sha)?.mergeRequests ?? [];
      return [
        200,
        iids.map((iid) => ({
          id: 1000 + iid,
          iid,
          project_id: options.projectId,
          title: options.mergeRequests[iid]!.title,
          state: 'merged',
          web_url: `${web}/-/merge_requests/${iid}`,
        })),
      ];
    })
    .post(new RegExp(`^${project}/jobs/\\d+/retry$`))
    .reply((uri) => {
      record('POST', uri, {});
      const jobId = Number(path(uri).split('/').at(-2));
      chat.retried.push(jobId);
      const id = nextId++;
      return [
        201,
        { id, name: 'deploy-production', status: 'pending', stage: 'deploy', web_url: `${web}/-/jobs/${id}` },
      ];
    })
    // The command worker reads .tollgate.yml at the default branch head: no file here (defaults).
    .get(new RegExp(`^${project}/repository/branches/[^/]+$`))
    .reply((uri) => {
      const branch = decodeURIComponent(new URL(uri, 'https://x').pathname.split('/branches/')[1]!);
      const sha = chat.branches[branch];
      return sha
        ? [200, { name: branch, commit: { id: sha }, protected: true }]
        : [404, { message: '404 Branch Not Found' }];
    })
    .get(`${project}/repository/tree`)
    .query(true)
    .reply(200, [])
    .post(`${project}/repository/branches`)
    .reply((uri, body) => {
      record('POST', uri, body);
      const b = body as { branch: string; ref: string };
      if (chat.branches[b.branch]) return [400, { message: 'Branch already exists' }];
      const sha = chat.branches[b.ref] ?? b.ref;
      chat.branches[b.branch] = sha;
      return [201, { name: b.branch, merged: false, protected: false, default: false, commit: { id: sha } }];
    })
    .post(new RegExp(`^${project}/repository/commits/[0-9a-f]{40}/revert$`))
    .reply((uri, body) => {
      record('POST', uri, body);
      const reverted = chat.history.find((c) => c.sha === path(uri).split('/').at(-2));
      const branch = String((body as { branch: string }).branch);
      if (!reverted || !chat.branches[branch]) return [404, { message: '404 Not found' }];
      const commit: HistoryCommit = {
        sha: (nextId++).toString(16).padStart(40, '8'),
        message: `Revert "${firstLine(reverted.message)}"\n\nThis reverts commit ${reverted.sha}`,
        parents: [chat.branches[branch]!],
      };
      chat.history.push(commit);
      chat.branches[branch] = commit.sha;
      return [201, commitJson(commit)];
    })
    .post(`${project}/merge_requests`)
    .reply((uri, body) => {
      record('POST', uri, body);
      const iid = 100 + chat.mergeRequestsOpened.length;
      chat.mergeRequestsOpened.push({ iid, body: body as Record<string, unknown> });
      const b = body as { title: string; source_branch: string; target_branch: string };
      return [
        201,
        {
          id: 5000 + iid,
          iid,
          project_id: options.projectId,
          title: b.title,
          state: 'opened',
          source_branch: b.source_branch,
          target_branch: b.target_branch,
          web_url: `${web}/-/merge_requests/${iid}`,
        },
      ];
    });

  return {
    chat,
    done() {
      scope.persist(false);
    },
  };
}

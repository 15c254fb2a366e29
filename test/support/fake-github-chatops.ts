import nock from 'nock';
import type { fakeGitHubApi } from './fake-github-api.ts';
import { commitsBetween, firstLine, type HistoryCommit } from './fake-history.ts';

/** GitHub's answer to "collaborator permission": legacy `permission` and the `role_name`. */
export interface FakeCollaborator {
  permission: 'admin' | 'write' | 'read' | 'none';
  role_name: string;
}

export interface FakeDeployment {
  id: number;
  sha: string;
  environment: string;
  /** Statuses, newest first (GitHub lists them that way); empty: never reported. */
  states: string[];
  createdAt: string;
}

export interface FakeGitHubChatOpsOptions {
  owner: string;
  repo: string;
  apiUrl?: string;
  /** login → permission; logins not listed answer 404 (not a collaborator). */
  collaborators: Record<string, FakeCollaborator>;
  /** `forbidden`: the App lacks the "Actions: read" permission that listing environments needs (403). */
  environments: string[] | 'forbidden';
  /** Newest first, as `GET /deployments` lists them. */
  deployments: FakeDeployment[];
  history: HistoryCommit[];
  /** Pull requests by number (what `commits/:sha/pulls` answers for `HistoryCommit.mergeRequests`). */
  pulls: Record<number, { title: string; merged_at: string }>;
  /** Branch name → head SHA. */
  branches: Record<string, string>;
}

export interface FakeReaction {
  commentId: number;
  content: string;
  login: string;
}

/** A stable GitHub user id per login in the fake (GitHub ids never change; logins can). */
export function githubUserId(login: string): number {
  return [...login].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) % 1_000_000, 7);
}

/**
 * The GitHub endpoints chat-ops calls (reactions, collaborator permission, environments,
 * deployments and their statuses, compare, pulls of a commit, the Git Data API, pulls), added to a
 * `fakeGitHubApi`: calls land in its `state.calls`, write bodies in `chat.writes`.
 */
export function fakeGitHubChatOps(fake: ReturnType<typeof fakeGitHubApi>, options: FakeGitHubChatOpsOptions) {
  const base = `/repos/${options.owner}/${options.repo}`;
  const web = `https://github.com/${options.owner}/${options.repo}`;
  const api = options.apiUrl ?? 'https://api.github.com';
  const chat = {
    reactions: [] as FakeReaction[],
    deployments: options.deployments.map((d) => ({ ...d })),
    history: [...options.history],
    branches: { ...options.branches },
    /** POST/PATCH bodies of the chat-ops write endpoints, in order. */
    writes: [] as { call: string; body: Record<string, unknown> }[],
    pullsOpened: [] as { number: number; body: Record<string, unknown> }[],
  };
  let nextId = 70_000;
  const record = (method: string, uri: string, body?: unknown) => {
    const call = `${method} ${new URL(uri, 'https://x').pathname}`;
    fake.state.calls.push(call);
    if (body !== undefined) chat.writes.push({ call, body: body as Record<string, unknown> });
    return call;
  };
  const idAt = (uri: string, fromEnd: number) =>
    Number(new URL(uri, 'https://x').pathname.split('/').at(-fromEnd));
  const deploymentJson = (d: FakeDeployment) => ({
    url: `${api}${base}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.sha,
    task: 'deploy',
    payload: {},
    original_environment: d.environment,
    environment: d.environment,
    description: null,
    creator: { login: 'deploy-bot', id: 1, type: 'Bot' },
    created_at: d.createdAt,
    updated_at: d.createdAt,
    statuses_url: `${api}${base}/deployments/${d.id}/statuses`,
    repository_url: `${api}${base}`,
  });
  const commitJson = (c: HistoryCommit) => ({
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 8)}`,
    html_url: `${web}/commit/${c.sha}`,
    commit: { message: c.message, tree: { sha: c.tree ?? c.sha } },
    parents: c.parents.map((sha) => ({ sha, url: `${api}${base}/commits/${sha}` })),
  });

  fake.state.compare = (from, to) => {
    // A branch name compares from its head, as the API does.
    const commits = commitsBetween(chat.history, chat.branches[from] ?? from, chat.branches[to] ?? to);
    if (!commits) return undefined;
    return {
      status: commits.length ? 'ahead' : 'identical',
      ahead_by: commits.length,
      behind_by: 0,
      total_commits: commits.length,
      base_commit: commitJson(chat.history.find((c) => c.sha === from)!),
      merge_base_commit: commitJson(chat.history.find((c) => c.sha === from)!),
      commits: commits.map(commitJson),
      files: [],
    };
  };

  const scope = nock(api)
    .persist()
    .post(new RegExp(`^${base}/issues/comments/\\d+/reactions$`))
    .reply((uri, body) => {
      record('POST', uri, body);
      const content = String((body as { content: string }).content);
      const reaction = { commentId: idAt(uri, 2), content, login: 'tollgate[bot]' };
      chat.reactions.push(reaction);
      return [
        201,
        {
          id: nextId++,
          node_id: 'MDg6UmVhY3Rpb24x',
          user: { login: reaction.login, id: 2, type: 'Bot' },
          content,
          created_at: new Date().toISOString(),
        },
      ];
    })
    .get(new RegExp(`^${base}/issues/comments/\\d+/reactions`))
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      const commentId = idAt(uri, 2);
      const content = new URL(uri, 'https://x').searchParams.get('content');
      return [
        200,
        chat.reactions
          .filter((r) => r.commentId === commentId && (!content || r.content === content))
          .map((r, i) => ({
            id: i + 1,
            node_id: `REA_${i}`,
            user: { login: r.login, id: githubUserId(r.login), type: 'User' },
            content: r.content,
            created_at: '2024-05-01T10:10:00Z',
          })),
      ];
    })
    .get(new RegExp(`^${base}/collaborators/[^/]+/permission$`))
    .reply((uri) => {
      record('GET', uri);
      const login = decodeURIComponent(new URL(uri, 'https://x').pathname.split('/').at(-2)!);
      const collaborator = options.collaborators[login];
      if (!collaborator)
        return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
      return [200, { ...collaborator, user: { login, id: githubUserId(login), type: 'User' } }];
    })
    .get(`${base}/environments`)
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      if (options.environments === 'forbidden')
        return [
          403,
          {
            message: 'Resource not accessible by integration',
            documentation_url: 'https://docs.github.com/rest/deployments/environments#list-environments',
            status: '403',
          },
        ];
      return [
        200,
        {
          total_count: options.environments.length,
          environments: options.environments.map((name, i) => ({
            id: i + 1,
            node_id: `EN_${i}`,
            name,
            url: `${api}${base}/environments/${name}`,
            html_url: `${web}/deployments/activity_log?environments_filter=${name}`,
            created_at: '2024-01-01T00:00:00Z',
            updated_at: '2024-01-01T00:00:00Z',
          })),
        },
      ];
    })
    .get(`${base}/deployments`)
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      const query = new URL(uri, 'https://x').searchParams;
      const environment = query.get('environment');
      const perPage = Number(query.get('per_page') ?? 30);
      return [
        200,
        chat.deployments
          .filter((d) => !environment || d.environment === environment)
          .slice(0, perPage)
          .map(deploymentJson),
      ];
    })
    .get(new RegExp(`^${base}/deployments/\\d+/statuses`))
    .query(true)
    .reply((uri) => {
      record('GET', uri);
      const deployment = chat.deployments.find((d) => d.id === idAt(uri, 2));
      if (!deployment) return [404, { message: 'Not Found' }];
      const perPage = Number(new URL(uri, 'https://x').searchParams.get('per_page') ?? 30);
      return [
        200,
        deployment.states.slice(0, perPage).map((state, i) => ({
          id: deployment.id * 10 + i,
          state,
          description: '',
          environment: deployment.environment,
          log_url: `https://ci.example.com/deploy/${deployment.id}`,
          environment_url: '',
          created_at: deployment.createdAt,
          updated_at: deployment.createdAt,
          deployment_url: `${api}${base}/deployments/${deployment.id}`,
        })),
      ];
    })
    .post(`${base}/deployments`)
    .reply((uri, body) => {
      record('POST', uri, body);
      const b = body as { ref: string; environment: string };
      const sha = chat.history.find((c) => c.sha.startsWith(b.ref))?.sha ?? b.ref;
      const created: FakeDeployment = {
        id: nextId++,
        sha,
        environment: b.environment,
        states: [],
        createdAt: new Date().toISOString(),
      };
      chat.deployments.unshift(created);
      return [201, deploymentJson(created)];
    })
    .get(new RegExp(`^${base}/commits/[0-9a-f]{40}/pulls$`))
    .reply((uri) => {
      record('GET', uri);
      const sha = new URL(uri, 'https://x').pathname.split('/').at(-2);
      const numbers = chat.history.find((c) => c.sha === sha)?.mergeRequests ?? [];
      return [
        200,
        numbers.map((number) => ({
          number,
          state: 'closed',
          title: options.pulls[number]!.title,
          html_url: `${web}/pull/${number}`,
          merged_at: options.pulls[number]!.merged_at,
        })),
      ];
    })
    // The command worker reads .tollgate.yml at the default branch head: no file here (defaults).
    .get(new RegExp(`^${base}/branches/[^/]+$`))
    .reply((uri) => {
      const branch = decodeURIComponent(new URL(uri, 'https://x').pathname.split('/branches/')[1]!);
      const sha = chat.branches[branch];
      return sha
        ? [200, { name: branch, commit: { sha }, protected: true }]
        : [404, { message: 'Branch not found' }];
    })
    .get(new RegExp(`^${base}/git/trees/[0-9a-f]{40}$`))
    .query(true)
    .reply((uri) => [
      200,
      { sha: new URL(uri, 'https://x').pathname.split('/').pop(), truncated: false, tree: [] },
    ])
    .get(new RegExp(`^${base}/git/ref/.+$`))
    .reply((uri) => {
      record('GET', uri);
      const ref = decodeURIComponent(new URL(uri, 'https://x').pathname.split('/git/ref/')[1]!);
      const sha = ref.startsWith('heads/') ? chat.branches[ref.slice('heads/'.length)] : undefined;
      if (!sha) return [404, { message: 'Not Found' }];
      return [
        200,
        {
          ref: `refs/${ref}`,
          node_id: 'REF_1',
          object: { sha, type: 'commit', url: `${api}${base}/git/commits/${sha}` },
        },
      ];
    })
    .get(new RegExp(`^${base}/git/commits/[0-9a-f]{40}$`))
    .reply((uri) => {
      record('GET', uri);
      const sha = new URL(uri, 'https://x').pathname.split('/').pop();
      const commit = chat.history.find((c) => c.sha === sha);
      if (!commit) return [404, { message: 'Not Found' }];
      return [
        200,
        {
          sha: commit.sha,
          message: commit.message,
          tree: { sha: commit.tree ?? commit.sha, url: `${api}${base}/git/trees/${commit.tree}` },
          parents: commit.parents.map((p) => ({ sha: p })),
        },
      ];
    })
    .post(`${base}/git/commits`)
    .reply((uri, body) => {
      record('POST', uri, body);
      const b = body as { message: string; tree: string; parents: string[] };
      const sha = (nextId++).toString(16).padStart(40, '9');
      chat.history.push({ sha, message: b.message, parents: b.parents, tree: b.tree });
      return [
        201,
        { sha, message: b.message, tree: { sha: b.tree }, parents: b.parents.map((p) => ({ sha: p })) },
      ];
    })
    .post(`${base}/git/refs`)
    .reply((uri, body) => {
      record('POST', uri, body);
      const b = body as { ref: string; sha: string };
      const name = b.ref.replace(/^refs\/heads\//, '');
      if (chat.branches[name]) return [422, { message: 'Reference already exists' }];
      chat.branches[name] = b.sha;
      return [201, { ref: b.ref, node_id: 'REF_2', object: { sha: b.sha, type: 'commit' } }];
    })
    .post(`${base}/pulls`)
    .reply((uri, body) => {
      record('POST', uri, body);
      const number = 100 + chat.pullsOpened.length;
      chat.pullsOpened.push({ number, body: body as Record<string, unknown> });
      const b = body as { title: string; head: string; base: string };
      return [
        201,
        {
          number,
          state: 'open',
          title: b.title,
          html_url: `${web}/pull/${number}`,
          head: { ref: b.head, sha: chat.branches[b.head] },
          base: { ref: b.base },
        },
      ];
    });

  return {
    chat,
    /** The first lines of commits, for readable assertions. */
    titleOf: (sha: string) => firstLine(chat.history.find((c) => c.sha === sha)?.message ?? ''),
    done() {
      scope.persist(false);
    },
  };
}

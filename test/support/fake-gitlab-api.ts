import { createHash } from 'node:crypto';
import nock from 'nock';
import { repositoryTarball } from './fake-archive.ts';

function blobSha(content: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');
}

export interface FakeNote {
  id: number;
  body: string;
  system: boolean;
  author: { id: number; username: string };
}

export interface FakeStatus {
  sha: string;
  state: string;
  name: string;
  description: string;
  pipeline_id?: number;
}

export interface FakeGitLabOptions {
  host?: string;
  projectId: number;
  iid: number;
  headSha: string;
  baseSha: string;
  files: Record<string, string>;
  botUserId?: number;
  pipelineId?: number;
  /** The tree at `baseSha` when it differs from `files` (default: the same files). */
  baseFiles?: Record<string, string>;
}

export interface FakeDiscussion {
  id: string;
  individual_note: boolean;
  notes: (FakeNote & {
    type: string;
    resolvable: boolean;
    resolved: boolean;
    resolved_by: { id: number; username: string } | null;
    position?: Record<string, unknown>;
  })[];
}

/**
 * A stateful fake of the GitLab REST API v4 endpoints Tollgate uses, with the documented shapes,
 * status codes and content types. Calls are recorded as `METHOD /path`.
 */
export function fakeGitLabApi(options: FakeGitLabOptions) {
  const host = options.host ?? 'https://gitlab.example.com';
  const project = `/api/v4/projects/${options.projectId}`;
  const botUserId = options.botUserId ?? 99;
  const state = {
    headSha: options.headSha,
    files: { ...options.files },
    baseFiles: options.baseFiles ? { ...options.baseFiles } : undefined,
    /** Unified diff text per changed path, as GET .../diffs returns it (default: empty). */
    diffs: {} as Record<string, string>,
    discussions: [] as FakeDiscussion[],
    notes: [] as FakeNote[],
    statuses: [] as FakeStatus[],
    calls: [] as string[],
    /** SHAs whose archive was downloaded, in order. */
    archives: [] as string[],
    failures: [] as { call: string; status: number; body?: unknown }[],
    /** Files of the tree at a given SHA (path → content); SHAs not listed have `files`. */
    trees: {} as Record<string, Record<string, string>>,
    /** Answers `repository/compare?from&to` when it returns a body (chat-ops history); else "up to date". */
    compare: undefined as ((from: string, to: string) => unknown) | undefined,
  };
  let nextId = 500;
  const record = (method: string, uri: string) => {
    const call = `${method} ${decodeURIComponent(new URL(uri, 'https://x').pathname)}`;
    state.calls.push(call);
    const index = state.failures.findIndex((f) => f.call === call);
    if (index >= 0) {
      const [failure] = state.failures.splice(index, 1);
      return [failure!.status, failure!.body ?? { message: '502 Bad Gateway' }] as const;
    }
    return undefined;
  };

  const scope = nock(host)
    .persist()
    .get('/api/v4/user')
    .reply(
      (uri) =>
        record('GET', uri) ?? [
          200,
          { id: botUserId, username: 'tollgate-bot', name: 'Tollgate', state: 'active', bot: true },
        ],
    )
    .get(`${project}/merge_requests/${options.iid}`)
    .reply(
      (uri) =>
        record('GET', uri) ?? [
          200,
          {
            id: 99,
            iid: options.iid,
            project_id: options.projectId,
            state: 'opened',
            target_branch: 'main',
            source_branch: 'feature',
            sha: state.headSha,
            diff_refs: { base_sha: options.baseSha, head_sha: state.headSha, start_sha: options.baseSha },
            web_url: `${host}/group/project/-/merge_requests/${options.iid}`,
          },
        ],
    )
    .get(`${project}/merge_requests/${options.iid}/diffs`)
    .query(true)
    .reply(
      (uri) =>
        record('GET', uri) ?? [
          200,
          Object.keys(state.files).map((path) => ({
            old_path: path,
            new_path: path,
            a_mode: '100644',
            b_mode: '100644',
            new_file: false,
            renamed_file: false,
            deleted_file: false,
            generated_file: false,
            diff: state.diffs[path] ?? '',
          })),
        ],
    )
    .get(`${project}/repository/compare`)
    .query(true)
    .reply((uri) => {
      const query = new URL(uri, 'https://x').searchParams;
      const history = state.compare?.(query.get('from') ?? '', query.get('to') ?? '');
      // Otherwise the branch is up to date with its target in these tests.
      return (
        record('GET', uri) ?? [
          200,
          history ?? {
            commit: null,
            commits: [],
            diffs: [],
            compare_timeout: false,
            compare_same_ref: false,
          },
        ]
      );
    })
    .get(`${project}/repository/tree`)
    .query(true)
    .reply(
      (uri) =>
        record('GET', uri) ?? [
          200,
          Object.entries(
            state.baseFiles && new URL(uri, 'https://x').searchParams.get('ref') === options.baseSha
              ? state.baseFiles
              : state.files,
          ).map(([path, content]) => ({
            id: blobSha(content),
            name: path.split('/').pop(),
            type: 'blob',
            path,
            mode: '100644',
          })),
        ],
    )
    .get(`${project}/repository/archive.tar.gz`)
    .query(true)
    .reply(async (uri) => {
      const failure = record('GET', uri);
      if (failure) return failure;
      const sha = new URL(uri, 'https://x').searchParams.get('sha') ?? 'main';
      state.archives.push(sha);
      return [
        200,
        await repositoryTarball(`project-${sha}-${sha}`, state.trees[sha] ?? state.files, { sha }),
        {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="project-${sha}.tar.gz"`,
        },
      ];
    })
    .get(new RegExp(`^${project}/repository/blobs/[0-9a-f]+/raw$`))
    .reply((uri) => {
      const failure = record('GET', uri);
      if (failure) return failure;
      const sha = new URL(uri, 'https://x').pathname.split('/')[7];
      const content = [...Object.values(state.files), ...Object.values(state.baseFiles ?? {})].find(
        (c) => blobSha(c) === sha,
      );
      return content === undefined
        ? [404, { message: '404 Blob Not Found' }]
        : [200, content, { 'content-type': 'text/plain; charset=utf-8' }];
    })
    .get(new RegExp(`^${project}/repository/commits/[0-9a-f]+$`))
    .reply((uri) => {
      const sha = new URL(uri, 'https://x').pathname.split('/').pop();
      return (
        record('GET', uri) ?? [
          200,
          {
            id: sha,
            short_id: sha?.slice(0, 8),
            title: 'commit',
            last_pipeline: options.pipelineId
              ? { id: options.pipelineId, sha, ref: 'feature', status: 'running' }
              : null,
          },
        ]
      );
    })
    .post(new RegExp(`^${project}/statuses/[0-9a-f]+$`))
    .reply((uri, body) => {
      const failure = record('POST', uri);
      if (failure) return failure;
      const sha = new URL(uri, 'https://x').pathname.split('/').pop()!;
      const b = body as Record<string, unknown>;
      const status: FakeStatus = {
        sha,
        state: String(b.state),
        name: String(b.name),
        description: String(b.description ?? ''),
        ...(b.pipeline_id ? { pipeline_id: Number(b.pipeline_id) } : {}),
      };
      state.statuses.push(status);
      return [
        201,
        {
          id: nextId++,
          sha,
          ref: 'feature',
          status: status.state,
          name: status.name,
          description: status.description,
        },
      ];
    })
    .get(`${project}/merge_requests/${options.iid}/notes`)
    .query(true)
    .reply((uri) => record('GET', uri) ?? [200, state.notes])
    // Line discussions for blocking findings (GitLab's Discussions API).
    .get(`${project}/merge_requests/${options.iid}/discussions`)
    .query(true)
    .reply((uri) => record('GET', uri) ?? [200, state.discussions, { 'x-next-page': '', 'x-page': '1' }])
    .post(`${project}/merge_requests/${options.iid}/discussions`)
    .reply((uri, body) => {
      const failure = record('POST', uri);
      if (failure) return failure;
      const b = body as { body: string; position: Record<string, unknown> };
      const discussion: FakeDiscussion = {
        id: createHash('sha1').update(String(nextId++)).digest('hex'),
        individual_note: false,
        notes: [
          {
            id: nextId++,
            type: 'DiffNote',
            body: b.body,
            system: false,
            author: { id: botUserId, username: 'tollgate-bot' },
            resolvable: true,
            resolved: false,
            resolved_by: null,
            position: b.position,
          },
        ],
      };
      state.discussions.push(discussion);
      return [201, discussion];
    })
    .put(
      new RegExp(`^${project}/merge_requests/${options.iid}/discussions/[0-9a-f]+\\?resolved=(true|false)$`),
    )
    .reply((uri) => {
      const failure = record('PUT', uri);
      if (failure) return failure;
      const url = new URL(uri, 'https://x');
      const discussion = state.discussions.find((d) => d.id === url.pathname.split('/').pop());
      if (!discussion) return [404, { message: '404 Not found' }];
      const resolved = url.searchParams.get('resolved') === 'true';
      for (const n of discussion.notes) {
        n.resolved = resolved;
        n.resolved_by = resolved ? { id: botUserId, username: 'tollgate-bot' } : null;
      }
      return [200, discussion];
    })
    .post(`${project}/merge_requests/${options.iid}/notes`)
    .reply((uri, body) => {
      const failure = record('POST', uri);
      if (failure) return failure;
      const note: FakeNote = {
        id: nextId++,
        body: String((body as { body: string }).body),
        system: false,
        author: { id: botUserId, username: 'tollgate-bot' },
      };
      state.notes.push(note);
      return [201, note];
    })
    .put(new RegExp(`^${project}/merge_requests/${options.iid}/notes/\\d+$`))
    .reply((uri, body) => {
      const failure = record('PUT', uri);
      if (failure) return failure;
      const id = Number(new URL(uri, 'https://x').pathname.split('/').pop());
      const note = state.notes.find((n) => n.id === id);
      if (!note) return [404, { message: '404 Not found' }];
      note.body = String((body as { body: string }).body);
      return [200, note];
    });

  return {
    state,
    done() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}

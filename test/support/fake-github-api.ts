import { createHash } from 'node:crypto';
import nock from 'nock';
import { repositoryTarball } from './fake-archive.ts';

export interface FakeComment {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface FakeCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  /** Files of the head tree (path → content); every one is reported as changed by the pull request. */
  files: Record<string, string>;
  installationId?: number;
  apiUrl?: string;
}

function blobSha(content: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');
}

/**
 * A stateful fake of the GitHub REST endpoints Tollgate uses, answering with the documented shapes
 * and status codes. Every call is recorded as `METHOD /path`, so a test asserts the exact calls.
 * `failures` injects error answers (e.g. one 502) for a call, in order.
 */
export function fakeGitHubApi(options: FakeGitHubOptions) {
  const { owner, repo, number } = options;
  const base = `/repos/${owner}/${repo}`;
  const state = {
    headSha: options.headSha,
    files: { ...options.files },
    comments: [] as FakeComment[],
    checkRuns: [] as FakeCheckRun[],
    /** REST API calls (what the installation's rate limit counts), as `METHOD /path`. */
    calls: [] as string[],
    /** Archive downloads from codeload after the tarball endpoint's redirect (not API calls). */
    downloads: [] as string[],
    failures: [] as { call: string; status: number; headers?: Record<string, string> }[],
    /** Files of the tree at a given SHA (path → content); SHAs not listed have `files`. */
    trees: {} as Record<string, Record<string, string>>,
    /** Answers `compare/BASE...HEAD` when it returns a body (chat-ops history); else "up to date". */
    compare: undefined as ((base: string, head: string) => unknown) | undefined,
  };
  let nextId = 1000;
  const record = (method: string, uri: string) => {
    const call = `${method} ${new URL(uri, 'https://x').pathname}`;
    state.calls.push(call);
    const index = state.failures.findIndex((f) => f.call === call);
    if (index >= 0) {
      const [failure] = state.failures.splice(index, 1);
      return [failure!.status, { message: 'Server Error' }, failure!.headers ?? {}] as const;
    }
    return undefined;
  };
  const blobs = () =>
    new Map(Object.entries(state.files).map(([path, content]) => [blobSha(content), { path, content }]));

  const scope = nock(options.apiUrl ?? 'https://api.github.com')
    .persist()
    .post(`/app/installations/${options.installationId ?? 1}/access_tokens`)
    .reply(201, () => ({
      token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { checks: 'write', pull_requests: 'write', contents: 'read' },
      repository_selection: 'selected',
    }))
    .get(`${base}/pulls/${number}`)
    .reply(
      (uri) =>
        record('GET', uri) ?? [
          200,
          {
            number,
            state: 'open',
            merged_at: null,
            html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
            head: { sha: state.headSha, ref: 'feature' },
            base: { sha: options.baseSha, ref: 'main' },
          },
        ],
    )
    .get(new RegExp(`^${base}/compare/[^/]+\\.\\.\\.[^/]+$`))
    .query(true)
    .reply((uri) => {
      const [base, head] = decodeURIComponent(new URL(uri, 'https://x').pathname.split('/').pop()!).split(
        '...',
      );
      const history = state.compare?.(base!, head!);
      // Otherwise the branch is up to date with its target in these tests.
      return (
        record('GET', uri) ?? [
          200,
          history ?? { status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1, commits: [], files: [] },
        ]
      );
    })
    .get(`${base}/pulls/${number}/files`)
    .query(true)
    .reply(
      (uri) =>
        record('GET', uri) ?? [
          200,
          Object.keys(state.files).map((filename) => ({
            sha: blobSha(state.files[filename]!),
            filename,
            status: 'modified',
          })),
        ],
    )
    .get(new RegExp(`^${base}/git/trees/[0-9a-f]+`))
    .query(true)
    .reply((uri) => {
      const sha = new URL(uri, 'https://x').pathname.split('/').pop();
      return (
        record('GET', uri) ?? [
          200,
          {
            sha,
            truncated: false,
            tree: Object.entries(state.files).map(([path, content]) => ({
              path,
              mode: '100644',
              type: 'blob',
              sha: blobSha(content),
            })),
          },
        ]
      );
    })
    // The tarball endpoint answers 302 to codeload with a short-lived token in the URL.
    .get(new RegExp(`^${base}/tarball/[0-9a-f]+$`))
    .reply((uri) => {
      const sha = new URL(uri, 'https://x').pathname.split('/').pop()!;
      return (
        record('GET', uri) ?? [
          302,
          '',
          { location: `https://codeload.github.com/${owner}/${repo}/legacy.tar.gz/${sha}?token=AABBCC` },
        ]
      );
    })
    .get(new RegExp(`^${base}/git/blobs/[0-9a-f]+$`))
    .reply((uri) => {
      const sha = new URL(uri, 'https://x').pathname.split('/').pop()!;
      const blob = blobs().get(sha);
      const failure = record('GET', uri);
      if (failure) return failure;
      if (!blob) return [404, { message: 'Not Found' }];
      return [
        200,
        {
          sha,
          size: Buffer.byteLength(blob.content),
          encoding: 'base64',
          content: Buffer.from(blob.content).toString('base64'),
        },
      ];
    })
    .get(new RegExp(`^${base}/commits/[0-9a-f]+/check-runs`))
    .query(true)
    .reply((uri) => {
      const sha = new URL(uri, 'https://x').pathname.split('/')[5];
      const runs = state.checkRuns.filter((r) => r.head_sha === sha && r.name === 'tollgate');
      return record('GET', uri) ?? [200, { total_count: runs.length, check_runs: runs }];
    })
    .post(`${base}/check-runs`)
    .reply((uri, body) => {
      const failure = record('POST', uri);
      if (failure) return failure;
      const b = body as Record<string, unknown>;
      const run: FakeCheckRun = {
        id: nextId++,
        head_sha: String(b.head_sha),
        name: String(b.name),
        status: String(b.status ?? 'queued'),
        conclusion: (b.conclusion as string) ?? null,
        output: (b.output as FakeCheckRun['output']) ?? {},
      };
      state.checkRuns.push(run);
      return [201, run];
    })
    .patch(new RegExp(`^${base}/check-runs/\\d+$`))
    .reply((uri, body) => {
      const failure = record('PATCH', uri);
      if (failure) return failure;
      const id = Number(new URL(uri, 'https://x').pathname.split('/').pop());
      const run = state.checkRuns.find((r) => r.id === id);
      if (!run) return [404, { message: 'Not Found' }];
      const b = body as Record<string, unknown>;
      if (b.status) run.status = String(b.status);
      if (b.conclusion) run.conclusion = String(b.conclusion);
      if (b.output) run.output = b.output as FakeCheckRun['output'];
      return [200, run];
    })
    .get(`${base}/issues/${number}/comments`)
    .query(true)
    .reply((uri) => record('GET', uri) ?? [200, state.comments])
    .post(`${base}/issues/${number}/comments`)
    .reply((uri, body) => {
      const failure = record('POST', uri);
      if (failure) return failure;
      const id = nextId++;
      const comment: FakeComment = {
        id,
        node_id: `IC_${id}`,
        body: String((body as { body: string }).body),
        user: { login: 'tollgate[bot]', type: 'Bot' },
      };
      state.comments.push(comment);
      return [201, comment];
    })
    .patch(new RegExp(`^${base}/issues/comments/\\d+$`))
    .reply((uri, body) => {
      const failure = record('PATCH', uri);
      if (failure) return failure;
      const id = Number(new URL(uri, 'https://x').pathname.split('/').pop());
      const comment = state.comments.find((c) => c.id === id);
      if (!comment) return [404, { message: 'Not Found' }];
      comment.body = String((body as { body: string }).body);
      return [200, comment];
    });

  const codeload = nock('https://codeload.github.com', { badheaders: ['authorization'] })
    .persist()
    .get(new RegExp(`^/${owner}/${repo}/legacy\\.tar\\.gz/[0-9a-f]+$`))
    .query({ token: 'AABBCC' })
    .reply(async (uri) => {
      const sha = new URL(uri, 'https://x').pathname.split('/').pop()!;
      state.downloads.push(sha);
      const root = `${owner}-${repo}-${sha.slice(0, 7)}`;
      return [
        200,
        await repositoryTarball(root, state.trees[sha] ?? state.files, { sha }),
        {
          'content-type': 'application/x-gzip',
          'content-disposition': `attachment; filename=${root}.tar.gz`,
        },
      ];
    });

  return {
    state,
    /** Removes the interceptors (persisted ones are otherwise kept across tests). */
    done() {
      scope.persist(false);
      codeload.persist(false);
      nock.cleanAll();
    },
  };
}

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A stateful fake of the GitLab REST API v4 endpoints a worker uses, served over loopback HTTP.
 * Multi-process tests need it: nock intercepts requests only inside the process that set it up,
 * and these tests run real worker processes. It answers with the shapes, status codes and content
 * types GitLab documents (as test/support/fake-gitlab-api.ts does), for one project with many
 * merge requests, and records every call as `METHOD /path`.
 */
export interface FakeMergeRequest {
  iid: number;
  headSha: string;
  baseSha: string;
  state: 'opened' | 'closed' | 'merged';
  /** Files at head, every one reported as changed. */
  files: Record<string, string>;
}

export interface FakeCommitStatus {
  id: number;
  sha: string;
  status: string;
  name: string;
  description: string;
}

export interface FakeGitLabServer {
  url: string;
  projectId: number;
  mergeRequests: Map<number, FakeMergeRequest>;
  statuses: FakeCommitStatus[];
  notes: Map<number, { id: number; body: string }[]>;
  calls: string[];
  /** Hears of every call before it is answered (a test can move a head mid-review). */
  onCall?: (call: string, query: URLSearchParams) => void;
  /** The latest `tollgate` status of a commit. */
  latestStatus(sha: string): string | undefined;
  close(): Promise<void>;
}

export const FAKE_GITLAB_TOKEN = 'glpat-reliability-test';

const BOT = { id: 77, username: 'tollgate-bot', name: 'Tollgate', state: 'active', bot: true };

function blobSha(content: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

export async function serveFakeGitLab(options: {
  projectId: number;
  projectPath: string;
  mergeRequests: FakeMergeRequest[];
  /** Delay before answering each request, in ms (reviews take a little while). */
  latencyMs?: number;
}): Promise<FakeGitLabServer> {
  const { projectId } = options;
  const mergeRequests = new Map(options.mergeRequests.map((m) => [m.iid, m]));
  const statuses: FakeCommitStatus[] = [];
  const notes = new Map<number, { id: number; body: string }[]>();
  const calls: string[] = [];
  let nextId = 1000;
  let url = '';

  const toMergeRequest = (m: FakeMergeRequest) => ({
    id: 10_000 + m.iid,
    iid: m.iid,
    project_id: projectId,
    title: `Change ${m.iid}`,
    state: m.state,
    target_branch: 'main',
    source_branch: `feature-${m.iid}`,
    sha: m.headSha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    diff_refs: { base_sha: m.baseSha, head_sha: m.headSha, start_sha: m.baseSha },
    web_url: `${url}/${options.projectPath}/-/merge_requests/${m.iid}`,
  });
  const filesAt = (sha: string): Record<string, string> => {
    for (const m of mergeRequests.values()) if (m.headSha === sha) return m.files;
    return {}; // a base commit: empty tree
  };
  const allBlobs = () => {
    const blobs = new Map<string, string>();
    for (const m of mergeRequests.values()) for (const c of Object.values(m.files)) blobs.set(blobSha(c), c);
    return blobs;
  };

  type Answer = [number, unknown, Record<string, string>?];
  const route = async (req: IncomingMessage, path: string, query: URLSearchParams): Promise<Answer> => {
    const method = req.method ?? 'GET';
    const project = `/api/v4/projects/${projectId}`;
    if (method === 'GET' && path === '/api/v4/user') return [200, BOT];
    if (!path.startsWith(project)) return [404, { message: '404 Project Not Found' }];
    const rest = path.slice(project.length);
    const on = (verb: string, pattern: RegExp) => (verb === method ? rest.match(pattern) : null);
    if (method === 'GET' && rest === '/merge_requests') {
      const state = query.get('state');
      const list = [...mergeRequests.values()].filter((mr) => !state || mr.state === state);
      return [200, list.map(toMergeRequest)];
    }
    const author = { id: BOT.id, username: BOT.username };
    const mergeRequest = on('GET', /^\/merge_requests\/(\d+)$/);
    if (mergeRequest) {
      const mr = mergeRequests.get(Number(mergeRequest[1]));
      return mr ? [200, toMergeRequest(mr)] : [404, { message: '404 Not found' }];
    }
    const diffs = on('GET', /^\/merge_requests\/(\d+)\/diffs$/);
    if (diffs) {
      const mr = mergeRequests.get(Number(diffs[1]));
      if (!mr) return [404, { message: '404 Not found' }];
      return [
        200,
        Object.keys(mr.files).map((p) => ({
          old_path: p,
          new_path: p,
          a_mode: '0',
          b_mode: '100644',
          new_file: true,
          renamed_file: false,
          deleted_file: false,
          generated_file: false,
          diff: '',
        })),
      ];
    }
    const listNotes = on('GET', /^\/merge_requests\/(\d+)\/notes$/);
    if (listNotes) {
      const list = notes.get(Number(listNotes[1])) ?? [];
      return [200, list.map((n) => ({ ...n, system: false, author }))];
    }
    const createNote = on('POST', /^\/merge_requests\/(\d+)\/notes$/);
    if (createNote) {
      const iid = Number(createNote[1]);
      const note = { id: nextId++, body: String((await readJson(req)).body) };
      notes.set(iid, [...(notes.get(iid) ?? []), note]);
      return [201, { ...note, system: false, author }];
    }
    const editNote = on('PUT', /^\/merge_requests\/(\d+)\/notes\/(\d+)$/);
    if (editNote) {
      const note = (notes.get(Number(editNote[1])) ?? []).find((n) => n.id === Number(editNote[2]));
      if (!note) return [404, { message: '404 Not found' }];
      note.body = String((await readJson(req)).body);
      return [200, { ...note, system: false, author }];
    }
    if (on('GET', /^\/merge_requests\/(\d+)\/discussions$/)) return [200, []];
    if (method === 'GET' && rest === '/repository/compare')
      return [200, { commit: null, commits: [], diffs: [], compare_timeout: false, compare_same_ref: false }];
    if (method === 'GET' && rest === '/repository/tree') {
      const files = filesAt(query.get('ref') ?? '');
      return [
        200,
        Object.entries(files).map(([p, content]) => ({
          id: blobSha(content),
          name: p.split('/').pop(),
          type: 'blob',
          path: p,
          mode: '100644',
        })),
      ];
    }
    const blob = on('GET', /^\/repository\/blobs\/([0-9a-f]+)\/raw$/);
    if (blob) {
      const content = allBlobs().get(blob[1]!);
      return content === undefined
        ? [404, { message: '404 Blob Not Found' }]
        : [200, content, { 'content-type': 'text/plain; charset=utf-8' }];
    }
    const commit = on('GET', /^\/repository\/commits\/([0-9a-f]+)$/);
    if (commit)
      return [200, { id: commit[1], short_id: commit[1]!.slice(0, 8), title: 'commit', last_pipeline: null }];
    const commitStatuses = on('GET', /^\/repository\/commits\/([0-9a-f]+)\/statuses$/);
    if (commitStatuses) {
      const name = query.get('name');
      return [200, statuses.filter((s) => s.sha === commitStatuses[1] && (!name || s.name === name))];
    }
    const setStatus = on('POST', /^\/statuses\/([0-9a-f]+)$/);
    if (setStatus) {
      const body = await readJson(req);
      const status: FakeCommitStatus = {
        id: nextId++,
        sha: setStatus[1]!,
        status: String(body.state),
        name: String(body.name ?? 'default'),
        description: String(body.description ?? ''),
      };
      statuses.push(status);
      return [201, { ...status, ref: 'feature' }];
    }
    return [404, { message: `404 ${method} ${path} is not faked` }];
  };

  const server: Server = createServer((req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(parsed.pathname);
    const call = `${req.method} ${path}`;
    calls.push(call);
    fake.onCall?.(call, parsed.searchParams);
    const answer = async () => {
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      if (req.headers['private-token'] !== FAKE_GITLAB_TOKEN)
        return [401, { message: '401 Unauthorized' }] as Answer;
      return route(req, path, parsed.searchParams);
    };
    answer().then(
      ([status, body, headers]) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-page': '1',
          'x-next-page': '',
          ...headers,
        });
        res.end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const fake: FakeGitLabServer = {
    url,
    projectId,
    mergeRequests,
    statuses,
    notes,
    calls,
    latestStatus: (sha) =>
      statuses.filter((s) => s.sha === sha && s.name === 'tollgate').sort((a, b) => b.id - a.id)[0]?.status,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

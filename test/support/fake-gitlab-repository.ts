import { createHash } from 'node:crypto';
import nock from 'nock';

function blobSha(content: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');
}

/**
 * Answers GitLab's repository reads for a few commits, as the API documents them: branch heads
 * (`GET /repository/branches/:branch`), recursive tree listings (`GET /repository/tree?ref=`) and
 * raw blobs. Calls are recorded as `GET /path?ref=…` (ref only) so tests can say which commit was read.
 */
export function fakeGitLabRepository(options: {
  host: string;
  projectId: number;
  branches: Record<string, string>;
  commits: Record<string, Record<string, string>>;
}) {
  const project = `/api/v4/projects/${options.projectId}`;
  const calls: string[] = [];
  const blobs = new Map<string, string>();
  for (const files of Object.values(options.commits))
    for (const content of Object.values(files)) blobs.set(blobSha(content), content);
  const scope = nock(options.host).persist();
  const branches = scope.get(new RegExp(`^${project}/repository/branches/[^/?]+$`));
  const tree = scope.get(`${project}/repository/tree`).query(true);
  const blob = scope.get(new RegExp(`^${project}/repository/blobs/[0-9a-f]+/raw$`));
  branches.reply((uri) => {
    const branch = decodeURIComponent(uri.split('/').pop()!);
    calls.push(`GET branch ${branch}`);
    const sha = options.branches[branch];
    if (!sha) return [404, { message: '404 Branch Not Found' }];
    return [
      200,
      {
        name: branch,
        merged: false,
        protected: true,
        default: true,
        commit: { id: sha, short_id: sha.slice(0, 8), title: 'head', parent_ids: [] },
        web_url: `${options.host}/group/project/-/tree/${branch}`,
      },
    ];
  });
  tree.reply((uri) => {
    const ref = new URL(uri, 'https://x').searchParams.get('ref') ?? '';
    calls.push(`GET tree ${ref}`);
    const files = options.commits[ref];
    if (!files) return [404, { message: '404 Tree Not Found' }];
    return [
      200,
      Object.entries(files).map(([path, content]) => ({
        id: blobSha(content),
        name: path.split('/').pop(),
        type: 'blob',
        path,
        mode: '100644',
      })),
    ];
  });
  blob.reply((uri) => {
    const sha = new URL(uri, 'https://x').pathname.split('/')[7]!;
    const content = blobs.get(sha);
    return content === undefined
      ? [404, { message: '404 Blob Not Found' }]
      : [200, content, { 'content-type': 'text/plain; charset=utf-8' }];
  });
  return {
    calls,
    /** Removes the persisted interceptors (they would otherwise count as pending forever). */
    done() {
      for (const interceptor of [branches, tree, blob]) nock.removeInterceptor(interceptor);
    },
  };
}

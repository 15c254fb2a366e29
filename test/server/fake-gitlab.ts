import { createHash } from 'node:crypto';
import nock from 'nock';

const blobSha = (content: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');

export const GITLAB_URL = 'https://gitlab.example.com';

export interface FakeReview {
  projectId: number;
  iid: number;
  headSha: string;
  baseSha: string;
  /** Files changed by the merge request, with their content at head. */
  files: Record<string, string>;
}

/**
 * nock interceptors for one complete review of a merge request, answering as GitLab's REST API
 * documents it (merge request, diffs, tree, raw files, commit, statuses, notes, current user).
 */
export function nockGitLabReview(review: FakeReview): nock.Scope {
  const project = `/api/v4/projects/${review.projectId}`;
  const mr = {
    id: 99,
    iid: review.iid,
    project_id: review.projectId,
    title: 'Route tea v2 by header',
    state: 'opened',
    target_branch: 'main',
    source_branch: 'tea-v2',
    sha: review.headSha,
    web_url: `${GITLAB_URL}/ops/cafe-deploy/-/merge_requests/${review.iid}`,
    diff_refs: { base_sha: review.baseSha, head_sha: review.headSha, start_sha: review.baseSha },
  };
  const json = { 'content-type': 'application/json' };
  return nock(GITLAB_URL)
    .get(`${project}/merge_requests/${review.iid}`)
    .times(2)
    .reply(200, mr, json)
    .get(`${project}/repository/commits/${review.headSha}`)
    .times(2)
    .reply(200, { id: review.headSha, short_id: review.headSha.slice(0, 8), last_pipeline: null }, json)
    .post(`${project}/statuses/${review.headSha}`)
    .times(2)
    .reply(201, (_uri, body) => ({ id: 1, sha: review.headSha, ...(body as object), name: 'tollgate' }), json)
    .get(`${project}/merge_requests/${review.iid}/diffs`)
    .query(true)
    .reply(
      200,
      Object.keys(review.files).map((path) => ({
        old_path: path,
        new_path: path,
        a_mode: '0',
        b_mode: '100644',
        new_file: true,
        renamed_file: false,
        deleted_file: false,
        diff: '',
      })),
      json,
    )
    .get(`${project}/repository/compare`)
    .query(true)
    .reply(
      200,
      { commit: null, commits: [], diffs: [], compare_timeout: false, compare_same_ref: false },
      json,
    )
    .get(`${project}/repository/tree`)
    .query(true)
    .times(2)
    .reply(
      200,
      Object.entries(review.files).map(([path, content]) => ({
        id: blobSha(content),
        name: path.split('/').at(-1),
        type: 'blob',
        path,
        mode: '100644',
      })),
      json,
    )
    .get(new RegExp(`^${project}/repository/blobs/[0-9a-f]{40}/raw$`))
    .times(new Set(Object.values(review.files).map(blobSha)).size)
    .reply(
      200,
      (uri) => Object.values(review.files).find((c) => uri.includes(`/blobs/${blobSha(c)}/`)) ?? '',
      {
        'content-type': 'text/plain',
      },
    )
    .get('/api/v4/user')
    .reply(200, { id: 77, username: 'tollgate-bot', name: 'Tollgate', state: 'active' }, json)
    .get(`${project}/merge_requests/${review.iid}/notes`)
    .query(true)
    .reply(200, [], json)
    .post(`${project}/merge_requests/${review.iid}/notes`)
    .reply(
      201,
      (_uri, body) => ({ id: 5, body: (body as { body: string }).body, system: false, author: { id: 77 } }),
      json,
    );
}

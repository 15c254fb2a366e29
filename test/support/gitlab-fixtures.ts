import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const GITLAB_SECRET = 'gitlab-webhook-token';

/** GitLab's documented "Merge Request Hook" example (test/fixtures/gitlab), adjusted per test. */
export function gitlabMergeRequestEvent(
  action: 'open' | 'reopen' | 'update',
  sha: string,
  oldrev?: string,
): Record<string, unknown> {
  const payload = JSON.parse(
    readFileSync(new URL('../fixtures/gitlab/merge-request-open.json', import.meta.url), 'utf8'),
  );
  payload.object_attributes.action = action;
  payload.object_attributes.last_commit.id = sha;
  if (oldrev) payload.object_attributes.oldrev = oldrev;
  return payload;
}

/** Sends a webhook the way GitLab does: JSON body, event header, secret token, event UUID. */
export function sendGitLabWebhook(
  url: string,
  payload: unknown,
  {
    token = GITLAB_SECRET,
    uuid = randomUUID(),
    event = 'Merge Request Hook',
  }: { token?: string | null; uuid?: string; event?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-gitlab-event': event,
    'x-gitlab-event-uuid': uuid,
    'x-gitlab-instance': 'https://gitlab.example.com',
    'user-agent': 'GitLab/17.0.0',
  };
  if (token !== null) headers['x-gitlab-token'] = token;
  return fetch(`${url}/api/gitlab/webhooks`, { method: 'POST', headers, body: JSON.stringify(payload) });
}

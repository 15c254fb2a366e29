import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import { githubUserId } from './fake-github-chatops.ts';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}

const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleGroup[];

/** A real payload from @octokit/webhooks-examples (deep-copied so a test can adjust it). */
export function githubExample(event: string, action?: string): Record<string, unknown> {
  const group = examples.find((g) => g.name === event);
  const example = group?.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no @octokit/webhooks-examples payload for ${event}.${action}`);
  return structuredClone(example);
}

/** GitHub's documented `pull_request.opened` for pull request `number` at `headSha`, from installation 1. */
export function pullRequestOpenedEvent(number: number, headSha: string): Record<string, unknown> {
  const payload = githubExample('pull_request', 'opened');
  const pr = payload.pull_request as { head: { sha: string }; number: number };
  pr.head.sha = headSha;
  pr.number = number;
  payload.number = number;
  payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return payload;
}

let key: string | undefined;
/** A throwaway GitHub App private key (probot signs its JWT with it). */
export function testPrivateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
  return key;
}

export const WEBHOOK_SECRET = 'test-webhook-secret';

/** Sends a webhook delivery the way GitHub does: JSON body, event and delivery headers, HMAC signature. */
export async function sendGitHubWebhook(
  url: string,
  event: string,
  payload: unknown,
  {
    secret = WEBHOOK_SECRET,
    deliveryId = randomUUID(),
    signature,
  }: { secret?: string; deliveryId?: string; signature?: string | null } = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': deliveryId,
    'user-agent': 'GitHub-Hookshot/test',
  };
  if (signature !== null) headers['x-hub-signature-256'] = signature ?? (await sign(secret, body));
  return fetch(`${url}/api/github/webhooks`, { method: 'POST', headers, body });
}

/**
 * A signed-ready `issue_comment` payload (GitHub's own example) for a pull request's conversation:
 * `issue.pull_request` set, the comment by `login` (user id 1000 + `id`), installation 1.
 */
export function pullRequestCommentEvent(
  action: 'created' | 'edited',
  target: { project: string; number: number },
  comment: { body: string; login: string; id: number },
): Record<string, unknown> {
  const { project, number } = target;
  const payload = githubExample('issue_comment', action);
  const issue = payload.issue as Record<string, unknown>;
  issue.number = number;
  issue.pull_request = {
    url: `https://api.github.com/repos/${project}/pulls/${number}`,
    html_url: `https://github.com/${project}/pull/${number}`,
    diff_url: `https://github.com/${project}/pull/${number}.diff`,
    patch_url: `https://github.com/${project}/pull/${number}.patch`,
    merged_at: null,
  };
  const user = {
    ...(payload.comment as { user: Record<string, unknown> }).user,
    login: comment.login,
    // GitHub user ids are stable per account (confirm and cancel compare ids, never logins).
    id: githubUserId(comment.login),
  };
  Object.assign(payload.comment as Record<string, unknown>, {
    id: comment.id,
    body: comment.body,
    user,
    html_url: `https://github.com/${project}/pull/${number}#issuecomment-${comment.id}`,
  });
  payload.sender = user;
  payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return payload;
}

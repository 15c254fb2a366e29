import { GitbeakerRequestError } from '@gitbeaker/requester-utils';
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { captureLogs } from './capture-logs.ts';

const GITHUB_TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const GITLAB_TOKEN = 'glpat-Xa8Kd93jf0s9dkq2LxQp';
const WEBHOOK_SECRET = 'whsec-3f9a8b7c6d5e4f3a';
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----';
const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXBhc3N3b3Jk';
const ALL = [
  GITHUB_TOKEN,
  GITLAB_TOKEN,
  WEBHOOK_SECRET,
  'MIIEpAIBAAKCAQEA7x',
  SECRET_VALUE,
  'hunter2-hunter2',
];

function expectNoSecret(raw: string): void {
  for (const secret of ALL) expect(raw).not.toContain(secret);
}

describe('createLogger redaction', () => {
  it('redacts credentials in configuration-like objects at any depth', () => {
    const { logger, lines, raw } = captureLogs();
    logger.info(
      {
        token: GITLAB_TOKEN,
        config: {
          github: { appId: '1', privateKey: PRIVATE_KEY, webhookSecret: WEBHOOK_SECRET },
          gitlab: { url: 'https://gitlab.example.com', token: GITLAB_TOKEN },
          dashboard: { user: 'ops', password: 'hunter2-hunter2' },
        },
      },
      'config loaded',
    );
    expectNoSecret(raw());
    const [line] = lines();
    expect(line).toMatchObject({
      msg: 'config loaded',
      token: '[redacted]',
      config: {
        github: { appId: '1', privateKey: '[redacted]', webhookSecret: '[redacted]' },
        gitlab: { url: 'https://gitlab.example.com', token: '[redacted]' },
        dashboard: { user: 'ops', password: '[redacted]' },
      },
    });
  });

  it('redacts Authorization and token headers of requests, however deep', () => {
    const { logger, raw, lines } = captureLogs();
    logger.info({
      req: { headers: { authorization: `token ${GITHUB_TOKEN}`, 'x-gitlab-token': WEBHOOK_SECRET } },
    });
    logger.info({
      call: {
        request: { headers: { Authorization: `Bearer ${GITHUB_TOKEN}`, 'PRIVATE-TOKEN': GITLAB_TOKEN } },
      },
    });
    expectNoSecret(raw());
    expect(lines()[1]).toMatchObject({
      call: { request: { headers: { Authorization: '[redacted]', 'PRIVATE-TOKEN': '[redacted]' } } },
    });
  });

  it('redacts the data of Kubernetes Secrets', () => {
    const { logger, raw } = captureLogs();
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      data: { password: SECRET_VALUE },
    };
    logger.info({ objects: [secret], manifest: { object: { ...secret, stringData: { pw: SECRET_VALUE } } } });
    expectNoSecret(raw());
    expect(raw()).toContain('"name":"db"');
  });

  it('scrubs tokens from messages and URLs', () => {
    const { logger, raw } = captureLogs();
    logger.warn(`GET https://gitlab.example.com/api/v4/projects?private_token=${GITLAB_TOKEN} failed`);
    logger.warn({ url: `https://x-access-token:${GITHUB_TOKEN}@github.com/o/r.git` }, 'clone failed');
    expectNoSecret(raw());
  });

  it('does not leak the token of an octokit RequestError', () => {
    const { logger, raw, lines } = captureLogs();
    const error = new RequestError('Bad credentials', 401, {
      request: {
        method: 'GET',
        url: `https://api.github.com/repos/o/r/pulls/1?access_token=${GITHUB_TOKEN}`,
        headers: { authorization: `token ${GITHUB_TOKEN}`, 'user-agent': 'tollgate' },
      },
      response: {
        status: 401,
        url: 'https://api.github.com/repos/o/r/pulls/1',
        headers: { 'x-github-request-id': 'ABC' },
        data: { message: 'Bad credentials' },
      },
    });
    logger.error({ err: error }, 'GitHub call failed');
    expectNoSecret(raw());
    const [line] = lines() as [{ err: { status: number; request: { headers: Record<string, string> } } }];
    expect(line.err.status).toBe(401);
    expect(line.err.request.headers['user-agent']).toBe('tollgate');
  });

  it('does not leak tokens carried by a raw error with request headers (no library redaction)', () => {
    const { logger, raw } = captureLogs();
    const error = Object.assign(
      new Error(`request to https://api.github.com failed with token ${GITHUB_TOKEN}`),
      {
        request: { headers: { authorization: `Bearer ${GITHUB_TOKEN}` } },
        config: { headers: { 'PRIVATE-TOKEN': GITLAB_TOKEN } },
      },
    );
    logger.error({ err: new Error('wrapped', { cause: error }) }, 'failed');
    logger.error(error);
    expectNoSecret(raw());
  });

  it('does not leak the token of a gitbeaker request error', () => {
    const { logger, raw, lines } = captureLogs();
    const url = `https://gitlab.example.com/api/v4/projects/1/merge_requests/2?private_token=${GITLAB_TOKEN}`;
    const error = new GitbeakerRequestError(`Unauthorized: ${url}`, {
      cause: {
        description: '401 Unauthorized',
        request: new Request(url, { headers: { 'PRIVATE-TOKEN': GITLAB_TOKEN } }),
        response: new Response('{"message":"401 Unauthorized"}', { status: 401 }),
      },
    });
    logger.error({ err: error }, 'GitLab call failed');
    expectNoSecret(raw());
    expect(JSON.stringify(lines()[0])).toContain('401 Unauthorized');
  });
});

import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_REPLY_MARKER } from '../../src/core/chatops/format-replies.ts';
import { parsePrometheus } from '../adapters/prometheus/parse-prometheus.ts';
import { commandOutcome, MAIN_LINE, mainLineHistory, recordUnmatched, sha } from '../support/chatops-e2e.ts';
import { fakeGitHubApi } from '../support/fake-github-api.ts';
import { fakeGitHubChatOps } from '../support/fake-github-chatops.ts';
import {
  githubExample,
  pullRequestCommentEvent,
  sendGitHubWebhook,
  testPrivateKey,
  WEBHOOK_SECRET,
} from '../support/github-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PROJECT = `${OWNER}/${REPO}`;
const PR = 2;
const PR_HEAD = sha('e7');
const PR_BASE = sha('b7');

const APP = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: app',
  'data:',
  '  BREW: espresso',
  '',
].join('\n');

/** The base: a kustomize base and one overlay, no `.tollgate.yml` (environments are discovered). */
const BASE_FILES = {
  'base/kustomization.yaml': 'resources: [app.yaml]\n',
  'base/app.yaml': APP,
  'overlays/production/kustomization.yaml': 'resources: [../../base]\n',
};

/**
 * The fork's head writes onto Object.prototype through every kustomize walker it can reach: a JSON
 * 6902 patch, a replacement target, a strategic-merge patch, a field spec of `configurations`, a
 * label key, a generator key and a policy `context` name (policies are read from the base, but the
 * head's kustomization decides what is rendered).
 */
const HOSTILE_OVERLAY = [
  'resources: [../../base]',
  'configurations: [fields.yaml]',
  'commonLabels:',
  '  __proto__: polluted',
  'configMapGenerator:',
  '  - name: gen',
  '    literals: [__proto__=polluted, constructor=x]',
  'patches:',
  '  - target: {kind: ConfigMap, name: app}',
  '    patch: |-',
  '      - op: add',
  '        path: /__proto__/rollback',
  '        value: none',
  '      - op: add',
  '        path: /constructor/prototype/lock',
  '        value: none',
  '  - patch: |-',
  '      apiVersion: v1',
  '      kind: ConfigMap',
  '      metadata: {name: app}',
  '      __proto__: {unlock: none}',
  'replacements:',
  '  - sourceValue: none',
  '    targets:',
  '      - select: {kind: ConfigMap, name: app}',
  '        fieldPaths: [__proto__.confirm, constructor.prototype.override]',
  '        options: {create: true}',
  '',
].join('\n');

const FIELDS = [
  'namePrefix:',
  '  - path: __proto__/cancel',
  '    create: true',
  'commonLabels:',
  '  - path: constructor/prototype/doctor',
  '    create: true',
  '',
].join('\n');

const HEAD_FILES = {
  ...BASE_FILES,
  'overlays/production/kustomization.yaml': HOSTILE_OVERLAY,
  'overlays/production/fields.yaml': FIELDS,
};

const USERS = { reader: { permission: 'read', role_name: 'read' } } as const;
const POLLUTED = ['rollback', 'confirm', 'lock', 'unlock', 'override', 'cancel', 'doctor', 'polluted'];

function pullRequestOpened() {
  const payload = githubExample('pull_request', 'opened');
  const pr = payload.pull_request as { head: { sha: string }; number: number };
  pr.head.sha = PR_HEAD;
  pr.number = PR;
  payload.number = PR;
  payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return payload;
}

describe('a hostile merge request reviewed by the worker leaves Object.prototype and the permission checks alone', () => {
  let app: TestRuntime | undefined;
  let unmatched: ReturnType<typeof recordUnmatched>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });

  afterEach(async () => {
    for (const key of POLLUTED) delete (Object.prototype as Record<string, unknown>)[key];
    unmatched.stop();
    await app?.close();
    app = undefined;
  });

  it('reviews the change, then still refuses /tollgate rollback from a reader, and /metrics still answers', async () => {
    unmatched = recordUnmatched();
    const github = fakeGitHubApi({
      owner: OWNER,
      repo: REPO,
      number: PR,
      headSha: PR_HEAD,
      baseSha: PR_BASE,
      files: HEAD_FILES,
    });
    github.state.trees[PR_BASE] = BASE_FILES;
    fakeGitHubChatOps(github, {
      owner: OWNER,
      repo: REPO,
      collaborators: USERS,
      environments: ['production'],
      deployments: [],
      history: mainLineHistory([
        ['Merge pull request #40', 40],
        ['Merge pull request #41', 41],
        ['Merge pull request #42', 42],
      ]),
      pulls: {},
      branches: { master: MAIN_LINE.HEAD },
    });
    app = await startTestRuntime(
      { APP_ID: '123', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET },
      { githubPacing: false },
    );

    const opened = await sendGitHubWebhook(app.url, 'pull_request', pullRequestOpened());
    expect(opened.status).toBe(200);
    await waitFor('the check of the hostile change', () =>
      github.state.checkRuns.some((r) => r.head_sha === PR_HEAD && r.status === 'completed'),
    );

    // Nothing the review read reached the prototype every object inherits from.
    const inherited = {} as Record<string, unknown>;
    expect(POLLUTED.map((k) => [k, inherited[k]])).toEqual(POLLUTED.map((k) => [k, undefined]));
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toEqual(expect.arrayContaining(['rollback']));
    // The hostile paths are reported, not silently applied.
    const check = github.state.checkRuns.find((r) => r.head_sha === PR_HEAD)!;
    expect(check.conclusion).toBe('failure');
    expect(JSON.stringify(check.output)).toContain('__proto__');

    const body = '/tollgate rollback production';
    const id = 7001;
    expect(
      (
        await sendGitHubWebhook(
          app.url,
          'issue_comment',
          pullRequestCommentEvent('created', { project: PROJECT, number: PR }, { body, login: 'reader', id }),
        )
      ).status,
    ).toBe(200);
    expect(await commandOutcome(app, { platform: 'github', project: PROJECT, comment: { id, body } })).toBe(
      'refused',
    );
    const reply = github.state.comments.filter((c) => c.body.startsWith(COMMAND_REPLY_MARKER)).at(-1)!.body;
    expect(reply).toContain('`/tollgate rollback production` was refused');
    expect(reply).toContain('you have read access');

    // prom-client still renders the registry (a polluted prototype used to crash it).
    const metrics = await fetch(`${app.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const samples = parsePrometheus(await metrics.text());
    expect(samples.length).toBeGreaterThan(0);
    expect(unmatched.list).toEqual([]);
  });
});

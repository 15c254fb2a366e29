import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubRepositoryReader } from '../../../src/adapters/github/create-github-repository-reader.ts';
import { renderAllEnvironments } from '../../../src/adapters/render/render-environment.ts';
import { createChatOpsSettingsLoader } from '../../../src/usecases/load-chatops-settings.ts';
import { createTestOctokit } from '../../usecases/chatops-test-kit.ts';

const API = 'https://api.github.com';
const MAIN = 'a'.repeat(40);
const CONFIG = 'chatops:\n  permissions:\n    rollback: admin\n';
const BLOB = 'c'.repeat(40);

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('GitHub repository reader (chat-ops settings)', () => {
  it("reads .tollgate.yml at the default branch's head commit", async () => {
    nock(API)
      .get('/repos/acme/shop/branches/main')
      .reply(200, {
        name: 'main',
        protected: true,
        commit: { sha: MAIN, url: `${API}/repos/acme/shop/commits/${MAIN}` },
      })
      .get(`/repos/acme/shop/git/trees/${MAIN}`)
      .query({ recursive: 'true' })
      .reply(200, {
        sha: MAIN,
        truncated: false,
        tree: [{ path: '.tollgate.yml', mode: '100644', type: 'blob', sha: BLOB, size: CONFIG.length }],
      })
      .get(`/repos/acme/shop/git/blobs/${BLOB}`)
      .reply(200, {
        sha: BLOB,
        size: CONFIG.length,
        encoding: 'base64',
        content: Buffer.from(CONFIG).toString('base64'),
      });
    const reader = createGitHubRepositoryReader({
      octokit: createTestOctokit(),
      owner: 'acme',
      repo: 'shop',
    });
    const settings = await createChatOpsSettingsLoader({
      readerFor: async () => reader,
      render: renderAllEnvironments,
    })({
      defaultBranch: 'main',
    });
    expect(settings.permissions).toEqual({ rollback: 'admin' });
  });
});

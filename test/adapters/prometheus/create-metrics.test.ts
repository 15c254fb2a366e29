import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeOctokitRequests } from '../../../src/adapters/github/observe-octokit.ts';
import { createGitLabPlatform } from '../../../src/adapters/gitlab/create-gitlab-platform.ts';
import { createMetrics } from '../../../src/adapters/prometheus/create-metrics.ts';
import { buildReport } from '../../../src/core/report/report.ts';
import { parsePrometheus, sampleValue } from './parse-prometheus.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function scrape(registry: Registry) {
  return parsePrometheus(await registry.metrics());
}

describe('createMetrics', () => {
  it('registers on the given registry only', async () => {
    const a = new Registry();
    const b = new Registry();
    createMetrics(a).recordWebhook('github', 'pull_request', 'queued');
    createMetrics(b);
    expect(sampleValue(await scrape(a), 'tollgate_webhooks_received_total', { outcome: 'queued' })).toBe(1);
    expect(
      sampleValue(await scrape(b), 'tollgate_webhooks_received_total', { outcome: 'queued' }),
    ).toBeUndefined();
  });

  it('counts findings by check, severity and blocking, and evaluations by verdict', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry);
    metrics.recordFindings(
      buildReport(
        { headSha: 'abc' },
        [
          { check: 'policy', rule: 'r', severity: 'warning', blocking: false, title: 't', message: 'm' },
          { check: 'policy', rule: 'r', severity: 'warning', blocking: false, title: 't', message: 'm' },
          { check: 'routes', rule: 'd', severity: 'error', blocking: true, title: 't', message: 'm' },
        ],
        1,
      ),
    );
    const samples = await scrape(registry);
    expect(
      sampleValue(samples, 'tollgate_findings_total', {
        check: 'policy',
        severity: 'warning',
        blocking: 'false',
      }),
    ).toBe(2);
    expect(sampleValue(samples, 'tollgate_findings_total', { check: 'routes', blocking: 'true' })).toBe(1);
    expect(sampleValue(samples, 'tollgate_evaluations_total', { verdict: 'fail' })).toBe(1);
  });

  it('counts GitHub API calls and errors by status through the octokit plugin', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry);
    const Octokit = ProbotOctokit.defaults({
      retry: { enabled: false },
      throttle: { enabled: false },
    }).plugin(
      // biome-ignore lint/suspicious/noExplicitAny: Octokit's plugin type is generic over every plugin's API
      observeOctokitRequests(metrics.observeApiCall) as any,
    );
    const octokit = new Octokit({ auth: 'ghs_metricsTestToken0000000000000' });
    const scope = nock('https://api.github.com')
      .get('/repos/o/r/pulls/1')
      .reply(200, { number: 1 })
      .get('/repos/o/r/pulls/2')
      .reply(404, { message: 'Not Found' })
      .get('/repos/o/r/pulls/3')
      .replyWithError('socket hang up');
    await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'o',
      repo: 'r',
      pull_number: 1,
    });
    for (const n of [2, 3]) {
      await expect(
        octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          owner: 'o',
          repo: 'r',
          pull_number: n,
        }),
      ).rejects.toThrow();
    }
    expect(scope.isDone()).toBe(true);
    const samples = await scrape(registry);
    expect(
      sampleValue(samples, 'tollgate_platform_api_requests_total', { platform: 'github', status: '200' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'tollgate_platform_api_errors_total', { platform: 'github', status: '404' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'tollgate_platform_api_errors_total', { platform: 'github', status: 'network' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'tollgate_platform_api_request_duration_seconds_count', { platform: 'github' }),
    ).toBe(3);
  });

  it('counts GitLab API errors through the requester', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry);
    const scope = nock('https://gitlab.example.com')
      .get('/api/v4/projects/42/merge_requests/7')
      .reply(
        429,
        { message: '429 Too Many Requests' },
        { 'content-type': 'application/json', 'retry-after': '30' },
      );
    const platform = createGitLabPlatform({
      host: 'https://gitlab.example.com',
      token: 'glpat-x',
      projectId: 42,
      observeApiCall: metrics.observeApiCall,
    });
    await expect(platform.getChangeRequest(7)).rejects.toThrow(/429/);
    expect(scope.isDone()).toBe(true);
    expect(
      sampleValue(await scrape(registry), 'tollgate_platform_api_errors_total', {
        platform: 'gitlab',
        status: '429',
      }),
    ).toBe(1);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Redis } from 'ioredis';
import { marked } from 'marked';
import pino from 'pino';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShippedPolicies } from '../../../src/adapters/fs/read-shipped-policies.ts';
import { createRedisAuditLog } from '../../../src/adapters/redis/create-redis-audit-log.ts';
import { createRedisDetailsStore } from '../../../src/adapters/redis/create-redis-details-store.ts';
import { createRedisEnvironmentLockStore } from '../../../src/adapters/redis/create-redis-environment-lock-store.ts';
import { renderAllEnvironments } from '../../../src/adapters/render/render-environment.ts';
import { formatComment } from '../../../src/core/report/format-comment.ts';
import { createTollgateServer } from '../../../src/server/create-server.ts';
import { createDetailsHandler } from '../../../src/server/details/create-details-handler.ts';
import { signDetailsPath } from '../../../src/server/details/sign-details-link.ts';
import { reviewChange } from '../../../src/usecases/review-change.ts';
import { changedBetween, memoryTree } from '../../support/memory-tree.ts';
import { testRedisUrl } from '../../support/redis-url.ts';

/*
 * The details page in a real browser: Debian's chromium, driven by playwright-core. Screenshots are
 * kept as test artefacts (test-artifacts/) and the README's copies are refreshed from them.
 */
const CHROMIUM = process.env.TOLLGATE_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SECRET = 'details-secret-for-the-browser-test';
const PREFIX = `details-test-${process.pid}`;
const SHA = 'c0ffee'.padEnd(40, '0');

function readFolder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
let context: BrowserContext;
let userData: string;
let origin: string;
let close: () => Promise<void>;

beforeAll(async () => {
  // The demo's merge request: examples/cafe/base on main, plus examples/cafe/change.
  const base = readFolder(join(ROOT, 'examples/cafe/base'));
  const head = { ...base, ...readFolder(join(ROOT, 'examples/cafe/change')) };
  const report = await reviewChange({
    target: { baseSha: 'a'.repeat(40), headSha: SHA, baseRef: 'main', headRef: 'feature' },
    base: memoryTree('a'.repeat(40), base),
    head: memoryTree(SHA, head),
    changedFiles: changedBetween(base, head),
    shippedPolicies: readShippedPolicies(),
    render: renderAllEnvironments,
  });
  // Hostile text from a repository must reach the page as text.
  report.findings.push({
    check: 'yaml',
    rule: 'yaml-syntax',
    severity: 'warning',
    blocking: false,
    title: '<script>document.title="pwned"</script> in a file name',
    message: '<img src=x onerror="document.title=\'pwned\'">',
    location: { file: 'docs/<b>menu</b>.yaml', line: 2 },
  });
  const store = createRedisDetailsStore(redis, { prefix: PREFIX });
  await store.saveDetails(
    {
      platform: 'gitlab',
      project: 'ops/cafe',
      sha: SHA,
      number: 8,
      report,
      checkedAt: '2026-12-04T19:00:00Z',
    },
    3600,
  );
  const locks = createRedisEnvironmentLockStore(redis, PREFIX);
  await locks.setLock(
    { platform: 'gitlab', project: 'ops/cafe' },
    {
      environment: 'production',
      lockedBy: 'alice',
      reason: 'release freeze',
      lockedAt: '2026-12-04T18:00:00Z',
    },
  );
  const audit = createRedisAuditLog(redis, `${PREFIX}:audit`);
  await audit.append({
    at: '2026-12-03T10:00:00Z',
    actor: 'bob',
    action: 'rollback',
    environment: 'production',
    platform: 'gitlab',
    project: 'ops/cafe',
    number: 7,
    outcome: 'done',
    detail: 'redeploy of a0a0a0a0a0a0 to production',
    links: ['https://gitlab.example.com/ops/cafe/-/jobs/801'],
  });
  const server = await createTollgateServer({
    enqueue: async () => 'queued',
    ping: async () => 'PONG',
    logger: pino({ level: 'silent' }),
    details: createDetailsHandler({
      secret: SECRET,
      store,
      locks,
      audit,
      fileUrl: (_p, project, sha, file, line) =>
        `https://gitlab.example.com/${project}/-/blob/${sha}/${file}${line ? `#L${line}` : ''}`,
    }),
  } as Parameters<typeof createTollgateServer>[0]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));

  userData = mkdtempSync(join(tmpdir(), 'tollgate-chromium-'));
  context = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await close?.();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('the details page in Chromium', () => {
  it('shows the full report, diff, drift, locks, audit trail and rollbacks behind a signed link', async () => {
    const link = `${origin}${signDetailsPath(SECRET, { platform: 'gitlab', project: 'ops/cafe', sha: SHA }, Math.floor(Date.now() / 1000) + 3600)}`;
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Tollgate · ops/cafe · #8');
    expect(await page.locator('.fail').first().textContent()).toMatch(/Merge blocked: \d+ blocking findings/);
    const headings = await page.locator('h2').allInnerTexts();
    expect(headings.map((h) => h.replace(/ \(\d+\)$/, ''))).toEqual([
      'Findings',
      'Manifest diff',
      'Drift between environments',
      'Environment locks',
      'Chat-ops audit trail',
      'Deployment history (rollbacks recorded by chat-ops)',
    ]);
    const findings = page.locator('#findings + table tbody tr');
    expect(await findings.count()).toBeGreaterThan(8);
    expect(await page.locator('#findings + table').textContent()).toContain('needs at least 2 replicas');
    // The full diff: every changed object, its YAML diff one click away.
    await page.locator('details summary', { hasText: 'HTTPRoute/cafe-production/tea' }).first().click();
    expect(await page.locator('details[open] pre').first().textContent()).toContain('+kind: HTTPRoute');
    expect(await page.locator('#drift + table').textContent()).toContain(
      'production changed without staging',
    );
    expect(await page.locator('#locks + table').textContent()).toContain('release freeze');
    expect(await page.locator('#audit + table').textContent()).toContain('redeploy of a0a0a0a0a0a0');
    expect(await page.locator('#deployments + table a').getAttribute('href')).toBe(
      'https://gitlab.example.com/ops/cafe/-/jobs/801',
    );
    // Links go to the file and line at the checked commit.
    expect(await page.locator('#findings + table a').first().getAttribute('href')).toMatch(
      /^https:\/\/gitlab\.example\.com\/ops\/cafe\/-\/blob\/c0ffee0+\/.+#L\d+$/,
    );
    // Hostile text is text: no script ran, no element was injected.
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('script, img').count()).toBe(0);
    expect(await page.locator('body').textContent()).toContain('<script>document.title="pwned"</script>');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'details-page.png'), fullPage: false });
    await page.close();
  }, 60_000);

  it('refuses a tampered, a foreign and an expired link', async () => {
    const page = await context.newPage();
    const valid = signDetailsPath(
      SECRET,
      { platform: 'gitlab', project: 'ops/cafe', sha: SHA },
      Math.floor(Date.now() / 1000) + 3600,
    );
    const other = valid.replace('project=ops%2Fcafe', 'project=ops%2Fsecret');
    expect((await page.goto(`${origin}${other}`))?.status()).toBe(403);
    expect(await page.locator('p').textContent()).toContain('invalid signature');
    const expired = signDetailsPath(
      SECRET,
      { platform: 'gitlab', project: 'ops/cafe', sha: SHA },
      Math.floor(Date.now() / 1000) - 1,
    );
    expect((await page.goto(`${origin}${expired}`))?.status()).toBe(403);
    expect(await page.locator('p').textContent()).toContain('link expired');
    const forged = signDetailsPath(
      'another-secret',
      { platform: 'gitlab', project: 'ops/cafe', sha: SHA },
      Math.floor(Date.now() / 1000) + 3600,
    );
    expect((await page.goto(`${origin}${forged}`))?.status()).toBe(403);
    await page.close();
  }, 60_000);

  it("renders the demo's merge request comment as a reviewer sees it (screenshot for the README)", async () => {
    const details = await createRedisDetailsStore(redis, { prefix: PREFIX }).readDetails(
      'gitlab',
      'ops/cafe',
      SHA,
    );
    const report = {
      ...details!.report,
      findings: details!.report.findings.filter((f) => !f.title.includes('<script>')),
    };
    const markdown = formatComment(report, {
      linkTo: (file, line) => `https://gitlab.example.com/ops/cafe/-/blob/${SHA}/${file}#L${line}`,
    });
    // GitHub and GitLab comments turn a newline into a line break.
    const html = await marked.parse(markdown.replace(/^> \[!(\w+)\]\n/gm, '> **$1**\n'), { breaks: true });
    const page = await context.newPage();
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>body{font:14px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1f2328}code{background:#eff1f3;padding:.1rem .3rem;border-radius:4px;font-size:12px}li{margin:.35rem 0}summary{cursor:pointer}</style></head><body>${html}</body></html>`,
    );
    expect(await page.locator('h2').first().textContent()).toBe('⛔ Tollgate: merge blocked');
    expect(await page.locator('input[type=checkbox]').count()).toBe(0);
    expect(await page.locator('h3').first().textContent()).toMatch(/^What blocks the merge \(\d+\)$/);
    // Collapsed by default: only the blocking items take room.
    expect(await page.locator('details[open]').count()).toBe(0);
    const height = Number(await page.evaluate('document.body.scrollHeight'));
    expect(height).toBeLessThan(1_500);
    await page.screenshot({ path: join(ARTIFACTS, 'comment.png'), fullPage: true });
    await page.close();
  }, 60_000);
});

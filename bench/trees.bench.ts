/**
 * Reading the trees of a review: per-file API (tree listing + one request per blob) against one
 * tarball per commit, for a synthetic repository of 500 YAML files whose head changes 10 of them.
 * Both run the real review (`reviewChange`) through the GitHub adapter against a loopback HTTP
 * server that imitates the API (302 to a codeload path for tarballs); no network.
 * Prints API requests and time per review, and the ratios. Run: npx tsx bench/trees.bench.ts
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProbotOctokit } from 'probot';
import { DEFAULT_ARCHIVE_SETTINGS } from '../src/adapters/archive/archive-settings.ts';
import { createArchiveCache } from '../src/adapters/archive/create-archive-cache.ts';
import type { ArchiveTrees } from '../src/adapters/archive/open-archive-tree.ts';
import { createGitHubPlatform } from '../src/adapters/github/create-github-platform.ts';
import type { GitHubClient } from '../src/adapters/github/github-request.ts';
import { renderAllEnvironments } from '../src/adapters/render/render-environment.ts';
import { reviewChange } from '../src/usecases/review-change.ts';
import { repositoryTarball } from '../test/support/fake-archive.ts';

const FILES = 500;
const CHANGED = 10;
/** Added to every API answer in the second round, as a stand-in for a real API round trip. */
const LATENCY_MS = 5;
const BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);
const OTHER_HEAD = 'd'.repeat(40);

function manifest(i: number, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 10}
  labels: {app: app-${i}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.0
          env:
            - {name: PINPOINT_AGENT_ID, value: app-${i}}
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
`;
}

function commit(changedFrom: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: FILES }, (_, i) => [
      `deploy/team-${i % 10}/app-${i}.yaml`,
      manifest(i, i >= changedFrom && i < changedFrom + CHANGED ? 3 : 2),
    ]),
  );
}

const commits = new Map<string, Record<string, string>>([
  [BASE, commit(-CHANGED)],
  [HEAD, commit(0)],
  [OTHER_HEAD, commit(100)],
]);
const blobSha = (c: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(c)}\0${c}`)
    .digest('hex');
const blobs = new Map<string, string>();
for (const files of commits.values()) for (const c of Object.values(files)) blobs.set(blobSha(c), c);
const tarballs = new Map<string, Buffer>();
for (const [sha, files] of commits) {
  tarballs.set(sha, await repositoryTarball(`acme-deploy-${sha.slice(0, 7)}`, files, { sha }));
}

const counts = { api: 0, downloads: 0, bytes: 0 };
let latencyMs = 0;
function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  counts.bytes += bytes.length;
  res.writeHead(status, {
    'content-type': Buffer.isBuffer(body) ? 'application/x-gzip' : 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(bytes);
}
function route(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/');
  if (parts[1] === 'codeload') {
    counts.downloads++;
    return answer(res, 200, tarballs.get(parts.at(-1)!));
  }
  counts.api++;
  const kind = parts[5]; // /api/repos/acme/deploy/<kind>/...
  if (kind === 'tarball') {
    return answer(res, 302, '', { location: `/codeload/acme/deploy/legacy.tar.gz/${parts[6]}` });
  }
  if (kind === 'git' && parts[6] === 'trees') {
    const files = commits.get(parts[7]!)!;
    const tree = Object.entries(files).map(([path, c]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha(c),
    }));
    return answer(res, 200, { sha: parts[7], truncated: false, tree });
  }
  if (kind === 'git' && parts[6] === 'blobs') {
    const content = blobs.get(parts[7]!)!;
    return answer(res, 200, {
      sha: parts[7],
      encoding: 'base64',
      content: Buffer.from(content).toString('base64'),
    });
  }
  return answer(res, 404, { message: 'Not Found' });
}
const server = createServer((req, res) => {
  if (latencyMs > 0 && !req.url?.startsWith('/codeload')) setTimeout(() => route(req, res), latencyMs);
  else route(req, res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address() as AddressInfo;

const octokit = new ProbotOctokit({
  auth: { token: 'ghs_bench' },
  baseUrl: `http://127.0.0.1:${port}/api`,
  retry: { enabled: false },
  throttle: { enabled: false },
}) as unknown as GitHubClient;

/** One review as the worker runs it: a fresh adapter per job, base and head trees. */
async function review(head: string, archives: ArchiveTrees | undefined) {
  const platform = createGitHubPlatform({
    octokit,
    owner: 'acme',
    repo: 'deploy',
    ...(archives ? { archives } : {}),
  });
  const before = { ...counts };
  const start = performance.now();
  const changed = Object.keys(commits.get(head)!).filter(
    (p) => commits.get(head)![p] !== commits.get(BASE)![p],
  );
  const report = await reviewChange({
    target: { baseSha: BASE, headSha: head },
    base: platform.openTree(BASE),
    head: platform.openTree(head),
    changedFiles: changed.map((path) => ({ path, status: 'modified' as const })),
    render: renderAllEnvironments,
  });
  return {
    ms: performance.now() - start,
    api: counts.api - before.api,
    downloads: counts.downloads - before.downloads,
    kib: Math.round((counts.bytes - before.bytes) / 1024),
    environments: report.diff?.environments.length ?? 0,
    changedObjects: report.diff?.environments.reduce((n, e) => n + e.resources.length, 0) ?? 0,
  };
}

/** The reading alone: list and read every file of base and head, as a kustomize review does. */
async function readTrees(archives: ArchiveTrees | undefined): Promise<number> {
  const platform = createGitHubPlatform({
    octokit,
    owner: 'acme',
    repo: 'deploy',
    ...(archives ? { archives } : {}),
  });
  const start = performance.now();
  await Promise.all(
    [BASE, HEAD].map(async (sha) => {
      const tree = platform.openTree(sha);
      for (const path of await tree.listFiles()) await tree.readFile(path);
    }),
  );
  return performance.now() - start;
}

const fresh = (): ArchiveTrees => ({
  cache: createArchiveCache(DEFAULT_ARCHIVE_SETTINGS.cacheBytes),
  limits: DEFAULT_ARCHIVE_SETTINGS.limits,
  timeoutMs: 30_000,
});

const row = (label: string, r: Awaited<ReturnType<typeof review>>) =>
  console.log(
    `${label.padEnd(44)} ${String(r.api).padStart(5)} API requests  ${String(r.downloads).padStart(2)} downloads  ${r.ms.toFixed(0).padStart(6)} ms  ${String(r.kib).padStart(6)} KiB  ${r.changedObjects} objects changed`,
  );

const tarballKiB = Math.round(tarballs.get(BASE)!.length / 1024);
console.log(`trees bench: ${FILES} YAML files per commit, ${CHANGED} changed; tarball ${tarballKiB} KiB`);
for (const latency of [0, LATENCY_MS]) {
  latencyMs = latency;
  console.log(`\n-- loopback API${latency ? ` with ${latency} ms added per API request` : ''}`);
  await review(HEAD, undefined); // warm-up (JIT, sockets)
  const perFile = await review(HEAD, undefined);
  const archives = fresh();
  const archive = await review(HEAD, archives);
  const sharedBase = await review(OTHER_HEAD, archives); // another MR on the same base: base cached
  row('per-file API (tree + blobs)', perFile);
  row('archive, first review', archive);
  row('archive, next MR on the same base', sharedBase);
  if (perFile.changedObjects !== archive.changedObjects)
    throw new Error('the two paths reviewed differently');
  const readPerFile = await readTrees(undefined);
  const readArchive = await readTrees(fresh());
  console.log(
    `reading both trees alone: per-file ${readPerFile.toFixed(0)} ms, archive ${readArchive.toFixed(0)} ms`,
  );
  console.log(
    `ratio per-file/archive: ${(perFile.api / archive.api).toFixed(0)}x the API requests (${(perFile.api / sharedBase.api).toFixed(0)}x with the base cached); review ${(perFile.ms / archive.ms).toFixed(1)}x the time, reading ${(readPerFile / readArchive).toFixed(1)}x`,
  );
}
server.closeAllConnections();
server.close();

import nock from 'nock';
import { runAuditCommand } from '../../src/cli/commands/audit-command.ts';
import { type CommandJobData, commandJobId } from '../../src/queue/command-job.ts';
import type { AuditRecord } from '../../src/usecases/ports/audit-log.ts';
import { captureIo } from '../cli/commands/capture-io.ts';
import type { HistoryCommit } from './fake-history.ts';
import { REDIS_URL, type TestRuntime, waitFor } from './start-test-runtime.ts';

/** A readable 40-hex SHA: `sha('a1')` → `a1a1a1…`. */
export function sha(seed: string): string {
  return seed.repeat(Math.ceil(40 / seed.length)).slice(0, 40);
}

/**
 * The default branch both platforms' tests roll back through: A (deployed, then rolled past) ← M1
 * (merge of the first merge request; its deployment failed) ← C (merge of the second, runs now) ←
 * HEAD (merge of the third, not deployed). F1 and F2 are the merged branches' own commits.
 */
export const MAIN_LINE = {
  A: sha('a0'),
  F1: sha('f1'),
  M1: sha('c1'),
  F2: sha('f2'),
  C: sha('c2'),
  HEAD: sha('d0'),
  TREE_A: sha('7a'),
};

/** MAIN_LINE as a history; `merges` are the three merge commits' messages and merge request numbers. */
export function mainLineHistory(merges: [string, number][]): HistoryCommit[] {
  const { A, F1, M1, F2, C, HEAD, TREE_A } = MAIN_LINE;
  const [first, second, third] = merges as [[string, number], [string, number], [string, number]];
  return [
    { sha: A, message: 'Initial manifests', parents: [sha('00')], tree: TREE_A },
    { sha: F1, message: 'Tea v2 route', parents: [A] },
    { sha: M1, message: first[0], parents: [A, F1], mergeRequests: [first[1]] },
    { sha: F2, message: 'Coffee: 6 replicas', parents: [M1] },
    { sha: C, message: second[0], parents: [M1, F2], mergeRequests: [second[1]] },
    { sha: HEAD, message: third[0], parents: [C], mergeRequests: [third[1]] },
  ];
}

/** Deployable manifests of an environment folder, `replicas` apart. */
export function coffeeDeployment(replicas: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: coffee',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels: {app: coffee}',
    '  template:',
    '    metadata:',
    '      labels: {app: coffee}',
    '    spec:',
    '      containers:',
    '        - name: coffee',
    '          image: nginxdemos/nginx-hello:0.4',
    '',
  ].join('\n');
}

/** `.tollgate.yml` with two plain-folder environments and no policies (only the lock can fail). */
export const TOLLGATE_YML = [
  'environments:',
  '  - name: staging',
  '    path: deploy/staging',
  '  - name: production',
  '    path: deploy/production',
  'policies: []',
  '',
].join('\n');

/** Base has production at 2 replicas; the merge request's head scales it to 3. */
export const BASE_FILES = {
  '.tollgate.yml': TOLLGATE_YML,
  'deploy/staging/coffee.yaml': coffeeDeployment(1),
  'deploy/production/coffee.yaml': coffeeDeployment(2),
};
export const HEAD_FILES = { ...BASE_FILES, 'deploy/production/coffee.yaml': coffeeDeployment(3) };

/** Requests to a faked platform host that no interceptor answered (they fail the command). */
export function recordUnmatched(): { list: string[]; stop(): void } {
  const list: string[] = [];
  const listener = (a: Record<string, unknown>, b?: Record<string, unknown>) => {
    const o = b ?? a;
    const host = String(o.hostname ?? o.host ?? '');
    if (host.startsWith('127.0.0.1')) return;
    list.push(`${String(o.method)} ${host}${String(o.path)}`);
  };
  nock.emitter.on('no match', listener);
  return { list, stop: () => nock.emitter.off('no match', listener) };
}

/** Waits for the command job of one comment and returns its return value (outcomes, comma-joined). */
export async function commandOutcome(
  app: TestRuntime,
  data: Pick<CommandJobData, 'platform' | 'project' | 'comment'>,
): Promise<string> {
  const id = commandJobId(data);
  let outcome = '';
  await waitFor(`the command job ${id}`, async () => {
    const state = await app.runtime.commandQueue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') return false;
    // Read after the state: a job read while active has no return value yet.
    const job = (await app.runtime.commandQueue.getJob(id))!;
    if (state === 'failed') throw new Error(`command job failed: ${job.failedReason}`);
    outcome = String(job.returnvalue);
    return true;
  });
  return outcome;
}

/** `tollgate audit --format json` against the test runtime's Redis and prefix. */
export async function readAudit(app: TestRuntime, project: string): Promise<AuditRecord[]> {
  const io = captureIo(process.cwd());
  const code = await runAuditCommand(['--format', 'json', '--project', project], {
    ...io,
    env: { REDIS_URL, TOLLGATE_QUEUE_PREFIX: app.config.queuePrefix },
  });
  if (code !== 0) throw new Error(`tollgate audit exited ${code}: ${io.err()}`);
  return (JSON.parse(io.out()) as AuditRecord[]).reverse();
}

/** Only the calls that are not reads. */
export const writesOf = (calls: readonly string[]) => calls.filter((c) => !c.startsWith('GET '));

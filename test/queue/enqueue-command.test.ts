import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisAuditLog } from '../../src/adapters/redis/create-redis-audit-log.ts';
import { runAuditCommand } from '../../src/cli/commands/audit-command.ts';
import { COMMAND_QUEUE } from '../../src/queue/command-job.ts';
import { enqueueCommand } from '../../src/queue/enqueue-command.ts';
import { parseGitLabNoteEvent } from '../../src/server/inbound/parse-gitlab-note-event.ts';
import { testRedisUrl } from '../support/redis-url.ts';

const prefix = `test-cmdq-${randomBytes(4).toString('hex')}`;
const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
const queue = new Queue(COMMAND_QUEUE, {
  connection: new Redis(testRedisUrl, { maxRetriesPerRequest: null }),
  prefix,
});
const note = (name: string) =>
  parseGitLabNoteEvent(
    JSON.parse(readFileSync(new URL(`../fixtures/gitlab/${name}.json`, import.meta.url), 'utf8')),
  );

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('enqueueCommand', () => {
  it('queues a comment once: a redelivery or an edit of the same note never runs it again', async () => {
    const created = note('note-merge-request-created');
    if (created.action !== 'command') throw new Error('fixture should queue');
    expect(await enqueueCommand(queue, redis, { ...created.job, deliveryId: 'uuid-1' }, prefix)).toBe(
      'queued',
    );
    expect(await enqueueCommand(queue, redis, { ...created.job, deliveryId: 'uuid-2' }, prefix)).toBe(
      'duplicate-comment',
    );
    expect(note('note-merge-request-updated').action).toBe('ignore');
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.opts.attempts).toBe(1);
  });
});

describe('tollgate audit', () => {
  it('prints the stream as a table or JSON, filtered by project and environment', async () => {
    const stream = `${prefix}:audit`;
    const log = createRedisAuditLog(redis, stream);
    const base = {
      platform: 'github' as const,
      number: 42,
      commentUrl: 'https://github.com/acme/shop/pull/42#c1',
    };
    await log.append({
      ...base,
      at: '2024-05-01T10:00:00.000Z',
      actor: 'alice',
      action: 'lock',
      environment: 'production',
      project: 'acme/shop',
      outcome: 'done',
      detail: 'INC-42',
    });
    await log.append({
      ...base,
      at: '2024-05-01T11:00:00.000Z',
      actor: 'bob',
      action: 'rollback',
      environment: 'staging',
      project: 'acme/shop',
      outcome: 'refused',
      detail: 'needs maintain',
    });
    await log.append({
      ...base,
      at: '2024-05-01T12:00:00.000Z',
      actor: 'carol',
      action: 'lock',
      environment: 'production',
      project: 'acme/other',
      outcome: 'done',
      detail: 'x',
    });
    let out = '';
    const io = {
      stdout: (t: string) => (out += t),
      stderr: (t: string) => (out += t),
      cwd: '.',
      env: { REDIS_URL: testRedisUrl },
    };
    expect(
      await runAuditCommand(['--project', 'acme/shop', '--env', 'production', '--stream', stream], io),
    ).toBe(0);
    expect(out).toContain('alice');
    expect(out).toContain('github:acme/shop#42');
    expect(out).not.toContain('bob');
    expect(out).not.toContain('carol');
    out = '';
    expect(
      await runAuditCommand(['--project', 'acme/shop', '--format', 'json', '--stream', stream], io),
    ).toBe(0);
    expect((JSON.parse(out) as { actor: string }[]).map((r) => r.actor)).toEqual(['bob', 'alice']);
  });
});

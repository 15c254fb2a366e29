import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { auditStreamKey, createRedisAuditLog } from '../../adapters/redis/create-redis-audit-log.ts';
import { readRedisUrl } from '../../server/read-env-config.ts';
import type { AuditRecord } from '../../usecases/ports/audit-log.ts';
import { type CliIO, EXIT_PASS, EXIT_USAGE, UsageError } from '../cli-io.ts';

const HELP = `usage: tollgate audit [--project PATH] [--env ENV] [--limit N] [--format table|json]

Prints the chat-ops audit record (rollbacks, locks, overrides, rechecks: who, what, when, from
where, outcome), most recent first, read from the Redis stream PREFIX:audit at REDIS_URL
(default redis://127.0.0.1:6379), where PREFIX is TOLLGATE_QUEUE_PREFIX (default tollgate), as
for the bot itself.

  --project PATH   only this repository (owner/repo or group/project)
  --env ENV        only this environment
  --limit N        at most N records (default 50)
  --format FMT     table (default) or json
  --stream KEY     the stream key (default PREFIX:audit)
`;

function renderTable(records: readonly AuditRecord[]): string {
  const header = ['WHEN', 'WHO', 'ACTION', 'ENV', 'OUTCOME', 'WHERE', 'DETAIL'];
  const rows = records.map((r) => [
    r.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    r.actor,
    r.action,
    r.environment ?? '-',
    r.outcome,
    `${r.platform}:${r.project}#${r.number}`,
    r.detail.length > 80 ? `${r.detail.slice(0, 79)}…` : r.detail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export async function runAuditCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: 'string' },
      env: { type: 'string' },
      limit: { type: 'string', default: '50' },
      format: { type: 'string', default: 'table' },
      stream: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError('--limit must be a whole number of 1 or more');
  if (values.format !== 'table' && values.format !== 'json')
    throw new UsageError(`--format must be one of table, json, not '${values.format}'`);
  const url = readRedisUrl(io.env);
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (error) {
      // Never print the URL: it may carry a password.
      io.stderr(`tollgate audit: cannot reach Redis at REDIS_URL: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    const stream = values.stream ?? auditStreamKey(io.env.TOLLGATE_QUEUE_PREFIX || 'tollgate');
    const records = await createRedisAuditLog(redis, stream).read({
      ...(values.project ? { project: values.project } : {}),
      ...(values.env ? { environment: values.env } : {}),
      limit,
    });
    if (values.format === 'json') io.stdout(`${JSON.stringify(records, null, 2)}\n`);
    else if (records.length === 0) io.stdout('no audit records match\n');
    else io.stdout(renderTable(records));
    return EXIT_PASS;
  } finally {
    redis.disconnect();
  }
}

import type { Redis } from 'ioredis';
import type { AuditFilter, AuditLog, AuditRecord } from '../../usecases/ports/audit-log.ts';

/** The audit stream of a deployment: under its key prefix (TOLLGATE_QUEUE_PREFIX), like every key. */
export function auditStreamKey(prefix = 'tollgate'): string {
  return `${prefix}:audit`;
}

export const DEFAULT_AUDIT_STREAM = auditStreamKey();
/** Approximate cap (XADD MAXLEN ~): old entries go first, Redis trims in whole nodes. */
const MAX_ENTRIES = 100_000;
const PAGE = 500;

/**
 * The audit trail as a Redis Stream: append-only, ordered, and as durable as Redis itself
 * (production runs with AOF). Fields are flat for `XRANGE` readers; `json` holds the whole record.
 */
export function createRedisAuditLog(redis: Redis, stream = DEFAULT_AUDIT_STREAM): AuditLog {
  return {
    async append(record) {
      await redis.xadd(
        stream,
        'MAXLEN',
        '~',
        MAX_ENTRIES,
        '*',
        'action',
        record.action,
        'project',
        record.project,
        'environment',
        record.environment ?? '',
        'json',
        JSON.stringify(record),
      );
    },

    async read(filter: AuditFilter = {}) {
      const limit = filter.limit ?? 50;
      const out: AuditRecord[] = [];
      let end = '+';
      for (;;) {
        const page = await redis.xrevrange(stream, end, '-', 'COUNT', PAGE);
        for (const [, fields] of page) {
          let json: string | undefined;
          for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'json') json = fields[i + 1];
          if (!json) continue;
          const record = JSON.parse(json) as AuditRecord;
          if (filter.project && record.project !== filter.project) continue;
          if (filter.environment && record.environment !== filter.environment) continue;
          out.push(record);
          if (out.length >= limit) return out;
        }
        if (page.length < PAGE) return out;
        end = `(${page[page.length - 1]![0]}`;
      }
    },
  };
}

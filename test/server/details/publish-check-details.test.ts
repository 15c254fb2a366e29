import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisDetailsStore } from '../../../src/adapters/redis/create-redis-details-store.ts';
import { buildReport } from '../../../src/core/report/report.ts';
import { publishCheckDetails } from '../../../src/server/details/publish-check-details.ts';
import { verifyDetailsLink } from '../../../src/server/details/sign-details-link.ts';
import type { Platform } from '../../../src/usecases/ports/platform.ts';
import { testRedisUrl } from '../../support/redis-url.ts';

const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
const prefix = `publish-details-${process.pid}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('publishCheckDetails', () => {
  it('keeps the report and returns a signed link that stays the same within a day', async () => {
    const store = createRedisDetailsStore(redis, { prefix });
    const settings = {
      publicUrl: 'https://tollgate.example.com',
      secret: 's'.repeat(32),
      ttlSeconds: 14 * 86_400,
    };
    let clock = Date.UTC(2026, 11, 4, 9, 0, 0);
    const publish = publishCheckDetails(store, settings, () => clock);
    const platform = { kind: 'github', project: 'acme/shop' } as Platform;
    const report = buildReport({ headSha: 'a'.repeat(40) }, [], 0);
    const first = await publish(platform, 8, 'a'.repeat(40), report);
    clock += 3 * 3600_000;
    const again = await publish(platform, 8, 'a'.repeat(40), report);
    expect(again).toBe(first);
    const url = new URL(first);
    expect(url.origin + url.pathname).toBe('https://tollgate.example.com/checks');
    const verified = verifyDetailsLink(settings.secret, url.searchParams, Math.floor(clock / 1000));
    expect(verified).toEqual({
      ok: true,
      target: { platform: 'github', project: 'acme/shop', sha: 'a'.repeat(40) },
    });
    expect(
      verifyDetailsLink(settings.secret, url.searchParams, Math.floor(clock / 1000) + 16 * 86_400),
    ).toEqual({
      ok: false,
      reason: 'link expired',
    });
    expect((await store.readDetails('github', 'acme/shop', 'a'.repeat(40)))?.number).toBe(8);
  });
});

/**
 * The Redis the tests talk to: always `REDIS_URL` (CI and `.ci/run` set it), so a developer can point
 * the suite at any server. The fallback is the same default the entry points use.
 */
export const testRedisUrl: string = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

import { expect } from 'vitest';
import { ConfigError, readEnvConfig } from '../../src/server/read-env-config.ts';

/** The one-line message readEnvConfig stops with for `env` (fails the test when it does not). */
export function configErrorOf(env: Record<string, string>): string {
  try {
    readEnvConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Tollgate installation: the nearest folder up from this module whose package.json is
 * Tollgate's. Found the same from src/cli/ (tsx) and from dist/src/cli/ (after `npm run build`),
 * so the CLI finds `examples/` and its version either way.
 */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readPackageJson(dir).name === 'tollgate') return dir;
    if (dirname(dir) === dir) throw new Error(`no Tollgate package.json above ${from}`);
  }
}

export function readPackageJson(dir: string): { name?: string; version?: string } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
}

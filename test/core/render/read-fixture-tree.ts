import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const COFFEE_SHOP = new URL('../../fixtures/render/coffee-shop/', import.meta.url).pathname;

/** A fixture folder as an in-memory file map (repository-relative paths). */
export function readFixtureTree(root: string = COFFEE_SHOP): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

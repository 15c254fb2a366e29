import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = new URL('../../src/core/', import.meta.url).pathname;
/** Packages that do I/O or belong to an adapter (node:crypto is computation, allowed). */
const FORBIDDEN_PACKAGES =
  /^(probot|bullmq|ioredis|pino|prom-client|hono|@hono\/.*|@bull-board\/.*|@gitbeaker\/.*|@octokit\/.*|tar-stream|node:(http|https|net|fs|fs\/promises|child_process|os|worker_threads|dns))$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every `from '...'` specifier of a file that points outside src/core or at a forbidden package. */
function findImpureImports(file: string, source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)]
    .map((m) => m[1]!)
    .filter((spec) =>
      spec.startsWith('.') ? !resolve(dirname(file), spec).startsWith(CORE) : FORBIDDEN_PACKAGES.test(spec),
    )
    .map((spec) => `${relative(CORE, file)} imports ${spec}`);
}

describe('src/core', () => {
  it('imports no I/O, platform, queue or server code: data in, data out', () => {
    expect(walk(CORE).flatMap((file) => findImpureImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('would notice an adapter import', () => {
    const file = join(CORE, 'diff/x.ts');
    expect(findImpureImports(file, "import { a } from '../../platform/platform.ts';")).toEqual([
      'diff/x.ts imports ../../platform/platform.ts',
    ]);
    expect(findImpureImports(file, "import { b } from '../render/file-map.ts';")).toEqual([]);
    expect(findImpureImports(file, "import { readFile } from 'node:fs';")).toEqual([
      'diff/x.ts imports node:fs',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { findImportCycles, findUpwardImports, layerOf } from './check-dependency-rules.ts';
import {
  type ImportEdge,
  READ_FOLDERS,
  REPOSITORY_ROOT,
  readImportGraph,
  readImports,
} from './read-import-graph.ts';

const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false });

describe('the import graph of src/ and workers/', () => {
  const edges = readImportGraph(REPOSITORY_ROOT, READ_FOLDERS);

  it('is read from the tree (a graph this small would mean the reader broke)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({
      from: 'src/usecases/review-change.ts',
      to: 'src/usecases/ports/environment-renderer.ts',
      typeOnly: true,
    });
  });

  it('has no import that runs back up a layer: core <- use cases/ports <- adapters <- queue <- entry points', () => {
    expect(findUpwardImports(edges)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(findImportCycles(edges)).toEqual([]);
  });

  it('puts every file of src/ in a layer', () => {
    const outside = [...new Set(edges.map((e) => e.from))].filter((f) => f.startsWith('src/') && !layerOf(f));
    expect(outside).toEqual([]);
  });
});

describe('the rules notice what they forbid', () => {
  it('core importing anything outside core', () => {
    expect(
      findUpwardImports([
        edge('src/core/routes/a.ts', 'src/core/manifests/b.ts'),
        edge('src/core/routes/a.ts', 'src/usecases/ports/platform.ts'),
        edge('src/core/routes/a.ts', 'src/adapters/redis/c.ts'),
      ]),
    ).toEqual([
      'src/core/routes/a.ts (core) imports src/usecases/ports/platform.ts (ports)',
      'src/core/routes/a.ts (core) imports src/adapters/redis/c.ts (adapters)',
    ]);
  });

  it('use cases importing an adapter or the queue; ports importing a use case', () => {
    expect(
      findUpwardImports([
        edge('src/usecases/review-change.ts', 'src/usecases/ports/render-runner.ts'),
        edge('src/usecases/review-change.ts', 'src/adapters/render/render-environment.ts'),
        edge('src/usecases/handle-push.ts', 'src/queue/branch-job.ts'),
        edge('src/usecases/ports/platform.ts', 'src/usecases/review-change.ts'),
      ]),
    ).toHaveLength(3);
  });

  it('adapters importing the server, the CLI, workers or the queue', () => {
    expect(
      findUpwardImports([
        edge('src/adapters/github/a.ts', 'src/usecases/ports/platform.ts'),
        edge('src/adapters/github/a.ts', 'src/server/read-env-config.ts'),
        edge('src/adapters/github/a.ts', 'src/cli/main.ts'),
        edge('src/adapters/github/a.ts', 'workers/check-worker.ts'),
        edge('src/adapters/github/a.ts', 'src/queue/check-job.ts'),
      ]),
    ).toHaveLength(4);
  });

  it('src importing a folder outside the layers (an old folder brought back by a merge)', () => {
    expect(findUpwardImports([edge('src/server/a.ts', 'src/platform/platform.ts')])).toEqual([
      'src/server/a.ts (entry) imports src/platform/platform.ts (outside the layers)',
    ]);
  });

  it('a circle, however long, and a file importing itself', () => {
    expect(
      findImportCycles([
        edge('src/server/read-env-config.ts', 'src/adapters/archive/archive-settings.ts'),
        edge('src/adapters/archive/archive-settings.ts', 'src/server/config-error.ts'),
        edge('src/server/config-error.ts', 'src/server/read-env-config.ts'),
        edge('src/server/main.ts', 'src/server/read-env-config.ts'),
        edge('src/core/a.ts', 'src/core/a.ts'),
      ]),
    ).toEqual([
      [
        'src/adapters/archive/archive-settings.ts',
        'src/server/config-error.ts',
        'src/server/read-env-config.ts',
      ],
      ['src/core/a.ts'],
    ]);
  });

  it('reads every import form: multi-line, type-only, re-export, side effect, dynamic', () => {
    const source = [
      "import {\n  a,\n  b,\n} from '../core/a.ts';",
      "import type { T } from './ports/t.ts';",
      "export { c } from '../adapters/c.ts';",
      "import './side-effect.ts';",
      "const m = await import('../server/m.ts');",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(readImports('src/usecases/x.ts', source)).toEqual([
      { from: 'src/usecases/x.ts', to: 'src/core/a.ts', typeOnly: false },
      { from: 'src/usecases/x.ts', to: 'src/usecases/ports/t.ts', typeOnly: true },
      { from: 'src/usecases/x.ts', to: 'src/adapters/c.ts', typeOnly: false },
      { from: 'src/usecases/x.ts', to: 'src/usecases/side-effect.ts', typeOnly: false },
      { from: 'src/usecases/x.ts', to: 'src/server/m.ts', typeOnly: false },
    ]);
  });
});

/**
 * Writes the differential corpus (define-cases.ts) to test/fixtures/kustomize-diff/, replacing
 * what is there. The written folders are committed: both renderers read them as real folders.
 *
 *   node bin/run.js test/conformance/kustomize-cases/write-kustomize-cases.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KUSTOMIZE_CASES } from './define-cases.ts';

const root = new URL('../../fixtures/kustomize-diff/', import.meta.url).pathname;
rmSync(root, { recursive: true, force: true });
for (const c of KUSTOMIZE_CASES) {
  for (const [path, content] of Object.entries(c.files)) {
    const full = join(root, c.id, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}
process.stdout.write(`wrote ${KUSTOMIZE_CASES.length} cases to ${root}\n`);

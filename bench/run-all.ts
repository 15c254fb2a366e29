import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs every benchmark in this folder, one process each (no shared warm-up or heap between them).
// Each prints its own figures as ratios to a baseline measured in the same run.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const extra = process.argv.slice(2);
let failed = 0;
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  process.stdout.write(`\n== bench/${file}\n`);
  const run = spawnSync(process.execPath, ['bin/run.js', `bench/${file}`, ...extra], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;

#!/usr/bin/env node
// Runs a TypeScript entry point: the compiled file under dist/ when `npm run build` made one,
// otherwise the source through tsx (no build step needed on a laptop or in CI).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: run.js <entry.ts> [args...]');
  process.exit(2);
}
process.argv.splice(2, 1);
const compiled = resolve(root, 'dist', entry.replace(/\.ts$/, '.js'));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(resolve(root, entry)).href);
}

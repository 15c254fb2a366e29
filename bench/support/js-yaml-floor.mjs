// The floor of a review: read every YAML file of the given folders and parse it with js-yaml's
// loadAll (Kubernetes-style YAML, no positions kept). Plain Node, no TypeScript loader, so the
// whole process costs what reading the input costs. Prints the number of documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';

let documents = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.ya?ml$/.test(entry.name)) documents += loadAll(readFileSync(full, 'utf8')).length;
  }
};
for (const dir of process.argv.slice(2)) walk(dir);
process.stdout.write(`${documents}\n`);

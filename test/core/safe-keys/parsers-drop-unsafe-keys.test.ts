import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sourceFiles(join(ROOT, 'src')).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** A file that turns YAML into objects without dropping `__proto__` keys. */
function converts(text: string): boolean {
  const yamlParse = /import \{[^}]*\bparse\b[^}]*\} from 'yaml'/.test(text);
  const builds = text.includes('.toJS(') || text.includes("from 'js-yaml'") || yamlParse;
  return builds && !text.includes('dropUnsafeKeys(');
}

describe('every YAML-to-object conversion in src drops `__proto__` keys', () => {
  it('files that call `.toJS(`, import js-yaml or `yaml`’s parse also call dropUnsafeKeys', () => {
    expect(files.filter((f) => converts(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('the check catches a planted conversion', () => {
    expect(converts("import { parse as load } from 'yaml';\nload(text);\n")).toBe(true);
    expect(converts("import { load } from 'js-yaml';\n")).toBe(true);
    expect(converts('export const v = doc.toJS();\n')).toBe(true);
    expect(converts('const v = doc.toJS();\ndropUnsafeKeys(v);\n')).toBe(false);
  });
});

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

describe('every YAML-to-object conversion in src drops `__proto__` keys', () => {
  it('files that call `.toJS(` also call dropUnsafeKeys', () => {
    const offenders = files
      .filter((f) => f.text.includes('.toJS(') && !f.text.includes('dropUnsafeKeys('))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it("`yaml`'s `parse` is imported only by parse-plain-yaml (which drops them); js-yaml is not used", () => {
    const offenders = files
      .filter(
        (f) => /import \{[^}]*\bparse\b[^}]*\} from 'yaml'/.test(f.text) || f.text.includes("'js-yaml'"),
      )
      .map((f) => f.path);
    expect(offenders).toEqual(['src/core/manifests/parse-plain-yaml.ts']);
  });

  it('the check catches a planted conversion', () => {
    const planted = "import { parse as load } from 'yaml';\nexport const v = doc.toJS();\n";
    expect(/import \{[^}]*\bparse\b[^}]*\} from 'yaml'/.test(planted)).toBe(true);
    expect(planted.includes('.toJS(') && !planted.includes('dropUnsafeKeys(')).toBe(true);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARSE_LIMITS,
  type PathSegment,
  parseManifests,
} from '../../../src/core/manifests/parse-manifests.ts';
import { parseManifestsFromEvents } from '../../../src/core/manifests/parse-manifests-from-events.ts';
import { parseManifestsWithYaml } from '../../../src/core/manifests/parse-manifests-with-yaml.ts';

const root = join(import.meta.dirname, '../../..');

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : yamlFilesUnder(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

/** Every path into a value: each key and each item, down to the leaves. */
function pathsOf(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

/** The fast path must answer exactly as the `yaml` path: objects, documents, lines of every field. */
function expectSameAsYaml(file: string, text: string) {
  const fast = parseManifestsFromEvents(file, text);
  const slow = parseManifestsWithYaml(file, text, DEFAULT_PARSE_LIMITS);
  if (!fast) return false;
  expect(fast.findings).toEqual(slow.findings);
  expect(fast.otherDocuments, file).toBe(slow.otherDocuments);
  expect(fast.manifests.length, file).toBe(slow.manifests.length);
  fast.manifests.forEach((m, i) => {
    const s = slow.manifests[i]!;
    expect(m.object, file).toEqual(s.object);
    expect([m.documentIndex, m.line, m.identity], file).toEqual([s.documentIndex, s.line, s.identity]);
    for (const path of [[], ...pathsOf(m.object), ['no-such-key'], ['spec', 'no-such-key', 3]])
      expect(m.lineOf(path), `${file} ${path.join('.')}`).toBe(s.lineOf(path));
  });
  return true;
}

describe('parseManifestsFromEvents', () => {
  it("answers as the yaml path on every YAML file of this repository's fixtures, examples and policies", () => {
    const files = ['test/fixtures', 'examples', 'policies'].flatMap((d) => yamlFilesUnder(join(root, d)));
    expect(files.length).toBeGreaterThan(50);
    let fast = 0;
    for (const file of files) if (expectSameAsYaml(relative(root, file), readFileSync(file, 'utf8'))) fast++;
    // Most files take the fast path; the rest (errors, aliases) are the yaml path's by design.
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  it.each([
    [
      'comments, flow style, quoted keys and block scalars',
      `# leading comment
apiVersion: v1
kind: ConfigMap
metadata: {name: "cm", labels: {'app.kubernetes.io/name': x}}
data:
  "quoted key": |
    line one
    line two
  folded: >
    a
    b
  empty:
  list: [a, {b: c}, [d]]
`,
    ],
    [
      'several documents with empty and non-object ones',
      `---
---
just a string
---
apiVersion: v1
kind: Service
metadata:
  name: a
---
~
---
apiVersion: v1
kind: Service
metadata:
  name: b
...
`,
    ],
    [
      'a List and its items',
      `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: one
  - apiVersion: v1
    kind: ServiceList
    metadata: {name: nested}
    items: []
  - {apiVersion: v1, kind: Service, metadata: {name: two}}
`,
    ],
    [
      'merge keys without aliases, numbers and strings of YAML 1.2',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  <<: {merged: "yes"}
  octal12: 0o644
  hex: 0x1F
  yes: yes
  float: 1e3
  inf: -.inf
  "null": ~
  1: one
  true: yes
`,
    ],
  ])('answers as the yaml path: %s', (_name, text) => {
    expect(expectSameAsYaml('case.yaml', text)).toBe(true);
  });

  it.each([
    ['a syntax error', 'apiVersion: v1\nkind: Service\nmetadata: {name: [a}\n'],
    ['a duplicate key', 'apiVersion: v1\nkind: Service\nkind: Pod\n'],
    ['an alias', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: a}\ndata: *m\n'],
    ['an unknown tag', 'apiVersion: v1\nkind: ConfigMap\ndata: !Ref x\n'],
    ['a null key', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  ~: x\n'],
    ['a collection as a key', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  ? [a, b]\n  : x\n'],
    [
      'a scalar kustomize reads as YAML 1.1 (0644)',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nmode: 0644\n',
    ],
    ['a timestamp', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nsince: 2001-12-14\n'],
    [
      'an annotation that is not a string',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {n: 12}\n',
    ],
  ])('leaves a file with %s to the yaml path (its findings and limits)', (_name, text) => {
    expect(parseManifestsFromEvents('case.yaml', text)).toBeUndefined();
    expect(parseManifests('case.yaml', text)).toEqual(
      expect.objectContaining({
        findings: parseManifestsWithYaml('case.yaml', text, DEFAULT_PARSE_LIMITS).findings,
      }),
    );
  });

  it('keeps input keys off Object.prototype', () => {
    const parsed = parseManifests('p.yaml', 'apiVersion: v1\nkind: ConfigMap\n__proto__: {polluted: true}\n');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.manifests[0]!.object)).toBe(Object.prototype);
    // The key is dropped (a copy by assignment would take it as its prototype), with a finding.
    expect(Object.keys(parsed.manifests[0]!.object)).toEqual(['apiVersion', 'kind']);
    expect(parsed.findings.map((f) => [f.rule, f.location?.line])).toEqual([['yaml-unsafe-key', 3]]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { decidePermission } from '../../../src/core/chatops/decide-permission.ts';
import { parseTollgateConfig } from '../../../src/core/config/parse-tollgate-config.ts';
import { diffObjects } from '../../../src/core/diff/diff-objects.ts';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { parsePlainYaml } from '../../../src/core/manifests/parse-plain-yaml.ts';
import { setDotted } from '../../../src/core/policy/build-eval-context.ts';
import { compileCelExpression } from '../../../src/core/policy/cel/compile-cel-expression.ts';
import { toCelValue } from '../../../src/core/policy/cel/to-cel-value.ts';
import { evaluateJmespath } from '../../../src/core/policy/evaluate-jmespath.ts';
import { evaluatePolicies } from '../../../src/core/policy/evaluate-policies.ts';
import { loadPolicies } from '../../../src/core/policy/load-policies.ts';
import { addTestValues, emptyTestValues } from '../../../src/core/policy/parse-kyverno-test-values.ts';
import { validatePattern } from '../../../src/core/policy/validate-pattern.ts';
import { applyJsonPatch } from '../../../src/core/render/apply-json-patch.ts';
import { applyStrategicMergePatch } from '../../../src/core/render/apply-strategic-merge-patch.ts';
import { mapAt } from '../../../src/core/render/kustomize-resource.ts';
import { renderKustomization } from '../../../src/core/render/render-kustomization.ts';
import { visitFieldSpec } from '../../../src/core/render/visit-field-spec.ts';
import { dropUnsafeKeys } from '../../../src/core/safe-keys/drop-unsafe-keys.ts';

const PLANTED = ['rollback', 'confirm', 'polluted', 'x', 'lock', 'unlock', 'override'];

/** What a fresh object inherits of the keys an attack would plant. */
function inherited(): Record<string, unknown> {
  const probe = {} as Record<string, unknown>;
  return Object.fromEntries(PLANTED.map((k) => [k, probe[k]]).filter(([, v]) => v !== undefined));
}

afterEach(() => {
  // A test that failed must not leave the next one polluted.
  for (const k of PLANTED) delete (Object.prototype as Record<string, unknown>)[k];
});

const APP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  BREW: espresso\n';

function overlay(kustomization: string, extra: Record<string, string> = {}) {
  return renderKustomization(
    new Map([
      ['base/kustomization.yaml', 'resources: [app.yaml]\n'],
      ['base/app.yaml', APP],
      ['overlay/kustomization.yaml', kustomization],
      ...Object.entries(extra),
    ]),
    'overlay',
  );
}

describe('path walkers given __proto__, constructor or prototype', () => {
  it('JSON 6902 patch: refuses the path (and `from`), writes nothing onto Object.prototype', () => {
    for (const op of [
      { op: 'add', path: '/__proto__/rollback', value: 'none' },
      { op: 'replace', path: '/constructor/prototype/rollback', value: 'none' },
      { op: 'copy', from: '/__proto__', path: '/metadata/x' },
    ]) {
      const result = applyJsonPatch({ metadata: {} }, [op]);
      expect(result).toMatchObject({ operation: 0 });
      expect('error' in result && result.error).toContain('is not allowed in a path');
    }
    expect(inherited()).toEqual({});
  });

  it('JSON 6902 patch: `test` and `remove` see own fields only', () => {
    expect(applyJsonPatch({ a: {} }, [{ op: 'remove', path: '/a/toString' }])).toMatchObject({
      error: expect.stringContaining('no field `toString`'),
    });
  });

  it('kustomize patches: a JSON 6902 patch and a strategic-merge `__proto__` key are findings, not writes', () => {
    const { findings, manifests } = overlay(
      [
        'resources: [../base]',
        'patches:',
        '  - target: {kind: ConfigMap}',
        '    patch: |-',
        '      - {op: add, path: /__proto__/rollback, value: none}',
        '  - patch: |-',
        '      apiVersion: v1',
        '      kind: ConfigMap',
        '      metadata: {name: app}',
        '      __proto__: {confirm: none}',
        '',
      ].join('\n'),
    );
    expect(inherited()).toEqual({});
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining(
        'overlay/kustomization.yaml:3: operation 0 (add /__proto__/rollback): `__proto__` is not allowed in a path',
      ),
      "overlay/kustomization.yaml:6: the patch key `__proto__` would reach an object's prototype; it was not applied.",
    ]);
    const object = manifests[0]!.object;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect((object as Record<string, unknown>).confirm).toBeUndefined();
  });

  it('strategic merge: a `__proto__` key built by JSON.parse does not become the merged object’s prototype', () => {
    const patch = JSON.parse('{"metadata": {"__proto__": {"rollback": "none"}, "name": "x"}}');
    const merged = applyStrategicMergePatch({ metadata: { name: 'app' } }, patch)!;
    const meta = merged.metadata as Record<string, unknown>;
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(meta.rollback).toBeUndefined();
    expect(meta.name).toBe('x');
  });

  it('replacements: a target or source path through `__proto__` is a finding; nothing is created', () => {
    const { findings } = overlay(
      [
        'resources: [../base]',
        'replacements:',
        '  - source: {kind: ConfigMap}',
        '    targets:',
        '      - select: {kind: ConfigMap}',
        '        fieldPaths: [__proto__.rollback]',
        '        options: {create: true}',
        '  - source: {kind: ConfigMap}',
        '    targets:',
        '      - select: {kind: ConfigMap}',
        '        fieldPaths: ["data.[constructor=x].prototype"]',
        '        options: {create: true}',
        '',
      ].join('\n'),
    );
    expect(inherited()).toEqual({});
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('replacements[0]: the field path segment `__proto__` is not allowed'),
      expect.stringContaining('replacements[1]: the field path segment `[constructor=x]` is not allowed'),
    ]);
  });

  it('field specs: visitFieldSpec and mapAt never step through the prototype, even with `create`', () => {
    const visited: string[] = [];
    const object = { spec: {} };
    visitFieldSpec(object, ['__proto__', 'rollback'], true, (_h, key) => visited.push(key));
    visitFieldSpec(object, ['spec', 'constructor', 'prototype', 'rollback'], true, (_h, key) =>
      visited.push(key),
    );
    expect(visited).toEqual([]);
    expect(mapAt(object, ['__proto__'], true)).toBeUndefined();
    expect(mapAt(object, ['spec', 'constructor'])).toBeUndefined();
    expect(inherited()).toEqual({});
  });

  it('labels `fields` through `__proto__` are a finding; label and generator keys named `__proto__` too', () => {
    const { findings, manifests } = overlay(
      [
        'resources: [../base]',
        'commonLabels:',
        '  __proto__: {rollback: none}',
        'labels:',
        '  - pairs: {team: cafe}',
        '    fields: [{path: __proto__/rollback, create: true}]',
        'configMapGenerator:',
        '  - name: gen',
        '    literals: [__proto__=polluted, constructor=kept]',
        '',
      ].join('\n'),
    );
    expect(inherited()).toEqual({});
    expect(findings.map((f) => [f.rule, f.location?.line])).toEqual([
      ['unsafe-key', 3],
      ['kustomize-generator', 8],
      ['unsafe-key', 4],
    ]);
    const gen = manifests.find((m) => m.identity.kind === 'ConfigMap' && m.identity.name.startsWith('gen'))!;
    // `constructor` is an ordinary own key of a ConfigMap's data.
    expect(Object.keys(gen.object.data as object)).toEqual(['constructor']);
  });
});

describe('YAML and JSON to objects', () => {
  it('parseManifests drops a `__proto__` key (also spelled with escapes) with a finding at its line', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: app',
      '  __proto__: {rollback: none}',
      'data:',
      '  "\\x5f_proto__": {confirm: none}',
      '  constructor: kept',
      '',
    ].join('\n');
    const { manifests, findings } = parseManifests('app.yaml', text);
    expect(findings.map((f) => [f.rule, f.location?.line])).toEqual([
      ['yaml-unsafe-key', 5],
      ['yaml-unsafe-key', 7],
    ]);
    const object = manifests[0]!.object as Record<string, Record<string, unknown>>;
    expect(Object.hasOwn(object.metadata!, '__proto__')).toBe(false);
    expect(Object.hasOwn(object.data!, '__proto__')).toBe(false);
    expect(object.data!.constructor).toBe('kept');
    // A copy by assignment keeps Object.prototype as its prototype.
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(object.metadata!)) copy[k] = v;
    expect(copy.rollback).toBeUndefined();
  });

  it('parsePlainYaml (kyverno test files, values, user info) and dropUnsafeKeys on JSON', () => {
    expect(Object.hasOwn(parsePlainYaml('a: {__proto__: {x: 1}}') as { a: object }, 'a')).toBe(true);
    expect(Object.hasOwn((parsePlainYaml('a: {__proto__: {x: 1}}') as { a: object }).a, '__proto__')).toBe(
      false,
    );
    const json = JSON.parse('[{"b": {"__proto__": {"x": 1}}}]');
    expect(dropUnsafeKeys(json)).toEqual([[0, 'b', '__proto__']]);
  });

  it('.tollgate.yml with a `__proto__` key is invalid, with its line', () => {
    const { config, findings } = parseTollgateConfig(
      'chatops:\n  permissions:\n    __proto__: {rollback: none}\n',
    );
    expect(config).toBeUndefined();
    expect(findings.map((f) => f.message)).toEqual(['.tollgate.yml:3: the key `__proto__` is not allowed.']);
  });
});

describe('policy evaluation contexts', () => {
  it('setDotted refuses a context or values name through the prototype', () => {
    const ctx: Record<string, unknown> = {};
    expect(() => setDotted(ctx, '__proto__.rollback', 'none')).toThrow(/not allowed/);
    expect(() => setDotted(ctx, 'request.constructor.prototype.rollback', 'none')).toThrow(/not allowed/);
    expect(inherited()).toEqual({});
  });

  it('a policy whose context entry is named `__proto__.x` errors (never passes) and pollutes nothing', () => {
    const policy = [
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata: {name: hostile}',
      'spec:',
      '  validationFailureAction: Enforce',
      '  rules:',
      '    - name: r',
      '      match: {any: [{resources: {kinds: [ConfigMap]}}]}',
      '      context:',
      '        - name: __proto__.x',
      '          variable: {value: polluted}',
      '      validate:',
      '        pattern: {metadata: {name: "?*"}}',
      '',
    ].join('\n');
    const { policies } = loadPolicies([{ path: 'p.yaml', content: policy }]);
    const results = evaluatePolicies(policies, parseManifests('app.yaml', APP).manifests);
    expect(inherited()).toEqual({});
    expect(results.map((r) => r.status)).toEqual(['error']);
  });

  it('JMESPath reads own fields only: inherited names are missing keys, hostile literals are cleaned', () => {
    const data = { a: { constructor: 'own' }, b: {} };
    expect(evaluateJmespath('a.constructor', data)).toBe('own');
    expect(() => evaluateJmespath('b.constructor', data)).toThrow(/Unknown key/);
    expect(() => evaluateJmespath('b.__proto__', data)).toThrow(/Unknown key/);
    expect(evaluateJmespath('b.toString || `"none"`', data)).toBe('none');
    expect(evaluateJmespath('lookup(b, `"constructor"`) || `"none"`', data)).toBe('none');
    expect(evaluateJmespath('merge(b, `{"__proto__": {"x": 1}}`).x || `"clean"`', data)).toBe('clean');
    expect(() => evaluateJmespath('{"__proto__": a}', data)).toThrow(/not allowed/);
    expect(() => evaluateJmespath('object_from_lists([`"__proto__"`], [a])', data)).toThrow(/not allowed/);
    expect(inherited()).toEqual({});
  });

  it('CEL field access sees own fields only', () => {
    const object = toCelValue({ spec: {} });
    for (const expr of [
      'has(object.spec.constructor)',
      'has(object.spec.__proto__)',
      "'toString' in object.spec",
    ]) {
      const compiled = compileCelExpression(expr);
      expect(compiled.ok && compiled.evaluate({ object })).toBe(false);
    }
  });

  it('patterns read own fields: `constructor: "?*"` does not match an object without one', () => {
    expect(validatePattern({ spec: {} }, { spec: { constructor: '?*' } })).toMatchObject({ status: 'fail' });
    expect(validatePattern({ spec: {} }, { spec: { '(toString)': '?*', x: 1 } })).toMatchObject({
      status: 'skip',
    });
  });

  it('kyverno test values: a namespace named `constructor` is just a name', () => {
    const values = addTestValues(emptyTestValues(), {
      namespaceSelector: [{ name: 'constructor', labels: { env: 'prod' } }],
    });
    expect(values.namespaces.constructor).toEqual({ labels: { env: 'prod' } });
    expect(Object.getPrototypeOf(values.namespaces)).toBeNull();
  });
});

describe('look-ups keyed by input', () => {
  it('permissions are own properties: an inherited `rollback` grants nothing', () => {
    (Object.prototype as Record<string, unknown>).rollback = 'none';
    try {
      expect(decidePermission('rollback', 'none', {})).toMatchObject({
        allowed: false,
        required: 'maintain',
      });
      expect(decidePermission('rollback', 'read')).toMatchObject({ allowed: false });
    } finally {
      delete (Object.prototype as Record<string, unknown>).rollback;
    }
  });

  it('diff compares own fields: a removed `constructor` key is a removal', () => {
    expect(diffObjects({ data: { constructor: 'a' } }, { data: {} })).toEqual([
      { path: 'data.constructor', change: 'removed', before: 'a' },
    ]);
  });
});

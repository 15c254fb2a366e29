import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../../src/core/manifests/parse-manifests.ts';
import { type CelContext, evaluateCelRule } from '../../../../src/core/policy/cel/evaluate-cel-rule.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/policy/cel');

function loadObjects(file: string): Record<string, unknown>[] {
  const { manifests, findings } = parseManifests(file, readFileSync(join(FIXTURES, file), 'utf8'));
  expect(findings).toEqual([]);
  return manifests.map((m) => m.object);
}

const policy = loadObjects('cafe-policy.yaml')[0] as { spec: { rules: Record<string, unknown>[] } };
const deployments = loadObjects('cafe-deployments.yaml');

function rule(name: string): Record<string, unknown> {
  const found = policy.spec.rules.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
}

function deployment(namespace: string, name: string): Record<string, unknown> {
  const found = deployments.find((d) => {
    const meta = d.metadata as { name: string; namespace: string };
    return meta.name === name && meta.namespace === namespace;
  });
  if (!found) throw new Error(`no deployment ${namespace}/${name}`);
  return found;
}

const create = (object: unknown, extra: Partial<CelContext> = {}): CelContext => ({
  object,
  oldObject: null,
  operation: 'CREATE',
  ...extra,
});

/** A rule with just the given validate.cel expressions (and optional extras). */
function celRule(
  expressions: Record<string, unknown>[],
  cel: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name: 'r', validate: { cel: { expressions, ...cel } }, ...extra };
}

describe('evaluateCelRule on the cafe policy', () => {
  const coffee = deployment('production', 'coffee');
  const prodTea = deployment('production', 'tea');
  const stagingTea = deployment('staging', 'tea');

  it('passes the coffee deployment on every rule', () => {
    for (const r of policy.spec.rules) {
      expect(evaluateCelRule(r, create(coffee)), String(r.name)).toEqual({ status: 'pass' });
    }
  });

  it('reports untrusted images through messageExpression and lazily evaluated variables', () => {
    expect(evaluateCelRule(rule('trusted-registry'), create(prodTea))).toEqual({
      status: 'fail',
      message:
        'images must come from registry.cafe.example/, not: ghcr.io/cafe/log-shipper:2.0, docker.io/library/busybox:1.36',
    });
  });

  it('falls back to the rule message when the expression has none', () => {
    expect(evaluateCelRule(rule('no-latest-tag'), create(prodTea))).toEqual({
      status: 'fail',
      message: 'Pin every image to a version.',
    });
  });

  it('treats a missing optional path as absent (tcpSocket probe has no httpGet path)', () => {
    expect(evaluateCelRule(rule('readiness-probes'), create(prodTea))).toEqual({
      status: 'fail',
      message: 'Every container needs an HTTP readiness probe.',
    });
    expect(evaluateCelRule(rule('readiness-probes'), create(stagingTea))).toEqual({ status: 'pass' });
  });

  it('compares memory limits as quantities (1Gi is allowed, 2Gi is not)', () => {
    expect(evaluateCelRule(rule('memory-limit'), create(stagingTea))).toEqual({ status: 'pass' });
    expect(evaluateCelRule(rule('memory-limit'), create(prodTea))).toEqual({
      status: 'fail',
      message: 'Memory limits are required and may not exceed 1Gi.',
    });
  });

  it('uses the namespace of the object for namespaceObject in celPreconditions', () => {
    expect(evaluateCelRule(rule('production-replicas'), create(prodTea))).toEqual({
      status: 'fail',
      message: 'production needs 2+ replicas, got 1',
    });
    expect(evaluateCelRule(rule('production-replicas'), create(stagingTea))).toEqual({
      status: 'skip',
      message: 'celPreconditions "in-production" not met',
    });
  });

  it('requires all preconditions and names the one that did not hold', () => {
    const unlabelled = { ...prodTea, metadata: { name: 'tea', namespace: 'production' } };
    expect(evaluateCelRule(rule('pinpoint-agent-id'), create(unlabelled))).toEqual({
      status: 'skip',
      message: 'celPreconditions "has-apm-label" not met',
    });
    expect(evaluateCelRule(rule('pinpoint-agent-id'), create(prodTea))).toEqual({
      status: 'fail',
      message: expect.stringMatching(/^failed expression: object\.spec\.template\.spec\.containers\.all/),
    });
  });
});

describe('evaluateCelRule messages', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coffee', namespace: 'cafe' }, spec: {} };

  it('falls back from a non-string messageExpression to message', () => {
    const r = celRule([{ expression: 'false', messageExpression: '42', message: ' plain message ' }]);
    expect(evaluateCelRule(r, create(pod))).toEqual({ status: 'fail', message: 'plain message' });
  });

  it('falls back from a failing messageExpression to the default message', () => {
    const r = celRule([{ expression: 'false', messageExpression: 'object.nothing' }]);
    expect(evaluateCelRule(r, create(pod))).toEqual({ status: 'fail', message: 'failed expression: false' });
  });

  it('reports the first false expression only', () => {
    const r = celRule([
      { expression: 'true', message: 'one' },
      { expression: 'false', message: 'two' },
      { expression: 'false', message: 'three' },
    ]);
    expect(evaluateCelRule(r, create(pod))).toEqual({ status: 'fail', message: 'two' });
  });
});

describe('evaluateCelRule errors', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'tea', namespace: 'cafe' },
    spec: { containers: [{ name: 'tea', image: 'tea:1' }] },
  };

  it('reports a runtime missing key as fail by default, as Kyverno does', () => {
    const r = celRule([{ expression: 'object.spec.containers.all(c, c.ports.size() > 0)' }]);
    expect(evaluateCelRule(r, create(pod))).toEqual({
      status: 'fail',
      message:
        "expression 'object.spec.containers.all(c, c.ports.size() > 0)' resulted in error: No such key: ports",
    });
  });

  it('reports a runtime error as error when asked to', () => {
    const r = celRule([{ expression: 'object.spec.hostNetwork == false' }]);
    expect(evaluateCelRule(r, create(pod, { evaluationErrors: 'error' }))).toEqual({
      status: 'error',
      message: "expression 'object.spec.hostNetwork == false' resulted in error: No such key: hostNetwork",
    });
  });

  it('absorbs an error when the other side of || decides', () => {
    const r = celRule([{ expression: "object.spec.nothing == 1 || object.metadata.name == 'tea'" }]);
    expect(evaluateCelRule(r, create(pod))).toEqual({ status: 'pass' });
  });

  it('reports an expression that does not compile as error and names it', () => {
    const r = celRule([{ expression: 'object.spec.containers.all(c, c.image.startsWith("x")' }]);
    const outcome = evaluateCelRule(r, create(pod));
    expect(outcome.status).toBe('error');
    expect(outcome).toMatchObject({
      message: expect.stringContaining('validate.cel.expressions[0] does not compile'),
    });
    expect(outcome).toMatchObject({ message: expect.stringContaining('c.image.startsWith("x")') });
  });

  it('reports unknown functions at compile time', () => {
    const r = celRule([{ expression: "object.metadata.name.shout() == 'TEA'" }]);
    expect(evaluateCelRule(r, create(pod))).toMatchObject({
      status: 'error',
      message: expect.stringContaining("found no matching overload for 'dyn.shout()'"),
    });
  });

  it('reports a non-bool validation as an evaluation error', () => {
    const r = celRule([{ expression: 'object.metadata.name' }]);
    expect(evaluateCelRule(r, create(pod))).toEqual({
      status: 'fail',
      message: "expression 'object.metadata.name' did not evaluate to a bool",
    });
  });

  it('reports a variable error only where the variable is used', () => {
    const cel = { variables: [{ name: 'broken', expression: 'object.spec.missing' }] };
    expect(evaluateCelRule(celRule([{ expression: 'true' }], cel), create(pod))).toEqual({ status: 'pass' });
    expect(
      evaluateCelRule(celRule([{ expression: 'variables.broken == 1' }], cel), create(pod)),
    ).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('variable "broken" resulted in error: No such key: missing'),
    });
  });

  it('explains that authorizer needs a cluster', () => {
    const r = celRule([{ expression: "authorizer.group('').resource('pods').check('create').allowed()" }]);
    expect(evaluateCelRule(r, create(pod))).toMatchObject({
      status: 'error',
      message: expect.stringContaining('needs a cluster'),
    });
  });

  it('skips parameterised rules', () => {
    const r = celRule([{ expression: 'params.spec.max > 1' }], { paramKind: { kind: 'ConfigMap' } });
    expect(evaluateCelRule(r, create(pod))).toMatchObject({
      status: 'skip',
      message: expect.stringContaining('paramKind'),
    });
  });

  it('reports a precondition error unless another precondition is false', () => {
    const erroring = { name: 'erroring', expression: 'object.spec.nothing' };
    const falsy = { name: 'falsy', expression: 'false' };
    const expressions = [{ expression: 'true' }];
    expect(
      evaluateCelRule(celRule(expressions, {}, { celPreconditions: [erroring] }), create(pod)),
    ).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('celPreconditions "erroring" resulted in error'),
    });
    expect(
      evaluateCelRule(celRule(expressions, {}, { celPreconditions: [erroring, falsy] }), create(pod)),
    ).toEqual({
      status: 'skip',
      message: 'celPreconditions "falsy" not met',
    });
  });

  it('rejects rules without validate.cel or with malformed expressions', () => {
    expect(evaluateCelRule({ name: 'r', validate: { pattern: {} } }, create(pod)).status).toBe('error');
    expect(evaluateCelRule({ name: 'r', validate: { cel: { expressions: 'true' } } }, create(pod))).toEqual({
      status: 'error',
      message: 'invalid validate.cel: validate.cel.expressions must be a list',
    });
    expect(evaluateCelRule(celRule([{ message: 'no expression' }]), create(pod)).status).toBe('error');
  });
});

describe('evaluateCelRule bindings', () => {
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'coffee-svc' },
    spec: { ports: [{ port: 80, targetPort: 8080 }] },
  };

  it('puts a namespaced object without namespace into default', () => {
    const r = celRule([{ expression: "namespaceObject.metadata.name == 'default'" }]);
    expect(evaluateCelRule(r, create(service))).toEqual({ status: 'pass' });
  });

  it('binds null namespaceObject for cluster-scoped objects or when the caller says so', () => {
    const r = celRule([{ expression: 'namespaceObject == null' }]);
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cafe' } };
    expect(evaluateCelRule(r, create(namespace))).toEqual({ status: 'pass' });
    expect(evaluateCelRule(r, create(service, { namespaceObject: null }))).toEqual({ status: 'pass' });
  });

  it('uses a namespace object given by the caller', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', labels: { tier: 'gold' } },
    };
    const r = celRule([{ expression: "namespaceObject.metadata.labels.tier == 'gold'" }]);
    expect(evaluateCelRule(r, create(service, { namespaceObject: ns }))).toEqual({ status: 'pass' });
  });

  it('exposes request fields and oldObject', () => {
    const r = celRule([
      {
        expression:
          "request.operation == 'UPDATE' && request.kind.kind == 'Service' && request.resource.resource == 'services' && " +
          "request.namespace == 'default' && request.name == 'coffee-svc' && request.userInfo.username == 'alice' && " +
          'oldObject.spec.ports[0].port == object.spec.ports[0].port',
      },
    ]);
    const context: CelContext = {
      object: service,
      oldObject: service,
      operation: 'UPDATE',
      userInfo: { username: 'alice' },
    };
    expect(evaluateCelRule(r, context)).toEqual({ status: 'pass' });
    expect(evaluateCelRule(celRule([{ expression: 'oldObject == null' }]), create(service))).toEqual({
      status: 'pass',
    });
  });

  it('takes name and namespace from oldObject on DELETE and survives having no object at all', () => {
    const r = celRule([
      { expression: "object == null && request.name == 'coffee-svc' && request.operation == 'DELETE'" },
    ]);
    expect(evaluateCelRule(r, { object: null, oldObject: service, operation: 'DELETE' })).toEqual({
      status: 'pass',
    });
    const none = celRule([{ expression: "object == null && request.name == ''" }]);
    expect(evaluateCelRule(none, { object: null, oldObject: null, operation: 'DELETE' })).toEqual({
      status: 'pass',
    });
  });

  it('treats whole JSON numbers as int and others as double', () => {
    const r = celRule([
      { expression: 'object.spec.ports[0].port + 1 == 81' },
      { expression: 'object.spec.ports[0].port % 2 == 0' },
      { expression: 'object.spec.weight * 2.0 == 1.0' },
      { expression: 'type(object.spec.ports[0].port) == int && type(object.spec.weight) == double' },
    ]);
    const weighted = { ...service, spec: { ...service.spec, weight: 0.5 } };
    expect(evaluateCelRule(r, create(weighted))).toEqual({ status: 'pass' });
  });

  it('returns a non-optional receiver of orValue unchanged, like cel-go', () => {
    const r = celRule([{ expression: 'object.spec.ports.orValue([]).size() == 1' }]);
    expect(evaluateCelRule(r, create(service))).toEqual({ status: 'pass' });
  });

  it('lets variables use earlier variables', () => {
    const cel = {
      variables: [
        { name: 'ports', expression: 'object.spec.ports.map(p, p.port)' },
        { name: 'highest', expression: 'variables.ports.max()' },
      ],
    };
    expect(
      evaluateCelRule(celRule([{ expression: 'variables.highest == 80' }], cel), create(service)),
    ).toEqual({
      status: 'pass',
    });
  });
});

describe('evaluateCelRule robustness', () => {
  it('turns a cyclic object into an error outcome instead of throwing', () => {
    const cyclic: Record<string, unknown> = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'loop' },
    };
    cyclic.data = cyclic;
    const outcome = evaluateCelRule(celRule([{ expression: 'true' }]), create(cyclic));
    expect(outcome).toMatchObject({
      status: 'error',
      message: expect.stringContaining('CEL evaluation failed'),
    });
  });
});

describe('messageExpression that does not compile', () => {
  it('falls back to message instead of failing the rule with an error', () => {
    const rule = {
      name: 'r',
      validate: {
        cel: {
          expressions: [
            { expression: 'false', messageExpression: 'no_such_function(1)', message: 'tea only' },
          ],
        },
      },
    };
    const outcome = evaluateCelRule(rule, { object: { kind: 'Pod' }, oldObject: null, operation: 'CREATE' });
    expect(outcome).toEqual({ status: 'fail', message: 'tea only' });
  });
});

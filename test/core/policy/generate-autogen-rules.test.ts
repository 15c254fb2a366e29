import { describe, expect, it } from 'vitest';
import { generateAutogenRules } from '../../../src/core/policy/generate-autogen-rules.ts';

const podRule = {
  name: 'check',
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  preconditions: { all: [{ key: '{{ request.object.metadata.name }}', operator: 'NotEquals', value: '' }] },
  validate: {
    pattern: { spec: { containers: [{ image: '!*:latest' }] } },
    foreach: [{ list: 'request.object.spec.containers' }],
  },
};

describe('generateAutogenRules', () => {
  it('generates controller and cronjob rules with rewritten paths and wrapped patterns', () => {
    const [controllers, cronjob] = generateAutogenRules(podRule, {});
    expect(controllers?.name).toBe('autogen-check');
    expect(JSON.stringify(controllers?.match)).toContain('Deployment');
    expect((controllers!.validate as Record<string, unknown>).pattern).toEqual({
      spec: { template: { spec: { containers: [{ image: '!*:latest' }] } } },
    });
    expect(JSON.stringify(controllers)).toContain('request.object.spec.template.spec.containers');
    expect(JSON.stringify(controllers)).toContain('request.object.spec.template.metadata.name');
    expect(cronjob?.name).toBe('autogen-cronjob-check');
    expect(JSON.stringify(cronjob)).toContain(
      'request.object.spec.jobTemplate.spec.template.spec.containers',
    );
  });

  it('rewrites CEL expressions', () => {
    const rule = {
      name: 'cel',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      validate: {
        cel: { expressions: [{ expression: 'object.spec.containers.all(c, has(oldObject.metadata))' }] },
      },
    };
    const [controllers, cronjob] = generateAutogenRules(rule, {});
    expect(JSON.stringify(controllers)).toContain(
      'object.spec.template.spec.containers.all(c, has(oldObject.spec.template.metadata))',
    );
    expect(JSON.stringify(cronjob)).toContain('object.spec.jobTemplate.spec.template.spec.containers');
  });

  it('honours the autogen-controllers annotation and skips non-Pod rules', () => {
    const ann = 'pod-policies.kyverno.io/autogen-controllers';
    expect(generateAutogenRules(podRule, { [ann]: 'none' })).toEqual([]);
    const only = generateAutogenRules(podRule, { [ann]: 'Deployment' });
    expect(only.map((r) => r.name)).toEqual(['autogen-check']);
    const mixed = { ...podRule, match: { any: [{ resources: { kinds: ['Pod', 'Deployment'] } }] } };
    expect(generateAutogenRules(mixed, {})).toEqual([]);
  });
});

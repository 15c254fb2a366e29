import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkKubernetesShape } from '../../../src/core/review/check-kubernetes-shape.ts';
import { lintYamlFiles } from '../../../src/core/review/lint-yaml-files.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/lint/${name}`, import.meta.url), 'utf8');

describe('checkKubernetesShape', () => {
  it('finds each broken object with its rule and line', () => {
    const findings = checkKubernetesShape('shapes.yaml', fixture('shapes.yaml'));
    expect(findings.map((f) => [f.rule, f.location?.line])).toEqual([
      ['k8s-missing-kind', 12],
      ['k8s-missing-apiversion', 17],
      ['k8s-apiversion', 22],
      ['k8s-metadata', 30],
      ['k8s-missing-name', 36],
      ['k8s-namespace', 43],
      ['k8s-string-value', 51],
      ['k8s-string-value', 61],
      ['k8s-missing-name', 72],
    ]);
    for (const f of findings) {
      expect(f).toMatchObject({ check: 'yaml', severity: 'error', blocking: true });
      expect(f.location?.file).toBe('shapes.yaml');
    }
    expect(findings[7]!.message).toContain('env PINPOINT_AGENT_ID has value number 12345');
  });

  it('leaves non-Kubernetes YAML alone (values files, Chart.yaml, kustomization)', () => {
    expect(checkKubernetesShape('values.yaml', 'replicas: 2\nimage: {tag: "1.0"}\n')).toEqual([]);
    expect(checkKubernetesShape('Chart.yaml', 'apiVersion: v2\nname: c\nversion: 1.0.0\n')).toEqual([]);
    expect(
      checkKubernetesShape(
        'kustomization.yaml',
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
      ),
    ).toEqual([]);
  });

  it('never throws on broken YAML (parseManifests reports it)', () => {
    expect(checkKubernetesShape('x.yaml', 'a: [\n')).toEqual([]);
    expect(checkKubernetesShape('x.yaml', '- just\n- a list\n')).toEqual([]);
  });
});

describe('lintYamlFiles', () => {
  it('reports syntax errors and the shape of the well-formed documents of the same file', () => {
    const content = 'a: 1\na: 2\n---\napiVersion: v1\nkind: Service\nmetadata: {}\n';
    const findings = lintYamlFiles([{ path: 'mixed.yaml', content }]);
    expect(findings.map((f) => f.rule)).toEqual(['yaml-duplicate-key', 'k8s-missing-name']);
  });

  it('ignores files that are not YAML', () => {
    expect(lintYamlFiles([{ path: 'README.md', content: 'kind: 3\napiVersion: 1\n' }])).toEqual([]);
  });
});

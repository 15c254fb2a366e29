import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandOutput } from '../../../src/core/render/parse-command-output.ts';

const dir = new URL('../../fixtures/render/helm-lines/', import.meta.url).pathname;
const output = readFileSync(`${dir}output.yaml`, 'utf8');
const template = readFileSync(`${dir}deployment.tpl.yaml`, 'utf8');
const tree = ['chart/templates/deployment.yaml', 'chart/Chart.yaml'];

describe('parseCommandOutput: helm sources', () => {
  it('maps a document and its fields to template lines when the template text is available', () => {
    const read: string[] = [];
    const { manifests, findings } = parseCommandOutput(output, 'prod', tree, undefined, (path) => {
      read.push(path);
      return path === 'chart/templates/deployment.yaml' ? template : undefined;
    });
    expect(findings).toEqual([]);
    const [deployment, service] = manifests;
    expect(deployment!.file).toBe('chart/templates/deployment.yaml');
    expect(deployment!.line).toBe(4);
    const at = (path: (string | number)[]) => deployment!.lineOf(path);
    expect(at(['spec', 'replicas'])).toBe(11); // same key, templated value
    expect(at(['metadata', 'labels', 'app'])).toBe(9);
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value'])).toBe(19); // identical line
    expect(at(['metadata', 'name'])).toBe(7);
    // two `image:` lines in the template: no guess
    expect(at(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBeUndefined();
    expect(service!.file).toBe('<command output of env prod>');
    expect(service!.line).toBe(21);
    expect(read).toEqual(['chart/templates/deployment.yaml']);
  });

  it('keeps line 1 without template text, or when the first line is not in the template', () => {
    const without = parseCommandOutput(output, 'prod', tree);
    expect(without.manifests[0]!.line).toBe(1);
    expect(without.manifests[0]!.lineOf(['spec', 'replicas'])).toBeUndefined();
    const other = parseCommandOutput(output, 'prod', tree, undefined, () => 'kind: Something\n');
    expect(other.manifests[0]!.line).toBe(1);
  });
});

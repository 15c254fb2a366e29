import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type YAMLMap } from 'yaml';
import type { Finding } from '../findings/finding.ts';

/** Kinds that are Kubernetes-shaped (apiVersion + kind) but never sent to a cluster: no name needed. */
const NAMELESS_KINDS = new Set(['Kustomization', 'Component']);

/** `v1`, `apps/v1`, `gateway.networking.k8s.io/v1beta1`, `kustomize.config.k8s.io/v1beta1`. */
const API_VERSION =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v\d+((alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

function finding(file: string, rule: string, title: string, message: string, line: number): Finding {
  return {
    check: 'yaml',
    rule,
    severity: 'error',
    blocking: true,
    title,
    message: `${file}:${line}: ${message}`,
    remedy: 'Fix the object so that the Kubernetes API would accept it.',
    location: { file, line },
  };
}

function get(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

function keyLine(map: YAMLMap, key: string, lineAt: (o: number) => number): number | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const node = pair?.key as Node | undefined;
  return node?.range ? lineAt(node.range[0]) : undefined;
}

function describeType(node: Node | undefined): string {
  if (!node || (isScalar(node) && node.value === null)) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  const { value, source } = node as { value: unknown; source?: string };
  // `version: 1.0` loads as the number 1: show what was written.
  return `${typeof value} ${typeof source === 'string' ? source : JSON.stringify(value)}`;
}

function isString(node: Node | undefined): boolean {
  return isScalar(node) && typeof node.value === 'string';
}

/** Containers of a Pod, a pod template, or a CronJob's job template. */
function containerLists(object: YAMLMap): Node[] {
  const specs: Node[] = [];
  const spec = get(object, 'spec');
  if (!isMap(spec)) return specs;
  const podSpecs = [spec];
  const template = get(spec, 'template');
  if (isMap(template)) podSpecs.push(get(template, 'spec') as YAMLMap);
  const jobTemplate = get(spec, 'jobTemplate');
  const jobSpec = isMap(jobTemplate) ? get(jobTemplate, 'spec') : undefined;
  const jobPod = isMap(jobSpec) ? get(jobSpec, 'template') : undefined;
  if (isMap(jobPod)) podSpecs.push(get(jobPod, 'spec') as YAMLMap);
  for (const podSpec of podSpecs) {
    if (!isMap(podSpec)) continue;
    for (const key of ['containers', 'initContainers']) {
      const list = get(podSpec, key);
      if (isSeq(list)) specs.push(...(list.items as Node[]));
    }
  }
  return specs;
}

function checkObject(file: string, object: YAMLMap, lineAt: (o: number) => number, out: Finding[]): void {
  const start = object.range ? lineAt(object.range[0]) : 1;
  const at = (key: string, fallback = start) => keyLine(object, key, lineAt) ?? fallback;
  const apiVersion = get(object, 'apiVersion');
  const kind = get(object, 'kind');
  const hasApiVersion = object.has('apiVersion');
  const hasKind = object.has('kind');
  if (!hasApiVersion && !hasKind) return; // not a Kubernetes object (values file, CI config...)
  if (hasKind && !hasApiVersion && object.has('metadata')) {
    out.push(
      finding(
        file,
        'k8s-missing-apiversion',
        `Object without apiVersion in ${file}`,
        'the object has kind and metadata but no apiVersion.',
        at('kind'),
      ),
    );
    return;
  }
  if (hasApiVersion && !hasKind) {
    // Helm's Chart.yaml has apiVersion and no kind; only an object with metadata is meant for a cluster.
    if (object.has('metadata'))
      out.push(
        finding(
          file,
          'k8s-missing-kind',
          `Object without kind in ${file}`,
          'the object has apiVersion and metadata but no kind.',
          at('apiVersion'),
        ),
      );
    return;
  }
  if (!hasApiVersion) return;
  if (!isString(apiVersion) || !API_VERSION.test(String((apiVersion as { value: unknown }).value))) {
    out.push(
      finding(
        file,
        'k8s-apiversion',
        `Invalid apiVersion in ${file}`,
        `apiVersion must be a string such as "v1" or "apps/v1", not ${describeType(apiVersion)}.`,
        at('apiVersion'),
      ),
    );
  }
  if (!isString(kind) || !KIND.test(String((kind as { value: unknown }).value))) {
    out.push(
      finding(
        file,
        'k8s-kind',
        `Invalid kind in ${file}`,
        `kind must be a CamelCase string such as "Deployment", not ${describeType(kind)}.`,
        at('kind'),
      ),
    );
    return;
  }
  const kindName = String((kind as { value: unknown }).value);
  if (kindName.endsWith('List')) {
    const items = get(object, 'items');
    if (isSeq(items)) for (const item of items.items) if (isMap(item)) checkObject(file, item, lineAt, out);
    return;
  }
  if (NAMELESS_KINDS.has(kindName)) return;
  const metadata = get(object, 'metadata');
  if (!isMap(metadata)) {
    out.push(
      finding(
        file,
        'k8s-metadata',
        `${kindName} without metadata in ${file}`,
        `${kindName} needs a metadata mapping with a name; found ${describeType(metadata)}.`,
        at('metadata', at('kind')),
      ),
    );
    return;
  }
  const name = get(metadata, 'name');
  const generateName = get(metadata, 'generateName');
  if (!isString(name) && !isString(generateName)) {
    out.push(
      finding(
        file,
        'k8s-missing-name',
        `${kindName} without a name in ${file}`,
        `metadata.name must be a non-empty string; found ${describeType(name)}.`,
        keyLine(metadata, 'name', lineAt) ?? at('metadata'),
      ),
    );
  } else if (isString(name) && String((name as { value: unknown }).value).trim() === '') {
    out.push(
      finding(
        file,
        'k8s-missing-name',
        `${kindName} without a name in ${file}`,
        'metadata.name is empty.',
        keyLine(metadata, 'name', lineAt)!,
      ),
    );
  }
  const namespace = get(metadata, 'namespace');
  if (metadata.has('namespace') && !isString(namespace)) {
    out.push(
      finding(
        file,
        'k8s-namespace',
        `Invalid namespace in ${file}`,
        `metadata.namespace must be a string; found ${describeType(namespace)}.`,
        keyLine(metadata, 'namespace', lineAt)!,
      ),
    );
  }
  for (const field of ['labels', 'annotations']) {
    const map = get(metadata, field);
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const value = pair.value as Node | undefined;
      if (isString(value)) continue;
      const keyNode = pair.key as Node;
      const line = keyNode?.range ? lineAt(keyNode.range[0]) : start;
      out.push(
        finding(
          file,
          'k8s-string-value',
          `Non-string ${field.slice(0, -1)} value in ${file}`,
          `metadata.${field}.${String((pair.key as { value?: unknown })?.value)} must be a string; found ${describeType(value)} (quote it).`,
          line,
        ),
      );
    }
  }
  for (const container of containerLists(object)) {
    if (!isMap(container)) continue;
    const env = get(container, 'env');
    if (!isSeq(env)) continue;
    for (const entry of env.items) {
      if (!isMap(entry) || !entry.has('value')) continue;
      const value = get(entry, 'value');
      if (isString(value)) continue;
      const envName = get(entry, 'name');
      out.push(
        finding(
          file,
          'k8s-string-value',
          `Non-string env value in ${file}`,
          `env ${isScalar(envName) ? String(envName.value) : '(unnamed)'} has value ${describeType(value)}; env values must be strings (quote it).`,
          keyLine(entry, 'value', lineAt) ?? start,
        ),
      );
    }
  }
}

/**
 * Shape checks the Kubernetes API server would make, done offline on the YAML: objects with
 * apiVersion/kind have string apiVersion and kind, metadata with a name (or generateName), a string
 * namespace, string label/annotation values and string env values. Documents that are not
 * Kubernetes objects, and documents with syntax errors (parseManifests reports those), are skipped.
 * Never throws.
 */
export function checkKubernetesShape(file: string, content: string): Finding[] {
  const lineCounter = new LineCounter();
  const out: Finding[] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(content, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch {
    return out;
  }
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
    checkObject(file, doc.contents, lineAt, out);
  }
  return out;
}

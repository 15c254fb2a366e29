import { isClusterScoped } from '../manifests/resource-identity.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import {
  containersOf,
  findPodSpec,
  type KustomizeLevel,
  type KustomizeResource,
  mapAt,
  metadataOf,
  nameOf,
  podTemplatePath,
  renameReferences,
} from './kustomize-resource.ts';
import { renderFinding } from './render-finding.ts';

type JsonObject = Record<string, unknown>;

function invalid(level: KustomizeLevel, field: string, expected: string): void {
  level.findings.push(
    renderFinding(
      'kustomize-invalid-field',
      `Invalid \`${field}\` in ${level.file}`,
      `${level.file}:${level.lineOf([field]) ?? 1}: \`${field}\` must be ${expected}.`,
      { file: level.file, line: level.lineOf([field]) },
    ),
  );
}

function stringMap(level: KustomizeLevel, field: string, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    invalid(level, field, 'a map of names to values');
    return undefined;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

const SELECTOR_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'selector', 'matchLabels']],
  ReplicaSet: [['spec', 'selector', 'matchLabels']],
  DaemonSet: [['spec', 'selector', 'matchLabels']],
  StatefulSet: [['spec', 'selector', 'matchLabels']],
  Service: [['spec', 'selector']],
  PodDisruptionBudget: [['spec', 'selector', 'matchLabels']],
  NetworkPolicy: [['spec', 'podSelector', 'matchLabels']],
};

function addTo(object: JsonObject, path: string[], pairs: Record<string, string>): void {
  Object.assign(mapAt(object, path, true) ?? {}, pairs);
}

function addLabels(
  resources: KustomizeResource[],
  pairs: Record<string, string>,
  selectors: boolean,
  templates: boolean,
) {
  for (const { object } of resources) {
    addTo(object, ['metadata', 'labels'], pairs);
    const kind = String(object.kind);
    const template = podTemplatePath(object);
    if ((selectors || templates) && template) {
      addTo(object, [...template, 'metadata', 'labels'], pairs);
      if (kind === 'CronJob') addTo(object, ['spec', 'jobTemplate', 'metadata', 'labels'], pairs);
    }
    if (selectors) for (const path of SELECTOR_PATHS[kind] ?? []) addTo(object, path, pairs);
  }
}

/**
 * The kustomize transformers of one level, in kustomize's order after the patches: namespace,
 * name prefix/suffix (with ConfigMap/Secret references renamed), labels, annotations. Modifies the
 * resources in place; problems become findings.
 */
export function applyMetadataTransforms(
  level: KustomizeLevel,
  k: JsonObject,
  resources: KustomizeResource[],
): void {
  if (k.namespace !== undefined) {
    if (typeof k.namespace !== 'string') invalid(level, 'namespace', 'a string');
    else
      for (const { object } of resources) {
        if (!isClusterScoped(String(object.kind))) metadataOf(object).namespace = k.namespace;
      }
  }
  const prefix = k.namePrefix ?? '';
  const suffix = k.nameSuffix ?? '';
  if (typeof prefix !== 'string') invalid(level, 'namePrefix', 'a string');
  else if (typeof suffix !== 'string') invalid(level, 'nameSuffix', 'a string');
  else if (prefix || suffix) {
    const renames = { ConfigMap: new Map<string, string>(), Secret: new Map<string, string>() };
    for (const { object } of resources) {
      const kind = String(object.kind);
      if (kind === 'Namespace' || kind === 'CustomResourceDefinition') continue;
      const name = nameOf(object);
      const renamed = `${prefix}${name}${suffix}`;
      metadataOf(object).name = renamed;
      if (kind === 'ConfigMap' || kind === 'Secret') renames[kind].set(name, renamed);
    }
    renameReferences(resources, 'ConfigMap', renames.ConfigMap);
    renameReferences(resources, 'Secret', renames.Secret);
  }
  const common = stringMap(level, 'commonLabels', k.commonLabels);
  if (common) addLabels(resources, common, true, true);
  if (k.labels !== undefined) {
    if (!Array.isArray(k.labels)) invalid(level, 'labels', 'a list of `pairs` entries');
    else
      for (const entry of k.labels) {
        const pairs = isPlainObject(entry) ? stringMap(level, 'labels', entry.pairs) : undefined;
        if (!pairs || !isPlainObject(entry)) continue;
        addLabels(resources, pairs, entry.includeSelectors === true, entry.includeTemplates === true);
      }
  }
  const annotations = stringMap(level, 'commonAnnotations', k.commonAnnotations);
  if (annotations)
    for (const { object } of resources) {
      addTo(object, ['metadata', 'annotations'], annotations);
      const template = podTemplatePath(object);
      if (template) addTo(object, [...template, 'metadata', 'annotations'], annotations);
    }
}

const SCALABLE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** `replicas` ({name, count}) and `images` ({name, newName, newTag, digest}). */
export function applyReplicasAndImages(
  level: KustomizeLevel,
  k: JsonObject,
  resources: KustomizeResource[],
): void {
  if (k.replicas !== undefined) {
    if (!Array.isArray(k.replicas)) invalid(level, 'replicas', 'a list of {name, count}');
    else
      k.replicas.forEach((entry, i) => {
        if (!isPlainObject(entry) || typeof entry.name !== 'string' || typeof entry.count !== 'number') {
          invalid(level, 'replicas', `a list of {name, count} (item ${i})`);
          return;
        }
        for (const r of resources) {
          if (!SCALABLE_KINDS.has(String(r.object.kind))) continue;
          if (nameOf(r.object) !== entry.name && r.originalName !== entry.name) continue;
          (mapAt(r.object, ['spec'], true) ?? {}).replicas = entry.count;
        }
      });
  }
  if (k.images !== undefined) {
    if (!Array.isArray(k.images)) {
      invalid(level, 'images', 'a list of {name, newName, newTag, digest}');
      return;
    }
    for (const entry of k.images) {
      if (!isPlainObject(entry) || typeof entry.name !== 'string') {
        invalid(level, 'images', 'a list of {name, newName, newTag, digest}');
        continue;
      }
      for (const { object } of resources) {
        const pod = findPodSpec(object);
        if (!pod) continue;
        for (const container of containersOf(pod)) {
          if (typeof container.image === 'string') container.image = retagImage(container.image, entry);
        }
      }
    }
  }
}

/** `registry:5000/app:1.2@sha256:…` → name, tag, digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest ? { digest } : {}) };
  }
  return { name: rest, ...(digest ? { digest } : {}) };
}

function retagImage(image: string, entry: JsonObject): string {
  const parts = splitImage(image);
  if (parts.name !== entry.name) return image;
  const name = typeof entry.newName === 'string' ? entry.newName : parts.name;
  if (typeof entry.digest === 'string') return `${name}@${entry.digest}`;
  if (entry.newTag !== undefined && entry.newTag !== null) return `${name}:${String(entry.newTag)}`;
  return `${name}${parts.tag ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}

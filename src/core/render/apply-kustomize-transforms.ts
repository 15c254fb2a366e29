import { isUnsafeKey } from '../safe-keys/is-unsafe-key.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { buildUnsafeKeyFinding } from './build-unsafe-key-finding.ts';
import { isKustomizeClusterScoped } from './is-kustomize-cluster-scoped.ts';
import {
  type KustomizeLevel,
  type KustomizeResource,
  mapAt,
  nameOf,
  podTemplatePath,
  renameResource,
} from './kustomize-resource.ts';
import { type FieldSpec, fieldSpecApplies, splitFieldSpecPath, visitFieldSpec } from './visit-field-spec.ts';

type JsonObject = Record<string, unknown>;

function invalid(level: KustomizeLevel, field: string, expected: string): void {
  level.findings.push(
    buildRenderFinding(
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

const TEMPLATE_LABEL_KINDS = [
  'ReplicationController',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Job',
] as const;

/**
 * Where kustomize puts labels (its `metadataLabels` and `commonLabels` fieldSpecs,
 * `api/konfig/builtinpluginconsts/{metadatalabels,commonlabels}.go`): object labels always; pod
 * template labels with `includeTemplates`; with `includeSelectors` (and `commonLabels`) also the
 * selectors, created where kustomize creates them and only updated where they exist (`create: false`).
 */
const TEMPLATE_LABELS: readonly FieldSpec[] = [
  ...TEMPLATE_LABEL_KINDS.map((kind) => ({ kind, path: 'spec/template/metadata/labels', create: true })),
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/metadata/labels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
];

const AFFINITY_SELECTORS = [
  'podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
  'podAffinity/requiredDuringSchedulingIgnoredDuringExecution',
  'podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
  'podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution',
].map((p) => `spec/template/spec/affinity/${p}/labelSelector/matchLabels`);

const SELECTOR_LABELS: readonly FieldSpec[] = [
  { kind: 'Service', version: 'v1', path: 'spec/selector', create: true },
  { kind: 'ReplicationController', version: 'v1', path: 'spec/selector', create: true },
  ...['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].map((kind) => ({
    kind,
    path: 'spec/selector/matchLabels',
    create: true,
  })),
  ...['Deployment', 'StatefulSet'].flatMap((kind) => [
    ...AFFINITY_SELECTORS.map((path) => ({ kind, path })),
    { kind, path: 'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels' },
  ]),
  { kind: 'Job', path: 'spec/selector/matchLabels' },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/selector/matchLabels' },
  { kind: 'PodDisruptionBudget', path: 'spec/selector/matchLabels' },
  { kind: 'NetworkPolicy', path: 'spec/podSelector/matchLabels' },
  { kind: 'NetworkPolicy', path: 'spec/ingress/from/podSelector/matchLabels' },
  { kind: 'NetworkPolicy', path: 'spec/egress/to/podSelector/matchLabels' },
];

function addTo(object: JsonObject, path: string[], pairs: Record<string, string>): void {
  Object.assign(mapAt(object, path, true) ?? {}, pairs);
}

function addAtFieldSpecs(object: JsonObject, specs: readonly FieldSpec[], pairs: Record<string, string>) {
  for (const spec of specs) {
    if (!fieldSpecApplies(spec, object)) continue;
    visitFieldSpec(object, splitFieldSpecPath(spec.path, true), spec.create === true, (holder, key) => {
      const current = readOwn(holder, key);
      if (!isPlainObject(current)) {
        if (current !== undefined && current !== null) return;
        holder[key] = {};
      }
      Object.assign(holder[key] as JsonObject, pairs);
    });
  }
}

function addLabels(
  resources: KustomizeResource[],
  pairs: Record<string, string>,
  selectors: boolean,
  templates: boolean,
  fields: readonly FieldSpec[] = [],
) {
  for (const { object } of resources) {
    addTo(object, ['metadata', 'labels'], pairs);
    if (selectors || templates) addAtFieldSpecs(object, TEMPLATE_LABELS, pairs);
    if (selectors) addAtFieldSpecs(object, SELECTOR_LABELS, pairs);
    addAtFieldSpecs(object, fields, pairs);
  }
}

function fieldSpecsOf(level: KustomizeLevel, value: unknown): FieldSpec[] {
  if (value === undefined) return [];
  const specs = Array.isArray(value)
    ? value.filter((f): f is JsonObject => isPlainObject(f) && typeof f.path === 'string')
    : [];
  if (!Array.isArray(value) || specs.length !== value.length)
    invalid(level, 'labels', 'a list of entries whose `fields` are {path, kind, group, version, create}');
  const unsafe = specs.find((f) => splitFieldSpecPath(f.path as string).some(isUnsafeKey));
  if (unsafe)
    level.findings.push(
      buildUnsafeKeyFinding(
        level.file,
        level.lineOf(['labels']),
        `the label field path \`${String(unsafe.path)}\``,
      ),
    );
  return specs.map((f) => ({
    path: f.path as string,
    create: f.create === true,
    ...(typeof f.kind === 'string' ? { kind: f.kind } : {}),
    ...(typeof f.group === 'string' ? { group: f.group } : {}),
    ...(typeof f.version === 'string' ? { version: f.version } : {}),
  }));
}

/**
 * The kustomize transformers of one level, in kustomize's order after the patches: namespace
 * (RoleBinding subjects named `default` included, as kustomize's default `defaultOnly` mode does),
 * name prefix/suffix, labels, annotations. Renames are remembered on each resource; references
 * follow at the end of the build (fixNameReferences). Modifies the resources in place; problems
 * become findings.
 */
export function applyMetadataTransforms(
  level: KustomizeLevel,
  k: JsonObject,
  resources: KustomizeResource[],
): void {
  if (k.namespace !== undefined) {
    if (typeof k.namespace !== 'string') invalid(level, 'namespace', 'a string');
    else
      for (const r of resources) {
        const kind = String(r.object.kind);
        if (!isKustomizeClusterScoped(r.object.apiVersion, kind))
          renameResource(r, { namespace: k.namespace });
        if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
          for (const subject of Array.isArray(r.object.subjects) ? r.object.subjects : []) {
            if (isPlainObject(subject) && subject.name === 'default') subject.namespace = k.namespace;
          }
        }
      }
  }
  const prefix = k.namePrefix ?? '';
  const suffix = k.nameSuffix ?? '';
  if (typeof prefix !== 'string') invalid(level, 'namePrefix', 'a string');
  else if (typeof suffix !== 'string') invalid(level, 'nameSuffix', 'a string');
  else if (prefix || suffix) {
    for (const r of resources) {
      const kind = String(r.object.kind);
      // kustomize's prefix/suffix transformer leaves these names alone.
      if (kind === 'Namespace' || kind === 'CustomResourceDefinition' || kind === 'APIService') continue;
      renameResource(r, { name: `${prefix}${nameOf(r.object)}${suffix}`, prefix, suffix });
    }
  }
  if (k.labels !== undefined) {
    if (!Array.isArray(k.labels)) invalid(level, 'labels', 'a list of `pairs` entries');
    else
      for (const entry of k.labels) {
        const pairs = isPlainObject(entry) ? stringMap(level, 'labels', entry.pairs) : undefined;
        if (!pairs || !isPlainObject(entry)) continue;
        addLabels(
          resources,
          pairs,
          entry.includeSelectors === true,
          entry.includeTemplates === true,
          fieldSpecsOf(level, entry.fields),
        );
      }
  }
  // kustomize turns commonLabels into the last `labels` entry: on a shared key, commonLabels wins.
  const common = stringMap(level, 'commonLabels', k.commonLabels);
  if (common) addLabels(resources, common, true, true);
  const annotations = stringMap(level, 'commonAnnotations', k.commonAnnotations);
  if (annotations)
    for (const { object } of resources) {
      addTo(object, ['metadata', 'annotations'], annotations);
      const template = podTemplatePath(object);
      if (template) addTo(object, [...template, 'metadata', 'annotations'], annotations);
      // kustomize's commonAnnotations fieldSpecs also annotate a CronJob's job template.
      if (object.kind === 'CronJob')
        addTo(object, ['spec', 'jobTemplate', 'metadata', 'annotations'], annotations);
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
        let matched = 0;
        for (const r of resources) {
          if (!SCALABLE_KINDS.has(String(r.object.kind))) continue;
          if (nameOf(r.object) !== entry.name && r.originalName !== entry.name) continue;
          (mapAt(r.object, ['spec'], true) ?? {}).replicas = entry.count;
          matched++;
        }
        // kustomize refuses a `replicas` entry that names no Deployment, StatefulSet, ReplicaSet or ReplicationController.
        if (matched === 0)
          invalid(
            level,
            'replicas',
            `a list of {name, count} naming a Deployment, StatefulSet, ReplicaSet or ReplicationController of the build (\`${entry.name}\` names none)`,
          );
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
      for (const { object } of resources)
        for (const container of containersAnywhere(object)) {
          if (typeof container.image === 'string') container.image = retagImage(container.image, entry);
        }
    }
  }
}

/**
 * Items of every `containers` and `initContainers` list anywhere in an object: kustomize's image
 * transformer looks for them in any kind (custom resources too), not only in pod templates.
 */
function containersAnywhere(object: unknown, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(object)) {
    for (const item of object) containersAnywhere(item, out);
  } else if (isPlainObject(object)) {
    for (const [key, value] of Object.entries(object)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value))
        out.push(...value.filter(isPlainObject));
      containersAnywhere(value, out);
    }
  }
  return out;
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
  const tag = typeof entry.newTag === 'string' && entry.newTag ? entry.newTag : undefined;
  if (typeof entry.digest === 'string' && entry.digest)
    return `${name}${tag ? `:${tag}` : ''}@${entry.digest}`;
  if (tag) return `${name}:${tag}`;
  return `${name}${parts.tag ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}

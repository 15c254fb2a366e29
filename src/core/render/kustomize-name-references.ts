import type { Finding } from '../findings/finding.ts';
import { splitApiVersion } from '../manifests/resource-identity.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { isKustomizeClusterScoped } from './is-kustomize-cluster-scoped.ts';
import { type KustomizeResource, metadataOf, nameOf } from './kustomize-resource.ts';
import { type FieldSpec, fieldSpecApplies, splitFieldSpecPath, visitFieldSpec } from './visit-field-spec.ts';

/** A kind whose name other objects refer to, and the fields holding those references. */
interface NameReference {
  kind: string;
  group?: string;
  referrers: (FieldSpec & { namespaceOnly?: boolean })[];
}

const POD_SPEC_OF: Record<string, string> = {
  Pod: 'spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
};

/** The same pod-spec field paths for each listed kind. */
function inPodSpecs(kinds: readonly string[], paths: readonly string[]): FieldSpec[] {
  return kinds.flatMap((kind) => paths.map((p) => ({ kind, path: `${POD_SPEC_OF[kind]}/${p}` })));
}

const KINDS_WITH_CONFIG_REFS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
];
const KINDS_WITH_SA = [
  'Pod',
  'StatefulSet',
  'Deployment',
  'ReplicationController',
  'CronJob',
  'Job',
  'DaemonSet',
];

/**
 * kustomize's built-in `nameReference` configuration (kustomize `api/konfig/builtinpluginconsts/
 * namereference.go`, listed in its docs "examples/transformerconfigs" as "builtin NameReference"):
 * when a ConfigMap, Secret, Service, ServiceAccount... is renamed (prefix, suffix, content hash),
 * these fields of other objects follow. Gateway API routes are not in kustomize's list (their
 * `backendRefs` keep the old Service name under `kustomize build` too), so not here either.
 */
export const NAME_REFERENCES: readonly NameReference[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({
    kind,
    referrers: [{ kind: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' }],
  })),
  {
    kind: 'ConfigMap',
    referrers: [
      ...inPodSpecs(KINDS_WITH_CONFIG_REFS, [
        'volumes/configMap/name',
        'containers/env/valueFrom/configMapKeyRef/name',
        'initContainers/env/valueFrom/configMapKeyRef/name',
        'containers/envFrom/configMapRef/name',
        'initContainers/envFrom/configMapRef/name',
        'volumes/projected/sources/configMap/name',
      ]),
      { kind: 'PodTemplate', path: 'template/spec/volumes/configMap/name' },
      { kind: 'Node', path: 'spec/configSource/configMap' },
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      {
        kind: 'Ingress',
        path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap',
      },
    ],
  },
  {
    kind: 'Secret',
    referrers: [
      ...inPodSpecs(KINDS_WITH_CONFIG_REFS, [
        'volumes/secret/secretName',
        'containers/env/valueFrom/secretKeyRef/name',
        'initContainers/env/valueFrom/secretKeyRef/name',
        'containers/envFrom/secretRef/name',
        'initContainers/envFrom/secretRef/name',
        'imagePullSecrets/name',
        'volumes/projected/sources/secret/name',
      ]),
      { kind: 'Ingress', path: 'spec/tls/secretName' },
      { kind: 'Ingress', path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
      { kind: 'ServiceAccount', path: 'imagePullSecrets/name' },
      ...['secretName', 'adminSecretName', 'userSecretName', 'secretRef'].map((p) => ({
        kind: 'StorageClass',
        path: `parameters/${p}`,
      })),
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      {
        kind: 'Service',
        group: 'serving.knative.dev',
        path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name',
      },
      { kind: 'PersistentVolume', path: 'spec/azureFile/secretName' },
    ],
  },
  {
    kind: 'Service',
    group: '',
    referrers: [
      { kind: 'StatefulSet', group: 'apps', path: 'spec/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/service/name' },
      { kind: 'Ingress', path: 'spec/defaultBackend/service/name' },
      { kind: 'APIService', group: 'apiregistration.k8s.io', path: 'spec/service' },
      // kustomize 5.5 moves a CRD's conversion webhook Service reference to the Service's new
      // namespace, but keeps the name as written (checked with `kubectl kustomize`).
      {
        kind: 'CustomResourceDefinition',
        path: 'spec/conversion/webhook/clientConfig/service',
        namespaceOnly: true,
      },
      { kind: 'ValidatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
      { kind: 'MutatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
    ],
  },
  { kind: 'Role', referrers: [{ kind: 'RoleBinding', path: 'roleRef/name' }] },
  {
    kind: 'ClusterRole',
    referrers: [
      { kind: 'RoleBinding', path: 'roleRef/name' },
      { kind: 'ClusterRoleBinding', path: 'roleRef/name' },
    ],
  },
  {
    kind: 'ServiceAccount',
    referrers: [
      { kind: 'RoleBinding', path: 'subjects' },
      { kind: 'ClusterRoleBinding', path: 'subjects' },
      ...inPodSpecs(KINDS_WITH_SA, ['serviceAccountName']),
    ],
  },
  {
    kind: 'PersistentVolumeClaim',
    referrers: inPodSpecs(KINDS_WITH_SA, ['volumes/persistentVolumeClaim/claimName']),
  },
  {
    kind: 'PersistentVolume',
    referrers: [
      { kind: 'PersistentVolumeClaim', path: 'spec/volumeName' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
    ],
  },
  {
    kind: 'StorageClass',
    referrers: [
      { kind: 'PersistentVolume', path: 'spec/storageClassName' },
      { kind: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
      { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
    ],
  },
  { kind: 'PriorityClass', referrers: inPodSpecs(KINDS_WITH_SA, ['priorityClassName']) },
  // kustomize lists IngressClass with the group `networking.k8s.io/v1`, which no object has: an
  // Ingress's ingressClassName keeps the old name under kustomize, so it is not listed here.
  {
    kind: 'ValidatingAdmissionPolicy',
    referrers: [{ kind: 'ValidatingAdmissionPolicyBinding', path: 'spec/policyName' }],
  },
];

/** Reference fields that hold a map naming the object (`{kind?, name, namespace?}`), not a string. */
const MAP_REFERENCES = new Set(['subjects', 'service', 'configMap']);

interface Candidate {
  resource: KustomizeResource;
  names: Set<string>;
  namespaces: Set<string>;
}

/**
 * Points references at the final names of renamed objects (kustomize's name reference
 * transformer, run once at the end of the build after content hashes): a referring field whose
 * value is the current or any previous name of an object of the referenced kind gets the current
 * name; map references (RoleBinding subjects, webhook services) also get the namespace. Only
 * objects in the referrer's namespace (or the one the reference names) count; among several, the
 * one that got the same prefixes and suffixes wins; when that still leaves several, a finding
 * says so and the field is left as it is.
 */
export function fixNameReferences(resources: readonly KustomizeResource[], findings: Finding[]): void {
  const renamed = resources.filter((r) => r.previous?.length);
  if (renamed.length === 0) return;
  const byKind = new Map<string, Candidate[]>();
  for (const r of resources) {
    const kind = String(r.object.kind);
    const list = byKind.get(kind) ?? [];
    list.push({
      resource: r,
      names: new Set([nameOf(r.object), ...(r.previous ?? []).map((p) => p.name)]),
      namespaces: new Set([
        String(metadataOf(r.object).namespace ?? ''),
        ...(r.previous ?? []).map((p) => p.namespace),
      ]),
    });
    byKind.set(kind, list);
  }
  const renamedKinds = new Set(renamed.map((r) => String(r.object.kind)));
  for (const ref of NAME_REFERENCES) {
    if (!renamedKinds.has(ref.kind)) continue;
    const candidates = (byKind.get(ref.kind) ?? []).filter(
      (c) =>
        ref.group === undefined || splitApiVersion(String(c.resource.object.apiVersion)).group === ref.group,
    );
    for (const referrer of resources) {
      for (const spec of ref.referrers) {
        if (!fieldSpecApplies(spec, referrer.object)) continue;
        const path = splitFieldSpecPath(spec.path);
        const field = path.at(-1)!;
        visitFieldSpec(referrer.object, path, false, (holder, key) => {
          const fix = (value: unknown, namespace: string | undefined) =>
            typeof value === 'string'
              ? pickReferral(ref.kind, candidates, value, namespace, referrer, findings)
              : undefined;
          const referrerNs = String(metadataOf(referrer.object).namespace ?? '');
          const value = holder[key];
          if (MAP_REFERENCES.has(field)) {
            for (const entry of Array.isArray(value) ? value : [value]) {
              if (!isPlainObject(entry)) continue;
              // kustomize does not look at a subject's kind: a User named like a renamed
              // ServiceAccount follows it too (checked with `kubectl kustomize`).
              const ns = typeof entry.namespace === 'string' ? entry.namespace : undefined;
              const target = fix(entry.name, ns ?? (field === 'subjects' ? referrerNs : undefined));
              if (!target) continue;
              if (!spec.namespaceOnly) entry.name = nameOf(target.object);
              const targetNs = metadataOf(target.object).namespace;
              if (typeof targetNs === 'string' && targetNs && (ns !== undefined || field === 'subjects'))
                entry.namespace = targetNs;
            }
            return;
          }
          if (
            key === 'name' &&
            isPlainObject(holder) &&
            typeof holder.kind === 'string' &&
            holder.kind !== ref.kind
          )
            return; // roleRef / scaleTargetRef naming another kind
          if (Array.isArray(value)) {
            holder[key] = value.map((v) => {
              const target = fix(v, referrerNs);
              return target ? nameOf(target.object) : v;
            });
            return;
          }
          const target = fix(value, referrerNs);
          if (target) holder[key] = nameOf(target.object);
        });
      }
    }
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).join('\u0000') === (b ?? []).join('\u0000');
}

function pickReferral(
  kind: string,
  candidates: readonly Candidate[],
  name: string,
  namespace: string | undefined,
  referrer: KustomizeResource,
  findings: Finding[],
): KustomizeResource | undefined {
  let matches = candidates.filter((c) => c.names.has(name));
  if (namespace !== undefined && !isKustomizeClusterScoped('v1', kind)) {
    // An object without a namespace lands in `default`.
    const ns = namespace || 'default';
    matches = matches.filter((c) => [...c.namespaces].some((n) => (n || 'default') === ns));
  }
  if (matches.length === 0) return undefined;
  if (matches.length > 1) {
    const same = matches.filter(
      (c) =>
        sameList(c.resource.prefixes, referrer.prefixes) && sameList(c.resource.suffixes, referrer.suffixes),
    );
    if (same.length > 0) matches = same;
  }
  if (matches.length > 1) {
    const exact = matches.filter((c) => nameOf(c.resource.object) === name);
    if (exact.length === 1) return exact[0]!.resource;
    findings.push(
      buildRenderFinding(
        'kustomize-reference',
        `Ambiguous reference to ${kind} \`${name}\``,
        `${referrer.file}:${referrer.line}: ${String(referrer.object.kind)} \`${nameOf(referrer.object)}\` refers to ${kind} \`${name}\`, which several objects of the build were called (${matches.map((m) => nameOf(m.resource.object)).join(', ')}); the reference was left as written.`,
        { file: referrer.file, line: referrer.line },
      ),
    );
    return undefined;
  }
  return matches[0]!.resource;
}

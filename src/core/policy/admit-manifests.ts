/**
 * Admission of one environment's manifests, as the cluster would do it: each object through the
 * repository's mutating policies, then validated (and generating) on the mutated object. What the
 * merge request shows: the objects as the cluster stores them, which policy changed which
 * fields, the policy results, and the objects the policies would generate.
 */
import { diffObjects } from '../diff/diff-objects.ts';
import type { Manifest } from '../manifests/parse-manifests.ts';
import { formatResourceId, identifyResource } from '../manifests/resource-identity.ts';
import type { CelPolicy } from './cel-policies/cel-policy.ts';
import { collectNamespaces, type EvaluateOptions, policyAppliesToEnvironment } from './evaluate-policies.ts';
import type { JsonObject, KyvernoPolicy } from './kyverno-policy.ts';
import type { PolicyResult } from './policy-result.ts';
import { createAdmissionPipeline } from './run-admission-pipeline.ts';

export interface PolicyMutation {
  policy: string;
  /** Changed field paths (`metadata.labels.team`, `spec.containers[name=app].resources`). */
  fields: string[];
}

export interface GeneratedObject {
  policy: string;
  /** `Kind/namespace/name` of the generated object. */
  id: string;
  /** The object the trigger generates. */
  trigger: string;
  object: JsonObject;
}

export interface AdmittedManifests {
  /** The manifests with their objects as stored after mutation (same order; unmutated ones unchanged). */
  manifests: Manifest[];
  results: PolicyResult[];
  /** Mutations by object id (`Kind/namespace/name`). */
  mutations: Map<string, PolicyMutation[]>;
  generated: GeneratedObject[];
}

export function admitManifests(
  policies: KyvernoPolicy[],
  celPolicies: CelPolicy[],
  manifests: Manifest[],
  options: EvaluateOptions = {},
): AdmittedManifests {
  const active = policies.filter((p) => policyAppliesToEnvironment(p, options.environment));
  const pipeline = createAdmissionPipeline({
    policies: active,
    celPolicies,
    options: { ...options, namespaces: options.namespaces ?? collectNamespaces(manifests) },
    paramObjects: manifests.map((m) => m.object),
  });
  const out: AdmittedManifests = { manifests: [], results: [], mutations: new Map(), generated: [] };
  for (const manifest of manifests) {
    const run = pipeline.run(manifest);
    const id = formatResourceId(manifest.identity);
    const results = [
      ...active.flatMap((p) => run.results(p)),
      ...celPolicies.flatMap((p) => run.celResults(p)),
    ];
    for (const r of results) {
      if (options.environment) r.environment = options.environment;
      out.results.push(r);
    }
    if (run.mutations.length > 0) {
      out.mutations.set(
        id,
        run.mutations.map((step) => ({
          policy: step.policy,
          fields: diffObjects(step.before, step.after).map((f) => f.path),
        })),
      );
      out.manifests.push({ ...manifest, object: run.final });
    } else out.manifests.push(manifest);
    for (const g of run.generated) {
      const identity = identifyResource(g.object);
      out.generated.push({
        policy: g.policy,
        id: identity ? formatResourceId(identity) : String(g.object.kind ?? 'object'),
        trigger: id,
        object: g.object,
      });
    }
  }
  return out;
}

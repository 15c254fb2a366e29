/**
 * Admission as Kyverno runs it, for one resource: first every mutating policy (ClusterPolicy
 * mutate rules, MutatingPolicy) in order, each seeing the object as the previous one left it;
 * then validation (validate rules, ValidatingPolicy, ValidatingAdmissionPolicy) and generation
 * (generate rules, GeneratingPolicy) on the mutated object. Results per policy are kept, with the
 * object each policy left and the objects it generates.
 */
import type { Manifest } from '../manifests/parse-manifests.ts';
import type { AdmissionOperation } from './cel/evaluate-cel-rule.ts';
import type { ClusterMocks } from './cel/register-cluster-libraries.ts';
import type { CelPolicy } from './cel-policies/cel-policy.ts';
import {
  type CelPolicyEnvironment,
  evaluateCelPolicyOnResource,
} from './cel-policies/evaluate-cel-policy-on-resource.ts';
import { type EvaluateOptions, runPolicyOnResource } from './evaluate-policies.ts';
import type { JsonObject, KyvernoPolicy } from './kyverno-policy.ts';
import { foreachValuesFor, ruleValuesFor, type TestValues, valuesFor } from './parse-kyverno-test-values.ts';
import type { PolicyResult } from './policy-result.ts';

export interface AdmissionPipelineInput {
  policies: KyvernoPolicy[];
  celPolicies: CelPolicy[];
  options: EvaluateOptions;
  /** A `kyverno test` values file (per-policy, per-resource, per-rule values). */
  values?: TestValues;
  mocks?: ClusterMocks;
  /** Objects a ValidatingAdmissionPolicy's paramRef can name. */
  paramObjects?: JsonObject[];
}

export interface AdmissionRun {
  /** The object as the cluster stores it after every mutating policy. */
  final: JsonObject;
  results(policy: KyvernoPolicy): PolicyResult[];
  celResults(policy: CelPolicy): PolicyResult[];
  /** The object after this policy's mutations (undefined: it changed nothing). */
  patchedBy(key: string): JsonObject | undefined;
  generatedBy(key: string): JsonObject[];
  /** Each policy that changed the object, in order, with the object before and after it. */
  mutations: MutationStep[];
  /** Generated objects with the policy that generates them. */
  generated: { policy: string; object: JsonObject }[];
}

export interface MutationStep {
  policy: string;
  before: JsonObject;
  after: JsonObject;
}

export function classicKey(policy: KyvernoPolicy): string {
  return `classic\u0000${policy.namespace ?? ''}\u0000${policy.name}`;
}

export function celKey(policy: CelPolicy): string {
  return `cel\u0000${policy.writtenKind}\u0000${policy.name}`;
}

function hasMutateRules(policy: KyvernoPolicy): boolean {
  return policy.rules.some((r) => r.raw.mutate !== undefined);
}

export function createAdmissionPipeline(input: AdmissionPipelineInput): { run(m: Manifest): AdmissionRun } {
  const cache = new Map<Manifest, AdmissionRun>();
  const classicRun = (policy: KyvernoPolicy, manifest: Manifest, phase: 'mutate' | 'validate') => {
    const values = input.values;
    const ruleValues = values ? ruleValuesFor(values, policy.name) : undefined;
    const foreachValues = values ? foreachValuesFor(values, policy.name) : undefined;
    return runPolicyOnResource(
      policy,
      {
        manifest,
        ...(values ? { values: valuesFor(values, policy.name, manifest.identity.name) } : {}),
        ...(ruleValues ? { ruleValues } : {}),
        ...(foreachValues ? { foreachValues } : {}),
      },
      input.options,
      phase,
    );
  };
  const celEnvironment = (m: Manifest): CelPolicyEnvironment => {
    const values = input.values ? valuesFor(input.values, '', m.identity.name) : {};
    const op = values['request.operation'];
    const userInfo = input.options.requestInfo?.userInfo;
    return {
      operation: (typeof op === 'string' ? op : (input.options.operation ?? 'CREATE')) as AdmissionOperation,
      namespaces: input.options.namespaces ?? {},
      ...(userInfo ? { userInfo } : {}),
      ...(input.mocks ? { mocks: input.mocks } : {}),
      ...(input.paramObjects ? { paramObjects: input.paramObjects } : {}),
      ...(input.options.exceptions ? { exceptions: input.options.exceptions } : {}),
    };
  };
  const run = (m: Manifest): AdmissionRun => {
    const results = new Map<string, PolicyResult[]>();
    const patched = new Map<string, JsonObject>();
    const generated = new Map<string, JsonObject[]>();
    const mutations: MutationStep[] = [];
    const allGenerated: { policy: string; object: JsonObject }[] = [];
    const add = (key: string, r: PolicyResult[]) => results.set(key, [...(results.get(key) ?? []), ...r]);
    let current: Manifest = m;
    const env = celEnvironment(m);
    for (const policy of input.policies) {
      if (!hasMutateRules(policy)) continue;
      const out = classicRun(policy, current, 'mutate');
      add(classicKey(policy), out.results);
      if (out.patched) {
        patched.set(classicKey(policy), out.patched);
        mutations.push({ policy: policy.name, before: current.object, after: out.patched });
        current = { ...current, object: out.patched };
      }
    }
    for (const policy of input.celPolicies) {
      if (policy.kind !== 'MutatingPolicy') continue;
      const out = evaluateCelPolicyOnResource(policy, current, env, current.object);
      add(celKey(policy), out.results);
      if (out.patched) {
        patched.set(celKey(policy), out.patched);
        mutations.push({ policy: policy.name, before: current.object, after: out.patched });
        current = { ...current, object: out.patched };
      }
    }
    for (const policy of input.policies) {
      const out = classicRun(policy, current, 'validate');
      add(classicKey(policy), out.results);
      if (out.generated.length > 0) generated.set(classicKey(policy), out.generated);
      for (const object of out.generated) allGenerated.push({ policy: policy.name, object });
    }
    for (const policy of input.celPolicies) {
      if (policy.kind === 'MutatingPolicy') continue;
      const out = evaluateCelPolicyOnResource(policy, current, env, current.object);
      add(celKey(policy), out.results);
      if (out.generated) generated.set(celKey(policy), out.generated);
      for (const object of out.generated ?? []) allGenerated.push({ policy: policy.name, object });
    }
    return {
      final: current.object,
      results: (p) => results.get(classicKey(p)) ?? [],
      celResults: (p) => results.get(celKey(p)) ?? [],
      patchedBy: (k) => patched.get(k),
      generatedBy: (k) => generated.get(k) ?? [],
      mutations,
      generated: allGenerated,
    };
  };
  return {
    run(m) {
      let r = cache.get(m);
      if (!r) {
        r = run(m);
        cache.set(m, r);
      }
      return r;
    },
  };
}

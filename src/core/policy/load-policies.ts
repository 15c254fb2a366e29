import type { Finding } from '../findings/finding.ts';
import { type Manifest, parseManifests } from '../manifests/parse-manifests.ts';
import { didYouMean } from '../text/suggest-closest.ts';
import { findUncompilableRuleParts } from './find-uncompilable-rule-parts.ts';
import { generateAutogenRules } from './generate-autogen-rules.ts';
import {
  ENVIRONMENTS_ANNOTATION,
  type FailureAction,
  isJsonObject,
  type KyvernoPolicy,
  type KyvernoRule,
} from './kyverno-policy.ts';

export interface PolicyFile {
  path: string;
  content: string;
}

export interface LoadedPolicies {
  policies: KyvernoPolicy[];
  findings: Finding[];
}

function invalid(file: string, line: number | undefined, key: string, message: string): Finding {
  return {
    check: 'policy',
    rule: 'invalid-policy',
    severity: 'error',
    blocking: true,
    title: `Invalid Kyverno policy in ${file}`,
    message: `${file}${line ? `:${line}` : ''}: \`${key}\` ${message}`,
    remedy: 'Fix the policy; the other policies were still evaluated.',
    location: line ? { file, line } : { file },
  };
}

function failureActionOf(value: unknown): FailureAction | undefined {
  if (typeof value !== 'string') return undefined;
  return value.toLowerCase() === 'enforce'
    ? 'Enforce'
    : value.toLowerCase() === 'audit'
      ? 'Audit'
      : undefined;
}

const RULE_TYPES = ['validate', 'mutate', 'generate', 'verifyImages'];

/** Every key Kyverno's `validate` block accepts (ClusterPolicy v1). */
const VALIDATE_KEYS = [
  'message',
  'pattern',
  'anyPattern',
  'deny',
  'foreach',
  'cel',
  'podSecurity',
  'manifests',
  'assert',
  'failureAction',
  'failureActionOverrides',
  'allowExistingViolations',
];

/** Builds a policy from a parsed `kyverno.io` manifest, or explains (file, line, key) why it is invalid. */
export function policyFromManifest(manifest: Manifest): { policy?: KyvernoPolicy; findings: Finding[] } {
  const { file, object } = manifest;
  const findings: Finding[] = [];
  const meta = isJsonObject(object.metadata) ? object.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (!name) {
    findings.push(
      invalid(file, manifest.lineOf(['metadata']) ?? manifest.line, 'metadata.name', 'is missing'),
    );
    return { findings };
  }
  const spec = object.spec;
  if (!isJsonObject(spec) || !Array.isArray(spec.rules)) {
    findings.push(invalid(file, manifest.lineOf(['spec', 'rules']), 'spec.rules', 'must be a list of rules'));
    return { findings };
  }
  const annotations: Record<string, string> = {};
  if (isJsonObject(meta.annotations)) {
    for (const [k, v] of Object.entries(meta.annotations)) annotations[k] = String(v);
  }
  const declared = spec.validationFailureAction;
  const failureAction = failureActionOf(declared) ?? 'Audit';
  if (declared !== undefined && !failureActionOf(declared)) {
    findings.push(
      invalid(
        file,
        manifest.lineOf(['spec', 'validationFailureAction']),
        'spec.validationFailureAction',
        `must be Enforce or Audit, not ${JSON.stringify(declared)}`,
      ),
    );
  }
  const rules: KyvernoRule[] = [];
  const ruleLines: Record<string, number> = Object.create(null);
  const seen = new Set<string>();
  spec.rules.forEach((raw, i) => {
    const line = manifest.lineOf(['spec', 'rules', i]);
    if (!isJsonObject(raw) || typeof raw.name !== 'string' || !raw.name) {
      findings.push(invalid(file, line, `spec.rules[${i}].name`, 'is missing'));
      return;
    }
    if (seen.has(raw.name)) {
      findings.push(invalid(file, line, `spec.rules[${i}].name`, `duplicates rule ${raw.name}`));
      return;
    }
    if (!isJsonObject(raw.match)) {
      findings.push(
        invalid(file, manifest.lineOf(['spec', 'rules', i]), `spec.rules[${i}].match`, 'is missing'),
      );
      return;
    }
    if (!RULE_TYPES.some((t) => raw[t] !== undefined)) {
      findings.push(
        invalid(file, line, `spec.rules[${i}]`, 'has none of validate, mutate, generate, verifyImages'),
      );
      return;
    }
    const validate = raw.validate;
    if (isJsonObject(validate)) {
      const kinds = ['pattern', 'anyPattern', 'deny', 'foreach', 'cel', 'podSecurity', 'manifests', 'assert'];
      if (!kinds.some((k) => validate[k] !== undefined)) {
        // A typo (`patern`) is the usual cause: name the unknown key, at its line, with the fix.
        const unknown = Object.keys(validate).find((k) => !VALIDATE_KEYS.includes(k));
        findings.push(
          unknown
            ? invalid(
                file,
                manifest.lineOf(['spec', 'rules', i, 'validate', unknown]),
                `spec.rules[${i}].validate.${unknown}`,
                `is an unknown key${didYouMean(unknown, kinds)}`,
              )
            : invalid(
                file,
                manifest.lineOf(['spec', 'rules', i, 'validate']),
                `spec.rules[${i}].validate`,
                'needs one of pattern, anyPattern, deny, foreach, cel, podSecurity',
              ),
        );
        return;
      }
    }
    const uncompilable = findUncompilableRuleParts(raw);
    if (uncompilable.length > 0) {
      for (const part of uncompilable)
        findings.push(
          invalid(
            file,
            manifest.lineOf(['spec', 'rules', i, ...part.path]) ?? line,
            `spec.rules[${i}].${part.path
              .map((p) => (typeof p === 'number' ? `[${p}]` : p))
              .join('.')
              .replace(/\.\[/g, '[')}`,
            part.message,
          ),
        );
      return;
    }
    seen.add(raw.name);
    const ruleAction =
      (isJsonObject(validate) ? failureActionOf(validate.failureAction) : undefined) ?? failureAction;
    const overrides =
      isJsonObject(validate) && Array.isArray(validate.failureActionOverrides)
        ? validate.failureActionOverrides
        : Array.isArray(spec.validationFailureActionOverrides)
          ? spec.validationFailureActionOverrides
          : undefined;
    const actions = {
      failureAction: ruleAction,
      ...(overrides && overrides.length > 0 ? { failureActionOverrides: overrides } : {}),
    };
    if (line) ruleLines[raw.name] = line;
    rules.push({ name: raw.name, raw, ...actions });
    for (const generated of generateAutogenRules(raw, annotations)) {
      const genName = String(generated.name);
      if (line) ruleLines[genName] = line;
      rules.push({ name: genName, raw: generated, autogenOf: raw.name, ...actions });
    }
  });
  const environments = annotations[ENVIRONMENTS_ANNOTATION]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const policy: KyvernoPolicy = {
    kind: manifest.identity.kind as 'ClusterPolicy' | 'Policy',
    name,
    file,
    line: manifest.line,
    annotations,
    failureAction,
    rules,
    ruleLines,
  };
  if (typeof spec.applyRules === 'string' && spec.applyRules.toLowerCase() === 'one') policy.applyOne = true;
  const webhook = spec.webhookConfiguration;
  if (isJsonObject(webhook) && Array.isArray(webhook.matchConditions) && webhook.matchConditions.length > 0) {
    policy.matchConditions = webhook.matchConditions;
  }
  if (manifest.identity.kind === 'Policy') policy.namespace = manifest.identity.namespace || 'default';
  if (environments && environments.length > 0) policy.environments = environments;
  return { policy, findings };
}

export function isKyvernoPolicyManifest(manifest: Manifest): boolean {
  return (
    manifest.identity.group === 'kyverno.io' &&
    (manifest.identity.kind === 'ClusterPolicy' || manifest.identity.kind === 'Policy')
  );
}

/**
 * Loads Kyverno `ClusterPolicy`/`Policy` documents from YAML files. Other documents are ignored;
 * an invalid policy becomes a finding naming file, line and key, and the others still load.
 */
export function loadPolicies(files: PolicyFile[]): LoadedPolicies {
  const out: LoadedPolicies = { policies: [], findings: [] };
  for (const file of files) {
    const parsed = parseManifests(file.path, file.content);
    out.findings.push(...parsed.findings);
    for (const manifest of parsed.manifests) {
      if (!isKyvernoPolicyManifest(manifest)) continue;
      const { policy, findings } = policyFromManifest(manifest);
      out.findings.push(...findings);
      if (policy) out.policies.push(policy);
    }
  }
  return out;
}

import { AUTOGEN_ANNOTATION, isJsonObject, type JsonObject } from './kyverno-policy.ts';

/** Pod controllers Kyverno generates rules for by default (CronJob gets its own rule). */
export const DEFAULT_AUTOGEN_CONTROLLERS = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'CronJob',
];

type Target = 'controllers' | 'cronjob';

function filtersOf(block: unknown): JsonObject[] {
  if (!isJsonObject(block)) return [];
  const out: JsonObject[] = [];
  for (const key of ['any', 'all'] as const) {
    const list = block[key];
    if (Array.isArray(list)) for (const f of list) if (isJsonObject(f)) out.push(f);
  }
  if (isJsonObject(block.resources)) out.push(block);
  return out;
}

/**
 * Kyverno only auto-generates when every resource filter of the rule selects Pods alone and
 * does not pin names, selectors or annotations (those would not carry over to the controller).
 */
function canAutogen(rule: JsonObject): boolean {
  const match = filtersOf(rule.match);
  if (match.length === 0) return false;
  for (const filter of [...match, ...filtersOf(rule.exclude)]) {
    const res = filter.resources;
    if (!isJsonObject(res)) continue;
    const kinds = Array.isArray(res.kinds) ? res.kinds.map(String) : [];
    if (kinds.some((k) => k !== 'Pod' && k !== 'v1/Pod')) return false;
    if (res.name || (Array.isArray(res.names) && res.names.length) || res.selector || res.annotations) {
      return false;
    }
  }
  for (const filter of match) {
    const res = filter.resources;
    if (!isJsonObject(res) || !Array.isArray(res.kinds) || res.kinds.length === 0) return false;
  }
  const validate = rule.validate;
  return isJsonObject(validate) && !rule.mutate && !rule.generate && !rule.verifyImages;
}

function rewriteKinds(block: unknown, kinds: string[]): unknown {
  if (!isJsonObject(block)) return block;
  const copy: JsonObject = { ...block };
  const rewriteFilter = (f: unknown) => {
    if (!isJsonObject(f) || !isJsonObject(f.resources)) return f;
    const res = f.resources;
    if (!Array.isArray(res.kinds) || res.kinds.length === 0) return f;
    return { ...f, resources: { ...res, kinds } };
  };
  for (const key of ['any', 'all'] as const) {
    if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map(rewriteFilter);
  }
  if (isJsonObject(copy.resources)) return rewriteFilter(copy);
  return copy;
}

const JMES_PATH = /request\.(object|oldObject)\.(spec|metadata)\b/g;
const CEL_PATH = /(?<![\w.])(object|oldObject)\.(spec|metadata)\b/g;

function rewriteStrings(value: unknown, rewrite: (s: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, rewrite));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteStrings(v, rewrite);
    return out;
  }
  return value;
}

function wrapPattern(pattern: unknown, target: Target): unknown {
  return target === 'controllers'
    ? { spec: { template: pattern } }
    : { spec: { jobTemplate: { spec: { template: pattern } } } };
}

function generate(rule: JsonObject, target: Target, kinds: string[]): JsonObject {
  const prefix = target === 'controllers' ? 'spec.template' : 'spec.jobTemplate.spec.template';
  const jmes = (s: string) => s.replace(JMES_PATH, (_m, obj, field) => `request.${obj}.${prefix}.${field}`);
  const cel = (s: string) => s.replace(CEL_PATH, (_m, obj, field) => `${obj}.${prefix}.${field}`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'name') continue;
    if (key === 'match' || key === 'exclude') out[key] = rewriteKinds(value, kinds);
    else if (key === 'celPreconditions') out[key] = rewriteStrings(value, cel);
    else if (key === 'validate' && isJsonObject(value)) {
      const validate: JsonObject = {};
      for (const [vk, vv] of Object.entries(value)) {
        if (vk === 'pattern') validate[vk] = wrapPattern(rewriteStrings(vv, jmes), target);
        else if (vk === 'anyPattern' && Array.isArray(vv)) {
          validate[vk] = vv.map((p) => wrapPattern(rewriteStrings(p, jmes), target));
        } else if (vk === 'cel') validate[vk] = rewriteStrings(vv, cel);
        else if (vk === 'podSecurity') validate[vk] = vv;
        else validate[vk] = rewriteStrings(vv, jmes);
      }
      out[key] = validate;
    } else out[key] = rewriteStrings(value, jmes);
  }
  const name = String(rule.name ?? '');
  out.name = target === 'controllers' ? `autogen-${name}` : `autogen-cronjob-${name}`;
  return out;
}

/** Controllers named by the autogen annotation (`none` → []), else the default set. */
export function autogenControllers(annotations: Record<string, string>): string[] {
  const value = annotations[AUTOGEN_ANNOTATION];
  if (value === undefined) return DEFAULT_AUTOGEN_CONTROLLERS;
  if (value.trim() === 'none' || value.trim() === '') return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Kyverno's auto-generated rules for Pod controllers: `autogen-<rule>` for Deployment and friends
 * (pattern wrapped in `spec.template`, `request.object.spec` → `request.object.spec.template.spec`,
 * CEL `object.spec` → `object.spec.template.spec`) and `autogen-cronjob-<rule>` one level deeper.
 */
export function generateAutogenRules(rule: JsonObject, annotations: Record<string, string>): JsonObject[] {
  if (!canAutogen(rule)) return [];
  const controllers = autogenControllers(annotations);
  const plain = controllers.filter((c) => c !== 'CronJob');
  const out: JsonObject[] = [];
  if (plain.length > 0) out.push(generate(rule, 'controllers', plain));
  if (controllers.includes('CronJob')) out.push(generate(rule, 'cronjob', ['CronJob']));
  return out;
}

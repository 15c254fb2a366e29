/**
 * Kyverno's autogen for CEL policies written for Pods: the same expressions run on a Pod
 * controller with `object.spec`/`object.metadata` (and `oldObject.`) moved to the Pod template
 * (`spec.template`, for a CronJob `spec.jobTemplate.spec.template`).
 */
const TEMPLATE_PATH: Record<string, string> = { CronJob: 'spec.jobTemplate.spec.template' };

export function podTemplatePath(kind: string): string {
  return TEMPLATE_PATH[kind] ?? 'spec.template';
}

const cache = new Map<string, string>();

export function autogenCelExpression(expression: string, controllerKind: string): string {
  const key = `${controllerKind}\u0000${expression}`;
  let out = cache.get(key);
  if (out === undefined) {
    const template = podTemplatePath(controllerKind);
    out = expression.replace(
      /\b(object|oldObject)\.(spec|metadata)\b/g,
      (_, root: string, field: string) => `${root}.${template}.${field}`,
    );
    if (cache.size > 20_000) cache.clear();
    cache.set(key, out);
  }
  return out;
}

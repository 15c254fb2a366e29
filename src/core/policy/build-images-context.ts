import { isJsonObject } from './kyverno-policy.ts';

export interface ImageInfo {
  registry: string;
  path: string;
  name: string;
  tag: string;
  digest: string;
  reference: string;
}

/** Splits an image reference the way Kyverno's `images` variable does (default registry docker.io). */
export function parseImageReference(image: string): ImageInfo {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift()!;
  let path = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) path = `library/${path}`;
  if (!tag && !digest) tag = 'latest';
  const name = path.split('/').pop() ?? path;
  const reference = `${registry}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { registry, path, name, tag, digest, reference };
}

function podSpecOf(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = object.spec;
  if (!isJsonObject(spec)) return undefined;
  if (object.kind === 'Pod') return spec;
  if (isJsonObject(spec.jobTemplate) && isJsonObject(spec.jobTemplate.spec)) {
    const t = spec.jobTemplate.spec.template;
    return isJsonObject(t) && isJsonObject(t.spec) ? t.spec : undefined;
  }
  return isJsonObject(spec.template) && isJsonObject(spec.template.spec) ? spec.template.spec : undefined;
}

/** Kyverno's `images` variable: `images.containers.<name>.tag` and friends. */
export function buildImagesContext(object: Record<string, unknown>): Record<string, unknown> {
  const spec = podSpecOf(object);
  // Keyed by container names from the manifest: no prototype, so no name means anything else.
  const out: Record<string, Record<string, ImageInfo>> = Object.create(null);
  if (!spec) return out;
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = spec[key];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isJsonObject(c) || typeof c.image !== 'string') continue;
      out[key] ??= Object.create(null) as Record<string, ImageInfo>;
      out[key][String(c.name ?? '')] = parseImageReference(c.image);
    }
  }
  return out;
}

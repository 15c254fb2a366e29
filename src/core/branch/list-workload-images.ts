import type { Manifest, PathSegment } from '../manifests/parse-manifests.ts';

export interface WorkloadImage {
  image: string;
  manifest: Manifest;
  /** Path of the `image` field inside the object, for `manifest.lineOf(path)`. */
  path: PathSegment[];
  container: string;
}

/** Where the pod spec sits in each workload kind. */
function podSpecPath(kind: string): PathSegment[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
    case 'Rollout':
      return ['spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

function at(object: unknown, path: readonly PathSegment[]): unknown {
  let node = object;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Images of the containers and init containers of every workload (CronJob included). */
export function listWorkloadImages(manifests: readonly Manifest[]): WorkloadImage[] {
  const images: WorkloadImage[] = [];
  for (const manifest of manifests) {
    const spec = podSpecPath(manifest.identity.kind);
    if (!spec) continue;
    for (const field of ['initContainers', 'containers'] as const) {
      const list = at(manifest.object, [...spec, field]);
      if (!Array.isArray(list)) continue;
      list.forEach((container: unknown, index) => {
        if (!container || typeof container !== 'object') return;
        const { image, name } = container as { image?: unknown; name?: unknown };
        if (typeof image !== 'string' || image.trim() === '') return;
        images.push({
          image: image.trim(),
          manifest,
          path: [...spec, field, index, 'image'],
          container: typeof name === 'string' ? name : `#${index}`,
        });
      });
    }
  }
  return images;
}

/**
 * Canonical form of an image reference, so `nginx:1.27` and `docker.io/library/nginx:1.27` compare
 * equal: Docker Hub host and `library/` are dropped, a missing tag means `latest`.
 */
export function normalizeImage(reference: string): { name: string; tag?: string; digest?: string } {
  let rest = reference.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let name = rest.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  if (!name.includes('/')) name = `library/${name}`;
  name = name.replace(/^library\//, '');
  if (!tag && !digest) tag = 'latest';
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/**
 * Kyverno's CEL libraries that read the cluster (`resource`, `image`, `http`, `globalContext`):
 * without a cluster they are answered from what a `kyverno test` context file mocks (resources
 * and image metadata). Anything not mocked throws a {@link NeedsClusterError}, which the policy
 * evaluators report as "not checkable" (an `error` outcome), never as a pass.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { pluralResourceName } from './build-admission-request.ts';
import { fromCelValue } from './from-cel-value.ts';
import { toCelValue } from './to-cel-value.ts';

export const NEEDS_CLUSTER = 'needs a cluster';

export class NeedsClusterError extends Error {
  constructor(what: string) {
    super(`${what} ${NEEDS_CLUSTER}: not checkable offline (mock it in the test's context file)`);
  }
}

/** What a test's context file provides in place of a cluster. */
export interface ClusterMocks {
  /** `spec.resources`: objects `resource.Get`/`List` can find. */
  resources: Record<string, unknown>[];
  /** `spec.images`: image metadata by image reference. */
  images: Map<string, Record<string, unknown>>;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The `resource` variable: reads from mocked resources. */
export class ResourceLibrary {
  constructor(readonly mocks: ClusterMocks | undefined) {}

  find(apiVersion: string, resource: string, namespace: string): Record<string, unknown>[] {
    if (!this.mocks) throw new NeedsClusterError(`resource lookup of ${resource}`);
    return this.mocks.resources.filter((r) => {
      const meta = record(r.metadata);
      return (
        r.apiVersion === apiVersion &&
        pluralResourceName(String(r.kind ?? '')) === resource.toLowerCase() &&
        (namespace === '' || (meta.namespace ?? '') === namespace)
      );
    });
  }
}

/** The `image` variable: metadata of mocked images. */
export class ImageLibrary {
  constructor(readonly mocks: ClusterMocks | undefined) {}
}

/** The `http` variable: always needs the network. */
export class HttpLibrary {}

/** The `generator` variable of a GeneratingPolicy: collects the objects `generator.Apply` creates. */
export class GeneratorLibrary {
  readonly generated: Record<string, unknown>[] = [];
}

/** The `globalContext` variable: needs GlobalContextEntry objects from a cluster. */
export class GlobalContextLibrary {
  constructor(readonly entries: Record<string, unknown> | undefined) {}
}

function getResource(lib: ResourceLibrary, apiVersion: string, resource: string, ns: string, name: string) {
  const found = lib.find(apiVersion, resource, ns).find((r) => record(r.metadata).name === name);
  if (!found) throw new Error(`${resource} "${name}" not found in namespace "${ns}"`);
  return toCelValue(found);
}

export function registerClusterLibraries(env: Environment): void {
  env.registerType('kyverno.Resource', ResourceLibrary);
  env.registerType('kyverno.Image', ImageLibrary);
  env.registerType('kyverno.Http', HttpLibrary);
  env.registerType('kyverno.GlobalContext', GlobalContextLibrary);
  env.registerVariable('resource', 'kyverno.Resource');
  env.registerVariable('image', 'kyverno.Image');
  env.registerVariable('http', 'kyverno.Http');
  env.registerVariable('globalContext', 'kyverno.GlobalContext');
  env.registerType('kyverno.Generator', GeneratorLibrary);
  env.registerVariable('generator', 'kyverno.Generator');
  env.registerFunction(
    'kyverno.Generator.Apply(string, list<dyn>): bool',
    (lib: GeneratorLibrary, namespace: string, objects: unknown[]) => {
      for (const o of objects) {
        const object = fromCelValue(o) as Record<string, unknown>;
        const meta = record(object.metadata);
        if (namespace)
          Object.defineProperty(meta, 'namespace', {
            value: namespace,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        lib.generated.push({ ...object, metadata: meta });
      }
      return true;
    },
  );
  env.registerFunction(
    'kyverno.Resource.Get(string, string, string, string): dyn',
    (lib: ResourceLibrary, apiVersion: string, resource: string, ns: string, name: string) =>
      getResource(lib, apiVersion, resource, ns, name),
  );
  env.registerFunction(
    'kyverno.Resource.List(string, string, string): dyn',
    (lib: ResourceLibrary, apiVersion: string, resource: string, ns: string) =>
      toCelValue({ items: lib.find(apiVersion, resource, ns) }),
  );
  env.registerFunction('kyverno.Image.GetMetadata(string): dyn', (lib: ImageLibrary, ref: string) => {
    if (!lib.mocks) throw new NeedsClusterError(`image metadata of ${ref}`);
    const found = lib.mocks.images.get(ref);
    if (!found) throw new NeedsClusterError(`image metadata of ${ref} (not in the context file)`);
    return toCelValue(found);
  });
  env.registerFunction('kyverno.Http.Get(string): dyn', (_: HttpLibrary, url: string) => {
    throw new NeedsClusterError(`http.Get(${url})`);
  });
  env.registerFunction('kyverno.Http.Get(string, map): dyn', (_: HttpLibrary, url: string) => {
    throw new NeedsClusterError(`http.Get(${url})`);
  });
  env.registerFunction('kyverno.Http.Post(string, dyn): dyn', (_: HttpLibrary, url: string) => {
    throw new NeedsClusterError(`http.Post(${url})`);
  });
  env.registerFunction('kyverno.Http.Post(string, dyn, map): dyn', (_: HttpLibrary, url: string) => {
    throw new NeedsClusterError(`http.Post(${url})`);
  });
  env.registerFunction(
    'kyverno.GlobalContext.Get(string, string): dyn',
    (lib: GlobalContextLibrary, name: string, projection: string) => {
      const entry = lib.entries?.[name];
      if (entry === undefined) throw new NeedsClusterError(`globalContext.Get(${name})`);
      if (!projection) return toCelValue(entry);
      const projected = record(entry)[projection];
      return toCelValue(projected ?? null);
    },
  );
}

/** Context-file mocks from a parsed `kind: Context` document (`spec.resources`, `spec.images`). */
export function readClusterMocks(doc: unknown): ClusterMocks {
  const spec = record(record(doc).spec);
  const resources = (Array.isArray(spec.resources) ? spec.resources : []).filter(
    (r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r),
  );
  const images = new Map<string, Record<string, unknown>>();
  for (const i of Array.isArray(spec.images) ? spec.images : []) {
    const entry = record(i);
    if (typeof entry.image === 'string') images.set(entry.image, entry);
  }
  return { resources, images };
}

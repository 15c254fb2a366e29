import type { Environment } from '@marcbachmann/cel-js';

/** The `jsonpatch` namespace of Kubernetes' MutatingAdmissionPolicy CEL. */
export class JsonPatchLibrary {}

/** `jsonpatch.escapeKey(k)`: a map key as one JSON Pointer segment (`~` → `~0`, `/` → `~1`). */
export function registerJsonPatchLibrary(env: Environment): void {
  env.registerType('kyverno.JsonPatch', JsonPatchLibrary);
  env.registerConstant('jsonpatch', 'kyverno.JsonPatch', new JsonPatchLibrary());
  env.registerFunction('kyverno.JsonPatch.escapeKey(string): string', (_: JsonPatchLibrary, key: string) =>
    key.replaceAll('~', '~0').replaceAll('/', '~1'),
  );
}

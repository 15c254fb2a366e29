import type { Manifest } from '../manifests/parse-manifests.ts';
import type { ResourceIdentity } from '../manifests/resource-identity.ts';

/** A rendered object as Tollgate keeps it between reviews: compact, JSON-safe. */
export interface StoredManifest {
  file: string;
  line: number;
  documentIndex: number;
  identity: ResourceIdentity;
  object: Record<string, unknown>;
}

/** The route-relevant objects a merge request changes, per environment, at its last analysed head. */
export interface RouteSnapshot {
  number: number;
  headSha: string;
  /** ISO time it was taken. */
  savedAt: string;
  environments: { environment: string; manifests: StoredManifest[] }[];
}

export function toStoredManifest(m: Manifest): StoredManifest {
  return {
    file: m.file,
    line: m.line,
    documentIndex: m.documentIndex,
    identity: m.identity,
    object: m.object,
  };
}

/** Back to a Manifest; field lines are unknown (the object's own line stands in). */
export function fromStoredManifest(m: StoredManifest): Manifest {
  return { ...m, lineOf: () => undefined };
}

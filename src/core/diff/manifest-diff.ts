/**
 * What a merge request changes in each environment, as Kubernetes objects. Plain, serialisable
 * data (the CLI's JSON output is exactly this); renderers turn it into markdown.
 */

/** One changed field. `before`/`after` are JSON values (Secret values are never present: masked). */
export interface FieldChange {
  /** e.g. `spec.template.spec.containers[name=app].env[name=PINPOINT_AGENT_ID].value`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface ResourceDiff {
  /** `Kind/namespace/name` (cluster-scoped: `Kind/name`). */
  id: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** Where the object is defined (head; base for removed objects). */
  file: string;
  line: number;
  /** Field changes (changed objects only). */
  fields: FieldChange[];
  /** Unified diff of the object's YAML (noise removed, Secret values masked), without file headers. */
  unifiedDiff: string;
  /** The repository's mutating policies that change this object at admission (head), in order. */
  mutatedBy?: { policy: string; fields: string[] }[];
}

/** An object the repository's policies would generate for an added or changed object. */
export interface GeneratedResource {
  /** `Kind/namespace/name` of the generated object. */
  id: string;
  policy: string;
  /** Id of the object that triggers it. */
  trigger: string;
}

export interface DiffCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface EnvironmentDiff {
  environment: string;
  counts: DiffCounts;
  /** Changed, then added, then removed; by id within each. */
  resources: ResourceDiff[];
  /** Objects the policies would generate for this change's objects. */
  generated?: GeneratedResource[];
}

/** An object present in some environments and missing from others. */
export interface MissingResource {
  /** `Kind/name` (namespaces differ between environments by design). */
  id: string;
  presentIn: string[];
  missingFrom: string[];
  /** The change adds, alters or removes this object somewhere (shown in the comment only then). */
  touched?: boolean;
}

/** Fields of one object that differ between two environments beyond the allow-list. */
export interface DriftDifference {
  id: string;
  /** [earlier environment, later environment] of the configured order. */
  between: [string, string];
  /** `before` is the earlier environment's value, `after` the later one's. */
  fields: FieldChange[];
  /** The change alters this object in one of the two environments (shown in the comment only then). */
  touched?: boolean;
}

/** "production changed without the same change in staging". */
export interface UnmatchedChange {
  id: string;
  environment: string;
  comparedTo: string;
  /** Paths changed in `environment` whose new value differs from `comparedTo`; `*` for a new object. */
  paths: string[];
  /** Where the object is written (the later environment's render), for the finding's location. */
  file?: string;
  line?: number;
}

export interface DriftReport {
  environments: string[];
  /** The allow-list in force (defaults + `.tollgate.yml` `drift.allow`). */
  allow: string[];
  missing: MissingResource[];
  differences: DriftDifference[];
  unmatchedChanges: UnmatchedChange[];
}

export interface ManifestDiffReport {
  base: { ref?: string; sha?: string };
  head: { ref?: string; sha?: string };
  environments: EnvironmentDiff[];
  /** With two or more environments. */
  drift?: DriftReport;
}

/**
 * A finding is the one currency every check pays in: YAML syntax, rendering, policies, routes,
 * branch rules. Plain, serialisable data; renderers (markdown, check annotations, SARIF, JUnit,
 * GitLab Code Quality) turn it into whatever a consumer reads.
 */
export type Severity = 'error' | 'warning' | 'notice';

export interface SourceLocation {
  /** Repository-relative path, forward slashes. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  endLine?: number;
}

export interface Finding {
  /** Which check produced it: `yaml`, `render`, `config`, `policy`, `routes`, `branch`, `lock`... */
  check: string;
  /** Stable id of the rule inside the check, e.g. `yaml-syntax`, `duplicate-match`, `require-probes/readiness`. */
  rule: string;
  severity: Severity;
  /** True when this finding alone fails the `tollgate` check. */
  blocking: boolean;
  /** One line a person reads first. */
  title: string;
  /** The full explanation: which object, what goes wrong, why. */
  message: string;
  /** What to do next, in plain words (fix, or who may override). */
  remedy?: string;
  location?: SourceLocation;
  /** Other places that matter (the base line of a value an overlay set; the other route of a conflict). */
  relatedLocations?: SourceLocation[];
  /** Environment the finding applies to, when the check runs per environment. */
  environment?: string;
  /** Objects involved, as `Kind/namespace/name`. */
  objects?: string[];
  /** Set when the finding is already on the base branch (its name, e.g. `main`): not this change's doing. */
  alreadyOn?: string;
}

export function compareFindings(a: Finding, b: Finding): number {
  const rank = (f: Finding) =>
    f.blocking ? 0 : f.severity === 'error' ? 1 : f.severity === 'warning' ? 2 : 3;
  return (
    rank(a) - rank(b) ||
    (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    a.rule.localeCompare(b.rule)
  );
}

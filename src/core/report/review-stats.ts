/** Where a review's work and time went (the JSON report's `stats`). Plain data. */
export interface ReviewStats {
  /** Files read from the two trees (each read counted; a source may serve repeats from memory). */
  filesRead: number;
  /** Files parsed as YAML, and files whose parse was reused (same path and content). */
  filesParsed: number;
  parseCacheHits: number;
  /** Objects rendered, base and head together. */
  objectsRendered: number;
  /** Head objects new or changed since base, and the objects policies evaluated (those and their base versions). */
  objectsChanged: number;
  objectsEvaluated: number;
  /** Head objects identical at base: not evaluated again (whatever they violate is already on base). */
  objectsUnchanged: number;
  /**
   * Milliseconds per stage: config (`.tollgate.yml`, changed files), render (both trees, parse
   * included), diff (and drift), policy (loading and evaluating), checks (YAML syntax, routes,
   * other merge requests, branch rules, locks) and the whole review.
   */
  timeMs: Record<'config' | 'render' | 'diff' | 'policy' | 'checks' | 'total', number>;
}

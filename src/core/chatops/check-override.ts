/** A maintainer let one failing check pass for one merge request at one head SHA. */
export interface CheckOverride {
  check: string;
  headSha: string;
  by: string;
  reason: string;
  /** ISO time. */
  at: string;
  /** Comment URL where it was given. */
  source?: string;
}

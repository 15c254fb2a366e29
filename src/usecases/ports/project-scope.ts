import type { PlatformKind } from './platform.ts';

/** Which repository a stored record belongs to. */
export interface ProjectScope {
  platform: PlatformKind;
  /** `owner/repo` or GitLab `group/project`. */
  project: string;
}

/** Redis key for `scope` under `prefix`, e.g. `tollgate:envlock:github:acme/shop`. */
export function scopedKey(
  prefix: string,
  kind: string,
  scope: ProjectScope,
  ...rest: (string | number)[]
): string {
  return [prefix, kind, scope.platform, scope.project, ...rest].join(':');
}

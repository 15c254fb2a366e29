import type { CheckOverride } from '../../core/chatops/check-override.ts';
import type { PlatformKind } from './platform.ts';
import type { ProjectScope } from './project-scope.ts';

export interface OverrideStore {
  addOverride(scope: ProjectScope, number: number, override: CheckOverride): Promise<void>;
  /** Overrides for the merge request; only those given at `headSha` when it is passed. */
  readOverrides(
    platform: PlatformKind,
    project: string,
    number: number,
    headSha?: string,
  ): Promise<CheckOverride[]>;
}

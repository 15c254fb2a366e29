import type { RollbackPlan } from '../../core/chatops/rollback-plan.ts';
import type { ProjectScope } from './project-scope.ts';

/** One pending plan per merge request or issue, kept until confirmed, cancelled, or expired. */
export interface RollbackPlanStore {
  savePlan(scope: ProjectScope, plan: RollbackPlan, ttlMs: number): Promise<void>;
  readPlan(scope: ProjectScope, number: number): Promise<RollbackPlan | undefined>;
  /** Removes the plan only if it is still `plan` (confirmed once, never twice). */
  takePlan(scope: ProjectScope, plan: RollbackPlan): Promise<boolean>;
}

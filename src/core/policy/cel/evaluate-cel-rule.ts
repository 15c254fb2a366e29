/**
 * Evaluates one Kyverno rule's `celPreconditions` and `validate.cel` against an object.
 * PLACEHOLDER until the CEL evaluator lands (feat/cel): every CEL rule reports an error.
 */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface CelContext {
  object: unknown;
  /** null on CREATE. */
  oldObject: unknown;
  operation: AdmissionOperation;
  /** The Namespace object of a namespaced resource, when known (null otherwise). */
  namespaceObject?: unknown;
}

export type CelOutcome =
  | { status: 'pass' }
  | { status: 'fail'; message: string }
  | { status: 'skip'; message: string }
  | { status: 'error'; message: string };

export function evaluateCelRule(_rule: Record<string, unknown>, _context: CelContext): CelOutcome {
  return { status: 'error', message: 'validate.cel is not supported yet' };
}

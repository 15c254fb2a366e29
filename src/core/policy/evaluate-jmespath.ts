import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { registerKyvernoFunctions } from './register-kyverno-functions.ts';

type Ast = ReturnType<typeof compile>;

/** A variable whose path does not exist in the context (Kyverno: `Unknown key ... in path`). */
export class VariableNotFoundError extends Error {
  override name = 'VariableNotFoundError';
}

const compiled = new Map<string, { ast: Ast; simplePath: boolean } | Error>();

/** Field/subexpression/index chains: the only expressions whose null result means "missing key". */
function isSimplePath(node: Ast): boolean {
  switch (node.type) {
    case 'Field':
      return true;
    case 'Subexpression':
    case 'IndexExpression':
      return isSimplePath(node.left) && (node.right.type === 'Index' || isSimplePath(node.right));
    default:
      return false;
  }
}

function compileCached(expression: string): { ast: Ast; simplePath: boolean } {
  let entry = compiled.get(expression);
  if (!entry) {
    try {
      const ast = compile(expression);
      entry = { ast, simplePath: isSimplePath(ast) };
    } catch (error) {
      entry = new Error(
        `invalid JMESPath ${JSON.stringify(expression)}: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (compiled.size > 20_000) compiled.clear();
    compiled.set(expression, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

/**
 * Evaluates a JMESPath expression with Kyverno's custom functions (jmespath-community semantics,
 * as Kyverno's go-jmespath fork). A plain path that resolves to nothing throws
 * VariableNotFoundError, mirroring Kyverno; `a.b || 'default'` and functions return their value.
 */
export function evaluateJmespath(expression: string, data: unknown): unknown {
  registerKyvernoFunctions();
  const { ast, simplePath } = compileCached(expression.trim());
  const result = TreeInterpreter.search(ast, data as JSONValue);
  if ((result === null || result === undefined) && simplePath) {
    // Thrown often (missing optional fields): skip the stack trace, nobody reads it.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const error = new VariableNotFoundError(`Unknown key in path ${JSON.stringify(expression.trim())}`);
    Error.stackTraceLimit = limit;
    throw error;
  }
  return result;
}

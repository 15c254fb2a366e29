import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { OWN_FIELD_FUNCTION, registerKyvernoFunctions } from './register-kyverno-functions.ts';

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

type AstNode = { type: string; name?: string; value?: unknown; children?: unknown[]; [k: string]: unknown };

/**
 * Makes an expression read own properties only: the library's field access is `value[name]`, so
 * `request.object.constructor` would answer Object's constructor and `a.__proto__` the prototype
 * every object shares. Fields named like a property of Object.prototype become a call that reads
 * the object's own property; `{"__proto__": …}` hashes are refused; `__proto__` keys of literals
 * are dropped. Rewrites the freshly compiled tree in place.
 */
function guardAst(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) guardAst(child);
    return;
  }
  const n = node as AstNode;
  if (n.type === 'Field' && typeof n.name === 'string' && n.name in Object.prototype) {
    const name = n.name;
    for (const key of Object.keys(n)) delete n[key];
    Object.assign(n, {
      type: 'Function',
      name: OWN_FIELD_FUNCTION,
      children: [{ type: 'Current' }, { type: 'Literal', value: name }],
    });
    return;
  }
  if (n.type === 'Literal') {
    dropUnsafeKeys(n.value);
    return;
  }
  if (n.type === 'KeyValuePair' && n.name === '__proto__')
    throw new Error('the key `__proto__` is not allowed in a multi-select hash');
  for (const key of Object.keys(n)) if (key !== 'type' && key !== 'name') guardAst(n[key]);
}

function compileCached(expression: string): { ast: Ast; simplePath: boolean } {
  let entry = compiled.get(expression);
  if (!entry) {
    try {
      const ast = compile(expression);
      const simplePath = isSimplePath(ast); // before guardAst turns some fields into calls
      guardAst(ast);
      entry = { ast, simplePath };
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

/** Why `expression` does not compile as JMESPath, or undefined when it does (checked at policy load). */
export function explainInvalidJmespath(expression: string): string | undefined {
  try {
    compileCached(expression.trim());
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
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

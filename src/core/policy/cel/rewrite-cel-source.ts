import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * Function names the evaluator re-routes to its own implementations, because the CEL library's
 * built-ins differ from cel-go as Kubernetes runs it and cannot be overridden in place:
 * - `matches`: RE2 syntax (`(?i)` flags, `\z`, POSIX classes) instead of bare JS regex;
 * - `orValue` / `or`: cel-go returns a non-optional receiver unchanged
 *   (`container.volumeMounts.orValue([])` is the list itself) instead of raising an error.
 */
export const REROUTED_FUNCTIONS: Readonly<Record<string, string>> = {
  matches: 'tollgate_matches',
  orValue: 'tollgate_orValue',
  or: 'tollgate_or',
};

/**
 * `has(e.f)` where `e` is not a variable path (`has(image.GetMetadata(x).config)`): cel-go
 * accepts any operand, the library only identifier paths, so such calls go to our own macro.
 */
export const HAS_ANY_OPERAND = 'tollgate_has';

function selectRootIsIdentifier(node: ASTNode): boolean {
  let n: ASTNode = node;
  while (n.op === '.' || n.op === '.?') n = n.args[0] as ASTNode;
  return n.op === 'id';
}

const REROUTED_PREFIX = 'tollgate_';

interface Rename {
  at: number;
  from: string;
  to: string;
}

function collectRenames(node: unknown, source: string, renames: Rename[]): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) collectRenames(child, source, renames);
    return;
  }
  const ast = node as ASTNode;
  if (typeof ast.op !== 'string' || ast.op === 'value' || ast.op === 'id') return;
  if (ast.op === 'call' && ast.args[0] === 'has') {
    const arg = (ast.args[1] as ASTNode[] | undefined)?.[0];
    if (
      arg &&
      (arg.op === '.' || arg.op === '.?') &&
      !selectRootIsIdentifier(arg) &&
      source.startsWith('has', ast.start)
    ) {
      renames.push({ at: ast.start, from: 'has', to: HAS_ANY_OPERAND });
    }
  }
  if (ast.op === 'call' || ast.op === 'rcall') {
    const name = ast.args[0];
    const to = REROUTED_FUNCTIONS[name];
    if (to) {
      const at = ast.op === 'call' ? ast.start : source.indexOf(name, (ast.args[1] as ASTNode).end);
      if (at >= 0 && source.startsWith(name, at)) renames.push({ at, from: name, to });
    }
  }
  collectRenames(ast.args, source, renames);
}

/** The source with re-routed function names replaced, given the AST parsed from it. */
export function rewriteCelSource(source: string, ast: ASTNode): string {
  const renames: Rename[] = [];
  collectRenames(ast, source, renames);
  if (renames.length === 0) return source;
  renames.sort((a, b) => b.at - a.at);
  let out = source;
  for (const { at, from, to } of renames) out = out.slice(0, at) + to + out.slice(at + from.length);
  return out;
}

/** Error text with the re-routed names turned back into the names the policy author wrote. */
export function restoreFunctionNames(message: string): string {
  return message.includes(REROUTED_PREFIX) ? message.replaceAll(REROUTED_PREFIX, '') : message;
}

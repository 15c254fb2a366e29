import { type ASTNode, Environment, Optional } from '@marcbachmann/cel-js';
import { registerClusterLibraries } from './register-cluster-libraries.ts';
import { registerIpLibrary } from './register-ip-library.ts';
import { registerJsonPatchLibrary } from './register-json-patch-library.ts';
import { registerListLibrary } from './register-list-library.ts';
import { registerQuantityLibrary } from './register-quantity-library.ts';
import { registerStringLibrary } from './register-string-library.ts';
import { registerUrlLibrary } from './register-url-library.ts';
import { HAS_ANY_OPERAND, REROUTED_FUNCTIONS } from './rewrite-cel-source.ts';

/** Variables every Kyverno `validate.cel` expression may reference (all dynamically typed). */
export const CEL_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'namespaceObject',
  'params',
  'variables',
] as const;

// Minimal shapes of the library's macro hooks (its typings do not export them).
interface MacroChecker {
  check(node: ASTNode, ctx: unknown): unknown;
  getType(name: string): unknown;
}
interface MacroEvaluator {
  run(node: ASTNode, ctx: unknown): unknown;
}
interface OrMacro {
  ast: { setMeta(key: string, value: unknown): unknown };
  receiver: ASTNode;
  arg: ASTNode;
}

/**
 * `x.orValue(y)` / `x.or(y)` as cel-go evaluates them: an optional receiver yields its value (or
 * the alternative), a non-optional receiver is returned unchanged.
 */
function optionalFallbackMacro(unwrap: boolean) {
  return ({ ast, args, receiver }: { ast: OrMacro['ast']; args: ASTNode[]; receiver: ASTNode }) => ({
    ast,
    receiver,
    arg: args[0],
    typeCheck(checker: MacroChecker, macro: OrMacro, ctx: unknown) {
      checker.check(macro.receiver, ctx);
      checker.check(macro.arg, ctx);
      macro.ast.setMeta('async', false);
      return checker.getType('dyn');
    },
    evaluate(ev: MacroEvaluator, macro: OrMacro, ctx: unknown) {
      const value = ev.run(macro.receiver, ctx);
      if (!(value instanceof Optional)) return value;
      if (value.hasValue()) return unwrap ? value.value() : value;
      return ev.run(macro.arg, ctx);
    },
  });
}

interface FieldTyped {
  fieldLazy(obj: unknown, name: unknown, node: ASTNode, ev: unknown): unknown;
}
interface HasMacro {
  arg: ASTNode;
}

/** `has(e.f)` for any operand `e`: whether the value of `e` has field `f`. */
function hasAnyOperandMacro({ args }: { args: ASTNode[] }) {
  return {
    arg: args[0],
    typeCheck(checker: MacroChecker, macro: HasMacro, ctx: unknown) {
      const [operand] = macro.arg.args as unknown as [ASTNode, string];
      checker.check(operand, ctx);
      return checker.getType('bool');
    },
    evaluate(ev: MacroEvaluator & { debugType(v: unknown): FieldTyped }, macro: HasMacro, ctx: unknown) {
      const [operandNode, field] = macro.arg.args as unknown as [ASTNode, string];
      const operand = ev.run(operandNode, ctx);
      return ev.debugType(operand).fieldLazy(operand, field, macro.arg, ev) !== undefined;
    },
  };
}

/** CEL zero values: null, false, 0, 0.0, '', empty bytes, list and map. */
function isZeroValue(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === 0n || value === '') return true;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (value instanceof Map) return value.size === 0;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.keys(value).length === 0;
  }
  return false;
}

/**
 * The CEL environment of Kubernetes admission expressions as Kyverno runs `validate.cel`:
 * standard macros and functions, optional types, heterogeneous literals, the strings, lists,
 * sets, regex, URL, IP/CIDR and quantity libraries, and the admission variables.
 */
export function createKubernetesCelEnvironment(): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
    unlistedVariablesAreDyn: false,
  });
  for (const name of CEL_VARIABLES) env.registerVariable(name, 'dyn');
  registerStringLibrary(env);
  registerListLibrary(env);
  registerQuantityLibrary(env);
  registerUrlLibrary(env);
  registerIpLibrary(env);
  registerClusterLibraries(env);
  registerJsonPatchLibrary(env);
  env.registerFunction(
    'OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>',
    (_: unknown, value: unknown) => (isZeroValue(value) ? Optional.none() : Optional.of(value)),
  );
  env.registerFunction(`${HAS_ANY_OPERAND}(ast): bool`, hasAnyOperandMacro);
  env.registerFunction(`dyn.${REROUTED_FUNCTIONS.orValue}(ast): dyn`, optionalFallbackMacro(true));
  env.registerFunction(`dyn.${REROUTED_FUNCTIONS.or}(ast): dyn`, optionalFallbackMacro(false));
  return env;
}

import type { Environment } from '@marcbachmann/cel-js';
import { createKubernetesCelEnvironment } from './create-kubernetes-cel-environment.ts';
import { restoreFunctionNames, rewriteCelSource } from './rewrite-cel-source.ts';
import { rewriteMessageConstruction } from './rewrite-message-construction.ts';

export type CelBindings = Record<string, unknown>;

export type CompiledCelExpression =
  | { ok: true; evaluate(bindings: CelBindings): unknown }
  | { ok: false; error: string };

const MAX_CACHED_EXPRESSIONS = 20_000;
const compiled = new Map<string, CompiledCelExpression>();
let environment: Environment | undefined;

/** First line of a library error (they append a source excerpt with a caret). */
export function celErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return restoreFunctionNames(text.split('\n')[0]?.trim() ?? text);
}

function compile(written: string): CompiledCelExpression {
  environment ??= createKubernetesCelEnvironment();
  const env = environment;
  try {
    const source = rewriteMessageConstruction(written);
    const parsed = env.parse(source);
    const rewritten = rewriteCelSource(source, parsed.ast);
    const program = rewritten === source ? parsed : env.parse(rewritten);
    const checked = program.check();
    if (!checked.valid) return { ok: false, error: celErrorText(checked.error) };
    return { ok: true, evaluate: (bindings) => program(bindings) };
  } catch (error) {
    return { ok: false, error: celErrorText(error) };
  }
}

/**
 * Parses and type-checks one CEL expression in the Kubernetes environment, once: results (and
 * compile errors) are cached by expression text, so evaluating the same policy over thousands of
 * resources compiles each expression a single time.
 */
export function compileCelExpression(source: string): CompiledCelExpression {
  let entry = compiled.get(source);
  if (!entry) {
    if (compiled.size >= MAX_CACHED_EXPRESSIONS) compiled.clear();
    entry = compile(source);
    compiled.set(source, entry);
  }
  return entry;
}

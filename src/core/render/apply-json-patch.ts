import { isUnsafeKey } from '../safe-keys/is-unsafe-key.ts';
import { cloneJson, isPlainObject } from './apply-strategic-merge-patch.ts';

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies RFC 6902 JSON Patch operations (add, remove, replace, move, copy, test) to a copy of
 * `target`. Returns the patched object, or the reason the patch does not apply (missing path,
 * failed test...) with the index of the failing operation.
 */
export function applyJsonPatch(
  target: Record<string, unknown>,
  operations: readonly JsonPatchOperation[],
): { result: Record<string, unknown> } | { error: string; operation: number } {
  let doc: unknown = cloneJson(target);
  for (const [i, op] of operations.entries()) {
    const fail = (why: string) => ({ error: `operation ${i} (${op.op} ${op.path}): ${why}`, operation: i });
    const path = parsePointer(op.path);
    if (!path) return fail('the path must start with `/`');
    const from = op.from === undefined ? undefined : parsePointer(op.from);
    const unsafe = [...path, ...(from ?? [])].find(isUnsafeKey);
    if (unsafe !== undefined)
      return fail(`\`${unsafe}\` is not allowed in a path (it would reach an object's prototype)`);
    try {
      switch (op.op) {
        case 'add':
          doc = setAt(doc, path, cloneJson(op.value), 'add');
          break;
        case 'replace':
          doc = setAt(doc, path, cloneJson(op.value), 'replace');
          break;
        case 'remove':
          doc = removeAt(doc, path);
          break;
        case 'copy':
        case 'move': {
          if (!from) return fail('`from` must be a JSON pointer');
          const value = cloneJson(getAt(doc, from));
          if (op.op === 'move') doc = removeAt(doc, from);
          doc = setAt(doc, path, value, 'add');
          break;
        }
        case 'test':
          if (!isEqual(getAt(doc, path), op.value)) return fail('the test failed');
          break;
        default:
          return fail(`unknown operation \`${op.op}\``);
      }
    } catch (error) {
      return fail((error as Error).message);
    }
  }
  if (!isPlainObject(doc)) return { error: 'the patch replaced the object by a non-object', operation: -1 };
  return { result: doc };
}

function getAt(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const segment of path) {
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (!/^\d+$/.test(segment) || index >= node.length) throw new Error(`no item ${segment}`);
      node = node[index];
    } else if (isPlainObject(node)) {
      if (!Object.hasOwn(node, segment)) throw new Error(`no field \`${segment}\``);
      node = node[segment];
    } else throw new Error(`\`${segment}\` is below a scalar`);
  }
  return node;
}

function setAt(doc: unknown, path: readonly string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (path.length === 0) return value;
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || index > parent.length || (mode === 'replace' && index >= parent.length))
      throw new Error(`index ${last} is out of range`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isPlainObject(parent)) {
    if (mode === 'replace' && !Object.hasOwn(parent, last))
      throw new Error(`no field \`${last}\` to replace`);
    parent[last] = value;
  } else throw new Error(`the parent of \`${last}\` is not an object or a list`);
  return doc;
}

function removeAt(doc: unknown, path: readonly string[]): unknown {
  if (path.length === 0) throw new Error('cannot remove the whole object');
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!/^\d+$/.test(last) || index >= parent.length) throw new Error(`index ${last} is out of range`);
    parent.splice(index, 1);
  } else if (isPlainObject(parent)) {
    if (!Object.hasOwn(parent, last)) throw new Error(`no field \`${last}\` to remove`);
    delete parent[last];
  } else throw new Error(`the parent of \`${last}\` is not an object or a list`);
  return doc;
}

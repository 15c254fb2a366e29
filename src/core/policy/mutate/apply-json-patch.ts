/**
 * RFC 6902 JSON Patch on plain data, as Kyverno applies `patchesJson6902` and CEL `JSONPatch`
 * mutations: `add` creates missing parents (Kyverno's EnsurePathExistsOnAdd), `-` appends, and
 * an operation that cannot apply throws naming it. The input is not modified.
 */
import { isJsonObject } from '../kyverno-policy.ts';

export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = Record<string, unknown> | unknown[];

function child(node: Container, key: string): unknown {
  if (Array.isArray(node)) return node[Number(key)];
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function index(list: unknown[], key: string, forInsert: boolean, path: string): number {
  if (key === '-' && forInsert) return list.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new Error(`invalid array index "${key}" in ${path}`);
  const i = Number(key);
  if (i > list.length || (!forInsert && i === list.length))
    throw new Error(`index ${i} out of range in ${path}`);
  return i;
}

/** The parent container of `path`, creating missing objects/arrays when `create` is set. */
function parentOf(root: Container, segments: string[], create: boolean, path: string): Container {
  let node: Container = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    let next = child(node, key);
    if (next === undefined || next === null) {
      if (!create) throw new Error(`path ${path} does not exist`);
      const nextKey = segments[i + 1]!;
      next = nextKey === '-' || /^[0-9]+$/.test(nextKey) ? [] : {};
      if (Array.isArray(node)) node.splice(index(node, key, true, path), 0, next);
      else defineKey(node, key, next);
    }
    if (typeof next !== 'object') throw new Error(`path ${path} crosses a scalar at ${key}`);
    node = next as Container;
  }
  return node;
}

function defineKey(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

function add(root: Container, path: string, value: unknown): void {
  const segments = parsePointer(path);
  const parent = parentOf(root, segments, true, path);
  const key = segments[segments.length - 1]!;
  if (Array.isArray(parent)) parent.splice(index(parent, key, true, path), 0, value);
  else defineKey(parent, key, value);
}

function remove(root: Container, path: string): unknown {
  const segments = parsePointer(path);
  const parent = parentOf(root, segments, false, path);
  const key = segments[segments.length - 1]!;
  if (Array.isArray(parent)) return parent.splice(index(parent, key, false, path), 1)[0];
  if (!Object.hasOwn(parent, key)) throw new Error(`path ${path} does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function get(root: Container, path: string): unknown {
  let node: unknown = root;
  for (const key of parsePointer(path)) {
    if (!node || typeof node !== 'object') throw new Error(`path ${path} does not exist`);
    node = child(node as Container, key);
    if (node === undefined) throw new Error(`path ${path} does not exist`);
  }
  return node;
}

function applyOne(wrapper: Record<string, unknown>, op: JsonPatchOperation): void {
  const at = (p: string) => `/doc${p}`;
  switch (op.op) {
    case 'add':
      add(wrapper, at(op.path), structuredClone(op.value));
      break;
    case 'remove':
      remove(wrapper, at(op.path));
      break;
    case 'replace':
      remove(wrapper, at(op.path));
      add(wrapper, at(op.path), structuredClone(op.value));
      break;
    case 'move':
      add(wrapper, at(op.path), remove(wrapper, at(String(op.from))));
      break;
    case 'copy':
      add(wrapper, at(op.path), structuredClone(get(wrapper, at(String(op.from)))));
      break;
    case 'test':
      if (JSON.stringify(get(wrapper, at(op.path))) !== JSON.stringify(op.value)) {
        throw new Error(`test failed at ${op.path}`);
      }
      break;
    default:
      throw new Error(`unknown JSON patch op "${String(op.op)}"`);
  }
}

/** Applies the operations in order; throws, naming the operation, when one cannot apply. */
export function applyJsonPatch(document: unknown, operations: JsonPatchOperation[]): unknown {
  const wrapper: Record<string, unknown> = { doc: structuredClone(document) };
  for (const op of operations) {
    if (!isJsonObject(op) || typeof op.path !== 'string') {
      throw new Error('a JSON patch operation needs op and path');
    }
    try {
      applyOne(wrapper, op);
    } catch (error) {
      const text = (error as Error).message.replace(/\/doc(\/|\b)/g, '/');
      throw new Error(`${String(op.op)} ${op.path}: ${text}`);
    }
  }
  return wrapper.doc;
}

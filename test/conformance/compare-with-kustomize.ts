/**
 * Differential rendering: one kustomization folder built by the native renderer and by the real
 * kustomize (`kubectl kustomize DIR`, the oracle), the objects compared as data (document order
 * aside). Used by run-kustomize-diff.ts (CI, every case) and by a vitest test (a sample).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Finding } from '../../src/core/findings/finding.ts';
import { KUSTOMIZE_YAML_OPTIONS } from '../../src/core/manifests/kustomize-yaml-scalars.ts';
import { renderKustomization } from '../../src/core/render/render-kustomization.ts';

export type CaseOutcome =
  /** Same objects as kustomize. */
  | 'identical'
  /** kustomize refuses the build and the native renderer reports an error too. */
  | 'both-refuse'
  /** Different objects, and the native renderer says so with a finding. */
  | 'differs-with-finding'
  /** Different objects and no finding: a silently wrong render. */
  | 'differs-silently'
  /** Same objects, but the native renderer reports an error kustomize does not (a false alarm). */
  | 'false-finding';

export interface CaseResult {
  /** Case folder, relative to the corpus root. */
  id: string;
  outcome: CaseOutcome;
  /** The first differences, one line each. */
  differences: string[];
  findings: Finding[];
  oracleError?: string;
}

type Json = unknown;

/** Case folders of a corpus: every folder whose own kustomization the case builds (`<case>/`). */
export function listKustomizeCases(root: string): string[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .filter((name) =>
      ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) =>
        existsSync(join(root, name, f)),
      ),
    )
    .sort();
}

/** Folders under `tree` (relative paths) that hold a kustomization which is not a Component. */
export function listKustomizeBuilds(tree: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(tree, dir)).sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (statSync(join(tree, rel)).isDirectory()) walk(rel);
      else if (['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(name)) {
        if (!/^kind:\s*Component\b/m.test(readFileSync(join(tree, rel), 'utf8'))) out.push(dir);
      }
    }
  };
  walk('');
  return out;
}

/** A folder as an in-memory file map (paths relative to it). */
export function readFolder(root: string): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        files.set(relative(root, path), bytes.includes(0) ? new Uint8Array(bytes) : bytes.toString('utf8'));
      }
    }
  };
  walk(root);
  return files;
}

/** `kubectl kustomize DIR`: the objects, or the error kustomize printed. */
export function buildWithKubectl(dir: string): Promise<{ objects: Json[] } | { error: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['kustomize', dir],
      {
        timeout: 30_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' },
      },
      (error, stdout, stderr) => {
        if (error) {
          resolve({ error: (stderr || error.message).trim().split('\n').slice(-3).join(' ') });
          return;
        }
        const objects: Json[] = [];
        for (const doc of parseAllDocuments(stdout, KUSTOMIZE_YAML_OPTIONS)) {
          const value = doc.toJS({ maxAliasCount: -1 });
          if (value !== null && value !== undefined) objects.push(value);
        }
        resolve({ objects });
      },
    );
  });
}

function keyOf(object: Json): string {
  const o = (object ?? {}) as Record<string, Json>;
  const meta = (o.metadata ?? {}) as Record<string, Json>;
  const group = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/')[0] : '';
  return `${group}|${String(o.kind)}|${String(meta.namespace ?? '')}|${String(meta.name ?? '')}`;
}

/** Paths where two JSON values differ (at most `limit`). */
export function diffJson(a: Json, b: Json, path = '', out: string[] = [], limit = 5): string[] {
  if (out.length >= limit) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path || '/'}: ${a.length} items vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diffJson(a[i], b[i], `${path}/${i}`, out, limit);
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, Json>;
    const bo = b as Record<string, Json>;
    for (const key of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      if (!(key in ao)) out.push(`${path}/${key}: only in kustomize (${short(bo[key])})`);
      else if (!(key in bo)) out.push(`${path}/${key}: only native (${short(ao[key])})`);
      else diffJson(ao[key], bo[key], `${path}/${key}`, out, limit);
      if (out.length >= limit) break;
    }
    return out;
  }
  if (a !== b) out.push(`${path || '/'}: native ${short(a)} vs kustomize ${short(b)}`);
  return out;
}

function short(value: Json): string {
  const s = JSON.stringify(value) ?? 'undefined';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Differences between two sets of objects, matched by group/kind/namespace/name. */
export function compareObjects(native: readonly Json[], oracle: readonly Json[]): string[] {
  const out: string[] = [];
  const mine = new Map(native.map((o) => [keyOf(o), o]));
  const theirs = new Map(oracle.map((o) => [keyOf(o), o]));
  for (const [key, object] of theirs) {
    if (!mine.has(key)) out.push(`missing natively: ${key}`);
    else diffJson(mine.get(key), object, key, out, out.length + 5);
  }
  for (const key of mine.keys()) if (!theirs.has(key)) out.push(`only native: ${key}`);
  if (native.length !== mine.size)
    out.push(`native renders ${native.length - mine.size} duplicate object(s)`);
  return out;
}

/** Builds one corpus case (`<root>/<id>/kustomization.yaml`) both ways and classifies the outcome. */
export function compareCase(root: string, id: string): Promise<CaseResult> {
  return compareBuild(join(root, id), '', id);
}

/**
 * Builds the kustomization at `build` (relative to `tree`, a repository-like folder whose files the
 * native renderer sees) both ways and classifies the outcome.
 */
export async function compareBuild(tree: string, build: string, id: string): Promise<CaseResult> {
  const [oracle, rendered] = await Promise.all([
    buildWithKubectl(join(tree, build)),
    Promise.resolve().then(() => renderKustomization(readFolder(tree), build)),
  ]);
  const findings = rendered.findings;
  const errors = findings.filter((f) => f.severity === 'error');
  if ('error' in oracle) {
    return {
      id,
      outcome: errors.length > 0 ? 'both-refuse' : 'differs-silently',
      differences: errors.length > 0 ? [] : [`kustomize refuses: ${oracle.error}`],
      findings,
      oracleError: oracle.error,
    };
  }
  const differences = compareObjects(
    rendered.manifests.map((m) => m.object),
    oracle.objects,
  );
  const outcome: CaseOutcome =
    differences.length === 0
      ? errors.length === 0
        ? 'identical'
        : 'false-finding'
      : findings.length > 0
        ? 'differs-with-finding'
        : 'differs-silently';
  return { id, outcome, differences, findings };
}

import type { PolicyFile } from '../core/policy/load-policies.ts';
import type { SourceTree } from './ports/source-tree.ts';

function isPolicyCandidate(path: string): boolean {
  // Policy folders hold their golden tests beside them (.kyverno-test/): those are not policies.
  return (
    /\.ya?ml$/i.test(path) && !path.split('/').includes('.kyverno-test') && !/kyverno-test\.ya?ml$/.test(path)
  );
}

/** The YAML files under the given folders of a tree (the caller keeps only Kyverno policies). */
export async function loadPolicyFiles(tree: SourceTree, folders: readonly string[]): Promise<PolicyFile[]> {
  const prefixes = folders.map((f) => `${f.replace(/^\.?\/+|\/+$/g, '')}/`);
  const paths = (await tree.listFiles()).filter(
    (p) => prefixes.some((prefix) => p.startsWith(prefix)) && isPolicyCandidate(p),
  );
  const files: PolicyFile[] = [];
  for (const path of paths.sort()) {
    const content = await tree.readFile(path);
    if (content) files.push({ path, content: Buffer.from(content).toString('utf8') });
  }
  return files;
}

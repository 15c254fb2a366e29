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
  paths.sort();
  let contents: (Uint8Array | undefined)[] = [];
  if (tree.readFiles) contents = await tree.readFiles(paths);
  else for (const path of paths) contents.push(await tree.readFile(path));
  const files: PolicyFile[] = [];
  paths.forEach((path, i) => {
    const content = contents[i];
    if (content) files.push({ path, content: Buffer.from(content).toString('utf8') });
  });
  return files;
}

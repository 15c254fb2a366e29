import { isMap, isScalar, isSeq, type Node } from 'yaml';

/** Line of the key (or list item) at `path` in a parsed YAML node tree, or of its nearest existing ancestor. */
export function lineOfYamlPath(
  root: Node | null | undefined,
  path: readonly PropertyKey[],
  lineAt: (offset: number) => number,
): number | undefined {
  let node: unknown = root;
  let line = root?.range ? lineAt(root.range[0]) : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) line = lineAt(key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else break;
  }
  return line;
}

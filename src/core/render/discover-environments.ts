import { DISCOVERED_ENVIRONMENT, type EnvironmentConfig } from '../config/tollgate-config.ts';

const OVERLAY = /^(?:(.*)\/)?overlays\/([^/]+)\/(?:kustomization\.ya?ml|Kustomization)$/;

/** Usual promotion order; other names sort alphabetically between testing and staging. */
const STAGES: readonly RegExp[] = [
  /^(local|dev|devel|develop|development|sandbox)$/i,
  /^(test|testing|qa|int|integration|sit|uat)$/i,
  /^(stage|staging|stg|preprod|pre-prod|preproduction|pre-production)$/i,
  /^(prod|production|prd|live)$/i,
];

function stageRank(name: string): number {
  const rank = STAGES.findIndex((re) => re.test(name));
  return rank < 0 ? 1.5 : rank;
}

/**
 * Environments of a repository without `.tollgate.yml` environments. When its kustomize overlays
 * live in exactly one `overlays/` folder (`overlays/<name>/kustomization.yaml`, at the root or
 * below one folder such as `deploy/overlays/<name>`), each overlay is an environment named after
 * its folder, rendered natively, in promotion order (dev, test/qa, other names alphabetically,
 * staging, production); the discovered `default` environment (plain Kubernetes YAML outside
 * kustomize and chart folders) comes first. Otherwise (no overlays, or overlays under several
 * `overlays/` folders) only `default`, as before. Hidden and excluded (policy) folders are ignored.
 */
export function discoverEnvironments(
  paths: readonly string[],
  options: { exclude?: readonly string[] } = {},
): { environments: EnvironmentConfig[]; overlaysRoot?: string } {
  const excluded = (options.exclude ?? []).map((p) => `${p.replace(/\/+$/, '')}/`);
  const overlays = new Map<string, string>();
  const roots = new Set<string>();
  for (const path of paths) {
    if (path.split('/').some((part) => part.startsWith('.'))) continue;
    if (excluded.some((e) => path.startsWith(e))) continue;
    const match = OVERLAY.exec(path);
    if (!match) continue;
    const root = match[1] ? `${match[1]}/overlays` : 'overlays';
    roots.add(root);
    overlays.set(match[2]!, `${root}/${match[2]}`);
  }
  const discovered: EnvironmentConfig = { name: DISCOVERED_ENVIRONMENT, source: { type: 'discover' } };
  if (roots.size !== 1 || overlays.has(DISCOVERED_ENVIRONMENT)) return { environments: [discovered] };
  const names = [...overlays.keys()].sort(
    (a, b) => stageRank(a) - stageRank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return {
    environments: [
      discovered,
      ...names.map((name) => ({ name, source: { type: 'kustomize' as const, path: overlays.get(name)! } })),
    ],
    overlaysRoot: [...roots][0]!,
  };
}

import type { ControllerName } from '../routes/controller-profiles.ts';
/**
 * The repository configuration `.tollgate.yml`, as typed data. It is always read from the merge
 * request's BASE (the target branch), never from its head: a change must not be able to relax
 * the rules it is checked against.
 */

/** Where an environment's manifests come from. */
export type EnvironmentSource =
  /** A folder of plain YAML (multi-document files and `kind: List` included), read recursively. */
  | { type: 'path'; path: string; recurse?: boolean }
  /**
   * A Flux cluster folder (`clusters/<env>`), discovered: its objects, and what its Flux
   * `Kustomization` objects point at (`spec.path` of this repository), followed recursively.
   */
  | { type: 'flux'; path: string }
  /**
   * A kustomization folder: rendered natively (no binary) by default; with `renderer: kustomize`
   * by the real kustomize (`kustomize build`, else `kubectl kustomize`) in the render sandbox.
   */
  | { type: 'kustomize'; path: string; renderer?: 'native' | 'kustomize'; timeoutSeconds?: number }
  /** A command run without a shell in a checkout of the tree; its stdout is the manifests. */
  | { type: 'command'; argv: string[]; timeoutSeconds: number }
  /** No configuration: every Kubernetes document of the repository (see discoverKubernetesYaml). */
  | { type: 'discover' };

export interface EnvironmentConfig {
  name: string;
  source: EnvironmentSource;
  /** Namespace applied to namespaced objects that have none. */
  namespace?: string;
  /** Line of the environment in `.tollgate.yml`, for findings. */
  line?: number;
}

export interface TollgateLimits {
  /** A file larger than this is not parsed (bytes). */
  maxFileBytes: number;
  /** A render command printing more than this is stopped (bytes). */
  maxRenderOutputBytes: number;
  /** Default timeout of a render command (seconds). */
  renderTimeoutSeconds: number;
  /** Total bytes of a tree loaded or written to disk for rendering. */
  maxTreeBytes: number;
  /** Files of a tree loaded or written to disk for rendering. */
  maxTreeFiles: number;
}

/** Roles on the platform's ladder (GitHub roles; GitLab Guest..Owner map onto them). */
export const ROLE_NAMES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Chat-ops commands whose required role `.tollgate.yml` may change. */
export const CHATOPS_COMMANDS = [
  'help',
  'recheck',
  'rollback',
  'confirm',
  'cancel',
  'lock',
  'unlock',
  'override',
  'doctor',
] as const;

export interface BranchRulesConfig {
  /** Source branch names must match this regular expression (JavaScript syntax); off when unset. */
  sourceBranchPattern?: string;
  /** Fail when the source branch is more than this many commits behind; unset: warn when behind at all. */
  maxBehind?: number;
  /** Production may only start using an image tag that already runs in staging (environment names). */
  promotion?: { staging: string; production: string };
}

export interface ChatOpsConfig {
  /** Role each command needs, overriding the defaults (rollback/lock/override: maintain, recheck: write). */
  permissions: Partial<Record<(typeof CHATOPS_COMMANDS)[number], RoleName>>;
  /** Rollback steps, in order. */
  strategies: ('redeploy' | 'revert')[];
  /** How long a rollback plan waits for the requester's confirmation. */
  confirmTimeoutSeconds: number;
}

/** `routes:` — how the route-conflict analysis reads this repository's Gateway API and Ingress objects. */
export interface RoutesConfig {
  /** The controller whose documented behaviour applies where it differs from the spec. */
  controller?: ControllerName;
  /** Labels of Namespaces that are not among the files (for listeners with `from: Selector`). */
  namespaceLabels: Record<string, Record<string, string>>;
}

export interface TollgateConfig {
  /** Ordered (e.g. staging before production). Empty: discover Kubernetes YAML as one `default` environment. */
  environments: EnvironmentConfig[];
  /** Folders of Kyverno policies. */
  policies: string[];
  /** False when `policies` was not written: the default `[policies]` applies only if that folder exists. */
  policiesDeclared: boolean;
  /** Checks whose findings block the merge. */
  blocking: string[];
  protectedBranch: string;
  /** Merge request branch rules (target, naming, up to date, promotion). */
  branch: BranchRulesConfig;
  chatops: ChatOpsConfig;
  drift: {
    /** Field path patterns allowed to differ between environments, added to the defaults. */
    allow: string[];
    /** False: `allow` replaces the default allow-list (replicas, env values... become visible). */
    defaults?: boolean;
  };
  limits: TollgateLimits;
  routes: RoutesConfig;
}

/** Checks a configuration may name in `blocking`. */
export const KNOWN_CHECKS = [
  'yaml',
  'render',
  'policy',
  'routes',
  'drift',
  'config',
  'branch',
  'lock',
] as const;

export const DEFAULT_LIMITS: TollgateLimits = {
  maxFileBytes: 4 * 1024 * 1024,
  maxRenderOutputBytes: 16 * 1024 * 1024,
  renderTimeoutSeconds: 60,
  maxTreeBytes: 256 * 1024 * 1024,
  maxTreeFiles: 20_000,
};

/**
 * What applies without `.tollgate.yml`: discovered environment, policies from `policies/` if that
 * folder exists, and every check blocking except `drift` (environments are meant to differ a little;
 * drift is shown for the reviewer to judge).
 */
export const DEFAULT_CONFIG: TollgateConfig = {
  environments: [],
  policies: ['policies'],
  policiesDeclared: false,
  blocking: ['yaml', 'config', 'render', 'policy', 'routes', 'branch', 'lock'],
  protectedBranch: 'main',
  branch: {},
  chatops: { permissions: {}, strategies: ['redeploy', 'revert'], confirmTimeoutSeconds: 300 },
  drift: { allow: [] },
  limits: DEFAULT_LIMITS,
  routes: { namespaceLabels: {} },
};

/** Name of the environment used when the configuration declares none. */
export const DISCOVERED_ENVIRONMENT = 'default';

/** The environments to render: the declared ones, or the discovered `default` one. */
export function resolveEnvironments(config: TollgateConfig): EnvironmentConfig[] {
  return config.environments.length > 0
    ? config.environments
    : [{ name: DISCOVERED_ENVIRONMENT, source: { type: 'discover' } }];
}

import { LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Finding } from '../findings/finding.ts';
import { lineOfYamlPath } from '../manifests/line-of-yaml-path.ts';
import { compileUntrustedRegex } from '../regex/compile-untrusted-regex.ts';
import { CONTROLLER_NAMES } from '../routes/controller-profiles.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { didYouMean } from '../text/suggest-closest.ts';
import { splitCommandLine } from './split-command-line.ts';
import {
  type BranchRulesConfig,
  CHATOPS_COMMANDS,
  DEFAULT_CONFIG,
  type EnvironmentConfig,
  KNOWN_CHECKS,
  ROLE_NAMES,
  type TollgateConfig,
} from './tollgate-config.ts';

/*
 * Validation uses zod: the schema reads like the documentation of the file, strict objects report
 * unknown keys (typos such as `enviroments`) and every issue comes with the exact path, which is
 * mapped back to a line through the YAML node tree. A hand-written validator would be as long as
 * this file and easier to get subtly wrong.
 */

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'must be a path inside the repository (relative, without `..`)',
  });

const environmentSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, `.`, `_` or `-`')
      .max(63),
    path: relativePath.optional(),
    kustomize: relativePath.optional(),
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
    timeoutSeconds: z.number().int().positive().max(3600).optional(),
    renderer: z.enum(['native', 'kustomize']).optional(),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name')
      .optional(),
  })
  .superRefine((env, ctx) => {
    const sources = (['path', 'kustomize', 'command'] as const).filter((k) => env[k] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          sources.length === 0
            ? 'needs one of `path`, `kustomize` or `command`'
            : `declares ${sources.map((s) => `\`${s}\``).join(' and ')}; choose one`,
      });
    }
    if (env.timeoutSeconds !== undefined && env.command === undefined && env.renderer !== 'kustomize') {
      ctx.addIssue({
        code: 'custom',
        path: ['timeoutSeconds'],
        message: 'applies only to `command` and `renderer: kustomize`',
      });
    }
    if (env.renderer !== undefined && env.kustomize === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['renderer'],
        message: 'applies only to `kustomize` environments',
      });
    }
  });

const positiveInt = z.number().int().positive();

const configSchema = z.strictObject({
  environments: z.array(environmentSchema).optional(),
  policies: z.array(relativePath).optional(),
  blocking: z.array(z.enum(KNOWN_CHECKS)).optional(),
  protectedBranch: z.string().min(1).optional(),
  branch: z
    .strictObject({
      sourceBranchPattern: z
        .string()
        .min(1)
        .superRefine((pattern, ctx) => {
          const compiled = compileUntrustedRegex(pattern);
          if (!compiled.ok) ctx.addIssue({ code: 'custom', message: `is ${compiled.error}` });
        })
        .optional(),
      maxBehind: z.number().int().min(0).optional(),
      promotion: z
        .union([z.boolean(), z.strictObject({ staging: z.string().min(1), production: z.string().min(1) })])
        .optional(),
    })
    .optional(),
  chatops: z
    .strictObject({
      permissions: z.partialRecord(z.enum(CHATOPS_COMMANDS), z.enum(ROLE_NAMES)).optional(),
      rollback: z
        .strictObject({
          strategies: z
            .array(z.enum(['redeploy', 'revert']))
            .min(1)
            .optional(),
          confirmTimeoutSeconds: positiveInt.max(3600).optional(),
        })
        .optional(),
    })
    .optional(),
  drift: z
    .strictObject({ allow: z.array(z.string().min(1)).optional(), defaults: z.boolean().optional() })
    .optional(),
  routes: z
    .strictObject({
      controller: z.enum(CONTROLLER_NAMES).optional(),
      namespaces: z
        .record(
          z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'),
          z.strictObject({ labels: z.record(z.string().min(1), z.string()) }),
        )
        .optional(),
    })
    .optional(),
  limits: z
    .strictObject({
      maxFileBytes: positiveInt.optional(),
      maxRenderOutputBytes: positiveInt.optional(),
      renderTimeoutSeconds: positiveInt.max(3600).optional(),
      maxTreeBytes: positiveInt.optional(),
      maxTreeFiles: positiveInt.optional(),
    })
    .optional(),
});

type RawConfig = z.infer<typeof configSchema>;

export interface ParsedConfig {
  /** The configuration, or undefined when the file has errors (the findings say which). */
  config: TollgateConfig | undefined;
  findings: Finding[];
}

function configFinding(file: string, title: string, message: string, line?: number): Finding {
  return {
    check: 'config',
    rule: 'config-invalid',
    severity: 'error',
    blocking: true,
    title,
    message,
    remedy: `Fix ${file} on the target branch; Tollgate reads its configuration from the base of the merge request.`,
    location: line ? { file, line } : { file },
  };
}

function formatKeyPath(path: readonly PropertyKey[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${String(s)}`)).join('');
}

interface SchemaDef {
  type: string;
  innerType?: { def: SchemaDef };
  element?: { def: SchemaDef };
  shape?: Record<string, { def: SchemaDef }>;
  keyType?: { options?: readonly string[] };
  options?: readonly { def: SchemaDef }[];
}

/** The keys the schema allows at a path (for "did you mean" on an unknown key). */
function knownKeysAt(def: SchemaDef, path: readonly PropertyKey[]): string[] {
  if (def.innerType) return knownKeysAt(def.innerType.def, path);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => knownKeysAt(o.def, path));
  if (path.length === 0) {
    if (def.shape) return Object.keys(def.shape);
    return [...(def.keyType?.options ?? [])];
  }
  const [head, ...rest] = path;
  if (def.element && typeof head === 'number') return knownKeysAt(def.element.def, rest);
  const child =
    typeof head === 'string' && def.shape && Object.hasOwn(def.shape, head) ? def.shape[head] : undefined;
  return child ? knownKeysAt(child.def, rest) : [];
}

/**
 * Parses `.tollgate.yml` text into a typed configuration. Pure; never throws. Every problem is a
 * blocking `config` finding naming the key and its line. An empty file yields the defaults.
 */
export function parseTollgateConfig(text: string, file = '.tollgate.yml'): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (o: number) => lineCounter.linePos(o).line;
  if (doc.errors.length > 0) {
    return {
      config: undefined,
      findings: doc.errors.map((e) => {
        const line = e.pos ? lineAt(e.pos[0]) : undefined;
        return configFinding(
          file,
          `${file} is not valid YAML`,
          `${file}${line ? `:${line}` : ''}: ${e.message.split('\n')[0]}`,
          line,
        );
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return {
      config: undefined,
      findings: [
        configFinding(file, `${file} could not be loaded`, `${file}: ${(error as Error).message}`, 1),
      ],
    };
  }
  if (value === null || value === undefined) return { config: DEFAULT_CONFIG, findings: [] };
  const root = doc.contents as Node | null;
  const unsafe = dropUnsafeKeys(value, text);
  if (unsafe.length > 0) {
    return {
      config: undefined,
      findings: unsafe.map((path) => {
        const line = lineOfYamlPath(root, path, lineAt);
        return configFinding(
          file,
          `Invalid ${file}: \`${formatKeyPath(path)}\``,
          `${file}${line ? `:${line}` : ''}: the key \`__proto__\` is not allowed.`,
          line,
        );
      }),
    };
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const findings = parsed.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = keys.length > 0 ? [...issue.path, keys[0]!] : issue.path;
      const line = lineOfYamlPath(root, path, lineAt);
      const where = path.length > 0 ? `\`${formatKeyPath(path)}\`` : 'the file';
      const known =
        issue.code === 'unrecognized_keys'
          ? knownKeysAt((configSchema as unknown as { def: SchemaDef }).def, issue.path)
          : [];
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `\`${k}\`${didYouMean(k, known)}`).join(', ')}`
          : issue.message;
      return configFinding(
        file,
        `Invalid ${file}: ${where}`,
        `${file}${line ? `:${line}` : ''}: ${where}: ${message}`,
        line,
      );
    });
    return { config: undefined, findings };
  }
  return buildConfig(parsed.data, root, lineAt, file);
}

function buildConfig(
  raw: RawConfig,
  root: Node | null,
  lineAt: (o: number) => number,
  file: string,
): ParsedConfig {
  const findings: Finding[] = [];
  const limits = { ...DEFAULT_CONFIG.limits, ...raw.limits };
  const seen = new Map<string, number>();
  const environments: EnvironmentConfig[] = [];
  (raw.environments ?? []).forEach((env, i) => {
    const line = lineOfYamlPath(root, ['environments', i], lineAt);
    const previous = seen.get(env.name);
    if (previous !== undefined) {
      const nameLine = lineOfYamlPath(root, ['environments', i, 'name'], lineAt);
      findings.push(
        configFinding(
          file,
          `Duplicate environment \`${env.name}\``,
          `${file}:${nameLine}: \`environments[${i}].name\` \`${env.name}\` is already declared at line ${previous}`,
          nameLine,
        ),
      );
      return;
    }
    seen.set(env.name, line ?? 0);
    let source: EnvironmentConfig['source'];
    if (env.path !== undefined) source = { type: 'path', path: trimSlash(env.path) };
    else if (env.kustomize !== undefined)
      source = {
        type: 'kustomize',
        path: trimSlash(env.kustomize),
        ...(env.renderer === 'kustomize'
          ? {
              renderer: 'kustomize' as const,
              timeoutSeconds: env.timeoutSeconds ?? limits.renderTimeoutSeconds,
            }
          : {}),
      };
    else {
      const split = Array.isArray(env.command) ? { argv: env.command } : splitCommandLine(env.command!);
      if ('error' in split) {
        const cmdLine = lineOfYamlPath(root, ['environments', i, 'command'], lineAt);
        findings.push(
          configFinding(
            file,
            `Invalid ${file}: \`environments[${i}].command\``,
            `${file}:${cmdLine}: \`environments[${i}].command\`: ${split.error}`,
            cmdLine,
          ),
        );
        return;
      }
      source = {
        type: 'command',
        argv: split.argv,
        timeoutSeconds: env.timeoutSeconds ?? limits.renderTimeoutSeconds,
      };
    }
    environments.push({
      name: env.name,
      source,
      ...(env.namespace ? { namespace: env.namespace } : {}),
      ...(line ? { line } : {}),
    });
  });
  if (findings.length > 0) return { config: undefined, findings };
  return {
    config: {
      environments,
      policies: raw.policies ? raw.policies.map(trimSlash) : DEFAULT_CONFIG.policies,
      policiesDeclared: raw.policies !== undefined,
      blocking: raw.blocking ?? DEFAULT_CONFIG.blocking,
      protectedBranch: raw.protectedBranch ?? DEFAULT_CONFIG.protectedBranch,
      branch: branchRules(raw.branch),
      chatops: {
        permissions: raw.chatops?.permissions ?? {},
        strategies: raw.chatops?.rollback?.strategies ?? DEFAULT_CONFIG.chatops.strategies,
        confirmTimeoutSeconds:
          raw.chatops?.rollback?.confirmTimeoutSeconds ?? DEFAULT_CONFIG.chatops.confirmTimeoutSeconds,
      },
      drift: {
        allow: raw.drift?.allow ?? [],
        ...(raw.drift?.defaults === false ? { defaults: false } : {}),
      },
      limits,
      routes: {
        ...(raw.routes?.controller ? { controller: raw.routes.controller } : {}),
        namespaceLabels: Object.fromEntries(
          Object.entries(raw.routes?.namespaces ?? {}).map(([name, ns]) => [name, { ...ns.labels }]),
        ),
      },
    },
    findings,
  };
}

function branchRules(raw: RawConfig['branch']): BranchRulesConfig {
  if (!raw) return {};
  const promotion =
    raw.promotion === true
      ? { staging: 'staging', production: 'production' }
      : raw.promotion && typeof raw.promotion === 'object'
        ? raw.promotion
        : undefined;
  return {
    ...(raw.sourceBranchPattern ? { sourceBranchPattern: raw.sourceBranchPattern } : {}),
    ...(raw.maxBehind !== undefined ? { maxBehind: raw.maxBehind } : {}),
    ...(promotion ? { promotion } : {}),
  };
}

function trimSlash(path: string): string {
  return path.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
}

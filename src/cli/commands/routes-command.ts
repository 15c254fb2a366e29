import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding } from '../../core/findings/finding.ts';
import { type Manifest, parseManifests } from '../../core/manifests/parse-manifests.ts';
import { analyzeRoutes } from '../../core/routes/analyze-routes.ts';
import { CONTROLLER_NAMES, type ControllerName } from '../../core/routes/controller-profiles.ts';
import type { RouteFinding } from '../../core/routes/route-finding.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, UsageError } from '../cli-io.ts';

const HELP = `usage: tollgate routes [PATH...] [--format text|json] [--controller NAME] [--external Kind/namespace/name ...]

Finds Gateway API and Ingress route conflicts in the YAML files under PATHs (directories are read
recursively for *.yaml/*.yml; default: the current directory). The files are one environment: an
object not in them does not exist, unless named with --external.

options:
  --format text|json   text (default), or a JSON array of {type, severity, objects, message, locations}
  --external ID        an object that exists outside these files (repeatable), e.g. Gateway/infra/shared;
                       Namespace/NAME:key=value,... declares a Namespace's labels (for from: Selector)
  --controller NAME    nginx-gateway-fabric, envoy-gateway, istio or ingress-nginx: apply where that
                       controller's documented behaviour differs from the spec
  -h, --help           show this help

exit codes: 0 no error-severity finding, 1 error findings (or unreadable YAML), 2 usage error
`;

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

function collectYamlFiles(path: string, out: string[]): void {
  const stat = statSync(path);
  if (stat.isFile()) {
    out.push(path);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) collectYamlFiles(child, out);
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      out.push(child);
    }
  }
}

function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return shown.split(sep).join('/');
}

function formatText(findings: readonly RouteFinding[]): string {
  if (findings.length === 0) return 'routes: no conflicts found\n';
  const byType = new Map<string, RouteFinding[]>();
  for (const f of findings) byType.set(f.type, [...(byType.get(f.type) ?? []), f]);
  const lines: string[] = [];
  for (const [type, list] of byType) {
    lines.push(`${type} (${list[0]!.severity}, ${list.length})`);
    for (const f of list) {
      lines.push(`  ${f.objects.join('  ')}`);
      lines.push(`    ${f.message}`);
      if (f.locations.length > 0)
        lines.push(`    at ${f.locations.map((l) => `${l.file}:${l.line}`).join(', ')}`);
    }
    lines.push('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(`routes: ${errors} error(s), ${findings.length - errors} warning(s)`);
  return `${lines.join('\n')}\n`;
}

/** `key=value,key2=value2` of `--external Namespace/NAME:labels`. */
function parseLabels(text: string, id: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--external ${id}: labels are key=value, not '${pair}'`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

export async function runRoutesCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      external: { type: 'string', multiple: true },
      controller: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not '${values.format}'`);
  }
  const controller = values.controller;
  if (controller !== undefined && !(CONTROLLER_NAMES as readonly string[]).includes(controller)) {
    throw new UsageError(`--controller must be one of ${CONTROLLER_NAMES.join(', ')}, not '${controller}'`);
  }
  const external: string[] = [];
  const namespaceLabels: Record<string, Record<string, string>> = {};
  for (const id of values.external ?? []) {
    const labelled = /^Namespace\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):(.*)$/.exec(id);
    if (labelled) {
      namespaceLabels[labelled[1]!] = parseLabels(labelled[3]!, id);
      continue;
    }
    if (!/^[A-Za-z]+\/[^/]+(\/[^/]+)?$/.test(id))
      throw new UsageError(`--external wants Kind/namespace/name, not '${id}'`);
    external.push(id);
  }
  const files: string[] = [];
  for (const p of positionals.length > 0 ? positionals : ['.']) {
    const path = resolve(io.cwd, p);
    try {
      collectYamlFiles(path, files);
    } catch {
      throw new UsageError(`cannot read ${p}`);
    }
  }
  const manifests: Manifest[] = [];
  const yamlFindings: Finding[] = [];
  for (const file of files) {
    const shown = displayPath(io.cwd, file);
    let content: Uint8Array;
    try {
      content = readFileSync(file);
    } catch (error) {
      yamlFindings.push({
        check: 'yaml',
        rule: 'unreadable',
        severity: 'error',
        blocking: true,
        title: `Cannot read ${shown}`,
        message: `${shown}: cannot read: ${(error as Error).message}`,
        location: { file: shown },
      });
      continue;
    }
    const result = parseManifests(shown, content);
    manifests.push(...result.manifests);
    yamlFindings.push(...result.findings);
  }
  for (const f of yamlFindings) io.stderr(`${f.message}\n`);
  const findings = analyzeRoutes(manifests, {
    external,
    namespaceLabels,
    ...(controller ? { controller: controller as ControllerName } : {}),
  });
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    io.stdout(formatText(findings));
  }
  const blocking = findings.some((f) => f.severity === 'error') || yamlFindings.some((f) => f.blocking);
  return blocking ? EXIT_BLOCKING : EXIT_PASS;
}

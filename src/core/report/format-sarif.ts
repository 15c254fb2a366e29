import type { Finding } from '../findings/finding.ts';
import type { Report } from './report.ts';

/** The SARIF 2.1.0 schema GitHub code scanning documents for uploads. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'tollgate';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifOptions {
  /** `tool.driver.semanticVersion`, when the caller knows it. */
  toolVersion?: string;
}

function sarifLevel(finding: Finding): SarifLevel {
  if (finding.blocking || finding.severity === 'error') return 'error';
  return finding.severity === 'warning' ? 'warning' : 'note';
}

/** `check/rule`: unique across checks, stable across runs (code scanning keys alerts on it). */
export function ruleIdOf(finding: Pick<Finding, 'check' | 'rule'>): string {
  return `${finding.check}/${finding.rule}`;
}

function resultText(finding: Finding): string {
  const parts = [finding.message];
  if (finding.environment) parts.push(`Environment: ${finding.environment}.`);
  if (finding.objects?.length) parts.push(`Objects: ${finding.objects.join(', ')}.`);
  if (finding.remedy) parts.push(`Remedy: ${finding.remedy}`);
  return parts.join('\n');
}

function location(finding: Finding) {
  return physical(finding.location);
}

function physical(at: Finding['location']) {
  if (!at?.file) return undefined;
  // Code scanning needs a region; a finding about a whole file points at its first line.
  const region: Record<string, number> = { startLine: at.line ?? 1 };
  if (at.column) region.startColumn = at.column;
  if (at.endLine && at.endLine >= region.startLine!) region.endLine = at.endLine;
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(at.file), uriBaseId: '%SRCROOT%' },
      region,
    },
  };
}

/**
 * The report as a SARIF 2.1.0 log (what `github/codeql-action/upload-sarif` takes): one run,
 * tool.driver `tollgate` with one rule per `check/rule`, one result per finding with its level,
 * message and file/line. Pure: the same report gives the same bytes.
 */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const rules: { id: string; name: string; shortDescription: { text: string }; properties: object }[] = [];
  const ruleIndex = new Map<string, number>();
  for (const f of report.findings) {
    const id = ruleIdOf(f);
    if (ruleIndex.has(id)) continue;
    ruleIndex.set(id, rules.length);
    rules.push({
      id,
      name: f.rule,
      shortDescription: { text: f.title },
      properties: { tags: ['kubernetes', f.check] },
    });
  }
  const results = report.findings.map((f) => {
    const loc = location(f);
    return {
      ruleId: ruleIdOf(f),
      ruleIndex: ruleIndex.get(ruleIdOf(f))!,
      level: sarifLevel(f),
      message: { text: resultText(f) },
      ...(loc ? { locations: [loc] } : {}),
      ...(f.relatedLocations?.length
        ? {
            relatedLocations: f.relatedLocations.flatMap((r, id) => {
              const p = physical(r);
              return p
                ? [{ id, ...p, message: { text: 'also here (the value this location overrides)' } }]
                : [];
            }),
          }
        : {}),
      properties: {
        blocking: f.blocking,
        ...(f.environment ? { environment: f.environment } : {}),
        ...(f.objects?.length ? { objects: f.objects } : {}),
      },
    };
  });
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(options.toolVersion ? { semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

import type { Finding } from '../findings/finding.ts';
import { formatLocation } from '../findings/format-location.ts';
import type { Report } from './report.ts';

export interface JunitOptions {
  /**
   * Checks that ran, so a check without findings still shows as a passing test case. Defaults to
   * the checks that have findings (or a single `tollgate` suite when there are none).
   */
  checks?: readonly string[];
}

/** XML 1.0 has no way to carry most control characters, even escaped: they are dropped. */
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML attribute or element body. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Element text keeps its line breaks readable (only the characters XML requires are escaped). */
function escapeText(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function details(f: Finding): string {
  const lines = [f.message];
  const at = formatLocation(f.location);
  if (at) lines.push(`at ${at}`);
  if (f.environment) lines.push(`environment: ${f.environment}`);
  if (f.objects?.length) lines.push(`objects: ${f.objects.join(', ')}`);
  if (f.remedy) lines.push(`remedy: ${f.remedy}`);
  return lines.join('\n');
}

function testcase(f: Finding): string {
  const at = formatLocation(f.location);
  const name = `${f.rule}${at ? ` ${at}` : ''}${f.environment ? ` [${f.environment}]` : ''}: ${f.title}`;
  const head = `    <testcase${attributes({
    classname: `tollgate.${f.check}`,
    name,
    file: f.location?.file,
    line: f.location?.line,
    time: 0,
  })}`;
  if (f.blocking) {
    return `${head}>\n      <failure${attributes({ message: f.title, type: f.rule })}>${escapeText(details(f))}</failure>\n    </testcase>`;
  }
  // Warnings pass the build: visible in the test report, not a failure.
  return `${head}>\n      <system-out>${escapeText(`${f.severity}: ${details(f)}`)}</system-out>\n    </testcase>`;
}

/**
 * The report as JUnit XML, the shape GitLab's `artifacts:reports:junit` and most CI test widgets
 * read: one `<testsuite>` per check, one `<testcase>` per finding (blocking ones carry a
 * `<failure>`), and a passing test case for a check that found nothing. Pure.
 */
export function formatJunit(report: Report, options: JunitOptions = {}): string {
  const byCheck = new Map<string, Finding[]>();
  for (const check of options.checks ?? []) byCheck.set(check, []);
  for (const f of report.findings) {
    const list = byCheck.get(f.check) ?? [];
    list.push(f);
    byCheck.set(f.check, list);
  }
  if (byCheck.size === 0) byCheck.set('tollgate', []);
  let totalTests = 0;
  let totalFailures = 0;
  const suites = [...byCheck].map(([check, findings]) => {
    const failures = findings.filter((f) => f.blocking).length;
    const cases = findings.length
      ? findings.map(testcase)
      : [
          `    <testcase${attributes({ classname: `tollgate.${check}`, name: `${check}: no findings`, time: 0 })}/>`,
        ];
    totalTests += cases.length;
    totalFailures += failures;
    return [
      `  <testsuite${attributes({ name: check, tests: cases.length, failures, errors: 0, skipped: 0, time: 0 })}>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'tollgate', tests: totalTests, failures: totalFailures, errors: 0, time: 0 })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

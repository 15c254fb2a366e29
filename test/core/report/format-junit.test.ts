import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, formatJunit } from '../../../src/core/report/format-junit.ts';
import { SAMPLE_FINDINGS, sampleReport } from './sample-report.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});

interface Testcase {
  classname: string;
  name: string;
  file?: string;
  line?: string;
  failure?: { message: string; type: string; '#text': string };
  'system-out'?: string;
}

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).testsuites as {
    tests: string;
    failures: string;
    testsuite: { name: string; tests: string; failures: string; testcase: Testcase[] }[];
  };
}

describe('formatJunit', () => {
  it('is well-formed XML with one suite per check and one test case per finding', () => {
    const root = parse(formatJunit(sampleReport()));
    expect(root.testsuite.map((s) => s.name)).toEqual(['yaml', 'routes', 'policy', 'config']);
    const cases = root.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(SAMPLE_FINDINGS.length);
    expect(root.tests).toBe(String(SAMPLE_FINDINGS.length));
    expect(root.failures).toBe('2');
    for (const suite of root.testsuite) expect(Number(suite.tests)).toBe(suite.testcase.length);
  });

  it('gives blocking findings a <failure> and keeps file and line', () => {
    const root = parse(formatJunit(sampleReport()));
    const syntax = root.testsuite[0]!.testcase[0]!;
    expect(syntax.classname).toBe('tollgate.yaml');
    expect(syntax.file).toBe('deploy/coffee.yaml');
    expect(syntax.line).toBe('12');
    expect(syntax.failure?.type).toBe('yaml-syntax');
    expect(syntax.failure?.message).toBe('YAML syntax error in deploy/coffee.yaml');
    // Markup in the message survives the round trip, escaped in the XML and restored by the parser.
    expect(syntax.failure?.['#text']).toContain('<here> & "there"');
    expect(syntax.failure?.['#text']).toContain('at deploy/coffee.yaml:12');
    const warnings = root.testsuite[2]!.testcase;
    expect(warnings.every((c) => c.failure === undefined)).toBe(true);
    expect(warnings.map((c) => c.line)).toEqual(['40', '90']);
    expect(warnings[0]!['system-out']).toMatch(/^warning: /);
  });

  it('drops characters XML cannot carry', () => {
    const xml = formatJunit(sampleReport());
    expect(xml).not.toContain('\u0007');
    expect(parse(xml).testsuite[1]!.testcase[0]!.failure?.['#text']).toContain('one silently');
  });

  it('adds a passing test case for a check that ran without findings', () => {
    const root = parse(formatJunit(sampleReport([SAMPLE_FINDINGS[0]!]), { checks: ['yaml', 'routes'] }));
    expect(root.testsuite.map((s) => s.name)).toEqual(['yaml', 'routes']);
    const routes = root.testsuite[1]!;
    expect(routes.failures).toBe('0');
    expect(routes.testcase).toHaveLength(1);
    expect(routes.testcase[0]!.failure).toBeUndefined();
  });

  it('reports a clean run as one passing test case', () => {
    const root = parse(formatJunit(sampleReport([])));
    expect(root.tests).toBe('1');
    expect(root.failures).toBe('0');
  });

  it('escapes attribute text completely', () => {
    expect(escapeXml(`a<b>&"c"'\n`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;');
  });
});

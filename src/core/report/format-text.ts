import type { Finding } from '../findings/finding.ts';
import { formatLocation } from '../findings/format-location.ts';
import type { Report } from './report.ts';

function line(f: Finding): string {
  const at = formatLocation(f.location) || '(no file)';
  const level = f.blocking ? 'error' : f.severity;
  const env = f.environment ? ` [env ${f.environment}]` : '';
  // Messages often start with their own `file:line:`; the line already does.
  const message = at && f.message.startsWith(`${at}: `) ? f.message.slice(at.length + 2) : f.message;
  const existing = f.alreadyOn ? ` (already on ${f.alreadyOn}, not introduced by this change)` : '';
  return `${at}: ${level} ${f.check}/${f.rule}${env}: ${message.replace(/\s*\r?\n\s*/g, ' ')}${existing}`;
}

/**
 * Compiler-style lines (`file:line: error check/rule: message`) that editors and pre-commit hooks
 * understand, then a one-line verdict. Pure.
 */
export function formatText(report: Report): string {
  const blocking = report.findings.filter((f) => f.blocking).length;
  const others = report.findings.length - blocking;
  const files = `${report.filesChecked} file${report.filesChecked === 1 ? '' : 's'}`;
  const verdict =
    report.verdict === 'pass'
      ? `tollgate: ${files} checked, nothing blocks${others ? ` (${others} warning${others === 1 ? '' : 's'})` : ''}`
      : `tollgate: ${files} checked, ${blocking} blocking problem${blocking === 1 ? '' : 's'}${others ? `, ${others} warning${others === 1 ? '' : 's'}` : ''}`;
  return [...report.findings.map(line), verdict, ''].join('\n');
}

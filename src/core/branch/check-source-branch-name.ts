import type { Finding } from '../findings/finding.ts';
import { compileUntrustedRegex } from '../regex/compile-untrusted-regex.ts';
import type { BranchRuleOptions } from './branch-rule-options.ts';

/** The source branch name must match the configured pattern (off when no pattern is set). */
export function checkSourceBranchName(
  sourceBranch: string,
  options: Pick<BranchRuleOptions, 'sourceBranchPattern'>,
): Finding[] {
  const pattern = options.sourceBranchPattern;
  if (pattern === undefined || pattern === '') return [];
  const compiled = compileUntrustedRegex(pattern);
  if (!compiled.ok) {
    return [
      {
        check: 'config',
        rule: 'branch/source-branch-pattern',
        severity: 'error',
        blocking: true,
        title: 'The source branch pattern is not a valid regular expression',
        message: `branch.sourceBranchPattern ${JSON.stringify(pattern)} is ${compiled.error}`,
        remedy: 'Fix the pattern in .tollgate.yml (RE2 syntax, as Go: no backreferences or lookaround).',
      },
    ];
  }
  if (compiled.regex.test(sourceBranch)) return [];
  return [
    {
      check: 'branch',
      rule: 'source-branch-name',
      severity: 'error',
      blocking: true,
      title: `Branch name ${sourceBranch} does not follow the naming rule`,
      message: `The source branch \`${sourceBranch}\` does not match the pattern \`${pattern}\` this repository requires.`,
      remedy: `Push the change to a branch whose name matches \`${pattern}\` and open the merge request from it.`,
    },
  ];
}

import { parseArgs } from 'node:util';
import { ProbotOctokit } from 'probot';
import { createGitHubBranchDoctor } from '../../adapters/github/create-github-branch-doctor.ts';
import type { GitHubClient } from '../../adapters/github/github-request.ts';
import { createGitLabBranchDoctor } from '../../adapters/gitlab/create-gitlab-branch-doctor.ts';
import { formatDoctorMarkdown, formatDoctorText } from '../../core/branch/format-doctor-report.ts';
import type { BranchDoctorPort } from '../../usecases/ports/branch-doctor-port.ts';
import { PermanentPlatformError, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';
import { runDoctor } from '../../usecases/run-doctor.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, EXIT_USAGE, UsageError } from '../cli-io.ts';

const HELP = `usage: tollgate doctor --platform github|gitlab --repo OWNER/NAME [--branch main] [--apply]

Reads the repository's branch protection through the platform API and says, per safeguard, whether
it is in place and how to fix it: the protected branch exists; direct pushes are restricted; the
tollgate check is required; force pushes are disabled. Exits 0 when all are in place, 1 otherwise.

  --platform P     github or gitlab
  --repo R         owner/name (GitHub) or group/project or numeric id (GitLab)
  --branch B       the protected branch (default: main)
  --check NAME     the required check (default: tollgate)
  --api-url URL    API base: GitHub Enterprise https://HOST/api/v3; GitLab https://HOST (default gitlab.com)
  --apply          set what is missing (needs an admin token on GitHub, Maintainer on GitLab)
  --format FMT     text (default) or markdown

The token comes from GITHUB_TOKEN or GITLAB_TOKEN; it is never printed.
`;

function portFor(platform: string, repo: string, apiUrl: string | undefined, io: CliIO): BranchDoctorPort {
  if (platform === 'github') {
    const token = io.env.GITHUB_TOKEN;
    if (!token) throw new UsageError('GITHUB_TOKEN is not set');
    const [owner, name, ...rest] = repo.split('/');
    if (!owner || !name || rest.length) throw new UsageError('--repo must be owner/name for GitHub');
    const octokit = new ProbotOctokit({
      auth: { token },
      ...(apiUrl ? { baseUrl: apiUrl } : {}),
      retry: { enabled: false },
      throttle: { enabled: false },
    }) as unknown as GitHubClient;
    return createGitHubBranchDoctor({ octokit, owner, repo: name });
  }
  if (platform === 'gitlab') {
    const token = io.env.GITLAB_TOKEN;
    if (!token) throw new UsageError('GITLAB_TOKEN is not set');
    return createGitLabBranchDoctor({
      host: apiUrl ?? io.env.GITLAB_URL ?? 'https://gitlab.com',
      token,
      projectId: /^\d+$/.test(repo) ? Number(repo) : repo,
    });
  }
  throw new UsageError('--platform must be github or gitlab');
}

export async function runDoctorCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      platform: { type: 'string' },
      repo: { type: 'string' },
      branch: { type: 'string', default: 'main' },
      check: { type: 'string', default: 'tollgate' },
      'api-url': { type: 'string' },
      apply: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  if (!values.platform) throw new UsageError('--platform github|gitlab is required');
  if (!values.repo) throw new UsageError('--repo is required');
  if (values.format !== 'text' && values.format !== 'markdown')
    throw new UsageError('--format must be text or markdown');
  const port = portFor(values.platform, values.repo, values['api-url'], io);
  try {
    const report = await runDoctor(port, {
      branch: values.branch,
      checkName: values.check,
      apply: values.apply,
    });
    io.stdout(values.format === 'markdown' ? `${formatDoctorMarkdown(report)}\n` : formatDoctorText(report));
    return report.healthy ? EXIT_PASS : EXIT_BLOCKING;
  } catch (error) {
    if (error instanceof PermanentPlatformError || error instanceof TransientPlatformError) {
      const hint =
        error instanceof PermanentPlatformError && (error.status === 401 || error.status === 403)
          ? ' (is the token valid, and does it have admin/Maintainer rights for --apply?)'
          : '';
      io.stderr(`tollgate doctor: ${error.message}${hint}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPORT_FORMATS } from '../../src/core/report/format-report.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

/** `--format F --output O` pairs of a tollgate command line. */
function reportPairs(command: string): [string, string][] {
  return [...command.matchAll(/--format\s+(\S+)\s+--output\s+(\S+)/g)].map((m) => [m[1]!, m[2]!]);
}

describe('.env.example', () => {
  const example = parseEnvFile(read('.env.example'));

  it('documents every variable the configuration reads', () => {
    const source = read('src/server/read-env-config.ts');
    const names = new Set(
      [...source.matchAll(/env\.([A-Z][A-Z0-9_]+)|'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2]!),
    );
    expect(names.size).toBeGreaterThan(20);
    names.delete('PATH'); // the system's own: where allowed render programs are looked up
    for (const name of names) expect(Object.keys(example), name).toContain(name);
  });

  it('holds valid defaults once a platform is filled in', () => {
    const config = readEnvConfig({ ...example, GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET: 's' });
    expect(config.dashboard).toBeUndefined();
    expect(config.metricsEnabled).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true });

  it('runs Redis append-only with noeviction and a health check', () => {
    const command = compose.services.redis.command.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(compose.services.redis.healthcheck.test.join(' ')).toContain('redis-cli');
  });

  it('protects Redis: no anonymous user, Tollgate logs in with a password read from a secret file', () => {
    const command = compose.services.redis.command.join(' ');
    expect(command).toContain('user default off');
    expect(command).toContain('--aclfile');
    expect(command).toContain('/run/secrets/redis_password');
    expect(compose.services.redis.ports).toBeUndefined();
    for (const name of ['server', 'worker']) {
      const service = compose.services[name];
      expect(service.environment.REDIS_URL).toBe('redis://tollgate@redis:6379');
      expect(service.environment.REDIS_PASSWORD_FILE).toBe('/run/secrets/redis_password');
      expect(service.secrets).toContain('redis_password');
    }
    expect(compose.secrets.redis_password.file).toBeDefined();
  });

  it('lets only the worker build the render sandbox (user namespaces, a fresh /proc)', () => {
    expect(compose.services.worker.security_opt).toEqual(
      expect.arrayContaining(['no-new-privileges:true', 'seccomp=unconfined', 'systempaths=unconfined']),
    );
    expect(compose.services.server.security_opt).toEqual(['no-new-privileges:true']);
  });

  it('runs a server and scalable workers from .env, after Redis is healthy, with time to drain', () => {
    for (const name of ['server', 'worker']) {
      const service = compose.services[name];
      expect(service.env_file).toBe('.env');
      expect(service.depends_on.redis.condition).toBe('service_healthy');
      expect(Number.parseInt(service.stop_grace_period, 10)).toBeGreaterThan(25);
    }
    expect(compose.services.worker.deploy.replicas).toBeGreaterThanOrEqual(1);
    expect(compose.services.worker.command.join(' ')).toContain('workers/check-worker.ts');
    expect(compose.services.server.command.join(' ')).toContain('src/server/main.ts');
  });
});

describe('examples/ci', () => {
  it('GitLab: a merge request job whose reports are the files tollgate writes', () => {
    const job = parse(read('examples/ci/gitlab-ci.yml')).tollgate;
    expect(job.rules[0].if).toContain('merge_request_event');
    const command = job.script.find((line: string) => line.includes('tollgate check'));
    expect(command).toContain('--base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"');
    const pairs = Object.fromEntries(reportPairs(command));
    expect(pairs).toEqual({
      codequality: job.artifacts.reports.codequality,
      junit: job.artifacts.reports.junit,
    });
    expect(job.artifacts.when).toBe('always');
  });

  it('GitHub: a pull request workflow that uploads the SARIF it writes, even when the check fails', () => {
    const workflow = parse(read('examples/ci/github-actions.yml'));
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = workflow.jobs.tollgate.steps;
    const check = steps.find((s: { run?: string }) => s.run?.includes('tollgate check'));
    const [[format, output]] = reportPairs(check.run) as [[string, string]];
    expect(format).toBe('sarif');
    const upload = steps.find((s: { uses?: string }) =>
      s.uses?.startsWith('github/codeql-action/upload-sarif'),
    );
    expect(upload.with.sarif_file).toBe(output);
    expect(upload.if).toContain('!cancelled()');
    for (const [f] of reportPairs(check.run)) expect(REPORT_FORMATS).toContain(f);
  });
});

describe('package.json', () => {
  it('declares every package the code imports (none comes in only as a dependency of another)', async () => {
    const { readdirSync } = await import('node:fs');
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const files = (readdirSync(new URL('../../src', import.meta.url), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/${f}`);
    files.push(
      ...(readdirSync(new URL('../../workers', import.meta.url)) as string[]).map((f) => `workers/${f}`),
    );
    const imported = new Set<string>();
    for (const file of files) {
      for (const m of read(file).matchAll(/from '([^'.][^']*)'|import\('([^'.][^']*)'\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported.has('@octokit/webhooks-methods')).toBe(true);
    for (const name of imported) expect(Object.keys(pkg.dependencies), name).toContain(name);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('verifies the helm and kustomize downloads and runs as a non-root user', () => {
    expect(dockerfile.match(/sha256sum -c -/g)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^FROM .* AS build$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('installs bubblewrap and requires the render sandbox', () => {
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends bubblewrap/);
    expect(dockerfile).toMatch(/TOLLGATE_RENDER_SANDBOX=bwrap/);
  });
});

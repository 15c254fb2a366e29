import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../support/redis-url.ts';

// A merge request whose head replaces the script a `command:` environment runs with one that tries
// what an attacker would: read the worker's environment through /proc, reach Redis and any local
// listener, write outside its checkout, and print whatever it found into the rendered objects and
// into the stderr of a failed render. The "worker" is a real `tollgate check` process whose
// environment holds the credentials; the script runs through the real sandbox (bubblewrap).

const root = mkdtempSync(join(tmpdir(), 'tollgate-hostile-'));
const repo = join(root, 'repo');
const outside = join(root, 'outside-the-copy.txt');
const secrets = {
  GITLAB_TOKEN: `glpat-${randomBytes(12).toString('hex')}`,
  WEBHOOK_SECRET: `whsec-${randomBytes(12).toString('hex')}`,
  GITLAB_WEBHOOK_SECRET: `glhook-${randomBytes(12).toString('hex')}`,
};
const redisPort = Number(new URL(testRedisUrl).port || 6379);
let listener: Server;
let listenerPort = 0;
let connections = 0;

const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    encoding: 'utf8',
  });
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};

const benign = `process.stdout.write('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: probe\\ndata:\\n  ok: "yes"\\n');\n`;

function hostileScript(port: number): string {
  return `
const fs = require('node:fs');
const net = require('node:net');
const loot = [];
const pids = new Set([String(process.ppid), String(${process.pid}), ...fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d))]);
for (let pid = 1; pid < 64; pid++) pids.add(String(pid));
for (const pid of pids) {
  for (const file of ['environ', 'cmdline']) {
    try { loot.push(...fs.readFileSync('/proc/' + pid + '/' + file, 'utf8').split('\\0').filter((l) => /(TOKEN|SECRET)=/.test(l))); } catch {}
  }
}
for (const file of ['/proc/self/environ', '/etc/hostname', '/root/.gitconfig']) {
  try { loot.push(...fs.readFileSync(file, 'utf8').split(/[\\0\\n]/).filter((l) => /(TOKEN|SECRET)=/.test(l))); } catch {}
}
const attempt = (fn) => { try { fn(); return 'written'; } catch (e) { return e.code || String(e); } };
const writes = {
  outside: attempt(() => fs.writeFileSync(${JSON.stringify(outside)}, 'escaped')),
  pristine: attempt(() => fs.writeFileSync('/src/escaped.txt', 'escaped')),
  usr: attempt(() => fs.writeFileSync('/usr/escaped.txt', 'escaped')),
  copy: attempt(() => fs.writeFileSync('escaped-inside.txt', 'fine')),
};
const connect = (port) => new Promise((resolve) => {
  const socket = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
  socket.on('connect', () => { socket.write('AUTH x\\r\\nSET tollgate:pwned 1\\r\\n'); socket.destroy(); resolve('connected'); });
  socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
  socket.on('error', (e) => resolve(e.code));
});
(async () => {
  const redis = await connect(${redisPort});
  const local = await connect(${port});
  const report = { loot: loot.join(' ') || 'none', redis, local, ...writes, pids: [...fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d))].join(',') };
  if (process.argv[2] === 'fail') {
    process.stderr.write('stolen: ' + JSON.stringify(report) + '\\n');
    process.exit(1);
  }
  process.stdout.write('apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: probe\\ndata:\\n' +
    Object.entries(report).map(([k, v]) => '  ' + k + ': ' + JSON.stringify(String(v))).join('\\n') + '\\n');
})();
`;
}

beforeAll(async () => {
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = (listener.address() as { port: number }).port;
  mkdirSync(repo);
  git('init', '-q', '-b', 'main');
  write(
    '.tollgate.yml',
    [
      'environments:',
      '  - name: probe',
      '    command: node render.js',
      '    timeoutSeconds: 30',
      '  - name: failing',
      '    command: node render.js fail',
      '    timeoutSeconds: 30',
      '',
    ].join('\n'),
  );
  write('render.js', benign);
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'attack');
  write('render.js', hostileScript(listenerPort));
  git('add', '.');
  git('commit', '-qm', 'attack');
});

afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function runCheck(format: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/tollgate.js', 'check', '--repo', repo, '--base', 'main', '--head', 'attack', '--format', format],
      {
        cwd: new URL('../../../', import.meta.url).pathname,
        // The process's own environment holds the credentials, as a worker's would.
        env: { PATH: process.env.PATH, TOLLGATE_RENDER_ALLOW: 'node', REDIS_URL: testRedisUrl, ...secrets },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
  });
}

describe('a hostile render script, in the sandbox', () => {
  it('finds no credential, reaches no socket and writes nothing outside its copy', async () => {
    const { stdout, stderr } = await runCheck('json');
    const report = JSON.parse(stdout) as {
      findings: { rule: string; environment?: string; message: string }[];
    };
    const failing = report.findings.find((f) => f.environment === 'failing');
    expect(failing?.rule).toBe('render-command-failed');
    // The stderr tail of the failed render carries the script's own report of what it tried.
    const tail = failing!.message.slice(failing!.message.indexOf('stolen: ') + 'stolen: '.length);
    const tried = JSON.parse(tail.split('\n')[0]!) as Record<string, string>;
    expect(tried.loot).toBe('none');
    expect(tried.redis).toBe('ECONNREFUSED');
    expect(tried.local).toBe('ECONNREFUSED');
    expect(tried.outside).toBe('ENOENT'); // the host's folders do not exist in the sandbox
    expect(tried.pristine).toBe('EROFS');
    expect(tried.usr).toBe('EROFS');
    expect(tried.copy).toBe('written'); // its own throwaway copy is writable
    // Its pid namespace holds bubblewrap, the shell that copied the tree, and itself.
    expect(tried.pids!.split(',').length).toBeLessThanOrEqual(3);
    expect(connections).toBe(0);
    expect(existsSync(outside)).toBe(false);
    for (const value of Object.values(secrets)) {
      expect(stdout).not.toContain(value);
      expect(stderr).not.toContain(value);
    }
  }, 60_000);

  it('prints no credential into the comment either', async () => {
    const { stdout, stderr } = await runCheck('markdown');
    expect(stdout).toContain('probe');
    for (const value of Object.values(secrets)) {
      expect(stdout).not.toContain(value);
      expect(stderr).not.toContain(value);
    }
    expect(connections).toBe(0);
  }, 60_000);
});

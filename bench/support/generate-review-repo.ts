/**
 * Generates the git repository the review benchmark checks: `apps` applications of one file each
 * (Deployment, Service, HTTPRoute: three documents), one Gateway, and 61 Kyverno policies in
 * `policies/` (the corpus ones when ../shared/corpus/kyverno exists, else the shipped ones copied
 * under new names). Branches: `main` (the base), `change` (50 apps changed), `change-2` (50 other
 * apps changed), `one-app` (one app changed). Written with `git fast-import` (no working tree), and
 * the two trees of `main`..`change` also as plain folders for the js-yaml floor.
 * Repositories are kept under the temp folder and reused when the generator version matches.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const GENERATOR_VERSION = 1;
export const POLICY_COUNT = 61;
export const CHANGED_APPS = 50;

export interface GeneratedRepo {
  apps: number;
  dir: string;
  /** Git repository (branches main, change, change-2, one-app). */
  repo: string;
  /** Plain folders with the files of `main` and of `change` (the floor reads them). */
  baseFiles: string;
  headFiles: string;
  policySource: 'corpus' | 'shipped';
  documents: number;
}

function teamOf(i: number): string {
  return `team-${i % 20}`;
}

function appFile(i: number, version: number): string {
  const app = `app-${i}`;
  const ns = teamOf(i);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels: {app: ${app}, team: ${ns}}
spec:
  replicas: ${2 + (version % 2)}
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}, team: ${ns}}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.example.com/${ns}/${app}:1.${version}.0
          ports:
            - {containerPort: 8080, name: http}
          env:
            - {name: PINPOINT_AGENT_ID, value: ${app}}
            - {name: JAVA_OPTS, value: -Xmx512m}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          livenessProbe: {httpGet: {path: /live, port: 8080}}
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector: {app: ${app}}
  ports:
    - {port: 80, targetPort: 8080}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  parentRefs:
    - {name: public, namespace: infra}
  hostnames: [${app}.example.com]
  rules:
    - matches:
        - path: {type: PathPrefix, value: /}
      backendRefs:
        - {name: ${app}, port: 80}
`;
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: infra
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces: {from: All}
`;

function walkYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walkYaml(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** The 61 policies: the corpus' non-CEL policies, or the shipped ones renamed to make up 61. */
function choosePolicies(root: string): { files: Map<string, string>; source: 'corpus' | 'shipped' } {
  const corpus = path.resolve(root, '../shared/corpus/kyverno');
  const files = new Map<string, string>();
  if (existsSync(corpus)) {
    const chosen = walkYaml(corpus).filter((p) => {
      const rel = path.relative(corpus, p).split(path.sep);
      return (
        path.basename(p, '.yaml') === path.basename(path.dirname(p)) &&
        !rel[0]!.endsWith('-cel') &&
        !rel.includes('.kyverno-test')
      );
    });
    if (chosen.length >= POLICY_COUNT) {
      for (const p of chosen.slice(0, POLICY_COUNT))
        files.set(`policies/${path.relative(corpus, p).split(path.sep).join('/')}`, readFileSync(p, 'utf8'));
      return { files, source: 'corpus' };
    }
  }
  const shipped = walkYaml(path.join(root, 'policies')).filter((p) => !p.includes('.kyverno-test'));
  for (let i = 0; files.size < POLICY_COUNT; i++) {
    const p = shipped[i % shipped.length]!;
    const copy = Math.floor(i / shipped.length);
    const content = readFileSync(p, 'utf8').replace(/^( {2}name: )(\S+)/m, `$1$2-${copy}`);
    files.set(`policies/copy-${copy}/${path.basename(p)}`, content);
  }
  return { files, source: 'shipped' };
}

/** Apps whose file a branch changes: `count` apps spread over the repository, from `offset`. */
function spread(apps: number, count: number, offset: number): number[] {
  const step = Math.max(1, Math.floor(apps / count));
  return Array.from({ length: Math.min(count, apps) }, (_, k) => (offset + k * step) % apps);
}

function data(content: string): string {
  return `data ${Buffer.byteLength(content)}\n${content}\n`;
}

function commit(branch: string, from: string | undefined, files: Map<string, string>, when: number): string {
  return [
    `commit refs/heads/${branch}\n`,
    `committer Bench <bench@example.com> ${when} +0000\n`,
    data(`${branch}`),
    from ? `from refs/heads/${from}\n` : '',
    ...[...files].map(([p, c]) => `M 100644 inline ${p}\n${data(c)}`),
    '\n',
  ].join('');
}

function writeFolder(dir: string, files: Map<string, string>) {
  for (const [p, c] of files) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), c);
  }
}

export function generateReviewRepo(apps: number, root: string): GeneratedRepo {
  const policies = choosePolicies(root);
  const dir = path.join(
    tmpdir(),
    'tollgate-bench',
    `review-${apps}-${policies.source}-v${GENERATOR_VERSION}`,
  );
  const result: GeneratedRepo = {
    apps,
    dir,
    repo: path.join(dir, 'repo'),
    baseFiles: path.join(dir, 'base'),
    headFiles: path.join(dir, 'head'),
    policySource: policies.source,
    documents: apps * 3 + 1,
  };
  if (existsSync(path.join(dir, 'done'))) return result;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(result.repo, { recursive: true });

  const base = new Map<string, string>(policies.files);
  base.set('infra/gateway.yaml', GATEWAY);
  for (let i = 0; i < apps; i++) base.set(`apps/${teamOf(i)}/app-${i}.yaml`, appFile(i, 0));
  const changed = (indexes: number[], version: number) =>
    new Map(indexes.map((i) => [`apps/${teamOf(i)}/app-${i}.yaml`, appFile(i, version)]));
  const change = changed(spread(apps, CHANGED_APPS, 0), 1);
  const change2 = changed(spread(apps, CHANGED_APPS, 1), 2);
  const oneApp = changed([Math.floor(apps / 2)], 3);

  const git = (args: string[], input?: string) => {
    const run = spawnSync('git', ['-C', result.repo, ...args], { input, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args[0]} failed: ${run.stderr}`);
  };
  git(['init', '-q', '-b', 'main']);
  git(
    ['fast-import', '--quiet'],
    commit('main', undefined, base, 1_700_000_000) +
      commit('change', 'main', change, 1_700_000_100) +
      commit('change-2', 'main', change2, 1_700_000_200) +
      commit('one-app', 'main', oneApp, 1_700_000_300),
  );
  writeFolder(result.baseFiles, base);
  writeFolder(result.headFiles, new Map([...base, ...change]));
  writeFileSync(path.join(dir, 'done'), '');
  return result;
}

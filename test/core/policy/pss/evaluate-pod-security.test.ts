import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../../src/core/manifests/parse-manifests.ts';
import { evaluatePolicies } from '../../../../src/core/policy/evaluate-policies.ts';
import type { JsonObject } from '../../../../src/core/policy/kyverno-policy.ts';
import { loadPolicies } from '../../../../src/core/policy/load-policies.ts';
import {
  evaluatePodSecurity,
  parsePssVersion,
} from '../../../../src/core/policy/pss/evaluate-pod-security.ts';

type Container = JsonObject & { name: string; image: string };

function pod(spec: JsonObject, metadata: JsonObject = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec };
}

const hardened = (name: string, image: string, extra: JsonObject = {}): Container => ({
  name,
  image,
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
    ...extra,
  },
});

const run = (podSecurity: JsonObject, resource: JsonObject) =>
  evaluatePodSecurity('r', podSecurity, resource);
const ids = (r: ReturnType<typeof run>) => r.checks.map((c) => c.id).sort();

describe('validate.podSecurity levels', () => {
  it('passes a plain pod at baseline and reports host namespaces with Kyverno-shaped messages', () => {
    const plain = pod({ containers: [{ name: 'app', image: 'tea:1' }] });
    expect(run({ level: 'baseline', version: 'latest' }, plain)).toMatchObject({
      status: 'pass',
      message: "Validation rule 'r' passed.",
    });
    const ipc = pod({ hostIPC: true, containers: [{ name: 'app', image: 'tea:1' }] });
    const r = run({ level: 'baseline', version: 'latest' }, ipc);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      `Validation rule 'r' failed. It violates PodSecurity "baseline:latest": (Forbidden reason: host namespaces, field error list: [spec.hostIPC is forbidden, forbidden values found: true])`,
    );
  });

  it('restricted adds privilege escalation, capabilities, non-root and seccomp on top of baseline', () => {
    const plain = pod({ containers: [{ name: 'app', image: 'tea:1' }] });
    const r = run({ level: 'restricted', version: 'latest' }, plain);
    expect(ids(r)).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    expect(r.message).toContain('spec.containers[0].securityContext.runAsNonRoot: Required value');
    expect(run({ level: 'restricted' }, pod({ containers: [hardened('app', 'tea:1')] })).status).toBe('pass');
  });

  it('accepts pod-level runAsNonRoot and seccomp for containers that leave them unset', () => {
    const p = pod({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } },
      containers: [
        {
          name: 'app',
          image: 'tea:1',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    });
    expect(run({ level: 'restricted', version: 'latest' }, p).status).toBe('pass');
    // a container that explicitly sets runAsNonRoot=false still fails
    const bad = structuredClone(p);
    ((bad.spec as JsonObject).containers as JsonObject[])[0]!.securityContext = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: false,
    };
    expect(ids(run({ level: 'restricted', version: 'latest' }, bad))).toEqual(['runAsNonRoot']);
  });

  it('checks init and ephemeral containers, host ports, privileged, procMount, SELinux and sysctls', () => {
    const p = pod({
      securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }], seLinuxOptions: { user: 'root' } },
      initContainers: [{ name: 'init', image: 'x', securityContext: { privileged: true } }],
      containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }],
      ephemeralContainers: [{ name: 'dbg', image: 'x', securityContext: { procMount: 'Unmasked' } }],
    });
    const r = run({ level: 'baseline', version: 'latest' }, p);
    expect(ids(r)).toEqual(['hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'sysctls']);
    expect(r.message).toContain('spec.initContainers[0].securityContext.privileged is forbidden');
    expect(r.message).toContain(
      'spec.containers[0].ports[0].hostPort is forbidden, forbidden values found: 8080',
    );
    expect(r.message).toContain('spec.ephemeralContainers[0].securityContext.procMount');
  });

  it('allows the baseline capability set but not others; restricted allows only NET_BIND_SERVICE', () => {
    const withCaps = (add: string[]) =>
      pod({ containers: [hardened('app', 'x', { capabilities: { drop: ['ALL'], add } })] });
    expect(run({ level: 'baseline' }, withCaps(['CHOWN', 'NET_BIND_SERVICE'])).status).toBe('pass');
    expect(ids(run({ level: 'baseline' }, withCaps(['NET_ADMIN'])))).toEqual(['capabilities_baseline']);
    expect(ids(run({ level: 'restricted' }, withCaps(['CHOWN'])))).toEqual(['capabilities_restricted']);
    expect(run({ level: 'restricted' }, withCaps(['NET_BIND_SERVICE'])).status).toBe('pass');
  });

  it('restricts volume types at restricted; hostPath fails both hostPath and volume-type controls', () => {
    const p = (volume: JsonObject) =>
      pod({ containers: [hardened('app', 'x')], volumes: [{ name: 'v', ...volume }] });
    expect(run({ level: 'restricted' }, p({ configMap: { name: 'c' } })).status).toBe('pass');
    expect(ids(run({ level: 'restricted' }, p({ nfs: { server: 's', path: '/' } })))).toEqual([
      'restrictedVolumes',
    ]);
    expect(ids(run({ level: 'restricted' }, p({ hostPath: { path: '/var/run' } })))).toEqual([
      'hostPathVolumes',
      'restrictedVolumes',
    ]);
    expect(run({ level: 'baseline' }, p({ nfs: { server: 's', path: '/' } })).status).toBe('pass');
  });

  it('checks AppArmor annotations and profile fields', () => {
    const annotated = (value: string) =>
      pod(
        { containers: [{ name: 'app', image: 'x' }] },
        {
          annotations: { 'container.apparmor.security.beta.kubernetes.io/app': value },
        },
      );
    expect(run({ level: 'baseline' }, annotated('runtime/default')).status).toBe('pass');
    expect(run({ level: 'baseline' }, annotated('localhost/mine')).status).toBe('pass');
    expect(ids(run({ level: 'baseline' }, annotated('unconfined')))).toEqual(['appArmorProfile']);
    const field = pod({
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [{ name: 'a', image: 'x' }],
    });
    expect(ids(run({ level: 'baseline' }, field))).toEqual(['appArmorProfile']);
  });
});

describe('validate.podSecurity versions', () => {
  it('parses latest and v1.N, and reports anything else as an error', () => {
    expect(parsePssVersion('latest')).toBeUndefined();
    expect(parsePssVersion(undefined)).toBeUndefined();
    expect(parsePssVersion('v1.24')).toBe(24);
    expect(() => parsePssVersion('1.24')).toThrow(/invalid pod security version/);
    expect(run({ level: 'baseline', version: 'v2' }, pod({ containers: [] })).status).toBe('error');
    expect(run({ level: 'medium' }, pod({ containers: [] })).status).toBe('error');
  });

  it('applies version-specific checks: runAsUser from 1.23, windows exemption from 1.25', () => {
    const root = pod({ containers: [hardened('app', 'x', { runAsUser: 0 })] });
    expect(ids(run({ level: 'restricted', version: 'v1.23' }, root))).toEqual(['runAsUser']);
    expect(run({ level: 'restricted', version: 'v1.22' }, root).status).toBe('pass');
    const windows = pod({
      os: { name: 'windows' },
      securityContext: { runAsNonRoot: true },
      containers: [{ name: 'app', image: 'x' }],
    });
    expect(run({ level: 'restricted', version: 'latest' }, windows).status).toBe('pass');
    expect(ids(run({ level: 'restricted', version: 'v1.24' }, windows))).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'seccompProfile_restricted',
    ]);
  });

  it('checks the seccomp alpha annotations only for pinned versions (every version up to it applies)', () => {
    const annotated = pod(
      { containers: [{ name: 'app', image: 'x' }] },
      { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
    );
    expect(run({ level: 'baseline', version: 'latest' }, annotated).status).toBe('pass');
    expect(ids(run({ level: 'baseline', version: 'v1.18' }, annotated))).toEqual(['seccompProfile_baseline']);
    // Kyverno runs all versions of a check up to a pinned version, so the 1.0 annotation check still applies.
    expect(ids(run({ level: 'baseline', version: 'v1.24' }, annotated))).toEqual(['seccompProfile_baseline']);
  });

  it('widens the allowed sysctls with the version (latest) but keeps older sets for pinned versions', () => {
    const p = pod({
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] },
      containers: [{ name: 'app', image: 'x' }],
    });
    expect(run({ level: 'baseline', version: 'latest' }, p).status).toBe('pass');
    expect(run({ level: 'baseline', version: 'v1.26' }, p).status).toBe('fail');
    expect(run({ level: 'baseline', version: 'v1.29' }, p).status).toBe('fail');
  });
});

describe('validate.podSecurity exclude', () => {
  it('exempts a pod-level control by controlName', () => {
    const ipc = pod({ hostIPC: true, hostPID: true, containers: [{ name: 'app', image: 'x' }] });
    expect(run({ level: 'baseline', exclude: [{ controlName: 'Host Namespaces' }] }, ipc).status).toBe(
      'pass',
    );
    expect(run({ level: 'baseline', exclude: [{ controlName: 'Sysctls' }] }, ipc).status).toBe('fail');
  });

  it('exempts a container-level control only for containers whose image matches', () => {
    const policy = {
      level: 'restricted',
      version: 'latest',
      exclude: [{ controlName: 'Capabilities', images: ['registry.local/nginx*', 'redis*'] }],
    };
    const sysAdmin = (name: string, image: string) =>
      hardened(name, image, { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } });
    expect(run(policy, pod({ containers: [sysAdmin('web', 'registry.local/nginx:1.27')] })).status).toBe(
      'pass',
    );
    expect(run(policy, pod({ containers: [sysAdmin('kv', 'redis:7')] })).status).toBe('pass');
    const other = run(policy, pod({ containers: [sysAdmin('sh', 'busybox:1.36')] }));
    expect(ids(other)).toEqual(['capabilities_baseline', 'capabilities_restricted']);
    // mixed pod: the exempt container's errors go, the other's remain
    const mixed = run(
      policy,
      pod({ containers: [sysAdmin('web', 'registry.local/nginx:1'), sysAdmin('sh', 'busybox')] }),
    );
    expect(mixed.status).toBe('fail');
    expect(mixed.message).toContain('spec.containers[1].securityContext.capabilities.add');
    expect(mixed.message).not.toContain('spec.containers[0]');
  });

  it('exempts only the listed values of a restricted field', () => {
    const policy = {
      level: 'baseline',
      exclude: [
        {
          controlName: 'Capabilities',
          images: ['nginx*'],
          restrictedField: 'spec.containers[*].securityContext.capabilities.add',
          values: ['FOO', 'BAR'],
        },
      ],
    };
    const adding = (add: string[]) =>
      pod({ containers: [{ name: 'n', image: 'nginx:latest', securityContext: { capabilities: { add } } }] });
    expect(run(policy, adding(['FOO'])).status).toBe('pass');
    expect(run(policy, adding(['FOO', 'BAR'])).status).toBe('pass');
    expect(run(policy, adding(['BAZ'])).status).toBe('fail');
    expect(run(policy, adding(['FOO', 'BAZ'])).status).toBe('fail');
    // another restricted field of the same control is not exempt
    const other = {
      ...policy,
      exclude: [
        { ...policy.exclude[0]!, restrictedField: 'spec.initContainers[*].securityContext.capabilities.add' },
      ],
    };
    expect(run(other, adding(['FOO'])).status).toBe('fail');
  });

  it('needs both a pod-level and a container-level entry to exempt a control set at both levels', () => {
    const unconfined = pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [
        { name: 'n', image: 'nginx:1', securityContext: { seccompProfile: { type: 'Unconfined' } } },
      ],
    });
    const podOnly = {
      controlName: 'Seccomp',
      restrictedField: 'spec.securityContext.seccompProfile.type',
      values: ['Unconfined'],
    };
    const containerOnly = {
      controlName: 'Seccomp',
      images: ['nginx*'],
      restrictedField: 'spec.containers[*].securityContext.seccompProfile.type',
      values: ['Unconfined'],
    };
    expect(run({ level: 'baseline', exclude: [podOnly, containerOnly] }, unconfined).status).toBe('pass');
    expect(run({ level: 'baseline', exclude: [podOnly] }, unconfined).status).toBe('fail');
    expect(run({ level: 'baseline', exclude: [containerOnly] }, unconfined).status).toBe('fail');
    // values that do not cover the bad value exempt nothing
    const otherValue = { ...podOnly, values: ['Localhost'] };
    expect(run({ level: 'baseline', exclude: [otherValue, containerOnly] }, unconfined).status).toBe('fail');
  });

  it('fully exempts Seccomp at restricted with a controlName entry plus an images: ["*"] entry', () => {
    const p = pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [
        {
          name: 'c',
          image: 'busybox',
          securityContext: {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
    });
    const both = [{ controlName: 'Seccomp' }, { controlName: 'Seccomp', images: ['*'] }];
    expect(run({ level: 'restricted', exclude: both }, p).status).toBe('pass');
    expect(run({ level: 'restricted', exclude: [] }, p).status).toBe('fail');
  });

  it('ignores unknown control names', () => {
    const ipc = pod({ hostIPC: true, containers: [{ name: 'app', image: 'x' }] });
    expect(run({ level: 'baseline', exclude: [{ controlName: 'Host Namespace' }] }, ipc).status).toBe('fail');
  });
});

describe('validate.podSecurity on controllers', () => {
  it('reads the pod template of a Deployment and a CronJob and prefixes the field paths', () => {
    const template = { metadata: {}, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x' }] } };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template },
    };
    const d = run({ level: 'baseline', version: 'latest' }, deployment);
    expect(d.message).toContain('spec.template.spec.hostNetwork is forbidden');
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template } } },
    };
    expect(run({ level: 'baseline' }, cron).message).toContain(
      'spec.jobTemplate.spec.template.spec.hostNetwork',
    );
    expect(run({ level: 'baseline' }, { kind: 'Service', metadata: {}, spec: {} }).status).toBe('error');
  });
});

describe('validate.podSecurity through the policy engine', () => {
  const policyYaml = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: psa
spec:
  validationFailureAction: Enforce
  rules:
    - name: baseline
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        podSecurity:
          level: baseline
          version: latest
`;
  const manifestsYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coffee
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: coffee}
    spec:
      hostPID: true
      containers:
        - name: coffee
          image: coffee:1
---
apiVersion: v1
kind: Pod
metadata:
  name: tea
  namespace: shop
spec:
  containers:
    - name: tea
      image: tea:1
`;
  const { policies } = loadPolicies([{ path: 'psa.yaml', content: policyYaml }]);
  const { manifests } = parseManifests('app.yaml', manifestsYaml);

  it('auto-generates the rule for controllers and evaluates the pod template', () => {
    const results = evaluatePolicies(policies, manifests);
    expect(results.map((r) => [r.rule, r.resource.name, r.status])).toEqual([
      ['autogen-baseline', 'coffee', 'fail'],
      ['baseline', 'tea', 'pass'],
    ]);
    expect(results[0]!.message).toContain('spec.template.spec.hostPID is forbidden');
  });

  it('reports nothing for a DELETE request', () => {
    expect(evaluatePolicies(policies, manifests, { operation: 'DELETE' })).toEqual([]);
  });
});

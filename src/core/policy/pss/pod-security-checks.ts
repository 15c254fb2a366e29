/**
 * The Pod Security Standards checks as the Kubernetes pod-security-admission library defines them
 * (with the field errors of Kyverno's fork of it, which Kyverno's `validate.podSecurity` reads to
 * apply `exclude` entries). Each check reports the offending fields with their bad values.
 */
import {
  type CheckFn,
  containers,
  fail,
  forbidden,
  list,
  obj,
  type PssFieldError,
  podSc,
  sorted,
  text,
} from './pss-check-helpers.ts';
import {
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
} from './pss-restricted-checks.ts';

export type { PodView, PssCheckResult, PssFieldError, PssLevel } from './pss-check-helpers.ts';

import type { JsonObject } from '../kyverno-policy.ts';
import type { PssCheck } from './pss-check-helpers.ts';

// --- baseline --------------------------------------------------------------------------------

const hostProcess: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  if (obj(podSc(spec)?.windowsOptions)?.hostProcess === true) {
    errors.push(forbidden('spec.securityContext.windowsOptions.hostProcess', true));
  }
  for (const { path, sc } of containers(spec)) {
    if (obj(sc?.windowsOptions)?.hostProcess === true) {
      errors.push(forbidden(`${path}.securityContext.windowsOptions.hostProcess`, true));
    }
  }
  return errors.length ? fail('windowsHostProcess', 'hostProcess', errors) : undefined;
};

const hostNamespaces: CheckFn = ({ spec }) => {
  const errors = ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((k) => spec[k] === true)
    .map((k) => forbidden(`spec.${k}`, true));
  return errors.length ? fail('hostNamespaces', 'host namespaces', errors) : undefined;
};

const privileged: CheckFn = ({ spec }) => {
  const errors = containers(spec)
    .filter(({ sc }) => sc?.privileged === true)
    .map(({ path }) => forbidden(`${path}.securityContext.privileged`, true));
  return errors.length ? fail('privileged', 'privileged', errors) : undefined;
};

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const capabilitiesBaseline: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  for (const { path, sc } of containers(spec)) {
    const bad = list(obj(sc?.capabilities)?.add)
      .map(text)
      .filter((c) => !BASELINE_CAPABILITIES.has(c));
    if (bad.length) errors.push(forbidden(`${path}.securityContext.capabilities.add`, sorted(bad)));
  }
  return errors.length ? fail('capabilities_baseline', 'non-default capabilities', errors) : undefined;
};

const hostPathVolumes: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  list(spec.volumes).forEach((v, i) => {
    const hostPath = obj(obj(v)?.hostPath);
    if (hostPath) errors.push(forbidden(`spec.volumes[${i}].hostPath`, text(hostPath.path)));
  });
  return errors.length ? fail('hostPathVolumes', 'hostPath volumes', errors) : undefined;
};

const hostPorts: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  for (const { c, path } of containers(spec)) {
    list(c.ports).forEach((p, i) => {
      const port = obj(p)?.hostPort;
      if (port !== undefined && port !== null && port !== 0) {
        errors.push(forbidden(`${path}.ports[${i}].hostPort`, port));
      }
    });
  }
  return errors.length ? fail('hostPorts', 'hostPort', errors) : undefined;
};

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const appArmor: CheckFn = ({ metadata, spec }) => {
  const errors: PssFieldError[] = [];
  const allowedType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const podProfile = obj(podSc(spec)?.appArmorProfile);
  if (podProfile && !allowedType(podProfile.type)) {
    errors.push(forbidden('spec.securityContext.appArmorProfile.type', text(podProfile.type)));
  }
  for (const { path, sc } of containers(spec)) {
    const profile = obj(sc?.appArmorProfile);
    if (profile && !allowedType(profile.type)) {
      errors.push(forbidden(`${path}.securityContext.appArmorProfile.type`, text(profile.type)));
    }
  }
  const annotations = obj(metadata.annotations) ?? {};
  for (const key of Object.keys(annotations).sort()) {
    const value = text(annotations[key]);
    if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
    if (value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
    errors.push(forbidden(`metadata.annotations[${key}]`, value));
  }
  return errors.length ? fail('appArmorProfile', 'forbidden AppArmor profile', errors) : undefined;
};

function seLinux(allowedTypes: Set<string>): CheckFn {
  return ({ spec }) => {
    const errors: PssFieldError[] = [];
    const visit = (options: JsonObject | undefined, prefix: string) => {
      if (!options) return;
      if (!allowedTypes.has(text(options.type))) {
        errors.push(forbidden(`${prefix}.seLinuxOptions.type`, text(options.type)));
      }
      if (text(options.user) !== '')
        errors.push(forbidden(`${prefix}.seLinuxOptions.user`, text(options.user)));
      if (text(options.role) !== '')
        errors.push(forbidden(`${prefix}.seLinuxOptions.role`, text(options.role)));
    };
    visit(obj(podSc(spec)?.seLinuxOptions), 'spec.securityContext');
    for (const { path, sc } of containers(spec)) visit(obj(sc?.seLinuxOptions), `${path}.securityContext`);
    return errors.length ? fail('seLinuxOptions', 'seLinuxOptions', errors) : undefined;
  };
}

const SELINUX_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_1_31 = new Set([...SELINUX_1_0, 'container_engine_t']);

const procMount: CheckFn = ({ spec }) => {
  const errors = containers(spec)
    .filter(({ sc }) => sc?.procMount !== undefined && sc.procMount !== null && sc.procMount !== 'Default')
    .map(({ path, sc }) => forbidden(`${path}.securityContext.procMount`, text(sc?.procMount)));
  return errors.length ? fail('procMount', 'procMount', errors) : undefined;
};

/** Seccomp before 1.19: the alpha annotations must not say `unconfined`. */
const seccompBaseline1_0: CheckFn = ({ metadata }) => {
  const annotations = obj(metadata.annotations) ?? {};
  const errors: PssFieldError[] = [];
  for (const key of Object.keys(annotations).sort()) {
    const isSeccomp =
      key === 'seccomp.security.alpha.kubernetes.io/pod' ||
      key.startsWith('container.seccomp.security.alpha.kubernetes.io/');
    if (isSeccomp && text(annotations[key]) === 'unconfined') {
      errors.push(forbidden(`metadata.annotations[${key}]`, 'unconfined'));
    }
  }
  return errors.length ? fail('seccompProfile_baseline', 'seccompProfile', errors) : undefined;
};

const seccompBaseline1_19: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  const type = obj(podSc(spec)?.seccompProfile)?.type;
  if (type === 'Unconfined') errors.push(forbidden('spec.securityContext.seccompProfile.type', type));
  for (const { path, sc } of containers(spec)) {
    const t = obj(sc?.seccompProfile)?.type;
    if (t === 'Unconfined') errors.push(forbidden(`${path}.securityContext.seccompProfile.type`, t));
  }
  return errors.length ? fail('seccompProfile_baseline', 'seccompProfile', errors) : undefined;
};

function sysctls(allowed: Set<string>): CheckFn {
  return ({ spec }) => {
    const errors: PssFieldError[] = [];
    list(podSc(spec)?.sysctls).forEach((s, i) => {
      const name = text(obj(s)?.name);
      if (!allowed.has(name)) errors.push(forbidden(`spec.securityContext.sysctls[${i}].name`, name));
    });
    return errors.length ? fail('sysctls', 'forbidden sysctls', errors) : undefined;
  };
}

const SYSCTLS_1_0 = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);
const SYSCTLS_1_27 = new Set([...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports']);
const SYSCTLS_1_29 = new Set([
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SYSCTLS_1_32 = new Set([...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);

const HANDLERS = [
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle.postStart',
  'lifecycle.preStop',
];

const hostProbes: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  for (const { c, path } of containers(spec)) {
    for (const handler of HANDLERS) {
      const [a, b] = handler.split('.');
      const h = b ? obj(obj(c[a!])?.[b]) : obj(c[a!]);
      for (const kind of ['httpGet', 'tcpSocket']) {
        const host = text(obj(h?.[kind])?.host);
        if (host !== '') errors.push(forbidden(`${path}.${handler}.${kind}.host`, host));
      }
    }
  }
  return errors.length ? fail('hostProbesAndHostLifecycle', 'probe or lifecycle host', errors) : undefined;
};

/** Checks in the order pod-security-admission registers them (its file names, alphabetically). */
export const PSS_CHECKS: PssCheck[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minor: 8, check: allowPrivilegeEscalation(false) },
      { minor: 25, check: allowPrivilegeEscalation(true) },
    ],
  },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minor: 0, check: appArmor }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ minor: 0, check: capabilitiesBaseline }] },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minor: 22, check: capabilitiesRestricted(false) },
      { minor: 25, check: capabilitiesRestricted(true) },
    ],
  },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ minor: 0, check: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ minor: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ minor: 0, check: hostPorts }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ minor: 34, check: hostProbes }] },
  { id: 'privileged', level: 'baseline', versions: [{ minor: 0, check: privileged }] },
  { id: 'procMount', level: 'baseline', versions: [{ minor: 0, check: procMount }] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ minor: 0, check: restrictedVolumes }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ minor: 0, check: runAsNonRoot }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ minor: 23, check: runAsUser }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minor: 0, check: seLinux(SELINUX_1_0) },
      { minor: 31, check: seLinux(SELINUX_1_31) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { minor: 0, check: seccompBaseline1_0 },
      { minor: 19, check: seccompBaseline1_19 },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minor: 19, check: seccompRestricted(false) },
      { minor: 25, check: seccompRestricted(true) },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minor: 0, check: sysctls(SYSCTLS_1_0) },
      { minor: 27, check: sysctls(SYSCTLS_1_27) },
      { minor: 29, check: sysctls(SYSCTLS_1_29) },
      { minor: 32, check: sysctls(SYSCTLS_1_32) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ minor: 0, check: hostProcess }] },
];

/** Control names (as written in `exclude[].controlName`) → the check ids they cover (Kyverno's table). */
export const PSS_CONTROL_CHECK_IDS: Record<string, string[]> = {
  Capabilities: ['capabilities_baseline', 'capabilities_restricted'],
  Seccomp: ['seccompProfile_baseline', 'seccompProfile_restricted'],
  'Privileged Containers': ['privileged'],
  'Host Ports': ['hostPorts'],
  '/proc Mount Type': ['procMount'],
  'Host Probes / Lifecycle Hooks': ['hostProbesAndHostLifecycle'],
  HostProcess: ['windowsHostProcess'],
  SELinux: ['seLinuxOptions'],
  'Host Namespaces': ['hostNamespaces'],
  'HostPath Volumes': ['hostPathVolumes'],
  Sysctls: ['sysctls'],
  AppArmor: ['appArmorProfile'],
  'Privilege Escalation': ['allowPrivilegeEscalation'],
  'Running as Non-root': ['runAsNonRoot'],
  'Running as Non-root user': ['runAsUser'],
  'Volume Types': ['restrictedVolumes'],
};

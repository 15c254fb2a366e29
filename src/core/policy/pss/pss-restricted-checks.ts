/** The restricted-level Pod Security Standards checks. */
import { isJsonObject } from '../kyverno-policy.ts';
import {
  type CheckFn,
  containers,
  fail,
  forbidden,
  forbiddenInt64,
  isWindows,
  list,
  obj,
  type PssFieldError,
  podSc,
  required,
  sorted,
  text,
} from './pss-check-helpers.ts';

// --- restricted ------------------------------------------------------------------------------

const ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

export const restrictedVolumes: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  list(spec.volumes).forEach((v, i) => {
    const volume = obj(v) ?? {};
    if (ALLOWED_VOLUME_SOURCES.some((k) => volume[k] !== undefined && volume[k] !== null)) return;
    const source = Object.keys(volume).find((k) => k !== 'name' && isJsonObject(volume[k])) ?? 'unknown';
    errors.push(forbidden(`spec.volumes[${i}].${source}`));
  });
  return errors.length ? fail('restrictedVolumes', 'restricted volume types', errors) : undefined;
};

export const allowPrivilegeEscalation =
  (windowsExempt: boolean): CheckFn =>
  ({ spec }) => {
    if (windowsExempt && isWindows(spec)) return undefined;
    const errors = containers(spec)
      .filter(({ sc }) => sc?.allowPrivilegeEscalation !== false)
      .map(({ path, sc }) => {
        const field = `${path}.securityContext.allowPrivilegeEscalation`;
        return sc?.allowPrivilegeEscalation === true ? forbidden(field, true) : required(field);
      });
    return errors.length
      ? fail('allowPrivilegeEscalation', 'allowPrivilegeEscalation != false', errors)
      : undefined;
  };

export const runAsNonRoot: CheckFn = ({ spec }) => {
  const explicit: PssFieldError[] = [];
  const implicit: PssFieldError[] = [];
  const podValue = podSc(spec)?.runAsNonRoot;
  if (podValue === false) explicit.push(forbidden('spec.securityContext.runAsNonRoot', false));
  for (const { path, sc } of containers(spec)) {
    const value = sc?.runAsNonRoot;
    if (value === false) explicit.push(forbidden(`${path}.securityContext.runAsNonRoot`, false));
    else if (value !== true && podValue !== true)
      implicit.push(required(`${path}.securityContext.runAsNonRoot`));
  }
  const errors = [...explicit, ...implicit];
  return errors.length ? fail('runAsNonRoot', 'runAsNonRoot != true', errors) : undefined;
};

export const runAsUser: CheckFn = ({ spec }) => {
  const errors: PssFieldError[] = [];
  if (podSc(spec)?.runAsUser === 0) errors.push(forbiddenInt64('spec.securityContext.runAsUser', 0));
  for (const { path, sc } of containers(spec)) {
    if (sc?.runAsUser === 0) errors.push(forbiddenInt64(`${path}.securityContext.runAsUser`, 0));
  }
  return errors.length ? fail('runAsUser', 'runAsUser=0', errors) : undefined;
};

export const seccompRestricted =
  (windowsExempt: boolean): CheckFn =>
  ({ spec }) => {
    if (windowsExempt && isWindows(spec)) return undefined;
    const valid = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
    const explicit: PssFieldError[] = [];
    const implicit: PssFieldError[] = [];
    const podProfile = obj(podSc(spec)?.seccompProfile);
    if (podProfile && !valid(podProfile.type)) {
      explicit.push(forbidden('spec.securityContext.seccompProfile.type', text(podProfile.type)));
    }
    const podSet = podProfile !== undefined && valid(podProfile.type);
    for (const { path, sc } of containers(spec)) {
      const profile = obj(sc?.seccompProfile);
      const field = `${path}.securityContext.seccompProfile.type`;
      if (profile) {
        if (!valid(profile.type)) explicit.push(forbidden(field, text(profile.type)));
      } else if (!podSet) implicit.push(required(field));
    }
    // Explicitly bad values are reported alone; missing ones only when nothing is explicitly bad.
    const errors = explicit.length ? explicit : implicit;
    return errors.length ? fail('seccompProfile_restricted', 'seccompProfile', errors) : undefined;
  };

export const capabilitiesRestricted =
  (windowsExempt: boolean): CheckFn =>
  ({ spec }) => {
    if (windowsExempt && isWindows(spec)) return undefined;
    const missingDrop: PssFieldError[] = [];
    const adding: PssFieldError[] = [];
    for (const { path, sc } of containers(spec)) {
      const caps = obj(sc?.capabilities);
      const dropField = `${path}.securityContext.capabilities.drop`;
      if (!caps) {
        missingDrop.push(required(dropField));
        continue;
      }
      const drop = list(caps.drop).map(text);
      if (!drop.includes('ALL')) {
        missingDrop.push(drop.length ? forbidden(dropField, sorted(drop)) : required(dropField));
      }
      const bad = list(caps.add)
        .map(text)
        .filter((c) => c !== 'NET_BIND_SERVICE');
      if (bad.length) adding.push(forbidden(`${path}.securityContext.capabilities.add`, sorted(bad)));
    }
    const errors = [...missingDrop, ...adding];
    return errors.length ? fail('capabilities_restricted', 'unrestricted capabilities', errors) : undefined;
  };

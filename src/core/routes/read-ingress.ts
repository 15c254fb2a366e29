import type { Manifest } from '../manifests/parse-manifests.ts';
import { normalizeHostname } from './intersect-hostnames.ts';
import { parseGoBool } from './parse-go-bool.ts';
import { asArray, asPort, asRecord, asString, asStringMap } from './read-fields.ts';
import {
  type IngressBackendModel,
  type IngressClassModel,
  type IngressModel,
  type IngressPathModel,
  locate,
} from './route-universe.ts';

export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

export function readIngressClass(manifest: Manifest): IngressClassModel {
  const spec = asRecord(manifest.object.spec);
  const annotations = asStringMap(asRecord(manifest.object.metadata).annotations);
  return {
    name: manifest.identity.name,
    controller: asString(spec.controller),
    isDefault: annotations['ingressclass.kubernetes.io/is-default-class'] === 'true',
  };
}

/** networking.k8s.io/v1 `service: {name, port: {number|name}}`, or the older `serviceName`/`servicePort`. */
function readBackend(
  raw: unknown,
  manifest: Manifest,
  path: (string | number)[],
): IngressBackendModel | undefined {
  const b = asRecord(raw);
  const service = asRecord(b.service);
  if (b.service !== undefined) {
    const port = asRecord(service.port);
    const portNumber = asPort(port.number);
    const portName = asString(port.name);
    return {
      serviceName: asString(service.name),
      ...(portNumber === undefined ? {} : { portNumber }),
      ...(portName ? { portName } : {}),
      location: locate(manifest, path),
    };
  }
  if (b.serviceName !== undefined) {
    const portNumber = asPort(b.servicePort);
    const portName = portNumber === undefined ? asString(b.servicePort) : '';
    return {
      serviceName: asString(b.serviceName),
      ...(portNumber === undefined ? {} : { portNumber }),
      ...(portName ? { portName } : {}),
      location: locate(manifest, path),
    };
  }
  return undefined; // resource backend, or none
}

/**
 * Effective IngressClass: `spec.ingressClassName`, else the `kubernetes.io/ingress.class`
 * annotation, else the default IngressClass (`''` when there is none).
 */
export function resolveIngressClass(
  manifest: Manifest,
  defaultClass: string,
): { className: string; annotations: Record<string, string> } {
  const spec = asRecord(manifest.object.spec);
  const annotations = asStringMap(asRecord(manifest.object.metadata).annotations);
  const className =
    asString(spec.ingressClassName) || annotations['kubernetes.io/ingress.class'] || defaultClass;
  return { className, annotations };
}

export function readIngress(manifest: Manifest, id: string, defaultClass: string): IngressModel {
  const { namespace, name } = manifest.identity;
  const spec = asRecord(manifest.object.spec);
  const { className, annotations } = resolveIngressClass(manifest, defaultClass);
  const paths: IngressPathModel[] = [];
  asArray(spec.rules).forEach((rawRule, r) => {
    const rule = asRecord(rawRule);
    const host = normalizeHostname(rule.host);
    asArray(asRecord(rule.http).paths).forEach((rawPath, p) => {
      const entry = asRecord(rawPath);
      const base = ['spec', 'rules', r, 'http', 'paths', p];
      const backend = readBackend(entry.backend, manifest, [...base, 'backend']);
      paths.push({
        host,
        path: asString(entry.path) || '/',
        pathType: asString(entry.pathType) || 'ImplementationSpecific',
        ...(backend ? { backend } : {}),
        location: locate(manifest, base),
      });
    });
  });
  const defaultBackend = readBackend(spec.defaultBackend ?? spec.backend, manifest, [
    'spec',
    spec.defaultBackend !== undefined ? 'defaultBackend' : 'backend',
  ]);
  return {
    id,
    namespace,
    name,
    location: { file: manifest.file, line: manifest.line },
    manifest,
    className,
    annotations,
    canary: parseGoBool(annotations[`${NGINX_PREFIX}canary`]) === true,
    paths,
    ...(defaultBackend ? { defaultBackend } : {}),
  };
}

/**
 * ingress-nginx: `use-regex` (a boolean as Go's ParseBool reads it: "true", "True", "1", "t"...) or
 * a `rewrite-target` turns every path of the host into a regex.
 */
export function makesHostRegex(ingress: IngressModel): boolean {
  return (
    parseGoBool(ingress.annotations[`${NGINX_PREFIX}use-regex`]) === true ||
    ingress.annotations[`${NGINX_PREFIX}rewrite-target`] !== undefined
  );
}

import type { Finding } from '../findings/finding.ts';
import type { Manifest } from '../manifests/parse-manifests.ts';
import { formatResourceId } from '../manifests/resource-identity.ts';
import { listWorkloadImages, normalizeImage } from './list-workload-images.ts';

function keysOf(reference: string): string[] {
  const { name, tag, digest } = normalizeImage(reference);
  const keys: string[] = [];
  if (tag) keys.push(`${name}:${tag}`);
  if (digest) keys.push(`${name}@${digest}`);
  return keys;
}

/**
 * Promotion: an image that production starts using must already run in staging. "Starts using"
 * means the head's production manifests reference it and the base's production manifests do not;
 * "runs in staging" means staging's rendered manifests reference the same tag or digest — on the
 * target branch or in the same merge request (pass whichever the caller holds; the union is fine).
 */
export function checkPromotion(
  staging: readonly Manifest[],
  productionBase: readonly Manifest[],
  productionHead: readonly Manifest[],
): Finding[] {
  const inStaging = new Set(listWorkloadImages(staging).flatMap((i) => keysOf(i.image)));
  const inProduction = new Set(listWorkloadImages(productionBase).flatMap((i) => keysOf(i.image)));
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const used of listWorkloadImages(productionHead)) {
    const keys = keysOf(used.image);
    if (keys.some((k) => inProduction.has(k))) continue;
    if (keys.some((k) => inStaging.has(k))) continue;
    const object = formatResourceId(used.manifest.identity);
    const once = `${object}|${used.container}|${used.image}`;
    if (reported.has(once)) continue;
    reported.add(once);
    const line = used.manifest.lineOf(used.path) ?? used.manifest.line;
    findings.push({
      check: 'branch',
      rule: 'promotion',
      severity: 'error',
      blocking: true,
      title: `${used.image} goes to production before staging`,
      message: `${object} (container ${used.container}) would run ${used.image} in production, but no staging workload runs this image, neither on the target branch nor in this merge request.`,
      remedy: 'Deploy the image to staging first (same tag or digest), then promote it to production.',
      location: line ? { file: used.manifest.file, line } : { file: used.manifest.file },
      environment: 'production',
      objects: [object],
    });
  }
  return findings;
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** The check a details page shows: one commit of one project on one platform. */
export interface DetailsTarget {
  platform: 'github' | 'gitlab';
  project: string;
  sha: string;
}

/**
 * Access to a details page is an unguessable, expiring, HMAC-SHA256-signed link (no platform
 * sign-in): whoever can see the check run or the merge request status can open it, nobody can
 * forge one for another project or commit, and it stops working after `expires`. The key never
 * leaves the server; rotating TOLLGATE_DETAILS_SECRET revokes every link at once.
 */
function signature(secret: string, target: DetailsTarget, expires: number): string {
  return createHmac('sha256', secret)
    .update(`tollgate-details\n${target.platform}\n${target.project}\n${target.sha}\n${expires}`)
    .digest('base64url');
}

export function signDetailsPath(secret: string, target: DetailsTarget, expires: number): string {
  const query = new URLSearchParams({
    platform: target.platform,
    project: target.project,
    sha: target.sha,
    expires: String(expires),
    sig: signature(secret, target, expires),
  });
  return `/checks?${query.toString()}`;
}

export type VerifiedLink = { ok: true; target: DetailsTarget } | { ok: false; reason: string };

/** Checks a link's signature (constant time) and expiry; `now` in seconds since the epoch. */
export function verifyDetailsLink(secret: string, query: URLSearchParams, now: number): VerifiedLink {
  const platform = query.get('platform');
  const project = query.get('project');
  const sha = query.get('sha');
  const expires = Number(query.get('expires'));
  const sig = query.get('sig') ?? '';
  if ((platform !== 'github' && platform !== 'gitlab') || !project || !sha || !/^[0-9a-f]{7,64}$/.test(sha))
    return { ok: false, reason: 'malformed link' };
  if (!Number.isSafeInteger(expires)) return { ok: false, reason: 'malformed link' };
  const target: DetailsTarget = { platform, project, sha };
  const expected = Buffer.from(signature(secret, target, expires));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid signature' };
  if (expires < now) return { ok: false, reason: 'link expired' };
  return { ok: true, target };
}

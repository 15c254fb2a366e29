import type { Report } from '../../core/report/report.ts';
import type { DetailsStore } from '../../usecases/ports/details-store.ts';
import type { Platform } from '../../usecases/ports/platform.ts';
import type { DetailsSettings } from '../read-env-config.ts';
import { signDetailsPath } from './sign-details-link.ts';

const DAY = 86_400;

/**
 * Keeps a check's report for its details page and returns the signed link. The expiry is rounded
 * up to a whole day, so a re-check of the same head within the day yields the same link and the
 * sticky comment stays unchanged (no write).
 */
export function publishCheckDetails(store: DetailsStore, settings: DetailsSettings, now = () => Date.now()) {
  return async (platform: Platform, number: number, headSha: string, report: Report): Promise<string> => {
    const seconds = Math.floor(now() / 1000);
    const expires = Math.ceil((seconds + settings.ttlSeconds) / DAY) * DAY;
    await store.saveDetails(
      {
        platform: platform.kind,
        project: platform.project,
        sha: headSha,
        number,
        report,
        checkedAt: new Date(seconds * 1000).toISOString(),
      },
      expires - seconds,
    );
    const target = { platform: platform.kind, project: platform.project, sha: headSha };
    return `${settings.publicUrl}${signDetailsPath(settings.secret, target, expires)}`;
  };
}

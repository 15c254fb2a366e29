import type { Report } from '../../core/report/report.ts';

/** What a details page shows of one check, kept as long as its link is valid. */
export interface CheckDetails {
  platform: 'github' | 'gitlab';
  project: string;
  sha: string;
  /** The merge request it was checked for. */
  number?: number;
  report: Report;
  checkedAt: string;
}

/** Reports of recent checks, by platform, project and commit. */
export interface DetailsStore {
  saveDetails(details: CheckDetails, ttlSeconds: number): Promise<void>;
  readDetails(platform: string, project: string, sha: string): Promise<CheckDetails | undefined>;
}

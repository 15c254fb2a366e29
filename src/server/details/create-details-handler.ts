import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatDetailsPage } from '../../core/report/format-details-page.ts';
import type { AuditLog } from '../../usecases/ports/audit-log.ts';
import type { DetailsStore } from '../../usecases/ports/details-store.ts';
import type { EnvironmentLockReader } from '../../usecases/ports/environment-lock-store.ts';
import { verifyDetailsLink } from './sign-details-link.ts';

export interface DetailsHandlerDeps {
  secret: string;
  store: DetailsStore;
  locks?: EnvironmentLockReader;
  audit?: AuditLog;
  /** Seconds since the epoch (injected for tests). */
  now?: () => number;
  /** Web links to files at a commit, per platform (GitHub `/blob/`, GitLab `/-/blob/`). */
  fileUrl?: (
    platform: string,
    project: string,
    sha: string,
    file: string,
    line?: number,
  ) => string | undefined;
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    // Plain HTML, no script: nothing runs, nothing loads from elsewhere, no one frames it.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'private, no-store',
  });
  response.end(html);
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

/** GET /checks?platform&project&sha&expires&sig — the details page behind the check's "Details" link. */
export function createDetailsHandler(deps: DetailsHandlerDeps) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    request.resume();
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const now = deps.now?.() ?? Math.floor(Date.now() / 1000);
    const link = verifyDetailsLink(deps.secret, query, now);
    if (!link.ok) {
      send(
        response,
        403,
        page(
          'Link not valid',
          `This details link cannot be opened (${link.reason}). Open the check again from the merge request for a fresh link.`,
        ),
      );
      return;
    }
    const { platform, project, sha } = link.target;
    const details = await deps.store.readDetails(platform, project, sha);
    if (!details) {
      send(
        response,
        404,
        page(
          'Report not kept',
          'The report of this check is no longer kept. Run /tollgate recheck for a new one.',
        ),
      );
      return;
    }
    const scope = { platform, project };
    const [locks, audit] = await Promise.all([
      deps.locks ? deps.locks.readLocks(scope) : [],
      deps.audit ? deps.audit.read({ project, limit: 50 }) : [],
    ]);
    send(
      response,
      200,
      formatDetailsPage({
        project,
        sha,
        ...(details.number !== undefined ? { number: details.number } : {}),
        checkedAt: details.checkedAt,
        report: details.report,
        locks,
        audit: audit.filter((a) => a.platform === platform),
        ...(deps.fileUrl
          ? { linkTo: (file, line) => deps.fileUrl!(platform, project, sha, file, line) }
          : {}),
      }),
    );
  };
}

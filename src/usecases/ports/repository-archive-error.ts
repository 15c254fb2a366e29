import type { Finding } from '../../core/findings/finding.ts';
import { buildRenderFinding } from '../../core/render/build-render-finding.ts';
import { PermanentPlatformError } from './platform-errors.ts';

/** Where a review reports a problem of the downloaded repository archive as a whole. */
export const ARCHIVE_PSEUDO_FILE = '(repository archive)';

/** Which guard refused the archive: a size limit, or an entry that could escape the tree. */
export type ArchiveRefusal = 'max-archive-bytes' | 'max-extracted-bytes' | 'max-files' | 'unsafe-entry';

/**
 * A repository archive Tollgate refused to read: over a configured limit, or carrying an entry no
 * git archive has (absolute path, `..`). Retrying cannot help: the review turns it into a blocking
 * finding (`toFinding`); anywhere else it is permanent, so the queue does not retry it either.
 */
export class RepositoryArchiveError extends PermanentPlatformError {
  override name = 'RepositoryArchiveError';
  constructor(
    readonly refusal: ArchiveRefusal,
    message: string,
    /** The setting that raises the limit, when a limit was hit. */
    readonly setting?: string,
  ) {
    super(message);
  }

  toFinding(): Finding {
    const limit = this.refusal !== 'unsafe-entry';
    return {
      ...buildRenderFinding(
        limit ? 'repository-archive-too-large' : 'repository-archive-unsafe',
        limit ? 'The repository is too large to review' : 'The repository archive was refused',
        this.message,
        { file: ARCHIVE_PSEUDO_FILE },
      ),
      remedy: limit
        ? `Ask the Tollgate operator to raise ${this.setting ?? 'the archive limits'}, or make the repository smaller.`
        : 'Check the repository for entries outside its root; nothing of this archive was reviewed.',
    };
  }
}

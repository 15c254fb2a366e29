import { posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { PermanentPlatformError, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../usecases/ports/repository-archive-error.ts';
import { ARCHIVE_LIMIT_SETTINGS, type ArchiveLimits } from './archive-settings.ts';

/** The regular files of a commit, unpacked in memory. */
export interface ArchiveSnapshot {
  /** Repository-relative path → bytes. */
  files: ReadonlyMap<string, Uint8Array>;
  /** Bytes of file contents held. */
  bytes: number;
}

const MiB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${bytes} bytes`;
}

/** Passes bytes through, failing the pipeline once more than `max` went by. */
function byteCap(max: number, exceeded: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(exceeded());
      else done(null, chunk);
    },
  });
}

function unsafe(sha: string, name: string, why: string): RepositoryArchiveError {
  return new RepositoryArchiveError(
    'unsafe-entry',
    `The archive of ${sha.slice(0, 12)} has an entry ${JSON.stringify(name.slice(0, 200))} ${why}; no git archive has one, so Tollgate refused the whole archive.`,
  );
}

/**
 * The path of an entry inside the repository: the archive's top folder (`owner-repo-sha/` on
 * GitHub, `project-sha-sha/` on GitLab) is removed. Returns '' for the top folder itself.
 * Absolute paths, `..`, `.` and empty components are refused: git never writes them.
 */
function repositoryPath(sha: string, name: string, root: { value?: string }): string {
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  if (trimmed.startsWith('/') || name.includes('\0')) throw unsafe(sha, name, 'with an absolute path');
  const parts = trimmed.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === ''))
    throw unsafe(sha, name, 'with "..", "." or an empty path component');
  const [top, ...rest] = parts;
  root.value ??= top;
  if (top !== root.value) throw unsafe(sha, name, `outside the archive's top folder ${root.value}/`);
  return rest.join('/');
}

/** True when a symbolic link at `path` pointing at `target` stays inside the tree. */
function linkStaysInside(path: string, target: string): boolean {
  if (target === '' || target.startsWith('/')) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  return resolved !== '..' && !resolved.startsWith('../') && !posix.isAbsolute(resolved);
}

/**
 * Unpacks a gzip tarball of a commit into memory, streaming, within `limits`: the download is
 * stopped as soon as it passes `maxArchiveBytes` compressed, `maxExtractedBytes` unpacked or
 * `maxFiles` entries (RepositoryArchiveError). Regular files are kept; a symbolic link is kept as
 * git stores it (its target text, never followed) when it stays inside the tree and left out
 * otherwise; hard links, devices and fifos (which git archives never hold) are left out.
 * Unreadable data (a cut connection, corrupt gzip) is a TransientPlatformError: a retry may work.
 */
export async function extractTarGzip(
  body: AsyncIterable<Uint8Array>,
  limits: ArchiveLimits,
  what: { sha: string; label: string },
): Promise<ArchiveSnapshot> {
  const { sha } = what;
  const files = new Map<string, Uint8Array>();
  const root: { value?: string } = {};
  let bytes = 0;
  let entries = 0;
  const extract = tar.extract();

  const consume = async () => {
    for await (const entry of extract) {
      const { header } = entry;
      if (++entries > limits.maxFiles) {
        throw new RepositoryArchiveError(
          'max-files',
          `The archive of ${sha.slice(0, 12)} has more than ${limits.maxFiles} entries (limit ${ARCHIVE_LIMIT_SETTINGS.maxFiles}); Tollgate stopped reading it and reviewed nothing.`,
          ARCHIVE_LIMIT_SETTINGS.maxFiles,
        );
      }
      const path = repositoryPath(sha, header.name, root);
      const type = header.type ?? 'file';
      if (path !== '' && (type === 'file' || type === 'contiguous-file')) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        const content = Buffer.concat(chunks);
        bytes += content.length;
        files.set(path, new Uint8Array(content.buffer, content.byteOffset, content.length));
        continue;
      }
      if (path !== '' && type === 'symlink' && header.linkname && linkStaysInside(path, header.linkname)) {
        const target = Buffer.from(header.linkname, 'utf8');
        bytes += target.length;
        files.set(path, new Uint8Array(target));
      }
      entry.resume();
    }
  };

  const consumed = consume();
  // A refused entry stops the feed too (and with it the download).
  consumed.catch((error: unknown) => extract.destroy(error as Error));
  try {
    await Promise.all([
      pipeline(
        body,
        byteCap(
          limits.maxArchiveBytes,
          () =>
            new RepositoryArchiveError(
              'max-archive-bytes',
              `The archive of ${sha.slice(0, 12)} is larger than ${size(limits.maxArchiveBytes)} compressed (limit ${ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes}); Tollgate stopped the download and reviewed nothing.`,
              ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes,
            ),
        ),
        createGunzip(),
        byteCap(
          limits.maxExtractedBytes,
          () =>
            new RepositoryArchiveError(
              'max-extracted-bytes',
              `The archive of ${sha.slice(0, 12)} unpacks to more than ${size(limits.maxExtractedBytes)} (limit ${ARCHIVE_LIMIT_SETTINGS.maxExtractedBytes}); Tollgate stopped the download and reviewed nothing.`,
              ARCHIVE_LIMIT_SETTINGS.maxExtractedBytes,
            ),
        ),
        // tar-stream's extractor is a streamx Writable, which pipeline drives like a Node one.
        extract as unknown as NodeJS.WritableStream,
      ),
      consumed,
    ]);
  } catch (error) {
    // The first refusal wins over the "premature close" it causes in the other half.
    const refused = await consumed.then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = error instanceof RepositoryArchiveError ? error : (refused ?? error);
    if (
      cause instanceof RepositoryArchiveError ||
      cause instanceof TransientPlatformError ||
      cause instanceof PermanentPlatformError
    )
      throw cause;
    throw new TransientPlatformError(
      `${what.label} could not be read: ${(cause as Error).message ?? String(cause)}`,
    );
  }
  return { files, bytes };
}

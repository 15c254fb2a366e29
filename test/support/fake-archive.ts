import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface TarEntry {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo';
  linkname?: string;
}

/**
 * The pax global header `git archive` starts with (`comment=<commit SHA>`), written by hand:
 * tar-stream's packer does not write this type. A ustar header block, then the padded record.
 */
function paxGlobalHeader(comment: string): Buffer {
  const rest = ` comment=${comment}\n`;
  let length = rest.length + 1;
  while (`${length}${rest}`.length !== length) length++;
  const record = Buffer.from(`${length}${rest}`);
  const header = Buffer.alloc(512);
  const field = (offset: number, text: string) => header.write(text, offset, 'ascii');
  field(0, 'pax_global_header');
  field(100, '0000666\0');
  field(108, '0000000\0');
  field(116, '0000000\0');
  field(124, `${record.length.toString(8).padStart(11, '0')}\0`);
  field(136, '00000000000\0');
  field(148, '        ');
  field(156, 'g');
  field(257, 'ustar\0');
  field(263, '00');
  const sum = header.reduce((a, b) => a + b, 0);
  field(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return Buffer.concat([header, record, Buffer.alloc((512 - (record.length % 512)) % 512)]);
}

/** A gzip tarball of exactly these entries (names as given, unsafe ones included). */
export async function buildTarGzip(entries: readonly TarEntry[], comment?: string): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = {
      name: e.name,
      type,
      mode: type === 'directory' ? 0o775 : 0o664,
      mtime: new Date(0),
      ...(e.linkname ? { linkname: e.linkname } : {}),
    };
    if (type === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const body = await buffer(pack);
  return gzipSync(comment ? Buffer.concat([paxGlobalHeader(comment), body]) : body);
}

/**
 * The tarball a platform serves for a commit, shaped as `git archive` makes it: a pax global
 * header, then the top folder (`owner-repo-sha/` on GitHub, `project-sha-sha/` on GitLab), its
 * sub-folders and files.
 */
export function repositoryTarball(
  root: string,
  files: Record<string, string | Buffer>,
  options: { sha?: string; extra?: readonly TarEntry[] } = {},
): Promise<Buffer> {
  const folders = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return buildTarGzip(
    [
      { name: `${root}/`, type: 'directory' },
      ...[...folders].sort().map((f) => ({ name: `${root}/${f}/`, type: 'directory' as const })),
      ...Object.entries(files).map(([path, content]) => ({ name: `${root}/${path}`, content })),
      ...(options.extra ?? []),
    ],
    options.sha,
  );
}

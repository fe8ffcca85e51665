import { InputError } from '@backstage/errors';

type Kind = 'file' | 'folder';

/**
 * What the entries of an archive made of each path so far, to refuse an entry that
 * contradicts an earlier one before anything touches the disk: a folder where a file is
 * (`a`, then `a/`), a file where a folder is (`a/`, then `a`, or `a/b`, then `a`), a file
 * inside a file (`a`, then `a/b`) and the same file twice. On disk these surface as EEXIST,
 * ENOTDIR or EISDIR in the middle of extraction, which is no answer for the sender.
 */
export class ArchiveLayout {
  private readonly kinds = new Map<string, Kind>();

  /** Records `path` (normalised, no trailing slash) as a file or folder; throws on a conflict. */
  add(raw: string, path: string, kind: Kind): void {
    const entry = JSON.stringify(raw);
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (this.kinds.get(parent) === 'file') {
        throw new InputError(
          `archive entry ${entry} lies inside ${JSON.stringify(
            parent,
          )}, which an earlier entry made a file; a path is either a file or a folder, fix the archive`,
        );
      }
    }
    const earlier = this.kinds.get(path);
    if (earlier === 'file' && kind === 'file') {
      throw new InputError(
        `archive entry ${entry} appears twice; a packet holds each file once`,
      );
    }
    if (earlier && earlier !== kind) {
      throw new InputError(
        `archive entry ${entry} is a ${kind} but an earlier entry made ${JSON.stringify(
          path,
        )} a ${earlier}; a path is either a file or a folder, fix the archive`,
      );
    }
    for (let i = 1; i < segments.length; i++) {
      this.kinds.set(segments.slice(0, i).join('/'), 'folder');
    }
    this.kinds.set(path, kind);
  }
}

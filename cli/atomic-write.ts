// Crash-safe file replacement: write a temporary file in the same folder, flush it to disk, rename it
// over the target (atomic on POSIX file systems), then flush the folder entry. A reader (or a resumed
// run after a crash) sees either the old file or the new one, never a half-written one. A failure
// is reported for the file being replaced, not for the temporary one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Replaces `path` with `data` atomically. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let fd = -1;
  try {
    fd = openSync(temp, 'wx', 0o644);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temp, path);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    rmSync(temp, { force: true });
    throw atPath(e, path);
  }
  syncFolder(dir);
}

/**
 * A file-system error (`code`) re-addressed to `path` as a failed write — whichever step failed
 * (opening, writing or renaming the temporary file); other errors unchanged.
 */
export function atPath(e: unknown, path: string): unknown {
  const sys = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof sys.code !== 'string') return e;
  return Object.assign(new Error(`${sys.code}: cannot write ${path} (${sys.message})`), { code: sys.code, syscall: 'write', path });
}

/** Flushes a folder's entries (the rename) to disk; not possible everywhere (Windows), so best effort. */
function syncFolder(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a folder; the rename is still atomic there.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

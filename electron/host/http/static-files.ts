// The one way a URL path becomes a file of the built renderer, shared by the desktop
// app's app:// protocol and the browser host, so that both refuse the same things: a bad
// %-escape, an encoded slash or backslash, a NUL, a `.` or `..` segment, an empty
// segment, and anything whose real path (symbolic links followed) is not inside the
// folder. Synchronous fs calls on purpose: they are patched for Electron's asar archive
// (where the packaged renderer lives), and the files are local and few.
import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { contentType } from './mime.ts';

export interface StaticFile {
  ok: true;
  path: string;
  size: number;
  contentType: string;
  /** An HTML page: it gets the CSP and the framing headers. */
  isPage: boolean;
}

export interface StaticMiss {
  ok: false;
  /** 400: the path cannot be decoded; 404: it names nothing this folder serves. */
  status: 400 | 404;
  /** For logs; never includes more than the segment that was refused. */
  reason: string;
}

/** A decoded segment may never hold a separator of any platform, a NUL or another control character. */
function forbidden(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (
      c < 0x20 ||
      c === 0x7f ||
      c === 0x2f /* / */ ||
      c === 0x5c /* \\ */ ||
      c === 0x3a /* : (drives, NTFS streams) */
    )
      return true;
  }
  return false;
}

/**
 * The relative path segments a URL pathname (still %-encoded, as `URL.pathname` gives it)
 * names, or why it names none. `/` is the index page.
 */
export function pathSegments(pathname: string): { ok: true; segments: string[] } | StaticMiss {
  if (pathname === '/' || pathname === '') return { ok: true, segments: ['index.html'] };
  if (!pathname.startsWith('/')) return { ok: false, status: 404, reason: 'not an absolute path' };
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'a bad %-escape' };
    }
    if (segment === '' || segment === '.' || segment === '..')
      return { ok: false, status: 404, reason: 'an empty or dot segment' };
    if (forbidden(segment))
      return { ok: false, status: 404, reason: 'an encoded separator or a control character' };
    segments.push(segment);
  }
  return { ok: true, segments };
}

/** Serves the files of one folder; the folder's real path is taken once. */
export function staticFolder(dir: string): (pathname: string) => StaticFile | StaticMiss {
  const root = realpathSync(dir);
  return (pathname) => {
    const parsed = pathSegments(pathname);
    if (!parsed.ok) return parsed;
    const candidate = join(root, ...parsed.segments);
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      return { ok: false, status: 404, reason: 'no such file' };
    }
    // A symbolic link inside the folder must not lead out of it.
    if (!real.startsWith(root + sep))
      return { ok: false, status: 404, reason: 'outside the folder' };
    const info = statSync(real, { throwIfNoEntry: false });
    if (!info?.isFile()) return { ok: false, status: 404, reason: 'not a file' };
    const isPage = extname(real).toLowerCase() === '.html';
    return { ok: true, path: real, size: info.size, contentType: contentType(real), isPage };
  };
}

import type { Document } from 'yaml';
import type { PathSegment } from './errors.ts';

/** Settings that existed once. A file that still has one is refused with what to do instead. */
const REMOVED_SETTINGS: ReadonlyArray<{ path: readonly PathSegment[]; message: string }> = [
  {
    path: ['server', 'requestTimeoutMs'],
    message:
      'was removed (only 0, no whole-request limit, was ever allowed): delete the line; reading a request is ' +
      'bounded by server.headersTimeoutMs and server.bodyTimeoutMs, a response by router.timeouts',
  },
];

/** Reports every removed setting present in `doc` and deletes it, so that it is not also an unknown key. */
export function reportRemovedSettings(doc: Document, report: (path: PathSegment[], message: string) => void): void {
  for (const { path, message } of REMOVED_SETTINGS) {
    if (!doc.hasIn(path)) continue;
    report([...path], message);
    doc.deleteIn(path);
  }
}

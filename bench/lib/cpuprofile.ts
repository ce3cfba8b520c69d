/**
 * Summarizes a V8 .cpuprofile: self time per function and per file/package. tsx runs llmux's
 * TypeScript through esbuild with minified whitespace, so profile positions are mapped back to
 * the .ts source through the source maps in tsx's transform cache.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  name: string;
  location: string;
  selfMs: number;
  selfPct: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: HotSpot[];
  files: HotSpot[];
  /** Inclusive (self + callees) time of llmux's own functions (src/); selfMs holds the inclusive time. */
  inclusive: HotSpot[];
}

interface CacheEntry {
  mtime: number;
  code: string;
  map: SourceMap;
}

/** tsx's transform cache: source path → transforms, newest first. */
function loadTsxCache(): Map<string, CacheEntry[]> {
  const out = new Map<string, CacheEntry[]>();
  const dir = join(tmpdir(), `tsx-${userInfo().uid}`);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as { code?: string; map?: { sources?: string[] } | string };
      const map = typeof entry.map === 'string' ? JSON.parse(entry.map) : entry.map;
      const source = map?.sources?.[0];
      if (typeof entry.code !== 'string' || typeof source !== 'string') continue;
      const list = out.get(source) ?? [];
      list.push({ mtime: statSync(path).mtimeMs, code: entry.code, map: new SourceMap(map) });
      out.set(source, list);
    } catch {
      // not a transform entry
    }
  }
  for (const list of out.values()) list.sort((a, b) => b.mtime - a.mtime);
  return out;
}

function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Share of the profile's named functions whose name shows near their position in this transform. */
function matchScore(entry: CacheEntry, frames: CallFrame[]): number {
  const starts = lineStarts(entry.code);
  let named = 0;
  let hits = 0;
  for (const frame of frames) {
    if (frame.functionName === '' || frame.functionName.startsWith('(')) continue;
    named += 1;
    const at = (starts[frame.lineNumber] ?? -1) + frame.columnNumber;
    if (at < 0) continue;
    const bare =
      frame.functionName
        .replace(/^(get|set|async) /, '')
        .split('.')
        .pop() ?? '';
    if (entry.code.slice(Math.max(0, at - 120), at + 120).includes(bare)) hits += 1;
  }
  return named === 0 ? 1 : hits / named;
}

/**
 * Self time per node in ms, counting only samples inside `window` (µs on the monotonic clock that
 * both V8 and process.hrtime use) when given.
 */
function selfTimes(
  profile: CpuProfile,
  window?: { startUs: number; endUs: number },
): { byNode: Map<number, number>; totalMs: number } {
  const byNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length === 0 || deltas.length !== samples.length) {
    const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const totalMs = (profile.endTime - profile.startTime) / 1000;
    for (const node of profile.nodes) byNode.set(node.id, ((node.hitCount ?? 0) * totalMs) / Math.max(1, hits));
    return { byNode, totalMs };
  }
  let t = profile.startTime;
  let totalMs = 0;
  for (let i = 0; i < samples.length; i += 1) {
    t += deltas[i] as number;
    // A sample's weight is the gap to the next one (the last one gets the previous gap).
    const weight = ((deltas[i + 1] ?? deltas[i]) as number) / 1000;
    if (window && (t < window.startUs || t > window.endUs)) continue;
    const id = samples[i] as number;
    byNode.set(id, (byNode.get(id) ?? 0) + weight);
    totalMs += weight;
  }
  return { byNode, totalMs };
}

export function summarizeProfile(
  path: string,
  repoRoot: string,
  top = 25,
  window?: { startUs: number; endUs: number },
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const { byNode, totalMs } = selfTimes(profile, window);

  const cache = loadTsxCache();
  const framesByUrl = new Map<string, CallFrame[]>();
  for (const node of profile.nodes) {
    const list = framesByUrl.get(node.callFrame.url) ?? [];
    list.push(node.callFrame);
    framesByUrl.set(node.callFrame.url, list);
  }
  const transformFor = new Map<string, CacheEntry | undefined>();
  for (const [url, frames] of framesByUrl) {
    if (!url.startsWith('file://') || !url.endsWith('.ts')) continue;
    // Several transforms of a file may be cached (it was edited); take the one that fits best.
    let best: { entry: CacheEntry; score: number } | undefined;
    for (const entry of cache.get(fileURLToPath(url)) ?? []) {
      const score = matchScore(entry, frames);
      if (score > (best?.score ?? 0.5)) best = { entry, score };
    }
    transformFor.set(url, best?.entry);
  }

  const shortPath = (url: string): string => {
    if (!url.startsWith('file://')) return url === '' ? '(native)' : url;
    const rel = relative(repoRoot, fileURLToPath(url));
    return rel.startsWith('..') ? fileURLToPath(url) : rel;
  };
  const location = (frame: CallFrame): string => {
    if (frame.url === '') return '';
    const entry = transformFor.get(frame.url);
    if (entry) {
      const mapped = entry.map.findEntry(frame.lineNumber, frame.columnNumber) as { originalLine?: number };
      if (typeof mapped.originalLine === 'number') return `${shortPath(frame.url)}:${mapped.originalLine + 1}`;
    }
    const approx = frame.url.endsWith('.ts') ? ' (generated position)' : '';
    return `${shortPath(frame.url)}:${frame.lineNumber + 1}${approx}`;
  };
  const fileGroup = (url: string): string => {
    const path = shortPath(url);
    const nm = path.lastIndexOf('node_modules/');
    if (nm !== -1) {
      const rest = path.slice(nm + 'node_modules/'.length).split('/');
      return `node_modules/${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
    }
    if (path.startsWith('node:')) return 'node: (core)';
    return path;
  };

  const byFunction = new Map<string, HotSpot>();
  const byFile = new Map<string, HotSpot>();
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    if (ms === 0) continue;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const name = frame.functionName || '(anonymous)';
    const loc = location(frame);
    const fnKey = `${name}@${loc}`;
    const fn = byFunction.get(fnKey) ?? { name, location: loc, selfMs: 0, selfPct: 0 };
    fn.selfMs += ms;
    byFunction.set(fnKey, fn);
    const group = frame.url === '' ? name : fileGroup(frame.url);
    const file = byFile.get(group) ?? { name: group, location: '', selfMs: 0, selfPct: 0 };
    file.selfMs += ms;
    byFile.set(group, file);
  }
  // Inclusive time of src/ functions: walk the call tree, count a function once per path (recursion).
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const inclusiveOf = new Map<number, number>();
  const total = (id: number): number => {
    const cached = inclusiveOf.get(id);
    if (cached !== undefined) return cached;
    const node = nodesById.get(id);
    let sum = node?.callFrame.functionName === '(idle)' ? 0 : (byNode.get(id) ?? 0);
    for (const child of node?.children ?? []) sum += total(child);
    inclusiveOf.set(id, sum);
    return sum;
  };
  const inclusive = new Map<string, HotSpot>();
  const walk = (id: number, active: Set<string>): void => {
    const node = nodesById.get(id);
    if (!node) return;
    const frame = node.callFrame;
    let key: string | undefined;
    if (frame.url.startsWith('file://') && shortPath(frame.url).startsWith('src/')) {
      const name = frame.functionName || '(anonymous)';
      const loc = location(frame);
      key = `${name}@${loc}`;
      if (!active.has(key)) {
        const spot = inclusive.get(key) ?? { name, location: loc, selfMs: 0, selfPct: 0 };
        spot.selfMs += total(id);
        inclusive.set(key, spot);
      }
    }
    const next = key && !active.has(key) ? new Set(active).add(key) : active;
    for (const child of node.children ?? []) walk(child, next);
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());

  const busyMs = totalMs - idleMs;
  const finish = (map: Map<string, HotSpot>) =>
    [...map.values()]
      .map((spot) => ({ ...spot, selfPct: busyMs > 0 ? (100 * spot.selfMs) / busyMs : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { totalMs, idleMs, functions: finish(byFunction), files: finish(byFile), inclusive: finish(inclusive) };
}

/** Where the shared fixtures live and how to read them (read in place, never copied). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesRoot: string = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

/** Absolute path of a fixture given relative to the fixtures root (e.g. `openai/vercel-ai/openai-text.json`). */
export function fixturePath(rel: string): string {
  const absolute = resolve(fixturesRoot, rel);
  if (!absolute.startsWith(fixturesRoot) && `${absolute}${sep}` !== fixturesRoot) {
    throw new Error(`fixture path escapes the fixtures root: ${rel}`);
  }
  return absolute;
}

export function readFixture(rel: string): Buffer {
  return readFileSync(fixturePath(rel));
}

export function readFixtureJson(rel: string): unknown {
  return JSON.parse(readFixture(rel).toString('utf8')) as unknown;
}

/** Every fixture (relative path, '/'-separated) under `dir` whose name ends with `suffix`, sorted. */
export function listFixtures(dir: string, suffix = ''): string[] {
  const found: string[] = [];
  const walk = (absolute: string): void => {
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      const child = join(absolute, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(suffix)) found.push(relative(fixturesRoot, child).split(sep).join('/'));
    }
  };
  walk(fixturePath(dir));
  return found.sort();
}

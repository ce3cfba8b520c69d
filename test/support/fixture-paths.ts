/** Where the recorded fixtures live (test/fixtures, copied from ../shared/fixtures) and how to read them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesRoot: string = fileURLToPath(new URL('../fixtures/', import.meta.url));

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

/**
 * `items`, after checking there are at least `min` of them: every loop over fixtures goes through
 * this, so that a moved folder or a wrong suffix fails the suite instead of running zero cases.
 */
export function atLeast<Items extends readonly unknown[]>(min: number, items: Items, what: string): Items {
  if (items.length < min) throw new Error(`expected at least ${min} ${what}, found ${items.length}`);
  return items;
}

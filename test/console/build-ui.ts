/** Builds the console (vite build → dist/ui) when the build is missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const UI_DIR = join(REPO_ROOT, 'ui');
export const UI_INDEX = join(REPO_ROOT, 'dist', 'ui', 'index.html');

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dev' && entry.name !== 'node_modules') newest = Math.max(newest, newestSourceMs(path));
    } else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function uiBuildIsStale(): boolean {
  return !existsSync(UI_INDEX) || statSync(UI_INDEX).mtimeMs < newestSourceMs(UI_DIR);
}

export function ensureUiBuilt(): void {
  if (!uiBuildIsStale()) return;
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(UI_DIR, 'vite.config.ts')],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

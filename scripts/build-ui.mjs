#!/usr/bin/env node
// Builds the console (ui/, a Vite + React app) into dist/ui, which the server serves at /ui.
// Called by `npm run build` and scripts/prepare.mjs. Without Vite (`npm ci --omit=dev`) the existing
// dist/ui is kept (a package from `npm pack` ships it built); without ui/ there is nothing to build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const config = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
if (!existsSync(config)) process.exit(0);
if (!existsSync(vite)) {
  const built = existsSync(new URL('../dist/ui/index.html', import.meta.url));
  console.warn(
    built
      ? 'llmux: vite is not installed (npm ci --omit=dev): keeping the existing dist/ui'
      : 'llmux: vite is not installed (npm ci --omit=dev), so the console (dist/ui) was not built: /ui will say so',
  );
  process.exit(0);
}
const result = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

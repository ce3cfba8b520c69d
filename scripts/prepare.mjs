#!/usr/bin/env node
// npm runs this after `npm ci` / `npm install` in a checkout and before `npm pack`: it compiles dist/
// once, so that `npm start` and the installed `llmux` command run JavaScript, with no compiler at
// start-up, and builds the console into dist/ui (scripts/build-ui.mjs). Without dev dependencies (`npm ci --omit=dev`) there is no compiler: say so and let the
// install finish, instead of failing it with `tsc: not found`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
if (!existsSync(tsc)) {
  const built = existsSync(new URL('../dist/cli/main.js', import.meta.url));
  console.warn(
    built
      ? 'llmux: typescript is not installed (npm ci --omit=dev): keeping the existing dist/'
      : 'llmux: typescript is not installed (npm ci --omit=dev), so dist/ was not built: run a full `npm ci` once, or install the package made by `npm pack`',
  );
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
const ui = spawnSync(process.execPath, [fileURLToPath(new URL('./build-ui.mjs', import.meta.url))], { stdio: 'inherit' });
process.exit(ui.status ?? 1);

#!/usr/bin/env node
// Entry point of the `llmux` command. An installed package (no src/) runs the compiled build in dist/.
// A checkout with its dev dependencies runs the TypeScript sources through tsx, so that tests and
// benchmarks never run a stale dist/; `npm start` runs dist/ explicitly.
import { existsSync } from 'node:fs';

const fromSource = existsSync(new URL('../src/cli/main.ts', import.meta.url)) && tsxAvailable();
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else if (existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  await import('../dist/cli/main.js');
} else {
  console.error('llmux is not built: run `npm run build` (needs the dev dependencies: a full `npm ci`)');
  process.exit(1);
}

function tsxAvailable() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test (Node 20 neither expands globs given to
// --test nor discovers .ts files by itself). Extra arguments are passed to node (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // test/fixtures holds recorded bytes only; node_modules is never ours.
    if (entry.isDirectory() && entry.name !== 'node_modules' && path !== join('test', 'fixtures'))
      out.push(...findTests(path));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = [...findTests('src'), ...findTests('test')].sort();
if (filter.length > 0) files = files.filter((file) => filter.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// 10 minutes a file: the packaging test (npm pack, then npm install compiling better-sqlite3) takes
// 2–4 minutes on a busy 2-core machine; a hung test still fails well inside CI's 90 minutes.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, LLMUX_LOG_LEVEL: process.env.LLMUX_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);

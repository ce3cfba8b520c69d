/**
 * The boundary test: every non-test file under src/ imports only what its layer may import
 * (test/architecture/layers.ts), and nothing outside src/. Test support lives in test/support, so
 * there are no exemptions beyond the `*.test.ts` files themselves.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importSpecifiers, MAY_IMPORT, placeOf, violation } from './layers.ts';

const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const inSrc = (absolute: string): string => relative(srcRoot, absolute).split(sep).join('/');

interface Edge {
  from: string;
  to: string;
}

function localImports(): Edge[] {
  return sourceFiles(srcRoot).flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from: inSrc(file), to: inSrc(resolve(dirname(file), specifier)) })),
  );
}

describe('layer boundaries', () => {
  const edges = localImports();

  test('the import scan sees the code (guards against a scan that finds nothing)', () => {
    assert.ok(sourceFiles(srcRoot).length >= 100, 'expected at least 100 source files under src/');
    assert.ok(edges.length >= 300, `expected at least 300 relative imports, found ${edges.length}`);
  });

  test('every source file sits in a layer the rules know', () => {
    const unplaced = sourceFiles(srcRoot)
      .map(inSrc)
      .filter((path) => placeOf(path) === undefined);
    assert.deepEqual(unplaced, [], 'add these folders to MAY_IMPORT in test/architecture/layers.ts');
  });

  test('no source file imports across a forbidden boundary or outside src/', () => {
    const broken: string[] = [];
    for (const edge of edges) {
      const from = placeOf(edge.from);
      if (from === undefined) continue;
      const to = edge.to.startsWith('..') ? undefined : placeOf(edge.to);
      const reason = to === undefined ? 'imports from outside src/' : violation(from, to);
      if (reason !== undefined) broken.push(`${edge.from} → ${edge.to}: ${reason}`);
    }
    assert.equal(broken.length, 0, `${broken.length} forbidden imports:\n${broken.join('\n')}`);
  });
});

describe('layer rules (the checker itself)', () => {
  const check = (from: string, to: string): string | undefined => {
    const fromPlace = placeOf(from);
    const toPlace = placeOf(to);
    assert.ok(fromPlace && toPlace, `${from} or ${to} has no layer`);
    return violation(fromPlace, toPlace);
  };

  test('finds every import form, skipping comment lines', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import { B,\n  C } from '../b.ts';",
      "import './side-effect.ts';",
      "export { D } from './d.ts';",
      "const e = await import('./e.ts');",
      " * see import('./in-a-comment.ts')",
      "// import { F } from './commented.ts';",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    assert.deepEqual(importSpecifiers(source), [
      './a.ts',
      '../b.ts',
      './side-effect.ts',
      './d.ts',
      './e.ts',
      'node:fs',
    ]);
  });

  test('the rules of issue 7 hold', () => {
    assert.ok(check('core/types.ts', 'lib/json.ts'), 'core imports nothing');
    assert.ok(check('providers/anthropic/request.ts', 'surfaces/openai-chat/render-stream.ts'));
    assert.ok(check('providers/anthropic/request.ts', 'gateway/types.ts'));
    assert.ok(check('surfaces/openai-chat/to-canonical.ts', 'providers/types.ts'));
    assert.ok(check('gateway/attempt.ts', 'providers/openai-compatible/index.ts'));
    assert.ok(check('gateway/serve.ts', 'surfaces/openai-chat/index.ts'));
    assert.ok(check('providers/gemini/request.ts', 'providers/anthropic/tools.ts'), 'provider folders');
    assert.ok(check('protocols/gemini.ts', 'lib/json.ts'), 'protocols import only core');
  });

  test('what the rules allow', () => {
    assert.equal(check('gateway/attempt.ts', 'providers/types.ts'), undefined);
    assert.equal(check('gateway/serve.ts', 'surfaces/types.ts'), undefined);
    assert.equal(check('providers/openai/index.ts', 'providers/openai-compatible/index.ts'), undefined);
    assert.equal(check('providers/registry.ts', 'providers/gemini/index.ts'), undefined);
    assert.equal(check('surfaces/openai-chat/to-canonical.ts', 'protocols/openai-chat.ts'), undefined);
    assert.equal(check('app.ts', 'providers/simulator/index.ts'), undefined);
  });

  test('every layer named in a rule is a layer', () => {
    for (const allowed of Object.values(MAY_IMPORT)) {
      for (const layer of allowed) assert.ok(Object.hasOwn(MAY_IMPORT, layer), layer);
    }
  });
});

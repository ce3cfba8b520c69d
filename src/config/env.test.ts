// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are ${ENV} references, not templates
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { substituteEnv } from './env.ts';

const env = { SET: 'value', EMPTY: '', PORT: '8080' };

test('${VAR} is replaced by the value, or "" when unset', () => {
  assert.deepEqual(substituteEnv('${SET}', env), { ok: true, value: 'value', variable: 'SET' });
  assert.deepEqual(substituteEnv('${UNSET}', env), { ok: true, value: '', variable: 'UNSET' });
  assert.deepEqual(substituteEnv('${EMPTY}', env), { ok: true, value: '', variable: 'EMPTY' });
});

test('${VAR:-default} uses the default when unset or empty', () => {
  assert.deepEqual(substituteEnv('${UNSET:-d}', env), { ok: true, value: 'd', variable: 'UNSET' });
  assert.deepEqual(substituteEnv('${EMPTY:-d}', env), { ok: true, value: 'd', variable: 'EMPTY' });
  assert.deepEqual(substituteEnv('${SET:-d}', env), { ok: true, value: 'value', variable: 'SET' });
  assert.deepEqual(substituteEnv('${UNSET:-}', env), { ok: true, value: '', variable: 'UNSET' });
  assert.deepEqual(substituteEnv('${UNSET:-http://h:1/v1}', env), {
    ok: true,
    value: 'http://h:1/v1',
    variable: 'UNSET',
  });
});

test('references inside text are replaced; only a whole-value reference names its variable', () => {
  assert.deepEqual(substituteEnv('http://host:${PORT}/v1', env), { ok: true, value: 'http://host:8080/v1' });
  assert.deepEqual(substituteEnv('${SET}-${SET}', env), { ok: true, value: 'value-value' });
  assert.deepEqual(substituteEnv('no refs $ here $$', env), { ok: true, value: 'no refs $ here $$' });
});

test('$${ escapes to a literal ${', () => {
  assert.deepEqual(substituteEnv('$${SET}', env), { ok: true, value: '${SET}' });
  assert.deepEqual(substituteEnv('a $${X:-y} b ${SET}', env), { ok: true, value: 'a ${X:-y} b value' });
});

test('an env value is inserted verbatim, never expanded again', () => {
  assert.deepEqual(substituteEnv('${NESTED}', { NESTED: '${SET}' }), { ok: true, value: '${SET}', variable: 'NESTED' });
});

test('malformed references are errors', () => {
  assert.deepEqual(substituteEnv('${1BAD}', env), {
    ok: false,
    message: 'invalid reference "${1BAD}": expected ${NAME} or ${NAME:-default} (write "$${" for a literal "${")',
  });
  assert.deepEqual(substituteEnv('x ${SET', env), {
    ok: false,
    message: 'unterminated "${" (write "$${" for a literal "${")',
  });
  assert.equal(substituteEnv('${}', env).ok, false);
  assert.equal(substituteEnv('${A-b}', env).ok, false);
});

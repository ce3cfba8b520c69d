/** Zod's exclusive bounds on Gemini's OpenAPI-subset schemas (`parameters` / `responseSchema`). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import type { JsonObject } from '../../core/types.ts';
import { toGeminiSchema } from './schema.ts';

test('exclusiveMinimum/Maximum: inclusive bounds on integers, a description note on numbers', () => {
  const input = z.toJSONSchema(
    z.object({ count: z.number().int().positive(), ratio: z.number().gt(0).lt(1) }),
  ) as JsonObject;
  const schema = toGeminiSchema(input);
  const text = JSON.stringify(schema);
  assert.ok(!text.includes('"exclusiveM'), 'no exclusive bound reaches Gemini (it rejects the unknown names)');
  const count = schema.properties?.count;
  assert.equal(count?.minimum, 1, 'integer > 0 becomes minimum 1');
  assert.equal(count?.maximum, Number.MAX_SAFE_INTEGER, 'the inclusive bound Zod set stays');
  assert.match(schema.properties?.ratio?.description ?? '', /exclusiveMinimum: 0, exclusiveMaximum: 1/);
});

/** `provider_options.anthropic.betas` become the `anthropic-beta` header: never a value that breaks it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build } from '../../../test/support/providers/anthropic/test-helpers.ts';
import { GatewayError } from '../../core/errors.ts';

describe('anthropic-beta from client betas', () => {
  test('CR/LF or non-ASCII in a beta is a 400 naming the field, not a header', () => {
    for (const betas of [['ok', 'a\r\nx-evil: 1'], 'bêta']) {
      assert.throws(
        () => build({ providerOptions: { anthropic: { betas } } }),
        (error: unknown) =>
          error instanceof GatewayError && error.status === 400 && error.param === 'provider_options.anthropic.betas',
        JSON.stringify(betas),
      );
    }
  });

  test('well-formed betas are still sent', () => {
    const built = build({ providerOptions: { anthropic: { betas: ['files-api-2025-04-14'] } } });
    assert.equal(built.headers['anthropic-beta'], 'files-api-2025-04-14', 'the header');
  });
});

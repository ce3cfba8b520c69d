import { GatewayError } from '../core/errors.ts';
import { asTooLargeError } from './read-body.ts';

/**
 * Any thrown value as a GatewayError. A GatewayError is kept as it is, an oversized stream event
 * becomes `upstream_response_too_large`; anything else is `whenUnknown` (a failure of ours, or of
 * the upstream stream being read), with no detail for the client and the value kept as the cause.
 */
export function asGatewayError(
  thrown: unknown,
  whenUnknown: 'internal_error' | 'upstream_bad_response' = 'internal_error',
): GatewayError {
  const error = asTooLargeError(thrown);
  if (error instanceof GatewayError) return error;
  const message =
    whenUnknown === 'internal_error'
      ? 'The server had an error while processing your request.'
      : 'upstream stream failed';
  return new GatewayError(whenUnknown, message, { cause: error });
}

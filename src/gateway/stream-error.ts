import type { GatewayError } from '../core/errors.ts';
import type { ClientResponse } from './client-response.ts';

export type StreamErrorRenderer = (error: GatewayError) => string;

/**
 * Ends a response whose stream already started with the surface's error event (a client that left
 * gets nothing more). Returns the error, for the record.
 */
export function endStreamWithError(
  client: ClientResponse,
  error: GatewayError,
  render: StreamErrorRenderer,
): GatewayError {
  if (error.code !== 'client_closed') client.end(render(error));
  return error;
}

import { GatewayError } from '../core/errors.ts';

export function badField(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

export function conflict(message: string, param: string | null = null): GatewayError {
  return new GatewayError('invalid_request', message, { status: 409, param });
}

export function notFound(message: string): GatewayError {
  return new GatewayError('not_found', message);
}

export function invalidAdminKey(): GatewayError {
  return new GatewayError(
    'invalid_api_key',
    'Incorrect admin key provided. Send server.adminKey as `Authorization: Bearer <key>`.',
  );
}

import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-context.ts';
import { notFound } from './admin-errors.ts';
import { requestDetailView } from './request-views.ts';

/** `GET /admin/requests/{requestId}`: one request with its upstream attempts. */
export function registerRequestDetailRoute(scope: FastifyInstance, deps: AdminDeps): void {
  scope.get<{ Params: { requestId: string } }>('/admin/requests/:requestId', async (request) => {
    const { requestId } = request.params;
    const record = requestId.length > 200 ? undefined : await deps.store.getRequest(requestId);
    if (record === undefined) throw notFound(`No request with id \`${requestId.slice(0, 200)}\` in the request log.`);
    return requestDetailView(record);
  });
}

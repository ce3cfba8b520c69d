import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/errors.ts';
import type { Gateway } from '../../gateway/context.ts';
import { capText } from '../../lib/cap-text.ts';
import { isRecord } from '../../lib/json.ts';
import { keyAllowsModel } from '../../policy/key-ring.ts';
import type { ApiKeyEntry } from '../../policy/key-store.ts';
import { geminiEmbeddingsSurface } from '../../surfaces/gemini/embeddings.ts';
import { geminiSurface } from '../../surfaces/gemini/index.ts';
import { estimateGeminiInput } from '../../surfaces/gemini/input-estimate.ts';
import { geminiRouteTarget, isEmbeddingMethod } from '../../surfaces/gemini/route-target.ts';
import { invalidField } from '../../surfaces/gemini/validate.ts';
import { invalidJson } from '../errors.ts';
import { serveSurfaceRequest } from './surface-route.ts';

type ModelRequest = FastifyRequest<{ Params: { modelAction: string } }>;

/**
 * Gemini native routes, all under the Gemini surface (its key header, `?key=`, and Google's error
 * envelope): `POST /v1beta/models/{model}:generateContent | :streamGenerateContent` through the
 * gateway, `:countTokens` counted by llmux, and `GET /v1beta/models[/{model}]` in Gemini's list
 * shape for the models the key may use. One path parameter holds `{model}:{method}` (Fastify
 * cannot route on a literal colon after a parameter); the route splits it.
 */
export function registerGeminiRoutes(app: FastifyInstance, currentGateway: () => Gateway): void {
  const config = { surface: geminiSurface };
  app.post('/v1beta/models/:modelAction', { config }, async (request: ModelRequest, reply) => {
    const target = geminiRouteTarget(request.params.modelAction);
    const gateway = currentGateway();
    if (isEmbeddingMethod(target.method)) return serveSurfaceRequest(request, reply, gateway, geminiEmbeddingsSurface);
    if (target.method !== 'countTokens') return serveSurfaceRequest(request, reply, gateway, geminiSurface);
    allowedModel(gateway, request.apiKey, target.model);
    return { totalTokens: countTokens(gateway, request.body) };
  });
  app.get('/v1beta/models', { config }, async (request) => {
    const gateway = currentGateway();
    const key = request.apiKey;
    const models = gateway.catalogue
      .list()
      .filter((model) => !model.name.includes('*') && key !== undefined && keyAllowsModel(key, model.name))
      .map((model) => geminiModelEntry(model.name));
    return { models };
  });
  app.get('/v1beta/models/:modelAction', { config }, async (request: ModelRequest) => {
    const name = request.params.modelAction.replace(/^models\//, '');
    allowedModel(currentGateway(), request.apiKey, name);
    return geminiModelEntry(name);
  });
}

/** 404 unless the key may use the model and the catalogue serves it. */
function allowedModel(gateway: Gateway, key: ApiKeyEntry | undefined, name: string): void {
  if (key !== undefined && keyAllowsModel(key, name) && gateway.catalogue.resolve(name) !== undefined) return;
  throw new GatewayError('model_not_found', `models/${capText(name)} is not found or you do not have access to it.`, {
    param: 'model',
  });
}

function geminiModelEntry(name: string): Record<string, unknown> {
  return {
    name: `models/${name}`,
    baseModelId: name,
    version: 'llmux',
    displayName: name,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'embedContent', 'batchEmbedContents'],
  };
}

/** `{contents}` or `{generateContentRequest: {contents, systemInstruction, tools, …}}`, counted with the gateway's tokenizer. */
function countTokens(gateway: Gateway, body: unknown): number {
  if (body === undefined || body === null) throw invalidJson();
  if (!isRecord(body)) throw invalidField('contents', 'is required');
  const inner = isRecord(body.generateContentRequest) ? body.generateContentRequest : body;
  if (inner.contents !== undefined && !Array.isArray(inner.contents)) throw invalidField('contents', 'must be a list');
  const count = gateway.countTokens?.bind(gateway) ?? roughCount;
  return estimateGeminiInput(inner, count);
}

function roughCount(texts: readonly string[]): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  return Math.ceil(chars / 4);
}

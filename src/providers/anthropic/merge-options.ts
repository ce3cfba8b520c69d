/**
 * Raw Anthropic fields from the client (`provider_options.anthropic`, llmux's documented extension
 * field) and from the deployment (`bodyOverrides`) are merged over the translated body:
 *
 *   translated body  <  client provider_options.anthropic  <  deployment bodyOverrides
 *
 * The deployment wins: an operator's setting (e.g. a pinned `metadata` or `service_tier`) must not
 * be overridable by a client. Merging is per top-level key, except `output_config` and `metadata`,
 * whose fields are merged one level deep (so `output_config.effort` from reasoning_effort and a
 * client's `output_config.format` coexist). A client may not replace `model`, `messages` or
 * `stream` (routing and parsing depend on them); nobody may replace `stream`. The client's
 * `betas: string[]` is not a body field: it is sent as the `anthropic-beta` header.
 */
import type { JsonObject, JsonValue } from '../../core/types.ts';
import type { AnthropicRequestBody } from '../../protocols/anthropic-messages.ts';
import type { BuildContext } from './build-context.ts';

const CLIENT_PROTECTED = new Set(['model', 'messages', 'stream']);
const DEEP_MERGED = new Set(['output_config', 'metadata']);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(
  body: AnthropicRequestBody,
  fields: JsonObject,
  protectedKeys: Set<string>,
  who: string,
  ctx: BuildContext,
): void {
  for (const [key, value] of Object.entries(fields)) {
    if (protectedKeys.has(key)) {
      ctx.warnings.push(`${who} field '${key}' ignored: llmux sets it`);
      continue;
    }
    const current: unknown = body[key];
    body[key] = DEEP_MERGED.has(key) && isObject(current) && isObject(value) ? { ...current, ...value } : value;
  }
}

/** Merges the raw fields in place; returns the client's requested beta headers. */
export function mergeRawFields(
  body: AnthropicRequestBody,
  client: JsonObject | undefined,
  deployment: JsonObject | undefined,
  ctx: BuildContext,
): string[] {
  const betas: string[] = [];
  if (client) {
    const { betas: requested, ...fields } = client;
    for (const beta of toStringList(requested)) betas.push(beta);
    mergeInto(body, fields, CLIENT_PROTECTED, 'provider_options.anthropic', ctx);
  }
  if (deployment) mergeInto(body, deployment, new Set(['stream']), 'deployment bodyOverrides', ctx);
  return betas;
}

function toStringList(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

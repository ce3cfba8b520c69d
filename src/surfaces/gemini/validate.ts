import { GatewayError } from '../../core/errors.ts';
import { isRecord } from '../../lib/json.ts';
import type { GeminiRequest } from '../../protocols/gemini.ts';

/** A 400 `INVALID_ARGUMENT` naming the field, in Google's words. */
export function invalidField(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `Invalid JSON payload: '${param}' ${message}.`, { param });
}

/**
 * Checks the shape of a `generateContent` body (what the converter relies on: objects and arrays
 * where the API has them); the values are left to the upstream, as Google would judge them.
 * `contents` is required and non-empty except for countTokens with `generateContentRequest`.
 */
export function validateGeminiRequest(body: unknown): GeminiRequest {
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'Invalid JSON payload: the body must be an object.');
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    throw invalidField('contents', 'is required and must be a non-empty list');
  }
  contents.forEach((content, i) => {
    if (!isRecord(content)) throw invalidField(`contents[${i}]`, 'must be an object');
    checkParts(content.parts, `contents[${i}].parts`);
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      throw invalidField(`contents[${i}].role`, "must be 'user' or 'model'");
    }
  });
  const system = body.systemInstruction;
  if (system !== undefined && typeof system !== 'string') {
    if (!isRecord(system)) throw invalidField('systemInstruction', 'must be a Content object');
    checkParts(system.parts, 'systemInstruction.parts');
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw invalidField('tools', 'must be a list');
    body.tools.forEach((tool, i) => {
      if (!isRecord(tool)) throw invalidField(`tools[${i}]`, 'must be an object');
      const declarations = tool.functionDeclarations;
      if (declarations === undefined) return;
      if (!Array.isArray(declarations)) throw invalidField(`tools[${i}].functionDeclarations`, 'must be a list');
      declarations.forEach((declaration, j) => {
        if (!isRecord(declaration) || typeof declaration.name !== 'string' || declaration.name === '') {
          throw invalidField(`tools[${i}].functionDeclarations[${j}].name`, 'is required');
        }
      });
    });
  }
  for (const field of ['toolConfig', 'generationConfig'] as const) {
    if (body[field] !== undefined && !isRecord(body[field])) throw invalidField(field, 'must be an object');
  }
  const generation = body.generationConfig;
  if (isRecord(generation) && generation.thinkingConfig !== undefined && !isRecord(generation.thinkingConfig)) {
    throw invalidField('generationConfig.thinkingConfig', 'must be an object');
  }
  return body as unknown as GeminiRequest;
}

function checkParts(parts: unknown, param: string): void {
  if (parts === undefined) return;
  if (!Array.isArray(parts)) throw invalidField(param, 'must be a list');
  parts.forEach((part, j) => {
    if (!isRecord(part)) throw invalidField(`${param}[${j}]`, 'must be an object');
    for (const key of ['inlineData', 'fileData', 'functionCall', 'functionResponse'] as const) {
      if (part[key] !== undefined && !isRecord(part[key]))
        throw invalidField(`${param}[${j}].${key}`, 'must be an object');
    }
    if (isRecord(part.functionCall) && typeof part.functionCall.name !== 'string') {
      throw invalidField(`${param}[${j}].functionCall.name`, 'is required');
    }
    if (isRecord(part.functionResponse) && typeof part.functionResponse.name !== 'string') {
      throw invalidField(`${param}[${j}].functionResponse.name`, 'is required');
    }
  });
}

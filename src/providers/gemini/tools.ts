import type { ChatRequest, JsonObject } from '../../core/types.ts';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from '../../protocols/gemini.ts';
import type { Adjustments } from './adjustments.ts';
import type { GeminiModelTraits } from './models.ts';
import { toGeminiJsonSchema, toGeminiSchema } from './schema.ts';

/**
 * `tools` → one Tool with all `functionDeclarations`. Parameters go as plain JSON Schema in
 * `parametersJsonSchema` (recorded in js-genai's and pydantic-ai's requests) on models that take it,
 * otherwise converted to the OpenAPI subset in `parameters`. A schema with no properties is left out
 * (a no-argument function; Gemini rejects an OBJECT with empty properties).
 */
export function toGeminiTools(request: ChatRequest, traits: GeminiModelTraits): GeminiTool[] | undefined {
  if (!request.tools?.length) return undefined;
  const functionDeclarations = request.tools.map((tool): GeminiFunctionDeclaration => {
    const declaration: GeminiFunctionDeclaration = { name: tool.name };
    if (tool.description !== undefined) declaration.description = tool.description;
    const schema = tool.parameters;
    if (schema && !isEmptyObjectSchema(schema)) {
      if (traits.jsonSchema) declaration.parametersJsonSchema = toGeminiJsonSchema(schema);
      else declaration.parameters = toGeminiSchema(schema);
    }
    return declaration;
  });
  return [{ functionDeclarations }];
}

function isEmptyObjectSchema(schema: JsonObject): boolean {
  const properties = schema.properties;
  const hasProperties = typeof properties === 'object' && properties !== null && Object.keys(properties).length > 0;
  return (
    !hasProperties &&
    (schema.type === 'object' || schema.type === undefined) &&
    schema.anyOf === undefined &&
    schema.$ref === undefined
  );
}

/**
 * `tool_choice` → `toolConfig.functionCallingConfig` (Portkey, litellm and vercel/ai agree):
 * auto → AUTO, none → NONE (tools are kept), required → ANY, a named function → ANY +
 * allowedFunctionNames. Strict tools under auto use VALIDATED (constrained decoding of calls, as
 * vercel/ai does) where the model has it. `parallel_tool_calls: false` has no Gemini equivalent:
 * llmux keeps the first call of each answer and drops the rest (candidate.ts), with a warning.
 */
export function toGeminiToolConfig(
  request: ChatRequest,
  traits: GeminiModelTraits,
  adjustments: Adjustments,
): GeminiToolConfig | undefined {
  const tools = request.tools ?? [];
  if (request.parallelToolCalls === false && tools.length > 0 && request.toolChoice?.type !== 'none') {
    adjustments.warn('parallel_tool_calls=false: Gemini has no such switch; only the first function call is kept');
  }
  if (tools.length === 0) return undefined;
  const strict = tools.some((tool) => tool.strict === true);
  if (strict && !traits.validatedMode)
    adjustments.warn('strict tools: this Gemini model has no validated function calling mode');
  const choice = request.toolChoice;
  if (choice === undefined || choice.type === 'auto') {
    return strict && traits.validatedMode
      ? { functionCallingConfig: { mode: 'VALIDATED' } }
      : choice
        ? { functionCallingConfig: { mode: 'AUTO' } }
        : undefined;
  }
  switch (choice.type) {
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'function':
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
}

import type {
  ChatRequest,
  JsonObject,
  JsonValue,
  ReasoningEffort,
  ReasoningSettings,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../core/types.ts';
import type { GeminiGenerationConfig, GeminiRequest, GeminiThinkingConfig } from '../../protocols/gemini.ts';
import { fromGeminiSchema } from './schema.ts';
import { toCanonicalMessages } from './to-canonical-contents.ts';
import { invalidField } from './validate.ts';

/** Body fields with no canonical equivalent, kept for a Gemini upstream reached by translation. */
const GEMINI_ONLY_FIELDS = ['safetySettings', 'cachedContent', 'labels'] as const;

/** A validated `generateContent` body (model and stream from the URL) → the canonical request. */
export function fromGeminiRequest(body: GeminiRequest, model: string, stream: boolean): ChatRequest {
  const request: ChatRequest = {
    model,
    messages: toCanonicalMessages(body.systemInstruction as GeminiRequest['systemInstruction'] | string, body.contents),
    stream,
    includeUsage: true,
  };
  const geminiOnly: JsonObject = {};
  const raw = body as unknown as Record<string, JsonValue | undefined>;
  for (const field of GEMINI_ONLY_FIELDS) if (raw[field] !== undefined) geminiOnly[field] = raw[field] as JsonValue;
  addTools(request, body, geminiOnly);
  addGenerationConfig(request, body.generationConfig);
  if (Object.keys(geminiOnly).length > 0) request.providerOptions = { gemini: geminiOnly };
  return request;
}

/**
 * `functionDeclarations` → function tools (`parametersJsonSchema` as is, `parameters` converted
 * from the OpenAPI subset); other tools (googleSearch, codeExecution, …) only a Gemini upstream can
 * run: they go to it as provider options. `toolConfig.functionCallingConfig` → tool choice.
 */
function addTools(request: ChatRequest, body: GeminiRequest, geminiOnly: JsonObject): void {
  const tools: ToolDefinition[] = [];
  const builtIns: JsonValue[] = [];
  for (const tool of body.tools ?? []) {
    const { functionDeclarations, ...others } = tool as { functionDeclarations?: GeminiToolDeclaration[] } & JsonObject;
    for (const declaration of functionDeclarations ?? []) {
      const definition: ToolDefinition = { type: 'function', name: declaration.name };
      if (declaration.description !== undefined) definition.description = declaration.description;
      if (declaration.parametersJsonSchema !== undefined) definition.parameters = declaration.parametersJsonSchema;
      else if (declaration.parameters !== undefined) definition.parameters = fromGeminiSchema(declaration.parameters);
      else definition.parameters = { type: 'object', properties: {} };
      tools.push(definition);
    }
    if (Object.keys(others).length > 0) builtIns.push(others as JsonObject);
  }
  if (tools.length > 0) request.tools = tools;
  if (builtIns.length > 0) geminiOnly.tools = builtIns;
  const calling = body.toolConfig?.functionCallingConfig;
  const choice = calling === undefined ? undefined : toToolChoice(calling.mode, calling.allowedFunctionNames);
  if (choice !== undefined) request.toolChoice = choice;
}

interface GeminiToolDeclaration {
  name: string;
  description?: string;
  parameters?: JsonValue;
  parametersJsonSchema?: JsonObject;
}

function toToolChoice(mode: string | undefined, allowed: string[] | undefined): ToolChoice | undefined {
  switch (mode) {
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
    case 'VALIDATED':
      return allowed?.length === 1 && allowed[0] !== undefined
        ? { type: 'function', name: allowed[0] }
        : { type: 'required' };
    case 'AUTO':
      return { type: 'auto' };
    default:
      return undefined;
  }
}

function addGenerationConfig(request: ChatRequest, config: GeminiGenerationConfig | undefined): void {
  if (config === undefined) return;
  if (config.maxOutputTokens !== undefined) request.maxOutputTokens = config.maxOutputTokens;
  if (config.temperature !== undefined) request.temperature = config.temperature;
  if (config.topP !== undefined) request.topP = config.topP;
  if (config.topK !== undefined) request.topK = config.topK;
  if (config.seed !== undefined) request.seed = config.seed;
  if (config.presencePenalty !== undefined) request.presencePenalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) request.frequencyPenalty = config.frequencyPenalty;
  if (config.stopSequences?.length) request.stop = config.stopSequences;
  if (config.candidateCount !== undefined && config.candidateCount > 1) request.n = config.candidateCount;
  if (config.responseLogprobs === true) {
    request.logprobs = true;
    if (config.logprobs !== undefined) request.topLogprobs = config.logprobs;
  }
  if (config.responseModalities?.length) {
    request.extraFields = { modalities: config.responseModalities.map((modality) => modality.toLowerCase()) };
  }
  const format = toResponseFormat(config);
  if (format !== undefined) request.responseFormat = format;
  const reasoning = toReasoning(config.thinkingConfig);
  if (reasoning !== undefined) request.reasoning = reasoning;
}

/** `responseMimeType: application/json` (+ `responseJsonSchema` or `responseSchema`) → a JSON response format. */
function toResponseFormat(config: GeminiGenerationConfig): ResponseFormat | undefined {
  const mime = config.responseMimeType;
  const schema =
    config.responseJsonSchema ??
    (config.responseSchema === undefined ? undefined : fromGeminiSchema(config.responseSchema as JsonValue));
  if (mime === undefined || mime === 'text/plain') {
    if (schema !== undefined)
      throw invalidField('generationConfig.responseSchema', "needs responseMimeType 'application/json'");
    return undefined;
  }
  if (mime !== 'application/json') {
    throw invalidField(
      'generationConfig.responseMimeType',
      `'${mime}' is not supported (text/plain or application/json)`,
    );
  }
  return schema === undefined ? { type: 'json_object' } : { type: 'json_schema', name: 'response', schema };
}

const LEVELS: Record<string, ReasoningEffort> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high' };

/**
 * thinkingConfig → reasoning: `thinkingLevel` (any case) → effort, `thinkingBudget` → budget
 * tokens (0 turns thinking off: effort none; -1, dynamic, leaves it to the model), `includeThoughts`.
 */
function toReasoning(thinking: GeminiThinkingConfig | undefined): ReasoningSettings | undefined {
  if (thinking === undefined) return undefined;
  const out: ReasoningSettings = {};
  const level = typeof thinking.thinkingLevel === 'string' ? thinking.thinkingLevel.toLowerCase() : undefined;
  if (level !== undefined && level !== 'thinking_level_unspecified') {
    const effort = LEVELS[level];
    if (effort === undefined)
      throw invalidField(
        'generationConfig.thinkingConfig.thinkingLevel',
        `'${thinking.thinkingLevel}' is not a thinking level`,
      );
    out.effort = effort;
  }
  const budget = thinking.thinkingBudget;
  if (budget === 0) out.effort = 'none';
  else if (budget !== undefined && budget > 0) out.budgetTokens = budget;
  if (thinking.includeThoughts !== undefined) out.includeThoughts = thinking.includeThoughts;
  return Object.keys(out).length > 0 ? out : undefined;
}

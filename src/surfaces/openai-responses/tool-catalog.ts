/**
 * The tools of a Responses request as a translated target sees them: `tools` plus the tools of
 * `additional_tools` input items (Codex's default "responses-lite" shape), `namespace` groups
 * flattened into their tools, and freeform `custom` tools (Codex's `exec`) offered as function
 * tools taking one string, `{"input": string}`; the model's call of one is rendered back as a
 * `custom_tool_call` with that `input`. OpenAI's own tools (web_search, file_search, …) are left out.
 */
import type { JsonObject, ToolDefinition } from '../../core/types.ts';
import type { ResponsesRequestBody, ResponsesTool } from '../../protocols/openai-responses.ts';
import { isObject } from './validate-helpers.ts';

/** The one argument a custom tool's function takes. */
export const CUSTOM_INPUT = 'input';

const CUSTOM_PARAMETERS: JsonObject = {
  type: 'object',
  properties: { [CUSTOM_INPUT]: { type: 'string', description: 'The raw input of the tool, as free text.' } },
  required: [CUSTOM_INPUT],
  additionalProperties: false,
};

export interface ToolCatalog {
  tools: ToolDefinition[];
  /** Names of the tools that are freeform (`custom`): their calls render as `custom_tool_call`. */
  custom: ReadonlySet<string>;
  /** OpenAI's own tools left out, as `type 'name'`. */
  dropped: string[];
}

/** Every tool the request offers, `tools` first, then each `additional_tools` item's in order. */
export function requestTools(body: ResponsesRequestBody): ResponsesTool[] {
  const out: ResponsesTool[] = [...(body.tools ?? [])];
  if (Array.isArray(body.input)) {
    for (const item of body.input) {
      if (item.type === 'additional_tools' && Array.isArray(item.tools)) out.push(...(item.tools as ResponsesTool[]));
    }
  }
  return out;
}

export function toolCatalog(body: ResponsesRequestBody): ToolCatalog {
  const catalog = { tools: [] as ToolDefinition[], custom: new Set<string>(), dropped: [] as string[] };
  const seen = new Set<string>();
  const add = (tool: ResponsesTool): void => {
    if (tool.type === 'namespace' && Array.isArray(tool.tools)) {
      for (const inner of tool.tools as ResponsesTool[]) add(inner);
      return;
    }
    if ((tool.type !== 'function' && tool.type !== 'custom') || typeof tool.name !== 'string') {
      catalog.dropped.push(typeof tool.name === 'string' ? `${tool.type} '${tool.name}'` : tool.type);
      return;
    }
    if (seen.has(tool.name)) return;
    seen.add(tool.name);
    const definition: ToolDefinition = { type: 'function', name: tool.name };
    if (typeof tool.description === 'string' && tool.description !== '') definition.description = tool.description;
    if (tool.type === 'custom') {
      catalog.custom.add(tool.name);
      definition.parameters = CUSTOM_PARAMETERS;
    } else {
      if (isObject(tool.parameters)) definition.parameters = tool.parameters as JsonObject;
      if (typeof tool.strict === 'boolean') definition.strict = tool.strict;
    }
    catalog.tools.push(definition);
  };
  for (const tool of requestTools(body)) add(tool);
  return catalog;
}

/** The names of the request's custom tools (what the renderers need of the catalogue). */
export function customToolNames(body: ResponsesRequestBody): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (tool: ResponsesTool): void => {
    if (tool.type === 'namespace' && Array.isArray(tool.tools)) (tool.tools as ResponsesTool[]).forEach(visit);
    else if (tool.type === 'custom' && typeof tool.name === 'string') names.add(tool.name);
  };
  requestTools(body).forEach(visit);
  return names;
}

/** A custom tool's input as the function call's arguments, and back (arguments that are not that shape: as they are). */
export function customInputArguments(input: string): string {
  return JSON.stringify({ [CUSTOM_INPUT]: input });
}

export function customInputOf(argumentsJson: string): string {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (isObject(parsed) && typeof parsed[CUSTOM_INPUT] === 'string') return parsed[CUSTOM_INPUT];
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return argumentsJson;
}

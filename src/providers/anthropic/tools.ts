/** Canonical tools and tool_choice → Anthropic `tools` / `tool_choice`. */
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, JsonObject, ToolDefinition } from '../../core/types.ts';
import type { AnthropicTool, AnthropicToolChoice } from '../../protocols/anthropic-messages.ts';
import type { BuildContext } from './build-context.ts';
import { toCacheControl } from './content.ts';
import { strictSchemaWarning, toClaudeStrictSchema } from './strict-schema.ts';

/**
 * Reserved name of the tool llmux adds when `response_format` is emulated with a forced tool call.
 * Response parsers turn calls to it back into message content (and `tool_use` into `stop`), so a
 * client tool may not use this name.
 */
export const JSON_RESPONSE_TOOL = 'llmux_json_response';

export interface AnthropicTooling {
  tools?: AnthropicTool[];
  toolChoice?: AnthropicToolChoice;
}

/** A tool's JSON Schema as `input_schema`, which must be an object schema. */
function toInputSchema(parameters: JsonObject | undefined): JsonObject {
  if (!parameters || Object.keys(parameters).length === 0) return { type: 'object', properties: {} };
  return parameters.type === undefined ? { type: 'object', ...parameters } : parameters;
}

export function toAnthropicTool(tool: ToolDefinition, index: number, ctx: BuildContext): AnthropicTool {
  if (tool.name === JSON_RESPONSE_TOOL) {
    throw new GatewayError('invalid_request', `'tools[${index}].function.name' uses a name reserved by llmux.`, {
      param: `tools[${index}].function.name`,
    });
  }
  const out: AnthropicTool = { name: tool.name, input_schema: toInputSchema(tool.parameters) };
  if (tool.description !== undefined && tool.description !== '') out.description = tool.description;
  if (tool.strict === true) {
    if (ctx.model.structuredOutput) {
      out.strict = true;
      const strict = toClaudeStrictSchema(out.input_schema);
      const warning = strictSchemaWarning(`tools[${index}].function.parameters`, strict.moved);
      if (warning) ctx.warnings.push(warning);
      out.input_schema = strict.schema;
    } else ctx.warnings.push(`tools[${index}].function.strict ignored: this model has no strict tool use`);
  }
  return Object.assign(out, toCacheControl(tool.cache));
}

/**
 * tool_choice: auto → auto, none → none (the tools stay declared: with tool_use/tool_result blocks
 * in the history and no tools the API fails, vercel/ai#12378), required → any, a named function
 * → tool. `parallel_tool_calls: false` → `disable_parallel_tool_use: true` (not on none).
 */
export function toAnthropicTooling(
  request: ChatRequest,
  historyToolNames: Set<string>,
  ctx: BuildContext,
): AnthropicTooling {
  const declared = (request.tools ?? []).map((tool, index) => toAnthropicTool(tool, index, ctx));
  if (declared.length === 0) {
    if (historyToolNames.size === 0) return {};
    // The API rejects tool_use/tool_result blocks when no tools are declared: declare the tools the
    // history used, and forbid new calls since the client offered none.
    ctx.warnings.push(
      'tools used earlier in the conversation were declared with tool_choice none (Claude requires it)',
    );
    const stubs = [...historyToolNames].map((name) => ({
      name,
      description: 'Tool used earlier in this conversation.',
      input_schema: { type: 'object' },
    }));
    return { tools: stubs, toolChoice: { type: 'none' } };
  }
  const names = new Set(declared.map((tool) => tool.name));
  for (const name of historyToolNames) {
    if (!names.has(name)) {
      declared.push({ name, description: 'Tool used earlier in this conversation.', input_schema: { type: 'object' } });
      names.add(name);
    }
  }
  return { tools: declared, ...toolChoiceFor(request) };
}

function toolChoiceFor(request: ChatRequest): { toolChoice?: AnthropicToolChoice } {
  const noParallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  const choice = request.toolChoice;
  if (!choice) return request.parallelToolCalls === false ? { toolChoice: { type: 'auto', ...noParallel } } : {};
  switch (choice.type) {
    case 'none':
      return { toolChoice: { type: 'none' } };
    case 'auto':
      return { toolChoice: { type: 'auto', ...noParallel } };
    case 'required':
      return { toolChoice: { type: 'any', ...noParallel } };
    case 'function':
      return { toolChoice: { type: 'tool', name: choice.name, ...noParallel } };
  }
}

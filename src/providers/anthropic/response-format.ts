/**
 * `response_format` → Claude.
 *
 * - json_schema on models with native structured output (4.1 Opus, 4.5 and newer):
 *   `output_config.format = {type: "json_schema", schema}` (GA, no beta header); the JSON arrives
 *   as ordinary text. The schema is cut to what structured outputs accept (strict-schema.ts).
 * - json_schema on other models, and json_object everywhere (Claude has no schema-less JSON mode):
 *   a tool named `llmux_json_response` whose `input_schema` is the schema (an open object for
 *   json_object), forced with `tool_choice: {type: "tool"}`. The response parsers turn its input
 *   into the message content and its `tool_use` stop into `stop`, streaming included.
 *   With client tools also offered, tool_choice becomes `any` without parallel calls (the model
 *   calls one client tool, or answers through the JSON tool). Forced tool use is not allowed with
 *   thinking or on models that reject it: the tool is then offered with tool_choice auto, and a
 *   warning says the format is not enforced.
 */
import type { ChatRequest, JsonObject } from '../../core/types.ts';
import type { AnthropicRequestBody, AnthropicTool } from '../../protocols/anthropic-messages.ts';
import type { BuildContext } from './build-context.ts';
import { strictSchemaWarning, toClaudeStrictSchema } from './strict-schema.ts';
import { JSON_RESPONSE_TOOL } from './tools.ts';

const OPEN_OBJECT: JsonObject = { type: 'object' };

export function applyResponseFormat(
  body: AnthropicRequestBody,
  request: ChatRequest,
  thinkingOn: boolean,
  ctx: BuildContext,
): void {
  const format = request.responseFormat;
  if (!format || format.type === 'text') return;
  if (format.type === 'json_schema' && format.schema !== undefined && ctx.model.structuredOutput) {
    const strict = toClaudeStrictSchema(format.schema);
    const warning = strictSchemaWarning('response_format.json_schema.schema', strict.moved);
    if (warning) ctx.warnings.push(warning);
    body.output_config = { ...body.output_config, format: { type: 'json_schema', schema: strict.schema } };
    return;
  }
  const schema = format.type === 'json_schema' ? (format.schema ?? OPEN_OBJECT) : OPEN_OBJECT;
  const description =
    'Give your final answer by calling this tool; its input is the answer as JSON.' +
    (format.type === 'json_schema' && format.description ? ` ${format.description}` : '');
  const tool: AnthropicTool = { name: JSON_RESPONSE_TOOL, description, input_schema: schema };
  const clientTools = body.tools ?? [];
  const choice = body.tool_choice;
  const clientToolsCallable = clientTools.length > 0 && choice?.type !== 'none';
  body.tools = [...clientTools, tool];
  const canForce = !thinkingOn && !ctx.model.rejectsForcedToolUse;
  const label = `response_format ${format.type}`;
  if (clientToolsCallable && choice?.type === 'tool') {
    ctx.warnings.push(`${label} not enforced: tool_choice names a function`);
    return;
  }
  if (!canForce) {
    body.tool_choice = { type: 'auto' };
    const why = thinkingOn ? 'forced tool use is not allowed with thinking' : 'this model rejects forced tool use';
    ctx.warnings.push(`${label} emulated with a JSON tool but not enforced: ${why}`);
    return;
  }
  body.tool_choice = clientToolsCallable
    ? { type: 'any', disable_parallel_tool_use: true }
    : { type: 'tool', name: JSON_RESPONSE_TOOL };
}

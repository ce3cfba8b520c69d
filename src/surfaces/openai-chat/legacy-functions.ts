/**
 * OpenAI's deprecated `functions` / `function_call` (instructor's FUNCTIONS mode, older apps). When
 * a request has `functions` and no `tools`, they are read as tools / tool_choice, and the answer is
 * rendered back the legacy way: `message.function_call`, `delta.function_call`, finish reason
 * `function_call`. The legacy format holds one call per answer, so parallel calls are turned off.
 */
import { GatewayError } from '../../core/errors.ts';
import type { JsonObject, ToolChoice, ToolDefinition } from '../../core/types.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';

/** True when the client speaks the legacy dialect: `functions` given, `tools` not. */
export function usesLegacyFunctions(body: OpenAIChatRequest): boolean {
  return Array.isArray(body.functions) && body.functions.length > 0 && !body.tools?.length;
}

export function fromLegacyFunctions(functions: unknown[]): ToolDefinition[] {
  return functions.map((fn, index) => {
    const param = `functions[${index}]`;
    if (typeof fn !== 'object' || fn === null || Array.isArray(fn)) {
      throw new GatewayError('invalid_request', `Invalid type for '${param}': expected an object.`, { param });
    }
    const record = fn as Record<string, unknown>;
    if (typeof record.name !== 'string' || record.name === '') {
      throw new GatewayError('invalid_request', `Missing required parameter: '${param}.name'.`, {
        param: `${param}.name`,
      });
    }
    const tool: ToolDefinition = { type: 'function', name: record.name };
    if (typeof record.description === 'string') tool.description = record.description;
    if (typeof record.parameters === 'object' && record.parameters !== null && !Array.isArray(record.parameters)) {
      tool.parameters = record.parameters as JsonObject;
    }
    return tool;
  });
}

/** `function_call`: 'none' | 'auto' | {name}. */
export function fromLegacyFunctionCall(choice: unknown): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'none' || choice === 'auto') return { type: choice };
  if (typeof choice === 'object' && !Array.isArray(choice)) {
    const name = (choice as Record<string, unknown>).name;
    if (typeof name === 'string' && name !== '') return { type: 'function', name };
  }
  throw new GatewayError(
    'invalid_request',
    "Invalid value for 'function_call': expected 'none', 'auto' or an object with a function name.",
    { param: 'function_call', reason: 'invalid_value' },
  );
}

/**
 * Legacy turns carry no call ids: an assistant `function_call` gets one from its position, and the
 * `function` message answering it (matched by name) gets the same, so upstreams that pair calls
 * with results by id (Claude) see a consistent history.
 */
export class LegacyCallIds {
  private readonly byName = new Map<string, string>();

  forCall(name: string, messageIndex: number): string {
    const id = `call_fn_${messageIndex}`;
    this.byName.set(name, id);
    return id;
  }

  forResult(name: string): string {
    return this.byName.get(name) ?? name;
  }
}

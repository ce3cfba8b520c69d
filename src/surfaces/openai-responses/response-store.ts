/**
 * Stored responses in the Responses API's terms (`store: true`, `previous_response_id`, the
 * `input_items` list), as pure functions: the store keeps JSON text, the route reads and writes it.
 *
 * - A turn keeps its input items, each with an id (`msg_…`, `fc_…`, …; ids the client sent are
 *   kept) and a message's string content as an `input_text` part, the way OpenAI lists them; and
 *   its rendered Response object. `instructions` stay on the Response object: a follow-up does not
 *   inherit them (the API's rule), so they are never replayed as an item.
 * - A follow-up replays, oldest first, each previous turn's input items then its output items,
 *   then its own input.
 * - `input_items` of a response is that whole conversation, newest first by default.
 */
import { GatewayError } from '../../core/errors.ts';
import type { ResponsesInputItem, ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import { isObject } from './validate-helpers.ts';

/** What is kept of one response llmux rendered. */
export interface StoredTurn {
  /** The Response object as the client got it. */
  response: Record<string, unknown>;
  /** This turn's input items (with ids). */
  inputItems: ResponsesInputItem[];
}

/** A stored turn as the store holds it (JSON text). */
export interface StoredTurnText {
  response: string | null;
  inputItems: string | null;
}

const ID_PREFIX: Record<string, string> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fc',
  reasoning: 'rs',
};

/** The input items of a request's turn, as `input_items` lists them: ids given, string contents as parts. */
export function turnInputItems(body: ResponsesRequestBody, responseId: string): ResponsesInputItem[] {
  const base = responseId.replace(/^resp_/, '');
  const input = body.input;
  const items: ResponsesInputItem[] =
    typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : (input ?? []);
  return items.map((item, index) => {
    const type = item.type ?? 'message';
    const listed: ResponsesInputItem = {
      id: typeof item.id === 'string' && item.id !== '' ? item.id : `${ID_PREFIX[type] ?? 'item'}_${base}_in${index}`,
      ...item,
      type,
    };
    if (type === 'message' && typeof item.content === 'string') {
      const part = item.role === 'assistant' ? 'output_text' : 'input_text';
      listed.content = [{ type: part, text: item.content }];
    }
    if (type !== 'reasoning' && listed.status === undefined) listed.status = 'completed';
    return listed;
  });
}

export function storedTurnText(turn: StoredTurn): StoredTurnText {
  return { response: JSON.stringify(turn.response), inputItems: JSON.stringify(turn.inputItems) };
}

/** The items of a stored conversation (oldest turn first), each turn its input then its output. */
export function conversationItems(turns: readonly StoredTurnText[]): ResponsesInputItem[] {
  const items: ResponsesInputItem[] = [];
  for (const turn of turns) {
    items.push(...parseItems(turn.inputItems));
    const response = turn.response === null ? undefined : parseJson(turn.response);
    if (isObject(response) && Array.isArray(response.output)) items.push(...(response.output as ResponsesInputItem[]));
  }
  return items;
}

/**
 * The conversation as a passthrough upstream (OpenAI) takes it as `input`: without the ids (OpenAI
 * refuses item ids it did not store) and without reasoning items (their `encrypted_content`, if
 * any, is llmux's own carrier, which OpenAI cannot read).
 */
export function forPassthrough(items: readonly ResponsesInputItem[]): ResponsesInputItem[] {
  return items
    .filter((item) => item.type !== 'reasoning')
    .map((item) => {
      const { id: _id, ...rest } = item;
      return rest as ResponsesInputItem;
    });
}

/** The stored Response object, or undefined when the text does not parse (never expected). */
export function storedResponseObject(text: string | null): Record<string, unknown> | undefined {
  const parsed = text === null ? undefined : parseJson(text);
  return isObject(parsed) ? parsed : undefined;
}

/** `GET /v1/responses/{id}/input_items` query: `limit` 1–100 (default 20), `order` asc|desc (default desc), `after` an item id. */
export interface InputItemsQuery {
  limit: number;
  order: 'asc' | 'desc';
  after: string | undefined;
}

export function parseInputItemsQuery(query: Readonly<Record<string, unknown>>): InputItemsQuery {
  const limitText = single(query.limit, 'limit');
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw queryError(
      'limit',
      `Invalid 'limit': expected an integer between 1 and 100, got '${String(limitText).slice(0, 32)}'.`,
    );
  }
  const order = single(query.order, 'order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw queryError('order', `Invalid 'order': expected 'asc' or 'desc', got '${order.slice(0, 32)}'.`);
  }
  return { limit, order, after: single(query.after, 'after') };
}

/** One page of the conversation's items, in OpenAI's list shape. */
export function inputItemsPage(items: readonly ResponsesInputItem[], query: InputItemsQuery): Record<string, unknown> {
  const ordered = query.order === 'desc' ? [...items].reverse() : [...items];
  let start = 0;
  if (query.after !== undefined) {
    const at = ordered.findIndex((item) => item.id === query.after);
    if (at < 0)
      throw queryError(
        'after',
        `Invalid 'after': no item '${query.after.slice(0, 64)}' in this response's input items.`,
      );
    start = at + 1;
  }
  const data = ordered.slice(start, start + query.limit);
  return {
    object: 'list',
    data,
    first_id: (data[0]?.id as string | undefined) ?? null,
    last_id: (data.at(-1)?.id as string | undefined) ?? null,
    has_more: start + data.length < ordered.length,
  };
}

/** OpenAI's answer to `previous_response_id` naming nothing it can use (400, code `previous_response_not_found`). */
export function previousResponseNotFound(id: string, detail = ''): GatewayError {
  return new GatewayError('invalid_request', `Previous response with id '${id.slice(0, 128)}' not found.${detail}`, {
    param: 'previous_response_id',
    reason: 'previous_response_not_found',
  });
}

/** OpenAI's answer to `GET|DELETE /v1/responses/{id}` for an id it does not have (404). */
export function responseNotFound(id: string): GatewayError {
  return new GatewayError('not_found', `Response with id '${id.slice(0, 128)}' not found.`);
}

function parseItems(text: string | null): ResponsesInputItem[] {
  const parsed = text === null ? undefined : parseJson(text);
  return Array.isArray(parsed) ? (parsed as ResponsesInputItem[]) : [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw queryError(name, `Invalid '${name}': give it once.`);
}

function queryError(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param, reason: 'invalid_value' });
}

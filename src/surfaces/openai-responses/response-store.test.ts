import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixtureJson } from '../../../test/support/fixture-paths.ts';
import { GatewayError } from '../../core/errors.ts';
import {
  conversationItems,
  forPassthrough,
  inputItemsPage,
  parseInputItemsQuery,
  storedTurnText,
  turnInputItems,
} from './response-store.ts';

/** OpenAI's own `input_items` answer for the follow-up of the recorded FunctionCallWorks exchange. */
const recorded = (readFixtureJson('openai-responses/openai-dotnet/FunctionCallWorks.json') as { Entries: unknown[] })
  .Entries as Array<{ RequestBody: Record<string, unknown>; ResponseBody: Record<string, unknown> }>;
const listed = recorded[2]?.ResponseBody as { data: Array<Record<string, unknown>> };
const keysOf = (item: Record<string, unknown> | undefined) => Object.keys(item ?? {}).sort();

function rejectsWith(param: string, run: () => unknown): void {
  assert.throws(
    run,
    (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param,
  );
}

describe('stored response items', () => {
  it("a turn's input items have the fields OpenAI lists them with", () => {
    const followUp = turnInputItems(recorded[1]?.RequestBody as never, 'resp_abc');
    assert.deepEqual(
      keysOf(followUp[0]),
      keysOf(listed.data[0]),
      'function_call_output: id, type, status, call_id, output',
    );
    const first = turnInputItems(recorded[0]?.RequestBody as never, 'resp_abc');
    assert.deepEqual(keysOf(first[0]), keysOf(listed.data[2]), 'message: id, type, status, content, role');
    const plain = turnInputItems({ model: 'm', input: 'Hi' }, 'resp_abc');
    assert.deepEqual(plain, [
      {
        id: 'msg_abc_in0',
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'Hi' }],
        status: 'completed',
      },
    ]);
    const kept = turnInputItems(
      { model: 'm', input: [{ id: 'msg_client', role: 'assistant', content: 'x' }] },
      'resp_a',
    );
    assert.equal(kept[0]?.id, 'msg_client', "the client's id is kept");
    assert.deepEqual(kept[0]?.content, [{ type: 'output_text', text: 'x' }], 'assistant text is output_text');
  });

  it('a conversation is each turn input then output, oldest first; passthrough gets it without ids and reasoning', () => {
    const turn = (n: number) =>
      storedTurnText({
        response: {
          id: `resp_${n}`,
          output: [
            { id: `rs_${n}`, type: 'reasoning', summary: [] },
            { id: `msg_o${n}`, type: 'message' },
          ],
        },
        inputItems: [{ id: `msg_i${n}`, type: 'message', role: 'user', content: [] }],
      });
    const items = conversationItems([turn(1), turn(2)]);
    assert.deepEqual(
      items.map((item) => item.id),
      ['msg_i1', 'rs_1', 'msg_o1', 'msg_i2', 'rs_2', 'msg_o2'],
    );
    const forwarded = forPassthrough(items);
    assert.equal(forwarded.length, 4, 'reasoning items dropped');
    assert.ok(
      forwarded.every((item) => item.id === undefined),
      'no ids',
    );
  });

  it('input_items pages: desc by default, limit, after, has_more, first/last ids', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ id, type: 'message' }));
    const query = parseInputItemsQuery({});
    assert.deepEqual(query, { limit: 20, order: 'desc', after: undefined });
    assert.deepEqual(inputItemsPage(items, query), {
      object: 'list',
      data: [items[2], items[1], items[0]],
      first_id: 'c',
      last_id: 'a',
      has_more: false,
    });
    const page = inputItemsPage(items, parseInputItemsQuery({ limit: '1', order: 'asc', after: 'a' }));
    assert.deepEqual(page, { object: 'list', data: [items[1]], first_id: 'b', last_id: 'b', has_more: true });
    const empty = inputItemsPage(items, parseInputItemsQuery({ after: 'a' }));
    assert.deepEqual(empty, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    rejectsWith('limit', () => parseInputItemsQuery({ limit: '0' }));
    rejectsWith('limit', () => parseInputItemsQuery({ limit: '101' }));
    rejectsWith('order', () => parseInputItemsQuery({ order: 'up' }));
    rejectsWith('after', () => parseInputItemsQuery({ after: ['a', 'b'] }));
    rejectsWith('after', () => inputItemsPage(items, parseInputItemsQuery({ after: 'zzz' })));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameDataIsJson } from './frame-shape.ts';

const check = (text: string | Buffer) => frameDataIsJson(Buffer.isBuffer(text) ? text : Buffer.from(text));

describe('frameDataIsJson (passthrough stream frames)', () => {
  it('accepts JSON objects, [DONE] and frames without data', () => {
    for (const frame of [
      'data: {"a":1}\n\n',
      'data:{"a":1}\r\n\r\n',
      'event: error\ndata: {"error":{}}\n\n',
      'id: 7\ndata: {"a":\ndata: 1}\n\n',
      'data: [DONE]\n\n',
      'data:[DONE]\n\n',
      ': keep-alive\n\n',
      ': a comment mentioning data: text\n\n',
      'event: ping\n\n',
      '\n',
      '{"error":{"message":"a bare JSON body"}}',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('data: {"a":1}\n\n')]),
    ]) {
      assert.ok(check(frame), `accepted: ${JSON.stringify(String(frame))}`);
    }
  });

  it('rejects data that is not a JSON object', () => {
    for (const frame of [
      'data: hello\n\n',
      'data: <html>\n\n',
      'data:\n\n',
      'data: \n\n',
      'data: "a string"\n\n',
      'data: 42\n\n',
      'data: [1,2]\n\n',
      'event: x\r\ndata: nope\r\n\r\n',
      ': comment\ndata: nope\n\n',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('data: nope\n\n')]),
    ]) {
      assert.ok(!check(frame), `rejected: ${JSON.stringify(String(frame))}`);
    }
  });
});

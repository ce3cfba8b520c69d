const DATA_FIELD = Buffer.from('data:');
const DONE = Buffer.from('[DONE]');
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A cheap shape check for an OpenAI-compatible stream frame on the passthrough path: its first
 * `data:` line must hold a JSON object (or be `[DONE]`). Only the first byte of the value is
 * looked at, never parsed: the point is to catch an upstream writing plain text into the stream,
 * which SDKs fail on. Frames without data (comments, keep-alives, `event:` alone) pass.
 */
export function frameDataIsJson(frame: Buffer): boolean {
  let at = frame.indexOf(DATA_FIELD);
  while (at > 0 && !isLineStart(frame, at)) at = frame.indexOf(DATA_FIELD, at + DATA_FIELD.length);
  if (at < 0) return true;
  let value = at + DATA_FIELD.length;
  if (frame[value] === SPACE) value++;
  if (frame[value] === OPEN_BRACE) return true;
  return frame.subarray(value, value + DONE.length).equals(DONE);
}

function isLineStart(frame: Buffer, at: number): boolean {
  const before = frame[at - 1];
  return before === LF || before === CR || (at === BOM.length && frame.subarray(0, at).equals(BOM));
}

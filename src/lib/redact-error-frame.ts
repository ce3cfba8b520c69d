import { isRecord, tryParseJson } from './json.ts';
import { redactJsonStrings } from './redact.ts';
import { decodeSseFrame } from './sse.ts';

const ERROR_KEY = Buffer.from('"error"');

/**
 * An upstream SSE frame on its way to the client, byte for byte, unless it is an error event
 * (`data: {"error": {...}}`): then every string in it is redacted (an upstream may echo the API
 * key in any field). Ordinary frames are returned as they are, after one byte search.
 */
export function redactErrorFrame(frame: Buffer): Buffer {
  if (frame.indexOf(ERROR_KEY) < 0) return frame;
  const event = decodeSseFrame(frame);
  const payload = event ? tryParseJson(event.data) : undefined;
  if (!isRecord(payload) || !('error' in payload)) return frame;
  const redacted = redactJsonStrings(payload);
  if (redacted === payload) return frame;
  const idLine = event?.id === undefined ? '' : `id: ${event.id}\n`;
  const eventLine = event?.event === undefined ? '' : `event: ${event.event}\n`;
  return Buffer.from(`${idLine}${eventLine}data: ${JSON.stringify(redacted)}\n\n`);
}

const USAGE_KEY = Buffer.from('"usage"');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the `{` opening the value of the `"usage"` key found at `keyAt`, or -1 when the value is not an object. */
function usageValueStart(bytes: Buffer, keyAt: number): number {
  let i = keyAt + USAGE_KEY.length;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x3a || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  return bytes[i] === OPEN_BRACE ? i : -1;
}

/**
 * True when an SSE frame carries a non-null `usage` object. Cheap byte search, so that ordinary
 * chunks (no usage, or `"usage":null`) are never JSON-parsed on the passthrough path. Inside JSON
 * strings quotes are escaped, so `"usage"` with bare quotes can only be a key.
 */
export function frameHasUsage(frame: Buffer): boolean {
  let at = frame.indexOf(USAGE_KEY);
  while (at >= 0) {
    if (usageValueStart(frame, at) >= 0) return true;
    at = frame.indexOf(USAGE_KEY, at + USAGE_KEY.length);
  }
  return false;
}

/**
 * The raw text of the top-level `usage` object of a chat completion body, found from the end (where
 * OpenAI-compatible servers put it) without parsing the whole body. Undefined when there is none.
 */
export function sliceUsageObject(body: Buffer): Buffer | undefined {
  let at = body.lastIndexOf(USAGE_KEY);
  while (at >= 0) {
    const start = usageValueStart(body, at);
    if (start >= 0) {
      const end = matchingBrace(body, start);
      return end < 0 ? undefined : body.subarray(start, end + 1);
    }
    at = at === 0 ? -1 : body.lastIndexOf(USAGE_KEY, at - 1);
  }
  return undefined;
}

/** Index of the `}` closing the object that opens at `start`, skipping strings; -1 when unbalanced. */
function matchingBrace(bytes: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE) depth++;
    else if (byte === CLOSE_BRACE && --depth === 0) return i;
  }
  return -1;
}

/** A cheap shape check for a whole JSON object body: `{` … `}` once surrounding whitespace is skipped. */
export function looksLikeJsonObject(body: Buffer): boolean {
  let first = 0;
  let last = body.length - 1;
  while (first <= last && isSpace(body[first])) first++;
  while (last >= first && isSpace(body[last])) last--;
  return body[first] === OPEN_BRACE && body[last] === CLOSE_BRACE;
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

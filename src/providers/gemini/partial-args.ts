import type { JsonObject, JsonValue } from '../../core/types.ts';
import type { GeminiPartialArg } from '../../protocols/gemini.ts';

/**
 * Rebuilds the arguments of a call streamed with Vertex `streamFunctionCallArguments`: fragments
 * `{jsonPath: "$.a.b[0]", stringValue | numberValue | boolValue | nullValue, willContinue}`; a string
 * with `willContinue` goes on in the next fragment for the same path.
 */
export class PartialArgs {
  readonly value: JsonObject = {};
  private openString: string | undefined;

  push(fragment: GeminiPartialArg): void {
    const path = parsePath(fragment.jsonPath ?? '$');
    if (path.length === 0) return;
    if (fragment.stringValue !== undefined) {
      const key = fragment.jsonPath ?? '$';
      const previous = this.openString === key ? getAt(this.value, path) : undefined;
      setAt(this.value, path, (typeof previous === 'string' ? previous : '') + fragment.stringValue);
      this.openString = fragment.willContinue ? key : undefined;
      return;
    }
    this.openString = undefined;
    if (fragment.numberValue !== undefined) setAt(this.value, path, fragment.numberValue);
    else if (fragment.boolValue !== undefined) setAt(this.value, path, fragment.boolValue);
    else if (fragment.nullValue !== undefined) setAt(this.value, path, null);
  }
}

/** `$.a.b[0]` → ['a', 'b', 0]; `$['x y']` works too. */
function parsePath(jsonPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  const pattern = /\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;
  for (const match of jsonPath.replace(/^\$/, '').matchAll(pattern)) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else out.push(match[3] ?? match[4] ?? '');
  }
  return out;
}

function getAt(root: JsonValue, path: Array<string | number>): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[key as number] : node[String(key)];
  }
  return node;
}

function setAt(root: JsonObject, path: Array<string | number>, value: JsonValue): void {
  let node: JsonObject | JsonValue[] = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string | number;
    const container = node as Record<string | number, JsonValue>;
    if (i === path.length - 1) {
      container[key] = value;
      return;
    }
    let child = container[key];
    if (child === null || typeof child !== 'object') {
      child = typeof path[i + 1] === 'number' ? [] : {};
      container[key] = child;
    }
    node = child;
  }
}

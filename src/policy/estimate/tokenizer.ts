/**
 * Token counts with o200k_base (gpt-tokenizer). The encoding costs ~0.5 s and ~45–60 MB RSS to load,
 * so it is imported on first use, in the background: until it is ready, and beyond
 * EXACT_LIMIT_BYTES of text (an exact count of 100 KB takes ~25 ms), counts are bytes/4. Counts for
 * Claude and Gemini models are approximations either way.
 */
import { Buffer } from 'node:buffer';

type CountTokens = (text: string) => number;

/** Text beyond this many UTF-8 bytes (per call) is counted as bytes/4 instead of tokenized. */
export const EXACT_LIMIT_BYTES = 16 * 1024;

const BYTES_PER_TOKEN = 4;
const MERGE_CACHE_ENTRIES = 5000;

let exactCount: CountTokens | undefined;
let loading: Promise<void> | undefined;

/** Starts loading the tokenizer (once); resolves when exact counts are available. Never rejects. */
export function loadTokenizer(): Promise<void> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then(
    (encoding) => {
      // Special-token text such as "<|endoftext|>" in a prompt is ordinary text here, not an error.
      const options = { disallowedSpecial: new Set<string>() };
      // Its merge cache defaults to 100 000 entries (~50 MB once full); ours above already skips repeated texts.
      encoding.setMergeCacheSize(MERGE_CACHE_ENTRIES);
      exactCount = (text) => encoding.countTokens(text, options);
    },
    () => {
      // Without the tokenizer every count stays bytes/4.
    },
  );
  return loading;
}

export function tokenizerReady(): boolean {
  return exactCount !== undefined;
}

/** Tokens in `text`: exact up to EXACT_LIMIT_BYTES once the tokenizer has loaded, else bytes/4. */
export function countTextTokens(text: string): number {
  return typeof text === 'string' ? countTextsTokens([text]) : 0;
}

/** Tokens in all of `texts`, each counted on its own; the first EXACT_LIMIT_BYTES in all exactly. */
export function countTextsTokens(texts: readonly string[]): number {
  const count = exactCount;
  if (!count) void loadTokenizer();
  let exactBytesLeft = count ? EXACT_LIMIT_BYTES : 0;
  let total = 0;
  for (const text of texts) {
    if (text.length === 0) continue;
    const bytes = Buffer.byteLength(text, 'utf8');
    const exact = bytes <= exactBytesLeft ? exactTokens(count, text) : undefined;
    if (exact === undefined) {
      total += Math.ceil(bytes / BYTES_PER_TOKEN);
    } else {
      total += exact;
      exactBytesLeft -= bytes;
    }
  }
  return total;
}

/** Output tokens of a response whose usage never came (a stream cut before its usage chunk). */
export function estimateOutputTokens(text: string): number {
  return countTextTokens(text);
}

/**
 * Counts of texts seen lately. A conversation resends its whole history and system prompts repeat,
 * so most texts of a request were counted before: a map lookup (hashing the string) costs a small
 * fraction of tokenizing it (~10 µs for 100 tokens). Oldest first out beyond the bound.
 */
const recentCounts = new Map<string, number>();
let recentChars = 0;
const MAX_RECENT_CHARS = 2 * 1024 * 1024;

function exactTokens(count: CountTokens | undefined, text: string): number | undefined {
  if (count === undefined) return undefined;
  const known = recentCounts.get(text);
  if (known !== undefined) return known;
  try {
    const counted = count(text);
    remember(text, counted);
    return counted;
  } catch {
    return undefined;
  }
}

function remember(text: string, tokens: number): void {
  recentCounts.set(text, tokens);
  recentChars += text.length;
  for (const oldest of recentCounts.keys()) {
    if (recentChars <= MAX_RECENT_CHARS) break;
    recentCounts.delete(oldest);
    recentChars -= oldest.length;
  }
}

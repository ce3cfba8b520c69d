import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Bytes at or above this (4 × 62) are dropped: taking the rest modulo 62 is then unbiased. */
const UNBIASED_BELOW = 248;

export const KEY_SECRET_PREFIX = 'sk-llmux-';
/** Random characters of a new secret (≈ 238 bits). */
export const KEY_SECRET_RANDOM_LENGTH = 40;
/** Characters of the secret shown in lists to recognise it (`sk-llmux-` and three more). */
export const KEY_PREFIX_LENGTH = 12;

/** `length` base62 characters from the CSPRNG, by rejection sampling (no modulo bias). */
export function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(Math.ceil((length - text.length) * 1.1) + 4)) {
      if (byte >= UNBIASED_BELOW) continue;
      text += BASE62[byte % 62];
      if (text.length === length) break;
    }
  }
  return text;
}

export function newKeySecret(): string {
  return KEY_SECRET_PREFIX + randomBase62(KEY_SECRET_RANDOM_LENGTH);
}

export function newKeyId(): string {
  return `key_${randomBase62(16)}`;
}

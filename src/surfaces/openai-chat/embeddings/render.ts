import type { EmbeddingResult } from '../../../core/types.ts';

export type EncodingFormat = 'float' | 'base64';

/** OpenAI's `CreateEmbeddingResponse` for a translated result. */
export function toOpenAIEmbeddingList(result: EmbeddingResult, model: string, format: EncodingFormat): object {
  const inputTokens = result.usage?.inputTokens ?? 0;
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? float32Base64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  };
}

/** The vector as OpenAI sends it for `encoding_format: base64`: little-endian float32s, base64-encoded. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4);
  return bytes.toString('base64');
}

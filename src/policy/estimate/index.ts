export {
  countTextsTokens,
  countTextTokens,
  EXACT_LIMIT_BYTES,
  estimateOutputTokens,
  loadTokenizer,
  tokenizerReady,
} from './tokenizer.ts';

import { invalidType, isHeaderSafeString, isObject, isObjectCheck } from './validate-helpers.ts';

/**
 * llmux's extension field `provider_options: { anthropic: {...}, gemini: {...}, ... }`: an object of
 * objects merged into the upstream body. `anthropic.betas` (a string or an array of strings) becomes
 * the `anthropic-beta` header, so it must be header-safe.
 */
export function validateProviderOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  isObjectCheck(options, 'provider_options');
  for (const [provider, fields] of Object.entries(options as Record<string, unknown>)) {
    isObjectCheck(fields, `provider_options.${provider}`);
  }
  const anthropic = (options as Record<string, unknown>).anthropic;
  if (isObject(anthropic)) validateBetas(anthropic.betas);
}

function validateBetas(betas: unknown): void {
  const param = 'provider_options.anthropic.betas';
  if (betas === undefined || betas === null) return;
  if (typeof betas === 'string') {
    isHeaderSafeString(betas, param);
    return;
  }
  if (!Array.isArray(betas)) throw invalidType(param, 'a string or an array of strings', betas);
  betas.forEach((beta, i) => {
    isHeaderSafeString(beta, `${param}[${i}]`);
  });
}

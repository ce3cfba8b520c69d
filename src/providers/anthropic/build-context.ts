import { GatewayError } from '../../core/errors.ts';
import type { ClaudeModelInfo } from './models.ts';

/** State shared by the request-building steps: what was adjusted, which betas a feature needs. */
export interface BuildContext {
  model: ClaudeModelInfo;
  /** Deployment setting: drop what Claude cannot take (with a warning) instead of answering 400. */
  dropUnsupported: boolean;
  warnings: string[];
  /** `anthropic-beta` values the request needs. */
  betas: Set<string>;
}

/**
 * A field Claude cannot honour: 400 `unsupported_parameter` naming the field, or, when the
 * deployment drops unsupported fields, a warning (returned in `x-llmux-warnings`).
 */
export function rejectOrDrop(ctx: BuildContext, param: string, reason: string): void {
  if (ctx.dropUnsupported) {
    ctx.warnings.push(`${param} dropped: ${reason}`);
    return;
  }
  throw new GatewayError(
    'unsupported_parameter',
    `Unsupported parameter: '${param}' is not supported by this model (${reason}).`,
    { param },
  );
}

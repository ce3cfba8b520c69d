import { GatewayError } from '../../core/errors.ts';

/**
 * Collects what llmux changed on the way to Gemini (returned in `x-llmux-warnings`). A field Gemini
 * cannot take is a 400 `unsupported_parameter` naming it, unless the deployment sets
 * `capabilities.dropUnsupported`, in which case it is dropped with a warning.
 */
export class Adjustments {
  readonly warnings: string[] = [];

  constructor(
    private readonly dropUnsupported: boolean,
    private readonly providerName: string,
  ) {}

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** A field the upstream cannot take: throws, or warns when unsupported fields are dropped. */
  unsupported(param: string, reason: string): void {
    if (this.dropUnsupported) {
      this.warn(`${param} dropped: ${reason}`);
      return;
    }
    throw new GatewayError(
      'unsupported_parameter',
      `Unsupported parameter: '${param}' ${reason} (provider '${this.providerName}'). Remove it, or set capabilities.dropUnsupported on the deployment to drop it.`,
      { param },
    );
  }
}

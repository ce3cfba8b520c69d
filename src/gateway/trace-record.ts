import type { Message } from '../core/types.ts';
import type { RequestContext } from './context.ts';

/**
 * What a sampled request's spans need beyond the record's usual fields, gathered once when it is
 * over: the finish reasons, and with `telemetry.captureContent` the prompt and the output text.
 */
export function completeTrace(ctx: RequestContext): void {
  const { record, gateway } = ctx;
  const tracing = gateway.tracing;
  if (tracing === undefined || record.trace?.sampled !== true) return;
  const reasons = ctx.output.finishReasons();
  if (reasons.length > 0) record.finishReasons = reasons;
  if (!tracing.captureContent) return;
  const output = ctx.output.text();
  tracing.attachContent(record, { input: inputMessages(ctx), output: output === '' ? undefined : output });
}

/** The prompt as canonical messages (built now for a passthrough request); none for embeddings. */
function inputMessages(ctx: RequestContext): readonly Message[] | undefined {
  if (ctx.request.embedding !== undefined) return undefined;
  try {
    return ctx.request.canonical().messages;
  } catch {
    return undefined;
  }
}

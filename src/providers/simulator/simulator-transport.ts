import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../../core/errors.ts';
import { tryParseJson } from '../../lib/json.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import {
  DEFAULT_UPSTREAM_LIMITS,
  type SendOptions,
  type Transport,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../upstream/types.ts';
import { completionTokens, type SimulatedAnswer, simulateAnswer } from './generate.ts';

export interface SimulatorOptions {
  /** Delay before the response starts. */
  latencyMs: number;
  /** Delay between stream chunks. */
  chunkDelayMs: number;
  /** Words per content chunk. */
  chunkSize: number;
}

/**
 * The built-in `simulator` provider: an in-process OpenAI-compatible upstream, so the sample config
 * works offline and exercises exactly the passthrough path a real upstream takes.
 */
export function createSimulatorTransport(options: SimulatorOptions): Transport {
  return {
    async send(request: UpstreamRequest, { signal }: SendOptions): Promise<UpstreamResponse> {
      const body = tryParseJson(typeof request.body === 'string' ? request.body : (request.body?.toString() ?? ''));
      if (options.latencyMs > 0) await sleep(options.latencyMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw new GatewayError('client_closed', 'client closed the request');
      if (!request.url.endsWith('/chat/completions') || typeof body !== 'object' || body === null) {
        return jsonResponse(404, {
          error: {
            message: 'simulator serves POST /chat/completions only',
            type: 'invalid_request_error',
            param: null,
            code: 'not_found',
          },
        });
      }
      const chat = body as OpenAIChatRequest;
      const answer = simulateAnswer(chat, chat.model);
      const id = `chatcmpl-sim${Date.now().toString(36)}`;
      const created = Math.floor(Date.now() / 1000);
      if (chat.stream !== true) return jsonResponse(200, completionBody(answer, id, created, chat.model));
      const frames = streamFrames(
        answer,
        id,
        created,
        chat.model,
        options.chunkSize,
        chat.stream_options?.include_usage === true,
      );
      return streamResponse(frames, options.chunkDelayMs, signal);
    },
    async close() {},
  };
}

function usageOf(answer: SimulatedAnswer) {
  const completion = answer.choices.reduce((sum, choice) => sum + completionTokens(choice), 0);
  return {
    prompt_tokens: answer.promptTokens,
    completion_tokens: completion,
    total_tokens: answer.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function completionBody(answer: SimulatedAnswer, id: string, created: number, model: string) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: answer.choices.map((choice, index) => ({
      index,
      message: {
        role: 'assistant',
        content: choice.content,
        refusal: null,
        ...(choice.toolCall && choice.legacyFunctionCall
          ? { function_call: { name: choice.toolCall.name, arguments: choice.toolCall.arguments } }
          : {}),
        ...(choice.toolCall && !choice.legacyFunctionCall
          ? {
              tool_calls: [
                {
                  id: choice.toolCall.id,
                  type: 'function',
                  function: { name: choice.toolCall.name, arguments: choice.toolCall.arguments },
                },
              ],
            }
          : {}),
        annotations: [],
      },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage: usageOf(answer),
    service_tier: 'default',
    system_fingerprint: 'fp_llmux_sim',
  };
}

function streamFrames(
  answer: SimulatedAnswer,
  id: string,
  created: number,
  model: string,
  chunkSize: number,
  includeUsage: boolean,
): string[] {
  const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_llmux_sim', choices, ...extra })}\n\n`;
  const frames: string[] = [];
  answer.choices.forEach((choice, index) => {
    frames.push(
      frame([
        {
          index,
          delta: { role: 'assistant', content: choice.toolCall ? null : '', refusal: null },
          logprobs: null,
          finish_reason: null,
        },
      ]),
    );
    if (choice.toolCall) {
      const { id: callId, name, arguments: args } = choice.toolCall;
      const legacy = choice.legacyFunctionCall === true;
      const start = legacy
        ? { function_call: { name, arguments: '' } }
        : { tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }] };
      frames.push(frame([{ index, delta: start, logprobs: null, finish_reason: null }]));
      for (let i = 0; i < args.length; i += 16) {
        const piece = args.slice(i, i + 16);
        const delta = legacy
          ? { function_call: { arguments: piece } }
          : { tool_calls: [{ index: 0, function: { arguments: piece } }] };
        frames.push(frame([{ index, delta, logprobs: null, finish_reason: null }]));
      }
    } else {
      const words = (choice.content ?? '').split(/(?<= )/);
      for (let i = 0; i < words.length; i += Math.max(1, chunkSize)) {
        frames.push(
          frame([
            { index, delta: { content: words.slice(i, i + chunkSize).join('') }, logprobs: null, finish_reason: null },
          ]),
        );
      }
    }
    frames.push(frame([{ index, delta: {}, logprobs: null, finish_reason: choice.finishReason }]));
  });
  if (includeUsage) frames.push(frame([], { usage: usageOf(answer) }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

function jsonResponse(status: number, body: unknown): UpstreamResponse {
  const bytes = Buffer.from(JSON.stringify(body));
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: (async function* () {
      yield bytes;
    })(),
    limits: DEFAULT_UPSTREAM_LIMITS,
    text: async () => bytes.toString('utf8'),
    discard() {},
  };
}

function streamResponse(frames: string[], delayMs: number, signal: AbortSignal): UpstreamResponse {
  const body = (async function* () {
    for (let i = 0; i < frames.length; i++) {
      if (signal.aborted) throw new GatewayError('client_closed', 'client closed the request');
      if (delayMs > 0 && i > 0) await sleep(delayMs);
      yield Buffer.from(frames[i] ?? '');
    }
  })();
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body,
    limits: DEFAULT_UPSTREAM_LIMITS,
    text: async () => frames.join(''),
    discard() {
      void body.return(undefined);
    },
  };
}

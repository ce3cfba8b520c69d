import { assertNever } from './assert-never.ts';
import type { ChatResult, ChoiceResult, StreamEvent } from './types.ts';

function emptyChoice(index: number): ChoiceResult {
  return {
    index,
    text: null,
    refusal: null,
    reasoning: [],
    toolCalls: [],
    citations: [],
    logprobs: null,
    finishReason: { unified: 'other', raw: null },
  };
}

/**
 * Folds a stream of canonical events into one result. Streaming and non-streaming paths share it,
 * so tests can check that both agree on the same recording.
 */
export function collect(events: Iterable<StreamEvent>): ChatResult {
  const result: ChatResult = { id: '', model: '', created: 0, choices: [] };
  const choices = new Map<number, ChoiceResult>();
  const choiceAt = (index: number): ChoiceResult => {
    let choice = choices.get(index);
    if (!choice) {
      choice = emptyChoice(index);
      choices.set(index, choice);
    }
    return choice;
  };

  for (const event of events) {
    switch (event.type) {
      case 'response-start':
        result.id = event.id;
        result.model = event.model;
        result.created = event.created;
        if (event.serviceTier !== undefined) result.serviceTier = event.serviceTier;
        if (event.systemFingerprint !== undefined) result.systemFingerprint = event.systemFingerprint;
        break;
      case 'text-delta': {
        const choice = choiceAt(event.choice);
        choice.text = (choice.text ?? '') + event.text;
        break;
      }
      case 'refusal-delta': {
        const choice = choiceAt(event.choice);
        choice.refusal = (choice.refusal ?? '') + event.text;
        break;
      }
      case 'reasoning-delta': {
        const choice = choiceAt(event.choice);
        if (event.redactedData !== undefined) {
          choice.reasoning.push({ type: 'reasoning', text: '', redactedData: event.redactedData });
          break;
        }
        let last = choice.reasoning.at(-1);
        if (!last || last.redactedData !== undefined || last.signature !== undefined) {
          last = { type: 'reasoning', text: '' };
          choice.reasoning.push(last);
        }
        if (event.text !== undefined) last.text += event.text;
        if (event.signature !== undefined) last.signature = event.signature;
        break;
      }
      case 'tool-call-start': {
        const call = { type: 'tool-call' as const, id: event.id, name: event.name, arguments: '' };
        if (event.signature !== undefined) Object.assign(call, { signature: event.signature });
        const toolCalls = choiceAt(event.choice).toolCalls;
        toolCalls[event.index] = call;
        break;
      }
      case 'tool-call-delta': {
        const call = choiceAt(event.choice).toolCalls[event.index];
        if (call) call.arguments += event.argumentsDelta;
        break;
      }
      case 'citation':
        choiceAt(event.choice).citations.push(event.citation);
        break;
      case 'logprobs': {
        const choice = choiceAt(event.choice);
        const target = choice.logprobs ?? { content: null, refusal: null };
        if (event.logprobs.content) target.content = [...(target.content ?? []), ...event.logprobs.content];
        if (event.logprobs.refusal) target.refusal = [...(target.refusal ?? []), ...event.logprobs.refusal];
        choice.logprobs = target;
        break;
      }
      case 'usage':
        result.usage = event.usage;
        break;
      case 'finish':
        choiceAt(event.choice).finishReason = event.reason;
        break;
      case 'text-start':
      case 'text-end':
      case 'reasoning-start':
      case 'reasoning-end':
      case 'tool-call-end':
      case 'error':
        break;
      default:
        assertNever(event, 'stream event');
    }
  }
  result.choices = [...choices.values()].sort((a, b) => a.index - b.index);
  for (const choice of result.choices) choice.toolCalls = choice.toolCalls.filter(Boolean);
  return result;
}

/**
 * Canonical stream events → the Responses API's semantic events (`event:` line, `sequence_number`):
 * `response.created`, `response.in_progress`; per output item `output_item.added` … `output_item.done`
 * (message: `content_part.added`, `output_text.delta`/`.done` or `refusal.delta`/`.done`,
 * `content_part.done`; reasoning: `reasoning_summary_part.added`, `reasoning_summary_text.delta`/`.done`,
 * `reasoning_summary_part.done`; call: `function_call_arguments.delta`/`.done`; a custom tool's
 * call: a `custom_tool_call` item, `custom_tool_call_input.delta`/`.done` once it is whole); then
 * `response.completed` (or `.incomplete`) with output and usage; after a failure, `error` and
 * `response.failed`. The `openai` SDK needs `response.created`, `output_item.added` and
 * `content_part.added` before any delta; Codex runs tool calls from `output_item.done` only.
 * Events of other choices than the first are ignored (no `n` here).
 */
import type { GatewayError } from '../../core/errors.ts';
import type { FinishReason, StreamEvent, Usage } from '../../core/types.ts';
import type { ResponsesOutputContent, ResponsesOutputItem } from '../../protocols/openai-responses.ts';
import type { StreamRenderer } from '../types.ts';
import { encodeReasoningCarrier } from './reasoning-carrier.ts';
import { responsesErrorFields } from './render-error.ts';
import { carriesReasoning, outputText, type ResponseIdentity, responseObject, statusOf } from './render-response.ts';
import { customInputOf, customToolNames } from './tool-catalog.ts';

type MessageItem = Extract<ResponsesOutputItem, { type: 'message' }>;
type ReasoningItem = Extract<ResponsesOutputItem, { type: 'reasoning' }>;
type CallItem = Extract<ResponsesOutputItem, { type: 'function_call' }>;
type CustomCallItem = Extract<ResponsesOutputItem, { type: 'custom_tool_call' }>;

interface OpenMessage {
  item: MessageItem;
  index: number;
  part: { kind: 'text' | 'refusal'; text: string } | undefined;
}

interface OpenReasoning {
  item: ReasoningItem;
  index: number;
  text: string;
  summaryOpen: boolean;
  signature: string;
}

export class ResponsesEventRenderer implements StreamRenderer {
  private sequence = 0;
  private started = false;
  private readonly output: ResponsesOutputItem[] = [];
  private message: OpenMessage | undefined;
  private reasoning: OpenReasoning | undefined;
  private readonly calls = new Map<number, { item: CallItem; index: number }>();
  /** Freeform tools: their calls render as `custom_tool_call` items (tool-catalog.ts). */
  private readonly customTools: ReadonlySet<string>;
  private usage: Usage | undefined;
  private finish: FinishReason | undefined;
  private readonly base: string;
  /** The final Response object (`response.completed` / `.incomplete`), once the stream ended well. */
  final: Record<string, unknown> | undefined;

  constructor(private readonly identity: ResponseIdentity) {
    this.base = identity.id.replace(/^resp_/, '');
    this.customTools = customToolNames(identity.body);
  }

  render(event: StreamEvent): string {
    if ('choice' in event && event.choice !== 0) return '';
    if (event.type === 'usage') {
      this.usage = event.usage;
      return '';
    }
    const out = this.started ? '' : this.start();
    switch (event.type) {
      case 'text-delta':
        return out + this.messageDelta('text', event.text);
      case 'refusal-delta':
        return out + this.messageDelta('refusal', event.text);
      case 'text-end':
      case 'reasoning-start':
        return out + this.closeMessage();
      case 'reasoning-delta':
        return out + this.reasoningDelta(event);
      case 'reasoning-end':
        return out + this.closeReasoning();
      case 'tool-call-start':
        return out + this.openCall(event.index, event.id, event.name);
      case 'tool-call-delta':
        return out + this.callDelta(event.index, event.argumentsDelta);
      case 'tool-call-end':
        return out + this.closeCall(event.index);
      case 'finish':
        this.finish = event.reason;
        return out + this.closeAll();
      default:
        // response-start and text-start open nothing by themselves; citations and logprobs are not rendered.
        return out;
    }
  }

  end(): string {
    const out = (this.started ? '' : this.start()) + this.closeAll();
    const status = statusOf(this.finish);
    const response = responseObject(this.identity, {
      status,
      output: this.output,
      usage: this.usage,
      finish: this.finish,
    });
    this.final = response;
    return out + this.frame(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  /** The `error` event and `response.failed` that end a passed-through stream (the upstream sent `response.created`). */
  failPassedThrough(error: GatewayError): string {
    this.started = true;
    return this.fail(error);
  }

  /** The `error` event and `response.failed` that end a stream already started. */
  fail(error: GatewayError): string {
    const fields = responsesErrorFields(error);
    const out = (this.started ? '' : this.start()) + this.closeAll();
    const response = responseObject(this.identity, {
      status: 'failed',
      output: this.output,
      usage: this.usage,
      error: { code: fields.code ?? fields.type, message: fields.message },
    });
    return (
      out +
      this.frame('error', {
        error: { type: fields.type, code: fields.code, message: fields.message, param: fields.param },
      }) +
      this.frame('response.failed', { response })
    );
  }

  private start(): string {
    this.started = true;
    const response = responseObject(this.identity, { status: 'in_progress', output: [], usage: undefined });
    return this.frame('response.created', { response }) + this.frame('response.in_progress', { response });
  }

  private frame(type: string, data: Record<string, unknown>): string {
    const payload = { type, ...data, sequence_number: this.sequence++ };
    return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
  }

  private addItem(item: ResponsesOutputItem): { index: number; frame: string } {
    const index = this.output.length;
    this.output.push(item);
    return { index, frame: this.frame('response.output_item.added', { item, output_index: index }) };
  }

  private itemDone(item: ResponsesOutputItem, index: number): string {
    return this.frame('response.output_item.done', { item, output_index: index });
  }

  private messageDelta(kind: 'text' | 'refusal', delta: string): string {
    let out = this.closeReasoning();
    if (!this.message) {
      const item: MessageItem = {
        id: `msg_${this.base}_${this.output.length}`,
        type: 'message',
        status: 'in_progress',
        role: 'assistant',
        content: [],
      };
      const added = this.addItem(item);
      this.message = { item, index: added.index, part: undefined };
      out += added.frame;
    }
    const message = this.message;
    if (message.part?.kind !== kind) {
      out += this.closePart(message);
      message.part = { kind, text: '' };
      out += this.frame('response.content_part.added', {
        ...this.partPlace(message),
        part: kind === 'text' ? outputText('') : { type: 'refusal', refusal: '' },
      });
    }
    if (delta === '') return out;
    (message.part as { text: string }).text += delta;
    return (
      out +
      (kind === 'text'
        ? this.frame('response.output_text.delta', { ...this.partPlace(message), delta, logprobs: [] })
        : this.frame('response.refusal.delta', { ...this.partPlace(message), delta }))
    );
  }

  private partPlace(message: OpenMessage): Record<string, unknown> {
    return { item_id: message.item.id, output_index: message.index, content_index: message.item.content.length };
  }

  private closePart(message: OpenMessage): string {
    const part = message.part;
    if (!part) return '';
    const place = this.partPlace(message);
    const done: ResponsesOutputContent =
      part.kind === 'text' ? outputText(part.text) : { type: 'refusal', refusal: part.text };
    const out =
      (part.kind === 'text'
        ? this.frame('response.output_text.done', { ...place, text: part.text, logprobs: [] })
        : this.frame('response.refusal.done', { ...place, refusal: part.text })) +
      this.frame('response.content_part.done', { ...place, part: done });
    message.item.content.push(done);
    message.part = undefined;
    return out;
  }

  private closeMessage(): string {
    const message = this.message;
    if (!message) return '';
    this.message = undefined;
    const out = this.closePart(message);
    message.item.status = statusOf(this.finish);
    return out + this.itemDone(message.item, message.index);
  }

  private reasoningDelta(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): string {
    let out = this.closeMessage();
    if (event.redactedData !== undefined) {
      out += this.closeReasoning();
      const item: ReasoningItem = { id: `rs_${this.base}_${this.output.length}`, type: 'reasoning', summary: [] };
      const carried = encodeReasoningCarrier({ redactedData: event.redactedData });
      if (carried !== undefined && carriesReasoning(this.identity.body)) item.encrypted_content = carried;
      const added = this.addItem(item);
      return out + added.frame + this.itemDone(item, added.index);
    }
    if (!this.reasoning) {
      const item: ReasoningItem = { id: `rs_${this.base}_${this.output.length}`, type: 'reasoning', summary: [] };
      const added = this.addItem(item);
      this.reasoning = { item, index: added.index, text: '', summaryOpen: false, signature: '' };
      out += added.frame;
    }
    const reasoning = this.reasoning;
    if (event.signature) reasoning.signature += event.signature;
    if (!event.text) return out;
    const place = { item_id: reasoning.item.id, output_index: reasoning.index, summary_index: 0 };
    if (!reasoning.summaryOpen) {
      reasoning.summaryOpen = true;
      out += this.frame('response.reasoning_summary_part.added', {
        ...place,
        part: { type: 'summary_text', text: '' },
      });
    }
    reasoning.text += event.text;
    return out + this.frame('response.reasoning_summary_text.delta', { ...place, delta: event.text });
  }

  private closeReasoning(): string {
    const reasoning = this.reasoning;
    if (!reasoning) return '';
    this.reasoning = undefined;
    let out = '';
    const { item } = reasoning;
    if (reasoning.summaryOpen) {
      const place = { item_id: item.id, output_index: reasoning.index, summary_index: 0 };
      const part = { type: 'summary_text' as const, text: reasoning.text };
      out += this.frame('response.reasoning_summary_text.done', { ...place, text: reasoning.text });
      out += this.frame('response.reasoning_summary_part.done', { ...place, part });
      item.summary = [part];
    }
    const carried = encodeReasoningCarrier({ signature: reasoning.signature });
    if (carried !== undefined && carriesReasoning(this.identity.body)) item.encrypted_content = carried;
    return out + this.itemDone(item, reasoning.index);
  }

  private openCall(toolIndex: number, callId: string, name: string): string {
    const out = this.closeMessage() + this.closeReasoning() + this.closeCall(toolIndex);
    const item: CallItem = {
      id: `fc_${this.base}_${this.output.length}`,
      type: 'function_call',
      status: 'in_progress',
      call_id: callId,
      name,
      arguments: '',
    };
    if (this.customTools.has(name)) return out + this.openCustomCall(toolIndex, item);
    const added = this.addItem(item);
    this.calls.set(toolIndex, { item, index: added.index });
    return out + added.frame;
  }

  private callDelta(toolIndex: number, delta: string): string {
    const call = this.calls.get(toolIndex);
    if (!call || delta === '') return '';
    call.item.arguments += delta;
    // A custom tool's input is the string inside `{"input": …}`: sent whole once the call is complete.
    if (this.output[call.index]?.type === 'custom_tool_call') return '';
    return this.frame('response.function_call_arguments.delta', {
      item_id: call.item.id,
      output_index: call.index,
      delta,
    });
  }

  private closeCall(toolIndex: number): string {
    const call = this.calls.get(toolIndex);
    if (!call) return '';
    this.calls.delete(toolIndex);
    if (this.output[call.index]?.type === 'custom_tool_call') return this.closeCustomCall(call);
    call.item.status = 'completed';
    // A call without arguments says so the way OpenAI does (Codex parses them).
    if (call.item.arguments === '') call.item.arguments = '{}';
    return (
      this.frame('response.function_call_arguments.done', {
        item_id: call.item.id,
        output_index: call.index,
        arguments: call.item.arguments,
      }) + this.itemDone(call.item, call.index)
    );
  }

  /** A call of a custom tool: a `custom_tool_call` item (`ctc_…`), its arguments gathered as they come. */
  private openCustomCall(toolIndex: number, call: CallItem): string {
    const item: CustomCallItem = {
      id: call.id.replace(/^fc_/, 'ctc_'),
      type: 'custom_tool_call',
      status: 'in_progress',
      call_id: call.call_id,
      name: call.name,
      input: '',
    };
    const added = this.addItem(item);
    this.calls.set(toolIndex, { item: call, index: added.index });
    return added.frame;
  }

  private closeCustomCall(call: { item: CallItem; index: number }): string {
    const item = this.output[call.index] as CustomCallItem;
    item.input = customInputOf(call.item.arguments);
    item.status = 'completed';
    const place = { item_id: item.id, output_index: call.index };
    return (
      (item.input === '' ? '' : this.frame('response.custom_tool_call_input.delta', { ...place, delta: item.input })) +
      this.frame('response.custom_tool_call_input.done', { ...place, input: item.input }) +
      this.itemDone(item, call.index)
    );
  }

  private closeAll(): string {
    let out = this.closeMessage() + this.closeReasoning();
    for (const toolIndex of [...this.calls.keys()]) out += this.closeCall(toolIndex);
    return out;
  }
}

/**
 * Responses `instructions` and `input` → canonical messages.
 *
 * - `instructions` leads as a system message; a string `input` is one user message.
 * - Message items keep their role (system, developer, user, assistant); `input_text` /
 *   `output_text` become text, `refusal` the message's refusal, `input_image` an image (URL or
 *   data URL), `input_file` a file (data URL, URL or file id).
 * - Consecutive assistant-side items (assistant messages, `reasoning`, `function_call`) make one
 *   assistant message, reasoning first as the providers need it; a `function_call_output`
 *   becomes a tool message named after the call it answers.
 * - A `custom_tool_call` is a call of its function with `{"input": …}` (tool-catalog.ts), its
 *   `custom_tool_call_output` a tool message like a function's; `additional_tools` items say nothing.
 * - `reasoning` items become reasoning parts: summary text, and `encrypted_content` decoded
 *   (reasoning-carrier.ts).
 */
import { GatewayError } from '../../core/errors.ts';
import type { FilePart, ImagePart, Message, Part, TextPart, ToolResultPart } from '../../core/types.ts';
import type { ResponsesInputItem, ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import { decodeReasoningCarrier } from './reasoning-carrier.ts';
import { customInputArguments } from './tool-catalog.ts';
import { unsupportedItem } from './validate-input.ts';

type Fields = Record<string, unknown>;

export function inputToCanonical(body: ResponsesRequestBody): Message[] {
  const out: Message[] = [];
  if (typeof body.instructions === 'string' && body.instructions !== '') {
    out.push({ role: 'system', parts: [{ type: 'text', text: body.instructions }] });
  }
  const input = body.input;
  if (typeof input === 'string') {
    out.push({ role: 'user', parts: [{ type: 'text', text: input }] });
    return out;
  }
  const builder = new ConversationBuilder(out);
  (input ?? []).forEach((item, index) => {
    builder.add(item, `input[${index}]`);
  });
  return out;
}

class ConversationBuilder {
  private assistant: Message | undefined;
  private readonly toolNames = new Map<string, string>();

  constructor(private readonly out: Message[]) {}

  /** A call the model made (function or custom tool): on the assistant turn, its name kept for the output. */
  private toolCall(item: ResponsesInputItem, args: string): void {
    const callId = item.call_id as string;
    this.toolNames.set(callId, item.name as string);
    this.assistantTurn().parts.push({ type: 'tool-call', id: callId, name: item.name as string, arguments: args });
  }

  add(item: ResponsesInputItem, path: string): void {
    switch (item.type ?? 'message') {
      case 'reasoning':
        this.assistantTurn().parts.push(reasoningPart(item));
        return;
      case 'function_call':
        this.toolCall(item, item.arguments as string);
        return;
      case 'custom_tool_call':
        this.toolCall(item, customInputArguments(item.input as string));
        return;
      case 'function_call_output':
      case 'custom_tool_call_output':
        this.assistant = undefined;
        this.out.push({ role: 'tool', parts: [this.toolResult(item, path)] });
        return;
      case 'additional_tools':
        // Its tools join the request's (tool-catalog.ts); it says nothing in the conversation.
        return;
      case 'message':
        this.message(item, path);
        return;
      default:
        throw unsupportedItem(item.type, path);
    }
  }

  private message(item: ResponsesInputItem, path: string): void {
    const role = item.role as Message['role'];
    const content: Fields[] =
      typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : (item.content as Fields[]);
    if (role === 'assistant') {
      const turn = this.assistantTurn();
      for (const part of content) {
        if (part.type === 'refusal') turn.refusal = (turn.refusal ?? '') + (part.refusal as string);
        else turn.parts.push({ type: 'text', text: part.text as string });
      }
      return;
    }
    this.assistant = undefined;
    this.out.push({ role, parts: content.map((part, index) => userPart(part, `${path}.content[${index}]`)) });
  }

  private assistantTurn(): Message {
    if (!this.assistant) {
      this.assistant = { role: 'assistant', parts: [] };
      this.out.push(this.assistant);
    }
    return this.assistant;
  }

  private toolResult(item: ResponsesInputItem, path: string): ToolResultPart {
    const callId = item.call_id as string;
    const output = item.output;
    const part: ToolResultPart = {
      type: 'tool-result',
      toolCallId: callId,
      content:
        typeof output === 'string'
          ? output
          : (output as Fields[]).map((entry, index) => userPart(entry, `${path}.output[${index}]`)),
    };
    const name = this.toolNames.get(callId);
    if (name !== undefined) part.name = name;
    return part;
  }
}

function reasoningPart(item: ResponsesInputItem): Part {
  const summary = Array.isArray(item.summary) ? (item.summary as Fields[]) : [];
  const content = Array.isArray(item.content) ? (item.content as Fields[]) : [];
  const texts = (content.length > 0 ? content : summary).map((part) => part.text as string);
  const carried = typeof item.encrypted_content === 'string' ? decodeReasoningCarrier(item.encrypted_content) : {};
  return { type: 'reasoning', text: texts.join('\n\n'), ...carried };
}

function userPart(part: Fields, path: string): TextPart | ImagePart | FilePart {
  switch (part.type) {
    case 'input_image':
      return imagePart(part, path);
    case 'input_file':
      return filePart(part);
    default:
      return { type: 'text', text: part.text as string };
  }
}

function imagePart(part: Fields, path: string): ImagePart {
  if (typeof part.image_url !== 'string') {
    throw new GatewayError(
      'invalid_request',
      `Invalid '${path}.file_id': file ids name files stored at OpenAI; send the image as image_url (a URL or a data URL).`,
      { param: `${path}.file_id`, reason: 'unsupported_value' },
    );
  }
  const image: ImagePart = { type: 'image', ...fromUrl(part.image_url) };
  if (part.detail === 'auto' || part.detail === 'low' || part.detail === 'high') image.detail = part.detail;
  return image;
}

function filePart(part: Fields): FilePart {
  const file: FilePart = { type: 'file' };
  if (typeof part.file_data === 'string') Object.assign(file, fileData(part.file_data, part.filename));
  else if (typeof part.file_url === 'string') file.url = part.file_url;
  else file.fileId = part.file_id as string;
  if (typeof part.filename === 'string') file.filename = part.filename;
  return file;
}

/** `file_data` is a data URL, or bare base64 (a PDF unless the file name says otherwise). */
function fileData(value: string, filename: unknown): { url?: string; data?: string; mediaType?: string } {
  if (value.startsWith('data:')) return fromUrl(value);
  const isText = typeof filename === 'string' && /\.(txt|md|csv)$/i.test(filename);
  return { data: value, mediaType: isText ? 'text/plain' : 'application/pdf' };
}

/** A data URL becomes base64 data and its media type; anything else stays a URL. */
function fromUrl(value: string): { url?: string; data?: string; mediaType?: string } {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(value);
  if (!match) return { url: value };
  return { data: match[2] as string, ...(match[1] ? { mediaType: match[1] } : {}) };
}

/**
 * Test-only: checks a built Anthropic request body against
 * test/fixtures/specs/anthropic-hosted_spec.yaml (the Nov 2024 Stainless spec) for the fields it
 * knows. Fields and block types introduced after that spec are listed explicitly in NEWER_* so
 * that anything else llmux emits must be in the spec.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { isRecord } from '../../../../src/lib/json.ts';
import { fixturePath } from '../../fixtures.ts';

type Schema = Record<string, unknown>;

const spec = parseYaml(readFileSync(fixturePath('specs/anthropic-hosted_spec.yaml'), 'utf8')) as Schema;
const schemas = (
  isRecord(spec.components) && isRecord(spec.components.schemas) ? spec.components.schemas : {}
) as Record<string, Schema>;

function propertiesOf(...names: string[]): Set<string> {
  const keys = new Set<string>();
  for (const name of names) {
    const schema = schemas[name];
    if (!schema) throw new Error(`spec has no schema ${name}`);
    if (isRecord(schema.properties)) for (const key of Object.keys(schema.properties)) keys.add(key);
  }
  return keys;
}

/** Request fields added after the spec snapshot (thinking, structured outputs, service tiers, …). */
const NEWER_TOP_LEVEL = [
  'thinking',
  'output_config',
  'service_tier',
  'cache_control',
  'container',
  'context_management',
  'inference_geo',
];
/** Block types added after the spec snapshot, with their fields. */
const NEWER_BLOCKS: Record<string, string[]> = {
  thinking: ['type', 'thinking', 'signature'],
  redacted_thinking: ['type', 'data'],
};
const NEWER_BLOCK_FIELDS: Record<string, string[]> = { document: ['title', 'context', 'citations'] };
/** Source types added after the snapshot (the spec only has base64). */
const NEWER_SOURCES: Record<string, string[]> = { image: ['url', 'file'], document: ['url', 'text', 'file'] };

const TOP_LEVEL = new Set([...propertiesOf('CreateMessageParams'), ...NEWER_TOP_LEVEL]);
const REQUIRED = ['model', 'messages', 'max_tokens'];

/** Block type → allowed fields, from the discriminator mappings of InputMessage and BetaInputContentBlock. */
function blockFields(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const add = (type: string, ref: string) => {
    const name = ref.split('/').at(-1) ?? '';
    const fields = map.get(type) ?? new Set<string>();
    for (const key of propertiesOf(name)) fields.add(key);
    map.set(type, fields);
  };
  const input = schemas.InputMessage as Schema;
  const content = (input.properties as Schema).content as Schema;
  const arrayVariant = (content.anyOf as Schema[]).find((variant) => variant.type === 'array') as Schema;
  const mappings = [
    ((arrayVariant.items as Schema).discriminator as Schema).mapping as Record<string, string>,
    ((schemas.BetaInputContentBlock as Schema).discriminator as Schema).mapping as Record<string, string>,
  ];
  for (const mapping of mappings) for (const [type, ref] of Object.entries(mapping)) add(type, ref);
  for (const [type, fields] of Object.entries(NEWER_BLOCKS)) map.set(type, new Set(fields));
  for (const [type, fields] of Object.entries(NEWER_BLOCK_FIELDS))
    for (const field of fields) map.get(type)?.add(field);
  return map;
}

const BLOCKS = blockFields();
const TOOL_FIELDS = new Set([...propertiesOf('Tool', 'BetaTool'), 'strict']);
const TOOL_CHOICES: Record<string, Set<string>> = {
  auto: propertiesOf('ToolChoiceAuto'),
  any: propertiesOf('ToolChoiceAny'),
  tool: propertiesOf('ToolChoiceTool'),
  none: new Set(['type']),
};
const METADATA = propertiesOf('Metadata');
const CACHE_CONTROL = new Set([...propertiesOf('BetaCacheControlEphemeral'), 'ttl']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;

function checkBlock(block: unknown, at: string, problems: string[]): void {
  if (!isRecord(block) || typeof block.type !== 'string') {
    problems.push(`${at}: not a typed block`);
    return;
  }
  const fields = BLOCKS.get(block.type);
  if (!fields) {
    problems.push(`${at}: unknown block type ${block.type}`);
    return;
  }
  for (const key of Object.keys(block))
    if (!fields.has(key)) problems.push(`${at}.${key}: not a ${block.type} block field`);
  if (isRecord(block.cache_control)) {
    for (const key of Object.keys(block.cache_control))
      if (!CACHE_CONTROL.has(key)) problems.push(`${at}.cache_control.${key}: unknown`);
  }
  if (block.type === 'text' && (typeof block.text !== 'string' || block.text === ''))
    problems.push(`${at}.text: must be a non-empty string`);
  if (block.type === 'tool_use') {
    if (!TOOL_ID.test(String(block.id))) problems.push(`${at}.id: bad id`);
    if (!TOOL_NAME.test(String(block.name))) problems.push(`${at}.name: bad name`);
    if (!isRecord(block.input)) problems.push(`${at}.input: must be an object`);
  }
  if (block.type === 'tool_result') {
    if (!TOOL_ID.test(String(block.tool_use_id))) problems.push(`${at}.tool_use_id: bad id`);
    if (Array.isArray(block.content)) {
      for (const [i, item] of block.content.entries()) checkBlock(item, `${at}.content[${i}]`, problems);
    }
  }
  if ((block.type === 'image' || block.type === 'document') && isRecord(block.source)) {
    const type = String(block.source.type);
    if (type !== 'base64' && !(NEWER_SOURCES[block.type] ?? []).includes(type))
      problems.push(`${at}.source.type: unknown ${type}`);
  }
}

/** Problems found (empty when the body fits the spec plus the listed newer fields). */
export function checkAgainstSpec(body: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(body)) return ['body is not an object'];
  for (const key of REQUIRED) if (!(key in body)) problems.push(`${key}: required`);
  for (const key of Object.keys(body)) if (!TOP_LEVEL.has(key)) problems.push(`${key}: not a create-message field`);
  if (typeof body.max_tokens !== 'number' || body.max_tokens < 1) problems.push('max_tokens: must be ≥ 1');
  const messages = Array.isArray(body.messages) ? body.messages : [];
  messages.forEach((message, i) => {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant'))
      problems.push(`messages[${i}].role: bad`);
    const previous = messages[i - 1];
    if (isRecord(previous) && isRecord(message) && previous.role === message.role)
      problems.push(`messages[${i}]: same role twice`);
    const content = isRecord(message) && Array.isArray(message.content) ? message.content : [];
    if (content.length === 0) problems.push(`messages[${i}].content: empty`);
    for (const [j, block] of content.entries()) checkBlock(block, `messages[${i}].content[${j}]`, problems);
  });
  if (Array.isArray(body.system)) {
    for (const [i, block] of body.system.entries()) checkBlock(block, `system[${i}]`, problems);
  }
  if (Array.isArray(body.tools)) {
    body.tools.forEach((tool, i) => {
      if (!isRecord(tool)) {
        problems.push(`tools[${i}]: not an object`);
        return;
      }
      for (const key of Object.keys(tool))
        if (!TOOL_FIELDS.has(key)) problems.push(`tools[${i}].${key}: not a tool field`);
      if (!TOOL_NAME.test(String(tool.name))) problems.push(`tools[${i}].name: bad name`);
      if (!isRecord(tool.input_schema) || tool.input_schema.type !== 'object')
        problems.push(`tools[${i}].input_schema.type: must be object`);
    });
  }
  if (isRecord(body.tool_choice)) {
    const allowed = TOOL_CHOICES[String(body.tool_choice.type)];
    if (!allowed) problems.push(`tool_choice.type: unknown ${String(body.tool_choice.type)}`);
    else
      for (const key of Object.keys(body.tool_choice))
        if (!allowed.has(key)) problems.push(`tool_choice.${key}: unknown`);
  }
  if (isRecord(body.metadata))
    for (const key of Object.keys(body.metadata)) if (!METADATA.has(key)) problems.push(`metadata.${key}: unknown`);
  return problems;
}

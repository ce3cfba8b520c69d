import type { RequestLogRecord } from '../../../src/store/types.ts';

/** A plausible record; `index` makes request ids and timestamps distinct. */
export function makeRequestLogRecord(index: number, overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return {
    timestamp: 1_750_000_000_000 + index,
    requestId: `req_${index.toString().padStart(6, '0')}`,
    clientRequestId: index % 3 === 0 ? `client-${index}` : null,
    keyName: 'team-a',
    keyId: 'key_team-a',
    team: null,
    publicModel: 'gpt-4o-mini',
    provider: 'openai',
    upstreamModel: 'gpt-4o-mini-2024-07-18',
    status: 200,
    latencyMs: 120 + (index % 50),
    ttftMs: index % 2 === 0 ? 40 : null,
    stream: index % 2 === 0,
    attempts: 1,
    inputTokens: 100 + index,
    outputTokens: 20,
    cachedInputTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    usageEstimated: false,
    errorCode: null,
    fallbackModels: null,
    costMicros: null,
    surface: 'openai-chat',
    ...overrides,
  };
}

/** Records that exercise every field's edges: nulls, booleans, large numbers, awkward text. */
export function makeEdgeCaseRecords(): RequestLogRecord[] {
  return [
    makeRequestLogRecord(1, {
      timestamp: 8_640_000_000_000, // the largest valid Date
      keyName: 'clé "quoted", with commas; and emoji 🚀',
      clientRequestId: 'trace:abc.DEF-123_456',
      publicModel: 'claude-sonnet',
      provider: 'anthropic',
      upstreamModel: 'claude-sonnet-4-20250514',
      status: 599,
      latencyMs: 2_147_483_647,
      ttftMs: 2_147_483_647,
      stream: true,
      attempts: 7,
      inputTokens: Number.MAX_SAFE_INTEGER,
      outputTokens: 4_000_000_000,
      cachedInputTokens: 3_000_000_000,
      cacheWriteTokens: 0,
      reasoningTokens: 1,
      usageEstimated: true,
      errorCode: 'upstream_timeout',
      fallbackModels: 'gpt-4o,gemini-2.5-pro',
      keyId: 'key_"🚀"',
      team: 'équipe, with commas',
      costMicros: 12_345_678_901_234, // beyond 32 bits: a bigint column read back as a JS number
      surface: 'anthropic-messages',
    }),
    makeRequestLogRecord(2, {
      timestamp: 0,
      keyName: null,
      keyId: null,
      publicModel: null,
      provider: null,
      upstreamModel: null,
      status: 401,
      latencyMs: 0,
      ttftMs: null,
      stream: false,
      attempts: 0,
      inputTokens: null,
      outputTokens: null,
      usageEstimated: false,
      errorCode: 'invalid_api_key',
      surface: null,
    }),
    makeRequestLogRecord(3, {
      keyName: '',
      publicModel: '',
      errorCode: '',
      fallbackModels: '',
      clientRequestId: '',
      keyId: '',
      team: '',
      costMicros: 0,
    }),
  ];
}

/** What is measured: routes, targets, scenarios, and the exact request each target gets. */

/** An upstream protocol: the fake upstream's routes and llmux's providers. */
export type Provider = 'openai' | 'anthropic' | 'gemini';
/**
 * Issue 10's inbound surfaces: the client speaks Anthropic Messages, Gemini or OpenAI Responses natively.
 * `messages-pass`: Messages → Anthropic deployment (passthrough); `gemini-pass`: Gemini → Gemini deployment
 * (passthrough); `responses-pass`: Responses → OpenAI deployment (passthrough to its `/responses`);
 * `messages-translated`: Messages → OpenAI-compatible deployment (translated through the canonical model).
 */
export type SurfaceRoute = 'messages-pass' | 'gemini-pass' | 'responses-pass' | 'messages-translated';
/** The OpenAI chat routes (`openai` passthrough, `anthropic`/`gemini` translated) and the surface routes. */
export type Route = Provider | SurfaceRoute;
export const SURFACE_ROUTES: readonly SurfaceRoute[] = [
  'messages-pass',
  'gemini-pass',
  'responses-pass',
  'messages-translated',
];
/** A client protocol: an upstream's, or OpenAI's Responses API (served by the same `openai` upstream). */
export type ClientProtocol = Provider | 'openai-responses';
/** The protocol of the client's request on a surface route (what the bare proxy forwards as it is). */
export const CLIENT_PROTOCOL: Record<SurfaceRoute, ClientProtocol> = {
  'messages-pass': 'anthropic',
  'gemini-pass': 'gemini',
  'responses-pass': 'openai-responses',
  'messages-translated': 'anthropic',
};
/** The provider llmux calls on a route. */
export const UPSTREAM_OF: Record<Route, Provider> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  'messages-pass': 'anthropic',
  'gemini-pass': 'gemini',
  'responses-pass': 'openai',
  'messages-translated': 'openai',
};
export type Mode = 'json' | 'sse';
/**
 * `llmux-limited`: the llmux process of `llmux`, called with a key that has rpm + tpm + budget;
 * `llmux-redis`: a second llmux process with the same key and its limits on Redis.
 */
export type TargetId = 'direct' | 'bare' | 'llmux' | 'llmux-limited' | 'llmux-redis' | 'portkey';

export const TARGET_LABELS: Record<TargetId, string> = {
  direct: 'upstream direct',
  bare: 'bare proxy',
  llmux: 'llmux',
  'llmux-limited': 'llmux, limited key (in-process)',
  'llmux-redis': 'llmux, limited key (Redis)',
  portkey: 'Portkey 1.15.2',
};

export const LIMITED_TARGETS = ['llmux-limited', 'llmux-redis'] as const;
export const isLlmux = (target: TargetId) =>
  target === 'llmux' || target === 'llmux-limited' || target === 'llmux-redis';

export const ROUTE_LABELS: Record<Route, string> = {
  openai: 'passthrough (OpenAI → OpenAI-compatible)',
  anthropic: 'translated (OpenAI client → Anthropic)',
  gemini: 'translated (OpenAI client → Gemini)',
  'messages-pass': 'passthrough (Anthropic Messages client → Anthropic)',
  'gemini-pass': 'passthrough (Gemini client → Gemini)',
  'responses-pass': 'passthrough (OpenAI Responses client → OpenAI /responses)',
  'messages-translated': 'translated (Anthropic Messages client → OpenAI-compatible)',
};

export interface Scenario {
  route: Route;
  mode: Mode;
  connections: number;
  targets: TargetId[];
}

/**
 * Latency (added to the upstream hit directly) is measured at 1 connection; throughput and CPU per
 * request at 32 (and at 1 for passthrough). Direct and the bare proxy speak the upstream's own protocol on translated routes (they cannot
 * translate): direct is the latency baseline at 1 connection, the bare proxy carrying the same
 * upstream bytes is the CPU floor at 32. Kept to what the targets need so a default run stays near
 * 6 minutes without the surface rows of issue 10, which add about 6 (BENCH_ONLY narrows it further). The limited-key rows (issue 9) are on passthrough only: what
 * limits cost does not depend on the route.
 */
export const SCENARIOS: Scenario[] = [
  {
    route: 'openai',
    mode: 'json',
    connections: 1,
    targets: ['direct', 'bare', 'llmux', ...LIMITED_TARGETS, 'portkey'],
  },
  { route: 'openai', mode: 'sse', connections: 1, targets: ['direct', 'bare', 'llmux', ...LIMITED_TARGETS, 'portkey'] },
  { route: 'openai', mode: 'json', connections: 32, targets: ['bare', 'llmux', ...LIMITED_TARGETS, 'portkey'] },
  { route: 'openai', mode: 'sse', connections: 32, targets: ['bare', 'llmux', ...LIMITED_TARGETS, 'portkey'] },
  { route: 'anthropic', mode: 'json', connections: 1, targets: ['direct', 'llmux'] },
  { route: 'anthropic', mode: 'sse', connections: 1, targets: ['direct', 'llmux'] },
  { route: 'anthropic', mode: 'json', connections: 32, targets: ['bare', 'llmux', 'portkey'] },
  { route: 'anthropic', mode: 'sse', connections: 32, targets: ['bare', 'llmux', 'portkey'] },
  { route: 'gemini', mode: 'json', connections: 1, targets: ['direct', 'llmux'] },
  { route: 'gemini', mode: 'sse', connections: 1, targets: ['direct', 'llmux'] },
  { route: 'gemini', mode: 'json', connections: 32, targets: ['bare', 'llmux'] },
  { route: 'gemini', mode: 'sse', connections: 32, targets: ['bare', 'llmux'] },
  // Issue 10: the bare proxy forwards the client's own body (Messages / Gemini) to the fake upstream.
  ...SURFACE_ROUTES.flatMap((route): Scenario[] => [
    { route, mode: 'json', connections: 1, targets: ['direct', 'bare', 'llmux'] },
    { route, mode: 'sse', connections: 1, targets: ['direct', 'bare', 'llmux'] },
    { route, mode: 'json', connections: 32, targets: ['bare', 'llmux'] },
    { route, mode: 'sse', connections: 32, targets: ['bare', 'llmux'] },
  ]),
];

/** Time-to-first-token probes (1 connection, streams, upstream pauses after the first token). */
export const TTFT_PROBES: { route: Route; targets: TargetId[] }[] = [
  { route: 'openai', targets: ['direct', 'bare', 'llmux', 'portkey'] },
  { route: 'anthropic', targets: ['direct', 'bare', 'llmux', 'portkey'] },
  { route: 'gemini', targets: ['direct', 'bare', 'llmux'] },
  ...SURFACE_ROUTES.map((route) => ({ route, targets: ['direct', 'bare', 'llmux'] as TargetId[] })),
];

export const UPSTREAM_MODELS: Record<Provider, string> = {
  openai: 'gpt-4.1-nano',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-flash',
};

export const LLMUX_KEY = 'sk-llmux-bench';
/** The key of the limited rows: limits so high nothing is refused, so the rows measure the cost of checking them. */
export const LLMUX_LIMITED_KEY = 'sk-llmux-bench-limited';
export const LIMITED_KEY_LIMITS = {
  rpm: 100_000_000,
  tpm: 10_000_000_000,
  budget: { usd: 1_000_000, period: 'month' },
};
/**
 * Prices of UPSTREAM_MODELS (USD per 1M tokens, list prices), set as `pricing.models` overrides for the model
 * and its `-gap` variant, which no price table knows: so the budget really prices every request.
 */
export const BENCH_PRICES: Record<Provider, { input: number; output: number }> = {
  openai: { input: 0.1, output: 0.4 },
  anthropic: { input: 3, output: 15 },
  gemini: { input: 0.3, output: 2.5 },
};
export const UPSTREAM_KEY = 'sk-upstream-bench';

const SYSTEM =
  'You are a concise assistant for a travel company newsletter. Answer in at most three short paragraphs, in plain ' +
  'language. Never invent prices, dates, opening hours or availability: when you do not know, say so and suggest ' +
  'where the reader can check.';
const USER =
  'Invent a new holiday and describe its traditions. Give it a name and a date, explain its purpose, describe two or ' +
  'three customs that families could follow at home or in their town, and suggest one traditional food. Keep it ' +
  'family-friendly.';

export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** ~700 B OpenAI chat completion request. */
function openAIBody(model: string, mode: Mode): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: USER },
    ],
    temperature: 0.7,
    max_tokens: 512,
    user: 'bench-user-42',
    ...(mode === 'sse' ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

/** The same request in the upstream's own protocol, for direct and bare-proxy runs. */
function nativeRequest(route: ClientProtocol, mode: Mode, model: string): BenchRequest {
  const json = { 'content-type': 'application/json' };
  if (route === 'openai-responses') {
    return {
      path: '/v1/responses',
      headers: { ...json, authorization: `Bearer ${UPSTREAM_KEY}` },
      body: JSON.stringify({
        model,
        instructions: SYSTEM,
        input: USER,
        temperature: 0.7,
        max_output_tokens: 512,
        user: 'bench-user-42',
        ...(mode === 'sse' ? { stream: true } : {}),
      }),
    };
  }
  if (route === 'openai') {
    return {
      path: '/v1/chat/completions',
      headers: { ...json, authorization: `Bearer ${UPSTREAM_KEY}` },
      body: openAIBody(model, mode),
    };
  }
  if (route === 'anthropic') {
    return {
      path: '/v1/messages',
      headers: { ...json, 'x-api-key': UPSTREAM_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model,
        max_tokens: 512,
        system: SYSTEM,
        messages: [{ role: 'user', content: USER }],
        temperature: 0.7,
        ...(mode === 'sse' ? { stream: true } : {}),
      }),
    };
  }
  return {
    path: `/v1beta/models/${model}:${mode === 'sse' ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    headers: { ...json, 'x-goog-api-key': UPSTREAM_KEY },
    body: JSON.stringify({
      systemInstruction: { parts: [{ text: SYSTEM }] },
      contents: [{ role: 'user', parts: [{ text: USER }] }],
      generationConfig: { temperature: 0.7, maxOutputTokens: 512 },
    }),
  };
}

const PORTKEY_PROVIDER: Record<Provider, string> = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' };

/** `gap`: ask the fake upstream to pause after the first token (TTFT probe). */
export function requestFor(
  target: TargetId,
  route: Route,
  mode: Mode,
  upstreamPort: number,
  gap = false,
): BenchRequest {
  const model = UPSTREAM_MODELS[UPSTREAM_OF[route]] + (gap ? '-gap' : '');
  if (isSurfaceRoute(route)) return surfaceRequest(target, route, mode, model);
  if (target === 'direct' || target === 'bare') return nativeRequest(route, mode, model);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (isLlmux(target)) {
    headers.authorization = `Bearer ${target === 'llmux' ? LLMUX_KEY : LLMUX_LIMITED_KEY}`;
  } else {
    headers.authorization = `Bearer ${UPSTREAM_KEY}`;
    headers['x-portkey-provider'] = PORTKEY_PROVIDER[route];
    headers['x-portkey-custom-host'] = `http://127.0.0.1:${upstreamPort}${route === 'gemini' ? '' : '/v1'}`;
  }
  return { path: '/v1/chat/completions', headers, body: openAIBody(model, mode) };
}

function isSurfaceRoute(route: Route): route is SurfaceRoute {
  return (SURFACE_ROUTES as readonly Route[]).includes(route);
}

/**
 * A surface route: every target gets the same body in the client's protocol (the model is the one of the
 * deployment llmux routes to); llmux is called with its key in the header that protocol's SDK uses.
 */
function surfaceRequest(target: TargetId, route: SurfaceRoute, mode: Mode, model: string): BenchRequest {
  const request = nativeRequest(CLIENT_PROTOCOL[route], mode, model);
  if (!isLlmux(target)) return request;
  const key = target === 'llmux' ? LLMUX_KEY : LLMUX_LIMITED_KEY;
  const protocol = CLIENT_PROTOCOL[route];
  if (protocol === 'openai-responses')
    return { ...request, headers: { ...request.headers, authorization: `Bearer ${key}` } };
  const header = protocol === 'gemini' ? 'x-goog-api-key' : 'x-api-key';
  return { ...request, headers: { ...request.headers, [header]: key } };
}

export const scenarioKey = (s: { route: Route; mode: Mode; connections: number }) =>
  `${s.route}/${s.mode}/c${s.connections}`;

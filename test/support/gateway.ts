/**
 * The end-to-end set-up in one call: one upstream simulator per provider, llmux in-process with a
 * config naming them, and an `openai` SDK client pointed at llmux.
 */
import OpenAI, { type ClientOptions } from 'openai';
import type { CreateAppOptions } from '../../src/app.ts';
import { type RunningLlmux, startLlmux } from './start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from './upstream-simulator.ts';

export const UPSTREAM_TYPES = ['openai-compatible', 'openai', 'anthropic', 'gemini'] as const;
export type UpstreamType = (typeof UPSTREAM_TYPES)[number];

export function isUpstreamType(value: string): value is UpstreamType {
  return (UPSTREAM_TYPES as readonly string[]).includes(value);
}

export interface UpstreamSpec {
  type: UpstreamType;
  /** Default: none for openai-compatible, `test-key` for the others. */
  apiKey?: string;
}

export interface GatewaySpec {
  /** Provider name → its type (or spec); each gets a simulator of its own and a `providers:` entry. */
  upstreams: Record<string, UpstreamType | UpstreamSpec>;
  /** The rest of the config as YAML (`models:`, `router:`, `server:`, `keys:`, …), without `providers:`. */
  config: string;
  env?: Record<string, string>;
  app?: Omit<CreateAppOptions, 'logger'>;
  /** Overrides of the SDK client options (default: no retries, 15 s timeout). */
  client?: ClientOptions;
}

export interface Gateway {
  llmux: RunningLlmux;
  client: OpenAI;
  /** The simulator of each provider, by provider name. */
  sims: Record<string, Simulator>;
  /** Closes llmux, then every simulator. */
  close(): Promise<void>;
}

function providerLine(name: string, spec: UpstreamSpec, sim: Simulator): string {
  const openAIShaped = spec.type === 'openai-compatible' || spec.type === 'openai';
  const apiKey = spec.apiKey ?? (spec.type === 'openai-compatible' ? undefined : 'test-key');
  const baseUrl = openAIShaped ? `${sim.url}/v1` : sim.url;
  return `  ${name}: { type: ${spec.type}, ${apiKey === undefined ? '' : `apiKey: ${apiKey}, `}baseUrl: "${baseUrl}" }`;
}

export async function startGateway(spec: GatewaySpec): Promise<Gateway> {
  const sims: Record<string, Simulator> = {};
  const closeSims = () => Promise.all(Object.values(sims).map((sim) => sim.close()));
  try {
    const lines: string[] = [];
    for (const [name, upstream] of Object.entries(spec.upstreams)) {
      const sim = await startUpstreamSimulator();
      sims[name] = sim;
      lines.push(providerLine(name, typeof upstream === 'string' ? { type: upstream } : upstream, sim));
    }
    const llmux = await startLlmux(`providers:\n${lines.join('\n')}\n${spec.config}`, spec.env, spec.app);
    const client = new OpenAI({
      baseURL: llmux.baseURL,
      apiKey: llmux.apiKey,
      maxRetries: 0,
      timeout: 15_000,
      ...spec.client,
    });
    return {
      llmux,
      client,
      sims,
      async close() {
        await llmux.close();
        await closeSims();
      },
    };
  } catch (error) {
    await closeSims();
    throw error;
  }
}

/** The simulator of provider `name` (throws when the gateway has none by that name). */
export function simOf(gateway: Gateway, name: string): Simulator {
  const sim = gateway.sims[name];
  if (sim === undefined) throw new Error(`no upstream simulator for provider ${name}`);
  return sim;
}

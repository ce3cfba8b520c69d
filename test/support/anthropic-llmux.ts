/** llmux (in-process) in front of one Anthropic upstream simulator, the provider `claude`. */
import type OpenAI from 'openai';
import { simOf, startGateway } from './gateway.ts';
import type { RunningLlmux } from './start-llmux.ts';
import type { Simulator } from './upstream-simulator.ts';

export interface AnthropicLlmux {
  sim: Simulator;
  llmux: RunningLlmux;
  client: OpenAI;
  close(): Promise<void>;
}

/**
 * `models` is the YAML of the `models:` list (its deployments on the provider `claude`). Failures
 * never cool a deployment down, so one test's scripted errors cannot affect the next.
 */
export async function startAnthropicLlmux(models: string): Promise<AnthropicLlmux> {
  const gateway = await startGateway({
    upstreams: { claude: { type: 'anthropic', apiKey: 'test-anthropic-key' } },
    config: `router: { cooldown: { failures: 1000 } }\nmodels:\n${models}`,
    client: { timeout: 10_000 },
  });
  return { sim: simOf(gateway, 'claude'), llmux: gateway.llmux, client: gateway.client, close: gateway.close };
}

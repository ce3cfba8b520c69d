/** llmux (in-process) in front of one Anthropic upstream simulator, the provider `claude`. */
import { type RunningLlmux, startLlmux } from './start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from './upstream-simulator.ts';

export interface AnthropicLlmux {
  sim: Simulator;
  llmux: RunningLlmux;
}

/**
 * `models` is the YAML of the `models:` list (its deployments on the provider `claude`). Failures
 * never cool a deployment down, so one test's scripted errors cannot affect the next.
 */
export async function startAnthropicLlmux(models: string): Promise<AnthropicLlmux> {
  const sim = await startUpstreamSimulator();
  try {
    const llmux = await startLlmux(`
router: { cooldown: { failures: 1000 } }
providers:
  claude: { type: anthropic, apiKey: test-anthropic-key, baseUrl: "${sim.url}" }
models:
${models}`);
    return { sim, llmux };
  } catch (error) {
    await sim.close();
    throw error;
  }
}

import { createOpenAICompatibleAdapter } from '../openai-compatible/index.ts';
import type { ProviderSettings } from '../types.ts';
import { createSimulatorTransport } from './simulator-transport.ts';

/** The simulator speaks OpenAI Chat Completions; its transport is in-process (simulator-transport.ts). */
export const simulatorAdapter = createOpenAICompatibleAdapter({
  type: 'simulator',
  defaultBaseUrl: 'http://simulator.invalid/v1',
  capabilitiesFor: () => ({ developerRoleUnsupported: false }),
  createTransport: (settings) =>
    createSimulatorTransport({
      latencyMs: numberSetting(settings, 'latencyMs', 0),
      chunkDelayMs: numberSetting(settings, 'chunkDelayMs', 0),
      chunkSize: numberSetting(settings, 'chunkSize', 4),
    }),
});

/** The config schema has validated and defaulted these; the fallback only keeps the type honest. */
function numberSetting(settings: ProviderSettings, key: string, fallback: number): number {
  const value = settings[key];
  return typeof value === 'number' ? value : fallback;
}

export { createSimulatorTransport, type SimulatorOptions } from './simulator-transport.ts';

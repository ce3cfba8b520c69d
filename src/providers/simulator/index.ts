import { createOpenAICompatibleAdapter } from '../openai-compatible/index.ts';

/** The simulator speaks OpenAI Chat Completions; its transport is in-process (simulator-transport.ts). */
export const simulatorAdapter = createOpenAICompatibleAdapter({
  type: 'simulator',
  defaultBaseUrl: 'http://simulator.invalid/v1',
  capabilitiesFor: () => ({ developerRoleUnsupported: false }),
});

export { createSimulatorTransport, type SimulatorOptions } from './simulator-transport.ts';

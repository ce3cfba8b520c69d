import { anthropicAdapter } from './anthropic/index.ts';
import { azureAdapter } from './azure/index.ts';
import { geminiAdapter } from './gemini/index.ts';
import { openAIAdapter } from './openai/index.ts';
import { openAICompatibleAdapter } from './openai-compatible/index.ts';
import { simulatorAdapter } from './simulator/index.ts';
import type { ProviderAdapter } from './types.ts';

const adapters = new Map<string, ProviderAdapter>();

export function registerAdapter(adapter: ProviderAdapter): void {
  adapters.set(adapter.type, adapter);
}

registerAdapter(openAIAdapter);
registerAdapter(openAICompatibleAdapter);
registerAdapter(simulatorAdapter);
registerAdapter(geminiAdapter);
registerAdapter(anthropicAdapter);
registerAdapter(azureAdapter);

export function adapterFor(type: string): ProviderAdapter {
  const adapter = adapters.get(type);
  if (!adapter) throw new Error(`no provider adapter for type "${type}" (known: ${[...adapters.keys()].join(', ')})`);
  return adapter;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../core/types.ts';
import { joinUrlPath } from '../openai-compatible/request.ts';
import type { DeploymentTarget } from '../types.ts';
import { AZURE_DEFAULT_API_VERSION, azureAdapter, azureBaseUrl } from './index.ts';

const settings = { name: 'az', type: 'azure', endpoint: 'https://res.openai.azure.com/', apiKey: 'k' };
const target = (baseUrl: string): DeploymentTarget => ({
  providerName: 'az',
  providerType: 'azure',
  baseUrl,
  apiKey: 'azure-key',
  model: 'my deployment',
  capabilities: {},
});
const request: ChatRequest = {
  model: 'public',
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  includeUsage: false,
};

describe('Azure OpenAI adapter', () => {
  it('builds the base URL from endpoint, apiVersion and v1', () => {
    assert.equal(
      azureBaseUrl(settings),
      `https://res.openai.azure.com/openai?api-version=${AZURE_DEFAULT_API_VERSION}`,
      'classic, default version',
    );
    assert.equal(
      azureBaseUrl({ ...settings, apiVersion: '2025-01-01-preview' }),
      'https://res.openai.azure.com/openai?api-version=2025-01-01-preview',
      'classic, configured version',
    );
    assert.equal(azureBaseUrl({ ...settings, v1: true }), 'https://res.openai.azure.com/openai/v1', 'v1');
  });

  it('translated requests go to the deployment URL (name escaped) with the api-key header', () => {
    const built = azureAdapter.buildRequest(request, target(azureBaseUrl(settings)));
    assert.equal(
      built.request.url,
      `https://res.openai.azure.com/openai/deployments/my%20deployment/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`,
      'classic URL',
    );
    assert.equal(built.request.headers['api-key'], 'azure-key', 'api-key header');
    assert.equal(built.request.headers.authorization, undefined, 'no Bearer token');
    const v1 = azureAdapter.buildRequest(request, target(azureBaseUrl({ ...settings, v1: true })));
    assert.equal(v1.request.url, 'https://res.openai.azure.com/openai/v1/chat/completions', 'v1 URL');
  });

  it('joinUrlPath puts the path before the query', () => {
    assert.equal(joinUrlPath('http://h/v1', '/chat/completions'), 'http://h/v1/chat/completions', 'no query');
    assert.equal(joinUrlPath('http://h/v1/?a=1&b=2', '/x'), 'http://h/v1/x?a=1&b=2', 'query kept');
  });
});

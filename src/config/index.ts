export { substituteEnv } from './env.ts';
export { ConfigError, type ConfigIssue, formatIssue } from './errors.ts';
export { loadConfig, parseConfig } from './load.ts';
export type * from './schema.ts';
export { ConfigFileSchema, PROVIDER_TYPES, STRATEGY_NAMES } from './schema.ts';

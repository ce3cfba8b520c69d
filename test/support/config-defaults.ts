/** The config defaults as the loader must give them, written out once for the config tests that pin them. */
export const SERVER_DEFAULTS = {
  port: 4000,
  host: '127.0.0.1',
  bodyLimitMb: 32,
  maxUpstreamResponseMb: 64,
  maxUpstreamEventMb: 8,
  maxUpstreamErrorMb: 8,
  maxChoices: 16,
  shutdownGraceMs: 8000,
  headersTimeoutMs: 30000,
  bodyTimeoutMs: 60000,
  maxConnections: 10000,
  maxUnauthenticatedPerIp: 64,
  maxInflightBodyMb: 512,
} as const;

/** The `store` fields every kind of store gets by default (the journal beside the default data directory). */
export const STORE_DEFAULTS = {
  flushIntervalMs: 1000,
  journal: { directory: 'data/request-log.journal', syncIntervalMs: 100 },
  retentionDays: 0,
} as const;

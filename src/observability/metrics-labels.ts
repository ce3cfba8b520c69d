/**
 * What the metrics read of a settled request, and how its fields become label values. The shape is
 * the request-log record's (store/types.ts), declared here so that observability depends on no layer.
 * Every label value comes from a bounded set: configured names, the error catalogue, a few fixed words.
 */

export interface ObservedAttempt {
  provider: string;
  /** The deployment's id (`model#index`). */
  deployment: string;
  outcome: string;
}

export interface ObservedRequest {
  keyName: string | null;
  team: string | null;
  publicModel: string | null;
  provider: string | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  costMicros: number | null;
  surface: string | null;
  errorCode: string | null;
  /** The limit that refused the request at admission (`rpm`, `team.budget`, …). */
  refusedByLimit?: string | undefined;
  attemptLog?: readonly ObservedAttempt[] | undefined;
}

/** The model label of a request whose model is not a configured public model (a typo, garbage, none). */
export const UNRESOLVED_MODEL = '(unresolved)';

/** `2xx`, `4xx`, `5xx`… (a client that left, 499, is a `4xx`). */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** The public model's name when the config has it, else one fixed value whatever the client sent. */
export function modelLabel(name: string | null, isPublicModel: (name: string) => boolean): string {
  return name !== null && isPublicModel(name) ? name : UNRESOLVED_MODEL;
}

/** The deployment that answered last (the one that served, or the last one that failed); '' without attempts. */
export function lastDeployment(record: ObservedRequest): string {
  const attempts = record.attemptLog;
  return attempts === undefined || attempts.length === 0 ? '' : (attempts[attempts.length - 1]?.deployment ?? '');
}

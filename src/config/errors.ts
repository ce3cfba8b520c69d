/** One problem found in a config file. `path` is like `models[1].deployments[0].provider` ('' for the whole file). */
export interface ConfigIssue {
  path: string;
  message: string;
  /** 1-based position in the source, when known. */
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['models', 1, 'deployments', 0, 'provider']` → `models[1].deployments[0].provider`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatIssue(issue: ConfigIssue): string {
  const where =
    issue.line === undefined
      ? ''
      : ` (line ${issue.line}${issue.column === undefined ? '' : `, column ${issue.column}`})`;
  return `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}${where}`;
}

/** Thrown by the loader with every problem found, never just the first. Messages never contain secret values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly source: string;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`invalid config ${source} (${count}):\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`);
    this.source = source;
    this.issues = issues;
  }
}
